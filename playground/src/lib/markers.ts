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

export function markerSpans(line: string): MarkerSpan[] {
  const found = parseMarkers(line);
  if (found.length === 0) return [];
  const out: MarkerSpan[] = [];
  let from = 0;
  for (const m of found) {
    const at = line.indexOf(`hash=${m.hash}`, from);
    if (at < 0) continue;
    const afterHash = at + 5 + m.hash.length;
    const start = m.kind === 'text' ? line.lastIndexOf('[headroom:', at) : line.lastIndexOf('"_headroom"', at);
    const close = line.indexOf(m.kind === 'text' ? ']' : '"', afterHash);
    const end = close < 0 ? afterHash : close + 1;
    out.push({ hash: m.hash, count: m.count, unit: m.unit, kind: m.kind, start: Math.max(0, start), end });
    from = end;
  }
  return out;
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
