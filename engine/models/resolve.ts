/**
 * Model name → ModelInfo.
 *
 * Order: exact registry key → normalized name / alias (provider prefixes such as `openai/`,
 * `models/`, Bedrock `us.anthropic.…-v1:0`, Vertex `@20241022`, fine-tune `ft:…`, dotted Claude
 * versions `claude-3.5-sonnet`, then dated snapshots `-2024-08-06` / `-20250929` / `-0613`,
 * `-001`, `-latest`) → longest registry prefix followed by a separator (`-` `_` `:` `@` `/`; a `.`
 * is NOT a separator, so `gpt-4.1-x` never lands on `gpt-4`) → family patterns (`*opus*`,
 * `*sonnet*`, `*haiku*`, `claude*`, `gpt-5*`, `gpt-4.1*`, `gpt-4o*`, `o1*` / `o3*` / `o4*`,
 * `gemini*`) → fallback (128k, gpt-4o prices, estimated counts).
 *
 * Unknown names never throw; they resolve with a warning. Only invalid overrides throw
 * `ConfigurationError`, listing every problem.
 */

import { ConfigurationError } from '../errors.js';
import type { ModelInfo, ModelOverrides, ModelPricing, Provider } from './types.js';
import { ALIASES, FALLBACK_ENTRY, PRICES_AS_OF, REGISTRY, entryToInfo, type RegistryEntry } from './registry.js';

export interface ResolvedModel {
  info: ModelInfo;
  warnings: string[];
}

const SEPARATORS = new Set(['-', '_', ':', '@', '/', ' ']);

function lookup(key: string): { canonical: string; entry: RegistryEntry } | undefined {
  const e = REGISTRY.get(key);
  if (e) return { canonical: key, entry: e };
  const target = ALIASES.get(key);
  if (target !== undefined) {
    const t = REGISTRY.get(target);
    if (t) return { canonical: target, entry: t };
  }
  return undefined;
}

/** Provider/deployment decorations stripped before matching; returns the bare model name and notes. */
function normalize(raw: string): { name: string; notes: string[] } {
  const notes: string[] = [];
  let s = raw.trim().toLowerCase();
  if (s.startsWith('ft:')) {
    // ft:gpt-4o-mini-2024-07-18:org:suffix:id → base model
    s = s.slice(3).split(':')[0] ?? s;
    notes.push(`'${raw}' is a fine-tuned model: using its base model's figures (fine-tuned usage is priced higher).`);
  }
  const slash = s.lastIndexOf('/');
  if (slash >= 0) s = s.slice(slash + 1); // openai/gpt-4o, models/gemini-2.5-pro, bedrock/…
  s = s.replace(/^(?:[a-z]{2,4}\.)?anthropic\./, ''); // Bedrock: us.anthropic.claude-…
  s = s.replace(/@\d{8}$/, ''); // Vertex claude-…@20241022
  s = s.replace(/@latest$/, '');
  s = s.replace(/-v\d+(?::\d+)?$/, ''); // Bedrock …-v1:0, Vertex claude-3-5-sonnet-v2
  s = s.replace(/:\d+$/, '');
  if (s.startsWith('claude')) s = s.replace(/(\d)\.(\d)/g, '$1-$2'); // claude-3.5-sonnet → claude-3-5-sonnet
  return { name: s, notes };
}

/** Snapshot/version suffixes, stripped one at a time (each result is looked up). */
const SUFFIXES: ReadonlyArray<RegExp> = [
  /-latest$/,
  /-\d{4}-\d{2}-\d{2}$/, // OpenAI snapshots
  /-\d{8}$/, // Anthropic snapshots
  /-\d{3}$/, // gemini-1.5-pro-002
  /-(?:preview|exp)(?:-\d{2}-\d{2,4})?$/, // gemini-2.5-pro-preview-05-06
];

function stripSuffixes(name: string): string[] {
  const out: string[] = [];
  let s = name;
  for (let changed = true; changed; ) {
    changed = false;
    for (const re of SUFFIXES) {
      const t = s.replace(re, '');
      if (t !== s && t.length > 0) {
        s = t;
        out.push(s);
        changed = true;
      }
    }
    // OpenAI 4-digit snapshots (gpt-4-0613, gpt-3.5-turbo-0125) — only for gpt-* names
    if (s.startsWith('gpt-')) {
      const t = s.replace(/-\d{4}$/, '');
      if (t !== s) {
        s = t;
        out.push(s);
        changed = true;
      }
    }
  }
  return out;
}

function longestPrefix(name: string): { key: string; canonical: string; entry: RegistryEntry } | undefined {
  let best: { key: string; canonical: string; entry: RegistryEntry } | undefined;
  const consider = (key: string): void => {
    if (name.length > key.length && name.startsWith(key) && SEPARATORS.has(name[key.length]!)) {
      if (!best || key.length > best.key.length) {
        const hit = lookup(key);
        if (hit) best = { key, ...hit };
      }
    }
  };
  for (const key of REGISTRY.keys()) consider(key);
  for (const key of ALIASES.keys()) consider(key);
  return best;
}

interface Pattern {
  readonly test: RegExp;
  readonly pick: (name: string) => string;
}

const PATTERNS: ReadonlyArray<Pattern> = [
  { test: /opus/, pick: () => 'claude-opus-4-5' },
  { test: /sonnet/, pick: () => 'claude-sonnet-4-5' },
  { test: /haiku/, pick: () => 'claude-haiku-4-5' },
  { test: /^claude/, pick: () => 'claude-sonnet-4-5' },
  { test: /^gpt-5/, pick: (n) => (/nano/.test(n) ? 'gpt-5-nano' : /mini/.test(n) ? 'gpt-5-mini' : 'gpt-5') },
  { test: /^gpt-4\.1/, pick: (n) => (/nano/.test(n) ? 'gpt-4.1-nano' : /mini/.test(n) ? 'gpt-4.1-mini' : 'gpt-4.1') },
  { test: /^gpt-4o/, pick: (n) => (/mini/.test(n) ? 'gpt-4o-mini' : 'gpt-4o') },
  { test: /^o1/, pick: (n) => (/mini/.test(n) ? 'o1-mini' : 'o1') },
  { test: /^o3/, pick: (n) => (/mini/.test(n) ? 'o3-mini' : 'o3') },
  { test: /^o4/, pick: () => 'o4-mini' },
  {
    test: /^gemini/,
    pick: (n) => (/flash-lite/.test(n) ? 'gemini-2.5-flash-lite' : /flash/.test(n) ? 'gemini-2.5-flash' : /pro/.test(n) ? 'gemini-2.5-pro' : 'gemini-2.5-flash'),
  },
];

// ---------------------------------------------------------------------------------------------
// Overrides

const PROVIDERS: ReadonlyArray<Provider> = ['openai', 'anthropic', 'google', 'unknown'];
const TOKENIZERS: ReadonlyArray<string> = ['o200k_base', 'cl100k_base', 'estimate'];
const OVERRIDE_FIELDS = ['provider', 'contextLimit', 'outputBuffer', 'maxOutputTokens', 'pricing', 'tokenizer'];
const PRICE_FIELDS = ['input', 'output', 'cachedInput'];

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  return Array.isArray(v) ? 'an array' : typeof v;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Problems in a `ModelOverrides` object (empty when valid). Checks types and ranges:
 * limits are positive integers, outputBuffer a non-negative integer below the limit,
 * prices finite and ≥ 0, provider/tokenizer from their enums, no unknown fields.
 */
export function validateModelOverrides(overrides: unknown): string[] {
  const problems: string[] = [];
  if (overrides === undefined) return problems;
  if (!isPlainObject(overrides)) return [`modelOverrides must be an object keyed by model name, got ${describe(overrides)}`];
  for (const [name, entry] of Object.entries(overrides)) {
    const at = `modelOverrides[${JSON.stringify(name)}]`;
    if (!isPlainObject(entry)) {
      problems.push(`${at} must be an object like { contextLimit: 200000 }, got ${describe(entry)}`);
      continue;
    }
    for (const key of Object.keys(entry)) {
      if (!OVERRIDE_FIELDS.includes(key)) problems.push(`${at}.${key} is not a model field (expected one of ${OVERRIDE_FIELDS.join(', ')})`);
    }
    const int = (key: string, min: number): void => {
      const v = entry[key];
      if (v === undefined) return;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
        problems.push(`${at}.${key} must be an integer ≥ ${min}, got ${describe(v)}`);
      }
    };
    int('contextLimit', 1);
    int('outputBuffer', 0);
    int('maxOutputTokens', 1);
    const limit = entry['contextLimit'];
    const buffer = entry['outputBuffer'];
    if (typeof limit === 'number' && typeof buffer === 'number' && Number.isInteger(limit) && Number.isInteger(buffer) && buffer >= limit && limit > 0) {
      problems.push(`${at}.outputBuffer (${buffer}) must be smaller than contextLimit (${limit})`);
    }
    if (entry['provider'] !== undefined && !PROVIDERS.includes(entry['provider'] as Provider)) {
      problems.push(`${at}.provider must be one of ${PROVIDERS.join(', ')}, got ${describe(entry['provider'])}`);
    }
    if (entry['tokenizer'] !== undefined && !TOKENIZERS.includes(entry['tokenizer'] as string)) {
      problems.push(`${at}.tokenizer must be one of ${TOKENIZERS.join(', ')}, got ${describe(entry['tokenizer'])}`);
    }
    const pricing = entry['pricing'];
    if (pricing !== undefined) {
      if (!isPlainObject(pricing)) problems.push(`${at}.pricing must be an object { input, output, cachedInput }, got ${describe(pricing)}`);
      else {
        for (const key of Object.keys(pricing)) {
          if (!PRICE_FIELDS.includes(key)) problems.push(`${at}.pricing.${key} is not a price field (expected ${PRICE_FIELDS.join(', ')})`);
        }
        for (const key of PRICE_FIELDS) {
          const v = pricing[key];
          if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) {
            problems.push(`${at}.pricing.${key} must be a finite number ≥ 0 (USD per 1M tokens), got ${describe(v)}`);
          }
        }
      }
    }
  }
  return problems;
}

const validated = new WeakSet<object>();

function assertValid(overrides: ModelOverrides | undefined): void {
  if (overrides === undefined || (typeof overrides === 'object' && overrides !== null && validated.has(overrides))) return;
  const problems = validateModelOverrides(overrides);
  if (problems.length > 0) {
    throw new ConfigurationError(`Invalid model overrides:\n- ${problems.join('\n- ')}`, { problems });
  }
  validated.add(overrides);
}

type OverrideEntry = ModelOverrides[string];

function findOverride(overrides: ModelOverrides | undefined, ...names: string[]): OverrideEntry | undefined {
  if (!overrides) return undefined;
  let merged: OverrideEntry | undefined;
  const seen = new Set<string>();
  // Later names are more specific: canonical first, then normalized, then the name as given.
  for (const n of names) {
    if (seen.has(n)) continue;
    seen.add(n);
    const hit = Object.prototype.hasOwnProperty.call(overrides, n) ? overrides[n] : undefined;
    if (hit) merged = mergeEntry(merged, hit);
  }
  return merged;
}

function mergeEntry(base: OverrideEntry | undefined, over: OverrideEntry): OverrideEntry {
  if (!base) return over;
  const pricing = base.pricing || over.pricing ? ({ ...base.pricing, ...over.pricing } as ModelPricing) : undefined;
  const out: OverrideEntry = { ...base, ...over };
  if (pricing) (out as { pricing?: ModelPricing }).pricing = pricing;
  return out;
}

/**
 * Merge override layers; later layers win field by field (pricing merged per price).
 * Typical: `mergeModelOverrides(readEnvModelOverrides(), options.modelOverrides)`.
 */
export function mergeModelOverrides(...layers: Array<ModelOverrides | undefined>): ModelOverrides | undefined {
  let out: Record<string, OverrideEntry> | undefined;
  for (const layer of layers) {
    if (!layer) continue;
    out ??= {};
    for (const [name, entry] of Object.entries(layer)) out[name] = mergeEntry(out[name], entry);
  }
  return out;
}

function applyOverride(info: ModelInfo, o: OverrideEntry): ModelInfo {
  const contextLimit = o.contextLimit ?? info.contextLimit;
  let outputBuffer = o.outputBuffer ?? info.outputBuffer;
  // A smaller user limit must keep room for the prompt: clamp an inherited buffer to a quarter.
  if (o.outputBuffer === undefined && outputBuffer >= contextLimit) outputBuffer = Math.floor(contextLimit / 4);
  const next: ModelInfo = {
    ...info,
    provider: o.provider ?? info.provider,
    contextLimit,
    outputBuffer,
    pricing: { ...info.pricing, ...o.pricing },
    tokenizer: o.tokenizer ?? info.tokenizer,
    match: 'override',
  };
  if (o.maxOutputTokens !== undefined) (next as { maxOutputTokens?: number }).maxOutputTokens = o.maxOutputTokens;
  return next;
}

// ---------------------------------------------------------------------------------------------

/**
 * Resolve a model name. Never throws for unknown names (falls back with a warning); throws
 * `ConfigurationError` when `overrides` holds invalid values.
 *
 * Overrides are keyed by model name; an entry under the resolved registry name (e.g.
 * `claude-sonnet-4-5`) applies to all its snapshots, an entry under the exact name given wins
 * over it. An override for an unknown name turns the fallback into a user-defined model.
 */
export function resolveModel(name: string, overrides?: ModelOverrides): ResolvedModel {
  assertValid(overrides);
  const id = typeof name === 'string' ? name : String(name);
  const warnings: string[] = [];
  const lower = id.trim().toLowerCase();
  let found: { canonical: string; entry: RegistryEntry; match: ModelInfo['match'] } | undefined;
  let normalized = lower;

  const exact = lookup(lower);
  if (exact) found = { ...exact, match: 'exact' };
  if (!found) {
    const n = normalize(id);
    normalized = n.name;
    warnings.push(...n.notes);
    const hit = lookup(n.name);
    if (hit) found = { ...hit, match: 'exact' };
    else {
      for (const candidate of stripSuffixes(n.name)) {
        const h = lookup(candidate);
        if (h) {
          found = { ...h, match: 'exact' };
          break;
        }
      }
    }
  }
  if (!found) {
    const p = longestPrefix(normalized);
    if (p) {
      found = { canonical: p.canonical, entry: p.entry, match: 'pattern' };
      const rest = normalized.slice(p.key.length);
      if (/^[-_.]\d/.test(rest) && /\d$/.test(p.key)) {
        warnings.push(
          `Model '${id}' is not in the registry; using '${p.canonical}' (prefix match). A newer version may have different limits or prices — set modelOverrides['${id}'] if so.`,
        );
      }
    }
  }
  if (!found) {
    for (const pat of PATTERNS) {
      if (pat.test.test(normalized)) {
        const canonical = pat.pick(normalized);
        const entry = REGISTRY.get(canonical);
        if (entry) {
          found = { canonical, entry, match: 'pattern' };
          warnings.push(
            `Model '${id}' is not in the registry; assuming it is like '${canonical}' (${entry.contextLimit}-token context). Set modelOverrides['${id}'] for exact limits and prices.`,
          );
        }
        break;
      }
    }
  }

  const override = findOverride(overrides, found?.canonical ?? '', normalized, lower, id);
  if (!found) {
    if (override?.contextLimit === undefined) {
      warnings.push(
        `Unknown model '${id}': using fallback figures (${FALLBACK_ENTRY.contextLimit}-token context, gpt-4o prices, estimated token counts). Set modelOverrides['${id}'] = { contextLimit, pricing, tokenizer } to describe it.`,
      );
    }
    const info = entryToInfo(id, id.trim().toLowerCase(), FALLBACK_ENTRY, 'fallback');
    return { info: override ? applyOverride(info, override) : info, warnings };
  }
  const info = entryToInfo(id, found.canonical, found.entry, found.match);
  return { info: override ? applyOverride(info, override) : info, warnings };
}

/** All registry models (canonical names), e.g. for a model picker. */
export function listModels(): ModelInfo[] {
  return [...REGISTRY.entries()].map(([k, e]) => entryToInfo(k, k, e, 'exact'));
}

/** Tokens available for the prompt: context limit minus the output reservation. */
export function promptBudget(info: ModelInfo): number {
  return Math.max(0, info.contextLimit - info.outputBuffer);
}

export interface TokenUsage {
  /** Uncached prompt tokens. */
  readonly input: number;
  readonly output?: number;
  /** Prompt tokens served from the provider's cache. */
  readonly cachedInput?: number;
}

/** Cost in USD of a request under the model's list prices. */
export function estimateCostUSD(info: ModelInfo, usage: TokenUsage): number {
  const p = info.pricing;
  return (usage.input * p.input + (usage.output ?? 0) * p.output + (usage.cachedInput ?? 0) * p.cachedInput) / 1_000_000;
}

/** Days since PRICES_AS_OF (the reference system flags tables older than 30 days as stale). */
export function priceTableAgeDays(now: Date = new Date()): number {
  return Math.floor((now.getTime() - Date.parse(`${PRICES_AS_OF}T00:00:00Z`)) / 86_400_000);
}
