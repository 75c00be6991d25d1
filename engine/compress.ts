/**
 * The synchronous core of compress(): read messages into the internal form, run the
 * transforms, write them back, measure. Everything async (loading BPE ranks and kernels,
 * persisting CCR originals) happens in sdk/ before and after this.
 */
import type { CCREntry } from './ccr/types.js';
import { parseMarkers } from './ccr/markers.js';
import { addRetrieveTool, type RetrieveToolFormat } from './ccr/retrieve-tool.js';
import { resolveConfig, describe } from './config.js';
import { ConfigurationError, HeadroomError, TransformError } from './errors.js';
import { fromInternal, tryToInternal } from './messages/index.js';
import { blockText, type Message, type MessageFormat } from './messages/types.js';
import type { ModelInfo } from './models/types.js';
import type { CompressOptions, CompressResult } from './options.js';
import { runPipeline } from './pipeline/run.js';
import type { Transform } from './pipeline/types.js';
import { memoizeCounter } from './pipeline/memo-counter.js';
import type { TokenCounter } from './tokenizer/types.js';
import { cacheAligner } from './transforms/cache-aligner.js';
import { intelligentContext } from './transforms/intelligent-context/transform.js';
import { contentRouter } from './transforms/router/transform.js';
import { validateToolProfiles } from './transforms/smart-crusher/config.js';

/**
 * The default pipeline, in order. Context management comes last: `intelligentContext` (or
 * RollingWindow, with `intelligentContext.enabled: false`) drops only what compression left over budget.
 */
export const DEFAULT_TRANSFORMS: ReadonlyArray<Transform> = [cacheAligner, contentRouter, intelligentContext];

const FORMATS: ReadonlyArray<MessageFormat> = ['openai', 'anthropic', 'vercel', 'gemini'];

/** Throws ConfigurationError listing every invalid option. Unknown keys are allowed (forward compatibility). */
export function validateOptions(options: unknown): CompressOptions {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new ConfigurationError(`options must be an object (got ${describe(options)})`, { field: 'options' });
  }
  const o = options as Record<string, unknown>;
  const problems: string[] = [];
  if (o.model !== undefined && (typeof o.model !== 'string' || o.model.trim() === '')) {
    problems.push(`model must be a non-empty string (got ${describe(o.model)})`);
  }
  if (o.tokenBudget !== undefined && (typeof o.tokenBudget !== 'number' || !Number.isInteger(o.tokenBudget) || o.tokenBudget <= 0)) {
    problems.push(`tokenBudget must be a positive integer (got ${describe(o.tokenBudget)})`);
  }
  if (o.mode !== undefined && o.mode !== 'optimize' && o.mode !== 'audit') {
    problems.push(`mode must be 'optimize' or 'audit' (got ${describe(o.mode)})`);
  }
  if (o.format !== undefined && !FORMATS.includes(o.format as MessageFormat)) {
    problems.push(`format must be one of ${FORMATS.join(', ')} (got ${describe(o.format)})`);
  }
  if (o.strict !== undefined && typeof o.strict !== 'boolean') problems.push(`strict must be a boolean (got ${describe(o.strict)})`);
  problems.push(...validateToolProfiles(o.toolProfiles));
  if (o.injectRetrieveTool !== undefined && typeof o.injectRetrieveTool !== 'boolean') {
    problems.push(`injectRetrieveTool must be a boolean (got ${describe(o.injectRetrieveTool)})`);
  }
  if (o.tools !== undefined && (o.tools === null || typeof o.tools !== 'object')) {
    problems.push(`tools must be an array (or the Vercel AI SDK's { name: tool } map) (got ${describe(o.tools)})`);
  }
  if (o.store !== undefined) {
    const s = o.store as { put?: unknown; get?: unknown } | null;
    if (s === null || typeof s !== 'object' || typeof s.put !== 'function' || typeof s.get !== 'function') {
      problems.push('store must implement CCRStore (put(entry) and get(hash))');
    }
  }
  if (problems.length > 0) throw new ConfigurationError(`Invalid compress() options: ${problems.join('; ')}`, { problems });
  // Config problems are reported with their own paths.
  resolveConfig(o.config);
  return o as CompressOptions;
}

export interface PreparedModel {
  readonly info: ModelInfo;
  readonly counter: TokenCounter;
}

export interface EngineRun<M> {
  readonly result: CompressResult<M>;
  /** Originals to persist before the result is handed to the caller. */
  readonly ccrEntries: ReadonlyArray<CCREntry>;
}

function safeStringify(v: unknown): string {
  try {
    return JSON.stringify(v) ?? '';
  } catch {
    return String(v);
  }
}

function finish<M>(
  messages: M[],
  before: number,
  after: number,
  prepared: PreparedModel,
  budget: number,
  extra: Pick<CompressResult<M>, 'tools' | 'transformsApplied' | 'ccrHashes' | 'compressed' | 'warnings' | 'format' | 'stablePrefixHash'>,
): CompressResult<M> {
  const ratio = before === 0 ? 1 : after / before;
  return {
    messages,
    tokensBefore: before,
    tokensAfter: after,
    tokensSaved: before - after,
    compressionRatio: ratio,
    savingsPercent: before === 0 ? 0 : (1 - ratio) * 100,
    ...extra,
    model: {
      id: prepared.info.id,
      canonical: prepared.info.canonical,
      provider: prepared.info.provider,
      contextLimit: prepared.info.contextLimit,
    },
    tokenCounting: prepared.counter.exact ? 'exact' : 'estimate',
    tokenBudget: budget,
    fitsBudget: after <= budget,
  };
}

/** True when any text the model will see carries a CCR marker. */
function carriesMarkers(messages: ReadonlyArray<Message>): boolean {
  // Block by block: no joined copy of every message's text.
  for (const m of messages) for (const b of m.blocks) if (parseMarkers(blockText(b)).length > 0) return true;
  return false;
}

/**
 * The tools to send: the caller's plus `headroom_retrieve` whenever markers are in the messages.
 * Sticky by construction: markers from earlier turns stay in the history, so the tool stays.
 */
function toolsFor(options: CompressOptions, format: MessageFormat, messages: ReadonlyArray<Message>, warnings: string[]) {
  if (options.injectRetrieveTool === false || !carriesMarkers(messages)) return options.tools;
  try {
    return addRetrieveTool(options.tools as never, format as RetrieveToolFormat);
  } catch (err) {
    warnings.push(`headroom_retrieve could not be added to tools (${(err as Error).message}); add it yourself so markers can be resolved`);
    return options.tools;
  }
}

/**
 * Compress with a model whose counter is ready. `options` must have been validated.
 * Never throws on bad data: unreadable messages pass through with a warning. Throws only
 * for impossible requests (a forced format that cannot express the input) or, with
 * `strict`, for any failure.
 */
export function compressPrepared<M>(
  messages: M[],
  options: CompressOptions,
  prepared: PreparedModel,
  warnings: string[],
  transforms: ReadonlyArray<Transform> = DEFAULT_TRANSFORMS,
): EngineRun<M> {
  const config = resolveConfig(options.config);
  const outputBuffer = config.intelligentContext.outputBufferTokens ?? config.rollingWindow.outputBufferTokens ?? prepared.info.outputBuffer;
  const budget = options.tokenBudget ?? Math.max(1, prepared.info.contextLimit - outputBuffer);
  const counter = memoizeCounter(prepared.counter);
  const passthrough = (reason: string | null, format: MessageFormat | null, tokens?: number): EngineRun<M> => {
    if (reason) warnings.push(reason);
    const t = tokens ?? counter.countText(safeStringify(messages));
    return {
      result: finish(messages, t, t, prepared, budget, {
        tools: options.tools,
        transformsApplied: [],
        ccrHashes: [],
        compressed: false,
        warnings,
        format,
        stablePrefixHash: null,
      }),
      ccrEntries: [],
    };
  };

  if (!Array.isArray(messages)) return passthrough('messages is not an array; passed through unchanged', null);
  // A forced format that cannot express the input is the caller's mistake: tryToInternal throws ProviderError.
  const read = tryToInternal(messages, options.format);
  if (read === null) return passthrough('messages are not in a recognised format (OpenAI, Anthropic, Vercel AI, Gemini); passed through unchanged', null);

  const internal: ReadonlyArray<Message> = read.messages;
  const before = counter.countMessages(internal);
  if (options.mode === 'audit') return passthrough(null, read.format, before);

  const run = runPipeline(
    internal,
    transforms,
    { model: prepared.info, counter, tokenBudget: budget, config, toolProfiles: options.toolProfiles, warn: (w) => void warnings.push(w) },
    { strict: options.strict ?? false },
  );
  let out: M[];
  try {
    out = fromInternal(run.messages, read.format) as M[];
  } catch (err) {
    if (options.strict || err instanceof HeadroomError) {
      throw err instanceof HeadroomError ? err : new TransformError(`Writing messages back failed: ${(err as Error).message}`, { cause: err });
    }
    return passthrough(`writing messages back as ${read.format} failed (${(err as Error).message}); passed through unchanged`, read.format, before);
  }
  const after = counter.countMessages(run.messages);
  const align = run.reports.find((r) => r.name === 'cache_aligner');
  const hashes = [...new Set(run.ccrEntries.map((e) => e.hash))];
  return {
    result: finish(out, before, after, prepared, budget, {
      tools: toolsFor(options, read.format, run.messages, warnings),
      transformsApplied: run.reports.flatMap((r) => r.applied),
      ccrHashes: hashes,
      compressed: run.messages !== internal && run.messages.some((m, i) => m !== internal[i]) || run.messages.length !== internal.length,
      warnings,
      format: read.format,
      stablePrefixHash: (align?.details?.prefixHash as string | null | undefined) ?? null,
    }),
    ccrEntries: run.ccrEntries,
  };
}
