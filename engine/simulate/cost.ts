/**
 * Input cost of a prompt under the model's list prices, with the part a provider prompt cache
 * could serve billed at the cached-input price.
 *
 * What counts as cacheable (the stable prefix), an estimate by design:
 * - only what an earlier request already sent: messages before the last assistant message
 *   (that message was the previous reply; what follows is this request's new input). With no
 *   assistant message, the leading system messages (a system prompt shared across conversations);
 * - system prompts up to their first span that changes from one request to the next: clock
 *   times, timestamps, UUIDs, request/trace/run ids, the caller's own `dynamicPatterns`. Dates
 *   and session or conversation ids stay the same between the turns of one conversation, so
 *   they do not end the prefix (they do keep the prompt from being shared across days or
 *   sessions: see the waste signals' dynamic dates). After CacheAligner, dynamic sentences sit
 *   at the end of the system prompt, so more of the prompt itself is stable;
 * - nothing from `stopAt` on (IntelligentContext's marker: the history differs from there on);
 * - providers only cache prefixes of at least `MIN_CACHEABLE_PREFIX` tokens (1 024 for OpenAI
 *   and most Anthropic models); a shorter stable prefix is billed in full.
 */
import type { Message } from '../messages/types.js';
import { messageText } from '../messages/types.js';
import type { ModelInfo, ModelPricing } from '../models/types.js';
import type { TokenCounter } from '../tokenizer/types.js';
import { findDynamicSpans } from '../transforms/dynamic-content.js';
import { cacheableEnd } from '../transforms/intelligent-context/transform.js';

export const MIN_CACHEABLE_PREFIX = 1024;

const VOLATILE_LABELS = new Set(['time', 'iso_datetime', 'unix_timestamp', 'uuid', 'custom']);
const VOLATILE_ID = /^(?:req|request|trace|span|run|msg|call|chatcmpl|resp|correlation)/i;

/** True for a dynamic span that changes between two requests of the same conversation. */
export function isVolatileSpan(label: string, text: string): boolean {
  if (VOLATILE_LABELS.has(label)) return true;
  if (label === 'labelled_id' || label === 'prefixed_id') return VOLATILE_ID.test(text.trim());
  return false;
}

export interface StablePrefix {
  /** Tokens of the stable prefix (before the minimum is applied). */
  readonly tokens: number;
  /** Whole messages in it. */
  readonly messages: number;
  /** Why it ends: the end of what an earlier request sent, a dynamic span in a system prompt, or `stopAt`. */
  readonly endsAt: 'history' | 'dynamic' | 'rewrite';
}

export interface StablePrefixOptions {
  readonly dynamicPatterns?: ReadonlyArray<RegExp>;
  /** Index of the first message that differs from what was sent before (e.g. a drop marker). */
  readonly stopAt?: number;
}

/** End (exclusive) of what an earlier request sent: the last assistant message, else the leading system messages. */
export const historyEnd: (messages: ReadonlyArray<Message>) => number = cacheableEnd;

export function stablePrefix(messages: ReadonlyArray<Message>, counter: TokenCounter, options: StablePrefixOptions = {}): StablePrefix {
  const history = historyEnd(messages);
  const end = Math.min(history, options.stopAt ?? Infinity);
  let tokens = 0;
  for (let i = 0; i < end; i++) {
    const m = messages[i];
    if (m.role === 'system') {
      const text = messageText(m);
      const cut = findDynamicSpans(text, options.dynamicPatterns ?? []).find((sp) => isVolatileSpan(sp.label, text.slice(sp.start, sp.end)));
      if (cut) return { tokens: tokens + counter.countText(text.slice(0, cut.start)), messages: i, endsAt: 'dynamic' };
    }
    tokens += counter.countMessage(m);
  }
  return { tokens, messages: end, endsAt: end < history ? 'rewrite' : 'history' };
}

export interface CostEstimate {
  /** Prompt tokens. */
  readonly inputTokens: number;
  /** Of those, tokens a provider prompt cache would serve (0 below the minimum cacheable prefix). */
  readonly cachedTokens: number;
  /** Everything at the input price, no cache. */
  readonly listUSD: number;
  /** Uncached tokens at the input price plus cached tokens at the cached-input price. */
  readonly usd: number;
}

export function estimateInputCost(pricing: ModelPricing, inputTokens: number, stableTokens: number): CostEstimate {
  const cached = stableTokens >= MIN_CACHEABLE_PREFIX ? Math.min(stableTokens, inputTokens) : 0;
  return {
    inputTokens,
    cachedTokens: cached,
    listUSD: (inputTokens * pricing.input) / 1_000_000,
    usd: ((inputTokens - cached) * pricing.input + cached * pricing.cachedInput) / 1_000_000,
  };
}

export interface SimulationCost {
  /** Registry entry the prices come from. */
  readonly model: string;
  /** USD per 1M tokens. */
  readonly pricing: ModelPricing;
  readonly before: CostEstimate;
  readonly after: CostEstimate;
  /** before.usd − after.usd, per request. */
  readonly savedUSD: number;
  /** Percentage of before.usd saved (0 when before costs nothing). */
  readonly savedPercent: number;
}

export function simulationCost(info: ModelInfo, before: CostEstimate, after: CostEstimate): SimulationCost {
  const saved = before.usd - after.usd;
  return {
    model: info.canonical,
    pricing: info.pricing,
    before,
    after,
    savedUSD: saved,
    savedPercent: before.usd === 0 ? 0 : (saved / before.usd) * 100,
  };
}
