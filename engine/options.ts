/**
 * Options and result of compress(), shared by the engine and the SDK.
 * Names and meanings follow the `headroom-ai` SDK so callers can switch by changing an import.
 */
import type { CCRStore } from './ccr/types.js';
import type { HeadroomConfig } from './config.js';
import type { MessageFormat } from './messages/types.js';
import type { ModelOverrides, Provider } from './models/types.js';
import type { ToolProfile } from './transforms/smart-crusher/config.js';

export type { ToolProfile } from './transforms/smart-crusher/config.js';

export type CompressMode = 'optimize' | 'audit';

export interface CompressOptions {
  /** Model the messages are for: picks the tokenizer, context limit and prices. Default `'gpt-4o'`. */
  model?: string;
  /** Prompt tokens the result must fit. Default: the model's context limit minus its output buffer. */
  tokenBudget?: number;
  /** `'optimize'` (default) applies transforms; `'audit'` only measures and returns the input unchanged. */
  mode?: CompressMode;
  /** Per-transform settings. */
  config?: HeadroomConfig;
  /** Where originals of lossy changes go. Default: a process-wide in-memory store. */
  store?: CCRStore;
  /** Force the message format instead of detecting it. */
  format?: MessageFormat;
  /** Re-raise failures inside transforms (as TransformError) instead of passing content through. Default false. */
  strict?: boolean;
  /** Context limits and prices for models the registry does not know, or corrections. */
  modelOverrides?: ModelOverrides;
  /**
   * The request's tools, in the messages' format (an array; for the Vercel AI SDK the `{ name: tool }` map).
   * When the output carries CCR markers, `result.tools` is this list plus `headroom_retrieve`.
   */
  tools?: unknown[] | Record<string, unknown>;
  /**
   * Add `headroom_retrieve` to `result.tools` whenever the messages carry CCR markers (from this call
   * or an earlier one, so the tool list stays stable across turns). Default true. With false, the
   * caller must offer retrieval some other way, or markers cannot be resolved by the model.
   */
  injectRetrieveTool?: boolean;
  /** Per-tool SmartCrusher settings, keyed by tool name: `skip` its results, or keep exactly `maxItems` per array (errors and anomalies are still never dropped). */
  toolProfiles?: Record<string, ToolProfile>;
  /** Accepted for `headroom-ai` compatibility and ignored: this SDK runs in-process. */
  baseUrl?: string;
  /** Accepted for `headroom-ai` compatibility and ignored. */
  apiKey?: string;
  /** Accepted for `headroom-ai` compatibility and ignored (no network call is made). */
  timeout?: number;
  /** Accepted for `headroom-ai` compatibility and ignored: failures always fall back to the input. */
  fallback?: boolean;
  /** Accepted for `headroom-ai` compatibility and ignored. */
  retries?: number;
}

export interface CompressResult<M = unknown> {
  /** The messages, in the caller's format. Unedited messages are the caller's own objects. */
  messages: M[];
  tokensBefore: number;
  tokensAfter: number;
  /** tokensBefore − tokensAfter (negative if alignment added a few tokens). */
  tokensSaved: number;
  /** tokensAfter / tokensBefore, as in the `headroom-ai` wire format: 1 means nothing saved. */
  compressionRatio: number;
  /** Percentage of input tokens saved, 0–100 (negative if the output grew). */
  savingsPercent: number;
  /** What each transform did, e.g. `cache_align:moved=1`, `rolling_window:dropped=4`. */
  transformsApplied: string[];
  /** Every CCR hash emitted in the output; each retrieves its original from the store. */
  ccrHashes: string[];
  /** True when any transform changed the messages. */
  compressed: boolean;
  /** Why something was skipped or estimated; never fatal. */
  warnings: string[];
  /** Detected (or forced) message format; null when the input could not be read and passed through. */
  format: MessageFormat | null;
  /** Resolved model facts used for counting and budgeting. */
  model: { id: string; canonical: string; provider: Provider; contextLimit: number };
  /** `'exact'` BPE counts, or `'estimate'` (chars-per-token) for models without a public tokenizer. */
  tokenCounting: 'exact' | 'estimate';
  /** The prompt budget applied. */
  tokenBudget: number;
  /** True when tokensAfter ≤ tokenBudget. */
  fitsBudget: boolean;
  /**
   * The tools to send with the request: `options.tools` plus `headroom_retrieve` when markers are
   * present (see `injectRetrieveTool`); `options.tools` unchanged otherwise; undefined if neither.
   */
  tools?: unknown[] | Record<string, unknown>;
  /** Hash of the system prompts' stable part (changes only when their static content changes); null without system prompts or CacheAligner. */
  stablePrefixHash: string | null;
}
