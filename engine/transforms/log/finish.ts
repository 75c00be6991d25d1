/**
 * The last step every line compressor shares (log, search, diff): put the one CCR marker at
 * the end, keep the result only if it is smaller in tokens, record the byte-exact original
 * BEFORE returning output that names its hash, and recognise already-compressed text.
 */
import { ccrHash } from '../../ccr/hash.js';
import { formatTextMarker, parseTextMarkers } from '../../ccr/markers.js';
import { unchanged, type CompressorDeps, type CompressorOutput } from '../compressor.js';
import type { LineWriter } from './lines.js';

/** True when the text already carries a headroom text marker (our own output, or any compressor's). */
export function hasMarker(text: string): boolean {
  return text.includes('[headroom: ') && parseTextMarkers(text).length > 0;
}

export interface LossyResult {
  /** The exact input text. */
  readonly text: string;
  readonly source: 'log' | 'search' | 'diff';
  readonly writer: LineWriter;
  /** How many source units were left out (lines, matches...). */
  readonly omitted: number;
  /** Plural unit of `omitted`. */
  readonly unit: string;
  /** What was left out, for the marker's parentheses. */
  readonly note: string;
  readonly labels: ReadonlyArray<string>;
  readonly meta?: Readonly<Record<string, unknown>>;
}

/** Seals a lossy result: marker, token check, CCR record (before the output is handed out). */
export function finishLossy(r: LossyResult, deps: CompressorDeps): CompressorOutput {
  const { text } = r;
  if (r.omitted <= 0) return unchanged(text, `${r.source}: nothing to omit`);
  const hash = ccrHash(text);
  const output = r.writer.finish(formatTextMarker({ count: r.omitted, unit: r.unit, hash, note: r.note }));
  if (deps.counter.countText(output) >= deps.counter.countText(text)) return unchanged(text, `${r.source}: compressed form is not smaller`);
  deps.ccr.record(r.meta ? { hash, content: text, source: r.source, meta: r.meta } : { hash, content: text, source: r.source });
  return { changed: true, output, labels: r.labels, hashes: [hash] };
}
