/**
 * The text marker every lossy text transform emits where it removed content.
 * One format, one parser: `[headroom: 14 messages omitted (12,345 tokens). Retrieve: hash=<24 hex>]`.
 * The hash is a CCR key (see hash.ts); the count is in the source's own units.
 */
import { CCR_HASH_LENGTH } from './hash.js';

export interface TextMarker {
  readonly count: number;
  /** Unit of `count`, plural noun: messages, lines, items, matches... */
  readonly unit: string;
  readonly hash: string;
  /** Optional short note inside the parentheses (no brackets). */
  readonly note?: string;
}

export function formatTextMarker(m: TextMarker): string {
  const note = m.note ? ` (${m.note.replace(/[\[\]]/g, '')})` : '';
  return `[headroom: ${m.count} ${m.unit} omitted${note}. Retrieve: hash=${m.hash}]`;
}

const MARKER_RE = new RegExp(
  String.raw`\[headroom: (\d+) ([A-Za-z_]+) omitted(?: \(([^\]\)]*)\))?\. Retrieve: hash=([0-9a-f]{${CCR_HASH_LENGTH}})\]`,
  'g',
);

/** Every text marker in `text`, in order. */
export function parseTextMarkers(text: string): TextMarker[] {
  const out: TextMarker[] = [];
  for (const m of text.matchAll(MARKER_RE)) {
    const marker: TextMarker = { count: Number(m[1]), unit: m[2], hash: m[4] };
    out.push(m[3] !== undefined ? { ...marker, note: m[3] } : marker);
  }
  return out;
}
