/**
 * The marker shapes lossy transforms emit where they removed content, and the one parser the
 * retrieval tool uses for all of them. They share one grammar:
 *
 *   text:  [headroom: 14 messages omitted (12,345 tokens). Retrieve: hash=<24 hex>]
 *   JSON:  {"_headroom":"47 items omitted (errors kept). Retrieve: hash=<24 hex>"}
 *   ref:   [headroom: 3 lines omitted]
 *
 * The JSON sentinel is a one-key object placed in an array where items were dropped, so the
 * output stays valid JSON. The hash is a CCR key (hash.ts); the count is in the source's own
 * units (messages, lines, items, matches...).
 *
 * A ref is the short form for a text that names one original several times (each elided body of
 * a source file): the first mention is a full text marker, later ones are refs, and a ref names
 * the original of the nearest full text marker before it. It costs about 4 tokens more than a
 * bare "3 lines omitted" where the full marker costs about 22. A ref with no full text marker
 * before it is not a marker (a line parsed on its own can pass its document as `context`).
 */
import { CCR_HASH_LENGTH } from './hash.js';

export interface Marker {
  readonly count: number;
  /** Unit of `count`, a plural noun: messages, lines, items, matches... */
  readonly unit: string;
  readonly hash: string;
  /** Optional short note shown in parentheses. */
  readonly note?: string;
}

export interface ParsedMarker extends Marker {
  readonly kind: 'text' | 'json';
  /** Set on a ref (short form); `hash` is then that of the full marker it resolved to. */
  readonly ref?: true;
}

/** @deprecated alias kept for early callers; use Marker. */
export type TextMarker = Marker;

/** The key of the JSON sentinel object. */
export const JSON_SENTINEL_KEY = '_headroom';

function body(m: Marker): string {
  // Characters that would end the marker early are removed from the note.
  const note = m.note ? ` (${m.note.replace(/[\[\]()"\\]/g, '')})` : '';
  return `${m.count} ${m.unit} omitted${note}. Retrieve: hash=${m.hash}`;
}

export function formatTextMarker(m: Marker): string {
  return `[headroom: ${body(m)}]`;
}

/**
 * The short form: `[headroom: 3 lines omitted]`, naming the original of the nearest full text
 * marker before it in the same text. Emit it only after a full marker of the same hash.
 */
export function formatMarkerRef(m: Omit<Marker, 'hash'>): string {
  const note = m.note ? ` (${m.note.replace(/[\[\]()"\\]/g, '')})` : '';
  return `[headroom: ${m.count} ${m.unit} omitted${note}]`;
}

/** The sentinel object to put in a JSON array where items were dropped. */
export function jsonSentinel(m: Marker): { [JSON_SENTINEL_KEY]: string } {
  return { [JSON_SENTINEL_KEY]: body(m) };
}

const HEAD = String.raw`(\d+) ([A-Za-z_]+) omitted(?: \(([^\]()"\\]*)\))?`;
const BODY = String.raw`${HEAD}\. Retrieve: hash=([0-9a-f]{${CCR_HASH_LENGTH}})`;
// Groups: 1–4 text marker, 5–8 JSON sentinel, 9–11 ref.
const MARKER_RE = new RegExp(String.raw`\[headroom: ${BODY}\]|"${JSON_SENTINEL_KEY}"\s*:\s*"${BODY}"|\[headroom: ${HEAD}\]`, 'g');

/** Where refs are resolved from: a document and the offset, in it, of the text being parsed. */
export interface MarkerContext {
  readonly text: string;
  readonly offset: number;
}

/** Full text-marker hashes of `text` with their offsets, in order. */
function fullTextMarkers(text: string): Array<{ at: number; hash: string }> {
  const out: Array<{ at: number; hash: string }> = [];
  if (!text.includes('headroom')) return out;
  for (const m of text.matchAll(MARKER_RE)) if (m[1] !== undefined) out.push({ at: m.index ?? 0, hash: m[4] });
  return out;
}

function lastBefore(list: ReadonlyArray<{ at: number; hash: string }>, at: number): string | undefined {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].at < at) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? list[lo - 1].hash : undefined;
}

/**
 * Every marker in `text`, in order of appearance: text markers, JSON sentinels, and refs resolved
 * to the hash of the nearest full text marker before them (in `text`, or in `context.text` before
 * `context.offset` plus the ref's position when `text` was taken out of a larger document).
 */
export function parseMarkers(text: string, context?: MarkerContext): ParsedMarker[] {
  const out: ParsedMarker[] = [];
  // Every shape contains "headroom"; a plain substring scan is much cheaper than the regex.
  if (!text.includes('headroom')) return out;
  let last: string | undefined;
  let outer: Array<{ at: number; hash: string }> | undefined;
  for (const m of text.matchAll(MARKER_RE)) {
    const o = m[1] !== undefined ? 1 : m[5] !== undefined ? 5 : 9;
    const note = m[o + 2] !== undefined ? { note: m[o + 2] } : {};
    if (o === 9) {
      let hash = last;
      if (hash === undefined && context) {
        outer ??= fullTextMarkers(context.text);
        hash = lastBefore(outer, context.offset + (m.index ?? 0));
      }
      if (hash !== undefined) out.push({ kind: 'text', count: Number(m[9]), unit: m[10], hash, ...note, ref: true });
      continue;
    }
    if (o === 1) last = m[4];
    out.push({ kind: o === 5 ? 'json' : 'text', count: Number(m[o]), unit: m[o + 1], hash: m[o + 3], ...note });
  }
  return out;
}

/** Text markers only (kept for callers that only handle text). */
export function parseTextMarkers(text: string): ParsedMarker[] {
  return parseMarkers(text).filter((m) => m.kind === 'text');
}
