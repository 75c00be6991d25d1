/**
 * Per-block decisions, read from the transforms' reports. Read defensively: a report's
 * `details` is free-form, so anything that is not an array of plain objects is ignored.
 *
 * - `details.decisions` (the ContentRouter's routing decisions: type, confidence, compressor,
 *   tokens before/after) from any transform, tagged with the transform's name;
 * - SmartCrusher's `details.results` (one per crushed JSON text), as decisions of type 'json'.
 */
import type { TransformReport } from '../pipeline/types.js';

export interface BlockDecision {
  /** Transform that reported it (e.g. 'content_router', 'smart_crusher'). */
  readonly transform: string;
  /** Detected content type, when reported (json, code, search, log, diff, html, text…). */
  readonly type?: string;
  readonly confidence?: number;
  /** Compressor that handled the block, when reported. */
  readonly compressor?: string;
  readonly tokensBefore?: number;
  readonly tokensAfter?: number;
  /** Whatever else the transform reported for the block. */
  readonly [key: string]: unknown;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function collectDecisions(reports: ReadonlyArray<TransformReport>): BlockDecision[] {
  const out: BlockDecision[] = [];
  for (const r of reports) {
    const d = r.details;
    if (!isPlainObject(d)) continue;
    if (Array.isArray(d.decisions)) {
      for (const x of d.decisions) if (isPlainObject(x)) out.push({ ...x, transform: r.name });
    }
    if (r.name === 'smart_crusher' && Array.isArray(d.results)) {
      for (const x of d.results) {
        if (!isPlainObject(x)) continue;
        out.push({ type: 'json', compressor: 'smart_crusher', ...x, transform: r.name });
      }
    }
  }
  return out;
}
