import type { EncodingName } from '../tokenizer/types.js';

export type Provider = 'openai' | 'anthropic' | 'google' | 'unknown';

/** USD per 1M tokens. */
export interface ModelPricing {
  readonly input: number;
  readonly output: number;
  readonly cachedInput: number;
}

export interface ModelInfo {
  /** The name the caller asked for. */
  readonly id: string;
  /** The registry entry it resolved to (equal to id for exact hits). */
  readonly canonical: string;
  readonly provider: Provider;
  /** Context window in tokens. */
  readonly contextLimit: number;
  /** Output tokens reserved when sizing the prompt budget. */
  readonly outputBuffer: number;
  /** Largest reply the model can produce (registry figure; absent for user-defined models without one). */
  readonly maxOutputTokens?: number;
  readonly pricing: ModelPricing;
  /** BPE encoding for exact counts, or 'estimate'. */
  readonly tokenizer: EncodingName | 'estimate';
  /** How the entry was found. */
  readonly match: 'exact' | 'override' | 'pattern' | 'fallback';
}

/** User overrides, keyed by model name (exact) — partial entries merge over the registry. */
export type ModelOverrides = Record<string, Partial<Omit<ModelInfo, 'id' | 'canonical' | 'match'>>>;
