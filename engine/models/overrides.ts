/**
 * Lenient reading of model overrides from configuration data (HEADROOM_MODEL_LIMITS, JSON files).
 *
 * Accepted per model (keys are model names as callers pass them):
 *   "gpt-4o": 64000                                   → { contextLimit: 64000 }
 *   "my-llm": { "context_limit": 32768, "output_buffer": 2048,
 *               "pricing": { "input": 0.5, "output": 1.5, "cached_input": 0.1 },
 *               "tokenizer": "cl100k_base", "provider": "openai" }
 * camelCase field names work too; `max_input_tokens` / `max_tokens` / `context` mean contextLimit,
 * `max_output_tokens` means maxOutputTokens. Invalid entries are dropped with a warning (config
 * data is not the caller's code, so it never throws); `resolveModel` still validates what is left.
 */

import type { ModelOverrides } from './types.js';
import { validateModelOverrides } from './resolve.js';

const FIELD_ALIASES: Readonly<Record<string, string>> = {
  contextLimit: 'contextLimit',
  context_limit: 'contextLimit',
  contextWindow: 'contextLimit',
  context_window: 'contextLimit',
  context: 'contextLimit',
  max_input_tokens: 'contextLimit',
  maxInputTokens: 'contextLimit',
  max_tokens: 'contextLimit',
  outputBuffer: 'outputBuffer',
  output_buffer: 'outputBuffer',
  maxOutputTokens: 'maxOutputTokens',
  max_output_tokens: 'maxOutputTokens',
  provider: 'provider',
  tokenizer: 'tokenizer',
  pricing: 'pricing',
};

const PRICE_ALIASES: Readonly<Record<string, string>> = {
  input: 'input',
  output: 'output',
  cachedInput: 'cachedInput',
  cached_input: 'cachedInput',
  cache_read: 'cachedInput',
};

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function normalizeModelOverrides(raw: unknown, source = 'model overrides'): { overrides: ModelOverrides | undefined; warnings: string[] } {
  const warnings: string[] = [];
  if (raw === undefined || raw === null) return { overrides: undefined, warnings };
  if (!isPlainObject(raw)) {
    warnings.push(`${source}: expected a JSON object keyed by model name; ignored.`);
    return { overrides: undefined, warnings };
  }
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, value] of Object.entries(raw)) {
    let entry: Record<string, unknown>;
    if (typeof value === 'number') entry = { contextLimit: value };
    else if (isPlainObject(value)) {
      entry = {};
      for (const [k, v] of Object.entries(value)) {
        const field = FIELD_ALIASES[k];
        if (!field) {
          warnings.push(`${source}: '${name}'.${k} is not a known field; ignored.`);
          continue;
        }
        if (field === 'pricing' && isPlainObject(v)) {
          const p: Record<string, unknown> = {};
          for (const [pk, pv] of Object.entries(v)) {
            const pf = PRICE_ALIASES[pk];
            if (pf) p[pf] = pv;
            else warnings.push(`${source}: '${name}'.pricing.${pk} is not a known price field; ignored.`);
          }
          entry[field] = p;
        } else entry[field] = v;
      }
    } else {
      warnings.push(`${source}: '${name}' must be a number (context limit) or an object; ignored.`);
      continue;
    }
    const problems = validateModelOverrides({ [name]: entry });
    if (problems.length > 0) {
      warnings.push(`${source}: '${name}' ignored — ${problems.join('; ')}`);
      continue;
    }
    out[name] = entry;
  }
  return { overrides: Object.keys(out).length > 0 ? (out as ModelOverrides) : undefined, warnings };
}
