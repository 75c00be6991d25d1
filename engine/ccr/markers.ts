/**
 * The two marker shapes lossy transforms emit where they removed content, and the one parser
 * the retrieval tool uses for both. They share one grammar:
 *
 *   text:  [headroom: 14 messages omitted (12,345 tokens). Retrieve: hash=<24 hex>]
 *   JSON:  {"_headroom":"47 items omitted (errors kept). Retrieve: hash=<24 hex>"}
 *
 * The JSON sentinel is a one-key object placed in an array where items were dropped, so the
 * output stays valid JSON. The hash is a CCR key (hash.ts); the count is in the source's own
 * units (messages, lines, items, matches...).
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

/** The sentinel object to put in a JSON array where items were dropped. */
export function jsonSentinel(m: Marker): { [JSON_SENTINEL_KEY]: string } {
  return { [JSON_SENTINEL_KEY]: body(m) };
}

const BODY = String.raw`(\d+) ([A-Za-z_]+) omitted(?: \(([^\]()"\\]*)\))?\. Retrieve: hash=([0-9a-f]{${CCR_HASH_LENGTH}})`;
const MARKER_RE = new RegExp(String.raw`\[headroom: ${BODY}\]|"${JSON_SENTINEL_KEY}"\s*:\s*"${BODY}"`, 'g');

/** Every marker (text or JSON sentinel) in `text`, in order of appearance. */
export function parseMarkers(text: string): ParsedMarker[] {
  const out: ParsedMarker[] = [];
  // Both shapes contain "headroom"; a plain substring scan is much cheaper than the regex.
  if (!text.includes('headroom')) return out;
  for (const m of text.matchAll(MARKER_RE)) {
    const json = m[1] === undefined;
    const o = json ? 5 : 1;
    const base = { kind: json ? ('json' as const) : ('text' as const), count: Number(m[o]), unit: m[o + 1], hash: m[o + 3] };
    out.push(m[o + 2] !== undefined ? { ...base, note: m[o + 2] } : base);
  }
  return out;
}

/** Text markers only (kept for callers that only handle text). */
export function parseTextMarkers(text: string): ParsedMarker[] {
  return parseMarkers(text).filter((m) => m.kind === 'text');
}
