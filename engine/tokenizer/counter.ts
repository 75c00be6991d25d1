/**
 * Token counters per model.
 *
 * - OpenAI models (tokenizer o200k_base / cl100k_base in the registry): exact BPE counts once the
 *   encoding's ranks are loaded (`getTokenCounter` loads them; `getLoadedTokenCounter` is the
 *   synchronous variant for code that already awaited a load or holds the ranks).
 * - Claude, Gemini, unknown models: the calibrated estimator (`exact: false`).
 *
 * Warnings: a counter carries `warnings` (string[]) — why it is not exact when it should be
 * (ranks failed to load / not loaded yet) and how the model name was resolved (pattern or
 * fallback). Empty when there is nothing to report. With `requireExact: true` those cases throw
 * `TokenizationError` instead of falling back.
 */

import { TokenizationError } from '../errors.js';
import type { Message } from '../messages/types.js';
import { resolveModel } from '../models/resolve.js';
import type { ModelInfo, ModelOverrides } from '../models/types.js';
import type { BpeCore, BpeRanksData } from './bpe.js';
import { getLoadedEncoding, isEncodingName, loadEncoding, registerEncodingRanks } from './encodings.js';
import { estimateFromStats, textStats, type EstimatorProfile } from './estimator.js';
import { CountMemo, type MemoOptions } from './memo.js';
import { countMessagesWith, countMessageWith, type MessageBilling } from './messages.js';
import type { EncodingName, TokenCounter } from './types.js';

export interface TokenCounterOptions {
  /**
   * Throw `TokenizationError` instead of falling back to the estimator when exact counts are not
   * available: ranks fail to load, are not loaded (sync variant), or the model has no public
   * tokenizer (Claude, Gemini, unknown).
   */
  readonly requireExact?: boolean;
  /**
   * Rank data to use instead of a dynamic import — the default export of
   * `js-tiktoken/ranks/o200k_base` (or cl100k_base). Either one rank object (used for the model's
   * encoding) or a map by encoding name. For hosts without dynamic `import()` (MV3 service workers).
   */
  readonly ranks?: BpeRanksData | Partial<Record<EncodingName, BpeRanksData>>;
  /** Overrides used when `model` is a name (see resolveModel). */
  readonly modelOverrides?: ModelOverrides;
  /** Memoize `countText` for large strings (default on); `false` disables. */
  readonly memo?: boolean | MemoOptions;
}

/** A TokenCounter with its resolved model and diagnostics. */
export interface ModelTokenCounter extends TokenCounter {
  readonly info: ModelInfo;
  readonly warnings: ReadonlyArray<string>;
  /** Estimator profile used when `exact` is false, null for exact counters. */
  readonly profile: EstimatorProfile | null;
}

function billingFor(info: ModelInfo): MessageBilling {
  switch (info.provider) {
    case 'anthropic':
      return 'anthropic';
    case 'google':
      return 'google';
    default:
      return 'openai';
  }
}

function profileFor(info: ModelInfo): EstimatorProfile {
  if (info.tokenizer !== 'estimate') return info.tokenizer;
  switch (info.provider) {
    case 'anthropic':
      return 'claude';
    case 'google':
      return 'gemini';
    case 'openai':
      return 'o200k_base';
    default:
      return 'unknown';
  }
}

class Counter implements ModelTokenCounter {
  readonly model: string;
  readonly encoding: EncodingName | null;
  readonly exact: boolean;
  readonly profile: EstimatorProfile | null;
  readonly info: ModelInfo;
  readonly warnings: ReadonlyArray<string>;
  private readonly raw: (text: string) => number;
  private readonly memo: CountMemo | null;
  private readonly tiny = new Map<string, number>();
  private readonly billing: MessageBilling;
  private readonly boundCount: (text: string) => number;

  constructor(info: ModelInfo, core: BpeCore | null, profile: EstimatorProfile, warnings: string[], memo: boolean | MemoOptions | undefined) {
    this.info = info;
    this.model = info.id;
    this.encoding = core ? core.encoding : null;
    this.exact = core !== null;
    this.profile = core ? null : profile;
    this.warnings = Object.freeze([...warnings]);
    this.billing = billingFor(info);
    this.raw = core ? (t) => core.count(t) : (t) => (t.length === 0 ? 0 : estimateFromStats(textStats(t), profile));
    this.memo = memo === false ? null : new CountMemo(memo === true || memo === undefined ? {} : memo);
    this.boundCount = (t) => this.countText(t);
  }

  countText(text: string): number {
    if (typeof text !== 'string' || text.length === 0) return 0;
    if (this.memo === null) return this.raw(text);
    if (text.length <= 16) {
      // Roles, names, 'tool': counted for every message; a plain Map answers them.
      let n = this.tiny.get(text);
      if (n === undefined) {
        n = this.raw(text);
        if (this.tiny.size >= 1024) this.tiny.clear();
        this.tiny.set(text, n);
      }
      return n;
    }
    return this.memo.count(text, this.raw);
  }

  countMessage(message: Message): number {
    return countMessageWith(message, this.boundCount, this.billing);
  }

  countMessages(messages: ReadonlyArray<Message>): number {
    return countMessagesWith(messages, this.boundCount, this.billing);
  }
}

function pickRanks(opts: TokenCounterOptions | undefined, enc: EncodingName): BpeRanksData | undefined {
  const r = opts?.ranks;
  if (!r) return undefined;
  if (typeof (r as BpeRanksData).bpe_ranks === 'string') return r as BpeRanksData;
  return (r as Partial<Record<EncodingName, BpeRanksData>>)[enc];
}

function isModelInfo(x: unknown): x is ModelInfo {
  return typeof x === 'object' && x !== null && typeof (x as ModelInfo).id === 'string' && typeof (x as ModelInfo).tokenizer === 'string';
}

function resolveInfo(model: string | ModelInfo, opts: TokenCounterOptions | undefined): { info: ModelInfo; warnings: string[] } {
  if (isModelInfo(model)) return { info: model, warnings: [] };
  // a name — or anything else a JS caller passed, resolved by its string form (→ fallback + warning)
  return resolveModel(typeof model === 'string' ? model : String(model), opts?.modelOverrides);
}

function estimateOnly(info: ModelInfo, warnings: string[], opts: TokenCounterOptions | undefined): ModelTokenCounter {
  const profile = profileFor(info);
  if (opts?.requireExact) {
    throw new TokenizationError(
      `requireExact: no exact tokenizer for '${info.id}' (${info.provider}); exact counts exist only for OpenAI encodings (o200k_base, cl100k_base).`,
      { model: info.id, provider: info.provider },
    );
  }
  return new Counter(info, null, profile, warnings, opts?.memo);
}

function fallback(info: ModelInfo, enc: EncodingName, reason: string, warnings: string[], opts: TokenCounterOptions | undefined, cause?: unknown): ModelTokenCounter {
  if (opts?.requireExact) {
    throw new TokenizationError(`requireExact: ${reason}`, { model: info.id, encoding: enc, cause: cause instanceof Error ? cause.message : cause });
  }
  warnings.push(`${reason} Using the calibrated ${enc} estimate (typically within ±10 %).`);
  return new Counter(info, null, enc, warnings, opts?.memo);
}

/**
 * A counter for `model` (a name, resolved with `resolveModel`, or a ModelInfo). Loads the BPE
 * ranks it needs (once per realm). Never rejects unless `requireExact` is set or
 * `modelOverrides` is invalid (`ConfigurationError`).
 */
export async function getTokenCounter(model: string | ModelInfo, opts?: TokenCounterOptions): Promise<ModelTokenCounter> {
  const { info, warnings } = resolveInfo(model, opts);
  const enc = info.tokenizer;
  if (!isEncodingName(enc)) return estimateOnly(info, warnings, opts);
  let core: BpeCore | undefined = getLoadedEncoding(enc);
  if (!core) {
    const supplied = pickRanks(opts, enc);
    try {
      core = supplied ? registerEncodingRanks(enc, supplied) : await loadEncoding(enc);
    } catch (err) {
      return fallback(info, enc, `${(err as Error).message ?? String(err)}.`, warnings, opts, err);
    }
  }
  return new Counter(info, core, enc, warnings, opts?.memo);
}

/**
 * Synchronous variant: exact when the encoding is already loaded (an earlier `getTokenCounter`,
 * `loadEncoding`, `preloadEncodings`) or `opts.ranks` supplies it; otherwise the estimator with a
 * warning (or `TokenizationError` with `requireExact`).
 */
export function getLoadedTokenCounter(model: string | ModelInfo, opts?: TokenCounterOptions): ModelTokenCounter {
  const { info, warnings } = resolveInfo(model, opts);
  const enc = info.tokenizer;
  if (!isEncodingName(enc)) return estimateOnly(info, warnings, opts);
  let core = getLoadedEncoding(enc);
  if (!core) {
    const supplied = pickRanks(opts, enc);
    if (supplied) {
      try {
        core = registerEncodingRanks(enc, supplied);
      } catch (err) {
        return fallback(info, enc, `${(err as Error).message}.`, warnings, opts, err);
      }
    } else {
      return fallback(info, enc, `${enc} ranks are not loaded (call getTokenCounter() or loadEncoding('${enc}') first, or pass opts.ranks).`, warnings, opts);
    }
  }
  return new Counter(info, core, enc, warnings, opts?.memo);
}

/** An estimating counter for `model`, never loading ranks (cheap previews, workers without ranks). */
export function getEstimatingCounter(model: string | ModelInfo, opts?: Omit<TokenCounterOptions, 'requireExact' | 'ranks'>): ModelTokenCounter {
  const { info, warnings } = resolveInfo(model, opts);
  return new Counter(info, null, profileFor(info), warnings, opts?.memo);
}
