/**
 * simulate(): a dry run of compress() that also says where the tokens and the waste are and
 * what the request would cost, without calling any model and without touching what the caller
 * holds.
 *
 * - Same options and same pipeline as compress(), so tokens, messages and transforms match a
 *   compress() call on the same input byte for byte.
 * - Nothing the caller holds changes: messages are only read (a deep-frozen input works), and
 *   messages no transform changed come back as the caller's own objects, as with compress().
 * - CCR originals go to `options.store` when one is given, otherwise to a fresh in-memory store
 *   made for this call and returned as `result.store` — never to the process-wide default store,
 *   so a dry run leaves no trace. Markers in the result resolve with
 *   `retrieve(hash, { store: result.store })`.
 */
import type { CCRStore } from '../engine/ccr/types.js';
import { compressPrepared, DEFAULT_TRANSFORMS, validateOptions } from '../engine/compress.js';
import { resolveConfig } from '../engine/config.js';
import { initKernels } from '../engine/kernels/index.js';
import { messageText, type Message } from '../engine/messages/types.js';
import { tryToInternal } from '../engine/messages/index.js';
import type { CompressOptions, CompressResult } from '../engine/options.js';
import { memoizeCounter } from '../engine/pipeline/memo-counter.js';
import type { Transform, TransformReport } from '../engine/pipeline/types.js';
import { blockBreakdown, type BlockBreakdown } from '../engine/simulate/blocks.js';
import { estimateInputCost, simulationCost, stablePrefix, type SimulationCost } from '../engine/simulate/cost.js';
import { collectDecisions, type BlockDecision } from '../engine/simulate/decisions.js';
import { detectWaste, type WasteSignals } from '../engine/simulate/waste.js';
import type { DropCacheCost } from '../engine/transforms/intelligent-context/transform.js';
import { MemoryStore } from './ccr/memory-store.js';
import { clearGrammarRequests, loadRequestedGrammars } from './code/auto.js';
import { prepareModel } from './compress.js';

export type { BlockBreakdown, BlockKind, KindTotals } from '../engine/simulate/blocks.js';
export type { CostEstimate, SimulationCost } from '../engine/simulate/cost.js';
export type { BlockDecision } from '../engine/simulate/decisions.js';
export type { WasteSignals, WasteDetails } from '../engine/simulate/waste.js';
export type { DropCacheCost } from '../engine/transforms/intelligent-context/transform.js';

/** What context management (IntelligentContext or RollingWindow) dropped to fit the budget. */
export interface ContextDropReport {
  readonly transform: 'intelligent_context' | 'rolling_window';
  /** Messages dropped (all retrievable through `ccrHash`). */
  readonly dropped: number;
  readonly droppedTokens: number;
  readonly ccrHash: string;
  /** Index of the marker message in `messages`. */
  readonly markerIndex: number;
  /** What the drop cost the provider's prompt cache (IntelligentContext only). */
  readonly cache?: DropCacheCost;
}

export interface SimulateResult<M = unknown> extends CompressResult<M> {
  /** One entry per block a compressor looked at: content type, compressor, tokens before/after. */
  decisions: BlockDecision[];
  /** Where the input wastes tokens (counted on the input, each token under one signal). */
  waste: WasteSignals;
  /** Tokens by block kind, before and after. */
  breakdown: { before: BlockBreakdown; after: BlockBreakdown };
  /** Input cost per request before and after, under the model's list prices (output not included: compression does not change it). */
  cost: SimulationCost;
  /** What context management dropped, or null when nothing had to go. */
  contextDrop: ContextDropReport | null;
  /** Each transform's report, in pipeline order (transforms that were disabled are absent). */
  reports: TransformReport[];
  /** Where the originals of lossy changes were written (`options.store`, or a store made for this call). */
  store: CCRStore;
}

function contextDrop(reports: ReadonlyArray<TransformReport>, out: ReadonlyArray<Message>): ContextDropReport | null {
  for (const r of reports) {
    if (r.name !== 'intelligent_context' && r.name !== 'rolling_window') continue;
    const d = r.details as Record<string, unknown> | undefined;
    if (!d || typeof d.dropped !== 'number' || typeof d.ccrHash !== 'string') continue;
    const hash = d.ccrHash;
    const markerIndex = typeof d.markerIndex === 'number' ? d.markerIndex : out.findIndex((m) => messageText(m).includes(`hash=${hash}`));
    const base = {
      transform: r.name,
      dropped: d.dropped,
      droppedTokens: typeof d.droppedTokens === 'number' ? d.droppedTokens : 0,
      ccrHash: hash,
      markerIndex,
    } as const;
    return d.cache && typeof d.cache === 'object' ? { ...base, cache: d.cache as DropCacheCost } : base;
  }
  return null;
}

/**
 * Preview what compress() would do, with waste signals, a token breakdown by block kind and the
 * input cost before and after.
 *
 * @example
 * ```ts
 * import { simulate } from 'headroom-wasm';
 * const plan = await simulate(messages, { model: 'gpt-4o' });
 * console.log(`${plan.tokensBefore} → ${plan.tokensAfter} tokens, $${plan.cost.savedUSD.toFixed(4)} saved per request`);
 * console.log(`JSON bloat ${plan.waste.jsonBloatTokens}, repetition ${plan.waste.repetitionTokens}`);
 * ```
 *
 * Accepts exactly compress()'s options. Throws what compress() throws (ConfigurationError for
 * invalid options, ProviderError for a forced format that cannot express the input, anything
 * with `strict`); otherwise unreadable input passes through with a warning.
 */
export async function simulate<M>(messages: M[], options?: CompressOptions): Promise<SimulateResult<M>> {
  const opts = validateOptions(options);
  const warnings: string[] = [];
  const prepared = await prepareModel(opts, warnings);
  await initKernels().catch((err: unknown) => {
    warnings.push(`WASM kernels unavailable, using the TypeScript fallback: ${(err as Error)?.message ?? String(err)}`);
  });

  // The default pipeline, each transform wrapped to keep its report and the final messages.
  const reports: TransformReport[] = [];
  let finalMessages: ReadonlyArray<Message> | null = null;
  const transforms: Transform[] = DEFAULT_TRANSFORMS.map((t) => ({
    name: t.name,
    isEnabled: (config) => t.isEnabled(config),
    apply(input, ctx) {
      const out = t.apply(input, ctx);
      reports.push(out.report);
      finalMessages = out.messages;
      return out;
    },
  }));
  const mark = warnings.length;
  clearGrammarRequests();
  let run = compressPrepared(messages, opts, prepared, warnings, transforms);
  // As compress(): load the grammars code that passed the gates needs, and run again.
  const grammarWarnings: string[] = [];
  for (let round = 0; round < 3 && (await loadRequestedGrammars(grammarWarnings)); round++) {
    warnings.length = mark;
    reports.length = 0;
    finalMessages = null;
    run = compressPrepared(messages, opts, prepared, warnings, transforms);
  }
  warnings.push(...grammarWarnings);
  const result = run.result;

  const store: CCRStore = opts.store ?? new MemoryStore();
  for (const entry of run.ccrEntries) {
    try {
      await store.put(entry);
    } catch (err) {
      warnings.push(`CCR store failed (${(err as Error)?.message ?? String(err)}); original ${entry.hash} is not retrievable from it`);
    }
  }

  const config = resolveConfig(opts.config);
  const counter = memoizeCounter(prepared.counter);
  let input: ReadonlyArray<Message> = [];
  if (result.format !== null) {
    try {
      input = tryToInternal(messages, result.format)?.messages ?? [];
    } catch {
      input = [];
    }
  }
  const output: ReadonlyArray<Message> = opts.mode === 'audit' ? input : (finalMessages ?? input);
  const drop = contextDrop(reports, output);
  const patterns = config.cacheAligner.dynamicPatterns;
  const before = estimateInputCost(prepared.info.pricing, result.tokensBefore, stablePrefix(input, counter, { dynamicPatterns: patterns }).tokens);
  const after = estimateInputCost(
    prepared.info.pricing,
    result.tokensAfter,
    stablePrefix(output, counter, { dynamicPatterns: patterns, ...(drop && drop.markerIndex >= 0 ? { stopAt: drop.markerIndex } : {}) }).tokens,
  );

  return {
    ...result,
    decisions: collectDecisions(reports),
    waste: detectWaste(input, counter, { dynamicPatterns: patterns }),
    breakdown: { before: blockBreakdown(input, counter), after: blockBreakdown(output, counter) },
    cost: simulationCost(prepared.info, before, after),
    contextDrop: drop,
    reports,
    store,
  };
}
