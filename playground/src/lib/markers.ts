/**
 * Where the CCR markers are in a line of the compressed view, found with the library's
 * `parseMarkers` (both shapes: `[headroom: … hash=…]` and the JSON sentinel
 * `"_headroom": "… hash=…"`), so each can be shown as a button that fetches its original.
 */
import { parseMarkers } from 'headroom-wasm';

export interface MarkerSpan {
  readonly hash: string;
  readonly count: number;
  readonly unit: string;
  readonly kind: 'text' | 'json';
  /** [start, end) in the line. */
  readonly start: number;
  readonly end: number;
}

/**
 * Marker spans of one line. Code placeholders after a file's first one are short refs
 * (`[headroom: 3 lines omitted]`) that name the nearest full marker before them: `inherited` is
 * the hash of the last full text marker on earlier lines (see `lastFullHash`).
 */
export function markerSpans(line: string, inherited?: string): MarkerSpan[] {
  if (!line.includes('headroom')) return [];
  // A one-line stand-in for the document above this line: just the marker refs resolve to.
  const prefix = inherited ? `[headroom: 1 lines omitted. Retrieve: hash=${inherited}]\n` : '';
  const found = parseMarkers(line, prefix ? { text: prefix + line, offset: prefix.length } : undefined);
  if (found.length === 0) return [];
  const out: MarkerSpan[] = [];
  let from = 0;
  for (const m of found) {
    let start: number;
    let end: number;
    if (m.ref) {
      start = line.indexOf(`[headroom: ${m.count} ${m.unit} omitted`, from);
      if (start < 0) continue;
      const close = line.indexOf(']', start);
      end = close < 0 ? line.length : close + 1;
    } else {
      const at = line.indexOf(`hash=${m.hash}`, from);
      if (at < 0) continue;
      const afterHash = at + 5 + m.hash.length;
      start = Math.max(0, m.kind === 'text' ? line.lastIndexOf('[headroom:', at) : line.lastIndexOf('"_headroom"', at));
      const close = line.indexOf(m.kind === 'text' ? ']' : '"', afterHash);
      end = close < 0 ? afterHash : close + 1;
    }
    out.push({ hash: m.hash, count: m.count, unit: m.unit, kind: m.kind, start, end });
    from = end;
  }
  return out;
}

/** The hash later refs resolve to after this line: its last full text marker, else `inherited`. */
export function lastFullHash(line: string, inherited: string | undefined): string | undefined {
  if (!line.includes('headroom')) return inherited;
  let last = inherited;
  for (const m of parseMarkers(line)) if (m.kind === 'text' && !m.ref) last = m.hash;
  return last;
}

export type Segment = { readonly text: string } | { readonly text: string; readonly marker: MarkerSpan };

/** The visible part of a line (`visible` characters) as plain text and marker segments. */
export function segments(line: string, spans: ReadonlyArray<MarkerSpan>, visible: number): Segment[] {
  const out: Segment[] = [];
  let pos = 0;
  for (const s of spans) {
    if (s.start >= visible) break;
    if (s.start > pos) out.push({ text: line.slice(pos, s.start) });
    out.push({ text: line.slice(s.start, Math.min(s.end, visible)), marker: s });
    pos = Math.min(s.end, visible);
  }
  if (pos < visible) out.push({ text: line.slice(pos, visible) });
  return out;
}
