import type { CCREntry } from '../ccr/types.js';
import { TransformError } from '../errors.js';
import type { Message } from '../messages/types.js';
import type { PipelineContext, Transform, TransformReport } from './types.js';

export interface PipelineResult {
  readonly messages: ReadonlyArray<Message>;
  readonly reports: ReadonlyArray<TransformReport>;
  /** Originals recorded by transforms that succeeded, in emission order. */
  readonly ccrEntries: ReadonlyArray<CCREntry>;
}

export interface RunOptions {
  /** Re-raise transform failures as TransformError instead of passing the input through. */
  readonly strict?: boolean;
}

/**
 * Run transforms in order. A transform that throws is skipped: its input passes through,
 * anything it recorded for CCR is discarded (its markers were never emitted), and a warning
 * names it — unless `strict`, where a TransformError carries the cause.
 */
export function runPipeline(
  input: ReadonlyArray<Message>,
  transforms: ReadonlyArray<Transform>,
  ctx: Omit<PipelineContext, 'ccr'>,
  opts: RunOptions = {},
): PipelineResult {
  let messages = input;
  const reports: TransformReport[] = [];
  const committed: CCREntry[] = [];
  for (const t of transforms) {
    if (!t.isEnabled(ctx.config)) continue;
    const pending: CCREntry[] = [];
    const full: PipelineContext = { ...ctx, ccr: { record: (e) => void pending.push(e) }, warn: ctx.warn };
    try {
      const out = t.apply(messages, full);
      messages = out.messages;
      reports.push(out.report);
      committed.push(...pending);
    } catch (err) {
      if (opts.strict) {
        throw new TransformError(`Transform ${t.name} failed: ${(err as Error)?.message ?? String(err)}`, {
          transform: t.name,
          cause: err,
        });
      }
      ctx.warn(`${t.name} failed and was skipped (content passed through unchanged): ${(err as Error)?.message ?? String(err)}`);
    }
  }
  return { messages, reports, ccrEntries: committed };
}
