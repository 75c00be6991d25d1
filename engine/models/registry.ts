/**
 * Model registry: context windows, output reservations, list prices and tokenizers.
 *
 * PRICES CHANGE. Figures are the providers' public list prices (USD per 1M tokens, standard
 * tier, prompts ≤ 200k tokens where a long-context surcharge exists) as of `PRICES_AS_OF`.
 * `cachedInput` is the prompt-cache read price (OpenAI cached input, Anthropic cache read —
 * cache *writes* cost 1.25× input there and are not modelled, Gemini context-cache read);
 * models without caching use their input price. Batch discounts and Gemini/Anthropic
 * long-context surcharges (> 200k prompt tokens) are not modelled. Override anything with
 * `modelOverrides` or `HEADROOM_MODEL_LIMITS`.
 *
 * `outputBuffer` (tokens kept free for the reply when sizing the prompt budget) defaults to
 * min(max output, 32 768, context / 4). GPT-5 models reserve their full 128 000 output because
 * the API caps their input at 272 000 of the 400 000 window.
 */

import type { ModelInfo, ModelPricing, Provider } from './types.js';
import type { EncodingName } from '../tokenizer/types.js';

/** Date the prices and limits below were last checked. */
export const PRICES_AS_OF = '2025-12-01';

export interface RegistryEntry {
  readonly provider: Provider;
  readonly contextLimit: number;
  readonly maxOutputTokens: number;
  readonly outputBuffer: number;
  readonly pricing: ModelPricing;
  readonly tokenizer: EncodingName | 'estimate';
}

type Row = [
  provider: Provider,
  context: number,
  maxOutput: number,
  input: number,
  output: number,
  cachedInput: number | null,
  tokenizer: EncodingName | 'estimate',
  outputBuffer?: number,
];

const O = 'openai' as const;
const A = 'anthropic' as const;
const G = 'google' as const;
const O200K = 'o200k_base' as const;
const CL100K = 'cl100k_base' as const;
const EST = 'estimate' as const;

const ROWS: Record<string, Row> = {
  // ---- OpenAI ------------------------------------------------------------------------------
  'gpt-5': [O, 400_000, 128_000, 1.25, 10, 0.125, O200K, 128_000],
  'gpt-5-mini': [O, 400_000, 128_000, 0.25, 2, 0.025, O200K, 128_000],
  'gpt-5-nano': [O, 400_000, 128_000, 0.05, 0.4, 0.005, O200K, 128_000],
  'gpt-5-chat-latest': [O, 128_000, 16_384, 1.25, 10, 0.125, O200K],
  'gpt-5-codex': [O, 400_000, 128_000, 1.25, 10, 0.125, O200K, 128_000],
  'gpt-5.1': [O, 400_000, 128_000, 1.25, 10, 0.125, O200K, 128_000],
  'gpt-4.1': [O, 1_047_576, 32_768, 2, 8, 0.5, O200K],
  'gpt-4.1-mini': [O, 1_047_576, 32_768, 0.4, 1.6, 0.1, O200K],
  'gpt-4.1-nano': [O, 1_047_576, 32_768, 0.1, 0.4, 0.025, O200K],
  'gpt-4.5-preview': [O, 128_000, 16_384, 75, 150, 37.5, O200K],
  'gpt-4o': [O, 128_000, 16_384, 2.5, 10, 1.25, O200K],
  'gpt-4o-2024-05-13': [O, 128_000, 4_096, 5, 15, null, O200K],
  'chatgpt-4o-latest': [O, 128_000, 16_384, 5, 15, null, O200K],
  'gpt-4o-mini': [O, 128_000, 16_384, 0.15, 0.6, 0.075, O200K],
  o1: [O, 200_000, 100_000, 15, 60, 7.5, O200K],
  'o1-preview': [O, 128_000, 32_768, 15, 60, 7.5, O200K],
  'o1-mini': [O, 128_000, 65_536, 1.1, 4.4, 0.55, O200K],
  'o1-pro': [O, 200_000, 100_000, 150, 600, null, O200K],
  o3: [O, 200_000, 100_000, 2, 8, 0.5, O200K],
  'o3-pro': [O, 200_000, 100_000, 20, 80, null, O200K],
  'o3-mini': [O, 200_000, 100_000, 1.1, 4.4, 0.55, O200K],
  'o4-mini': [O, 200_000, 100_000, 1.1, 4.4, 0.275, O200K],
  'gpt-4-turbo': [O, 128_000, 4_096, 10, 30, null, CL100K],
  'gpt-4': [O, 8_192, 8_192, 30, 60, null, CL100K],
  'gpt-4-32k': [O, 32_768, 8_192, 60, 120, null, CL100K],
  'gpt-3.5-turbo': [O, 16_385, 4_096, 0.5, 1.5, null, CL100K],
  'gpt-3.5-turbo-instruct': [O, 4_096, 4_096, 1.5, 2, null, CL100K, 1_024],
  'text-embedding-3-small': [O, 8_191, 0, 0.02, 0, null, CL100K, 0],
  'text-embedding-3-large': [O, 8_191, 0, 0.13, 0, null, CL100K, 0],
  'text-embedding-ada-002': [O, 8_191, 0, 0.1, 0, null, CL100K, 0],

  // ---- Anthropic (cache read = 0.1 × input) ----------------------------------------------------
  // Opus 4.6 / 4.7: 1M context per the reference system's limit table; priced as Opus 4.5.
  'claude-opus-4-7': [A, 1_000_000, 128_000, 5, 25, 0.5, EST],
  'claude-opus-4-6': [A, 1_000_000, 128_000, 5, 25, 0.5, EST],
  'claude-opus-4-5': [A, 200_000, 64_000, 5, 25, 0.5, EST],
  'claude-opus-4-1': [A, 200_000, 32_000, 15, 75, 1.5, EST],
  'claude-opus-4': [A, 200_000, 32_000, 15, 75, 1.5, EST],
  // Sonnet 4 / 4.5 accept 1M tokens behind a beta header (at 2× input price above 200k); 200k is the default.
  'claude-sonnet-4-5': [A, 200_000, 64_000, 3, 15, 0.3, EST],
  'claude-sonnet-4': [A, 200_000, 64_000, 3, 15, 0.3, EST],
  'claude-haiku-4-5': [A, 200_000, 64_000, 1, 5, 0.1, EST],
  'claude-3-7-sonnet': [A, 200_000, 64_000, 3, 15, 0.3, EST],
  'claude-3-5-sonnet': [A, 200_000, 8_192, 3, 15, 0.3, EST],
  'claude-3-5-haiku': [A, 200_000, 8_192, 0.8, 4, 0.08, EST],
  'claude-3-opus': [A, 200_000, 4_096, 15, 75, 1.5, EST],
  'claude-3-haiku': [A, 200_000, 4_096, 0.25, 1.25, 0.03, EST],

  // ---- Google (≤ 200k-token prompts; 1.5 models ≤ 128k) --------------------------------------
  'gemini-3-pro-preview': [G, 1_048_576, 65_536, 2, 12, 0.2, EST],
  'gemini-2.5-pro': [G, 1_048_576, 65_536, 1.25, 10, 0.125, EST],
  'gemini-2.5-flash': [G, 1_048_576, 65_536, 0.3, 2.5, 0.03, EST],
  'gemini-2.5-flash-lite': [G, 1_048_576, 65_536, 0.1, 0.4, 0.01, EST],
  'gemini-2.0-flash': [G, 1_048_576, 8_192, 0.1, 0.4, 0.025, EST],
  'gemini-2.0-flash-lite': [G, 1_048_576, 8_192, 0.075, 0.3, null, EST],
  'gemini-1.5-pro': [G, 2_097_152, 8_192, 1.25, 5, 0.3125, EST],
  'gemini-1.5-flash': [G, 1_048_576, 8_192, 0.075, 0.3, 0.01875, EST],
  'gemini-1.5-flash-8b': [G, 1_048_576, 8_192, 0.0375, 0.15, 0.01, EST],
};

function toEntry(r: Row): RegistryEntry {
  const [provider, contextLimit, maxOutputTokens, input, output, cached, tokenizer, buffer] = r;
  return {
    provider,
    contextLimit,
    maxOutputTokens,
    outputBuffer: buffer ?? Math.min(maxOutputTokens, 32_768, Math.floor(contextLimit / 4)),
    pricing: { input, output, cachedInput: cached ?? input },
    tokenizer,
  };
}

export const REGISTRY: ReadonlyMap<string, RegistryEntry> = new Map(
  Object.entries(ROWS).map(([k, r]) => [k, Object.freeze(toEntry(r))]),
);

/**
 * Names that differ from a registry key by more than a date / `-latest` suffix or a provider
 * prefix (those are stripped generically in resolve.ts).
 */
export const ALIASES: ReadonlyMap<string, string> = new Map([
  ['gpt-4-turbo-preview', 'gpt-4-turbo'],
  ['gpt-4-1106-preview', 'gpt-4-turbo'],
  ['gpt-4-0125-preview', 'gpt-4-turbo'],
  ['gpt-4-vision-preview', 'gpt-4-turbo'],
  ['gpt-4-1106-vision-preview', 'gpt-4-turbo'],
  ['gpt-35-turbo', 'gpt-3.5-turbo'], // Azure spelling
  ['gpt-35-turbo-16k', 'gpt-3.5-turbo'],
  ['gpt-3.5-turbo-16k', 'gpt-3.5-turbo'],
  ['gpt-4o-latest', 'chatgpt-4o-latest'],
  ['claude-opus-4-0', 'claude-opus-4'],
  ['claude-sonnet-4-0', 'claude-sonnet-4'],
  ['claude-4-opus', 'claude-opus-4'],
  ['claude-4-sonnet', 'claude-sonnet-4'],
  ['claude-4-1-opus', 'claude-opus-4-1'],
  ['claude-4-5-sonnet', 'claude-sonnet-4-5'],
  ['claude-4-5-opus', 'claude-opus-4-5'],
  ['claude-4-5-haiku', 'claude-haiku-4-5'],
  ['claude-3-5-sonnet-v2', 'claude-3-5-sonnet'],
  ['gemini-2.5-pro-exp', 'gemini-2.5-pro'],
  ['gemini-exp-1206', 'gemini-2.5-pro'],
]);

/** Fallback for unknown names: 128k window, gpt-4o prices, estimated counts. */
export const FALLBACK_ENTRY: RegistryEntry = Object.freeze({
  provider: 'unknown',
  contextLimit: 128_000,
  maxOutputTokens: 4_096,
  outputBuffer: 4_096,
  pricing: { input: 2.5, output: 10, cachedInput: 1.25 },
  tokenizer: 'estimate',
});

export function entryToInfo(
  id: string,
  canonical: string,
  e: RegistryEntry,
  match: ModelInfo['match'],
): ModelInfo {
  return {
    id,
    canonical,
    provider: e.provider,
    contextLimit: e.contextLimit,
    outputBuffer: e.outputBuffer,
    maxOutputTokens: e.maxOutputTokens,
    pricing: { ...e.pricing },
    tokenizer: e.tokenizer,
    match,
  };
}
