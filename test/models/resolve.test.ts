import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../engine/errors.js';
import {
  estimateCostUSD,
  listModels,
  mergeModelOverrides,
  normalizeModelOverrides,
  PRICES_AS_OF,
  priceTableAgeDays,
  promptBudget,
  resolveModel,
  validateModelOverrides,
} from '../../engine/models/index.js';

const canon = (name: string) => resolveModel(name).info.canonical;

describe('resolveModel', () => {
  it('resolves exact names', () => {
    for (const m of listModels()) {
      const r = resolveModel(m.canonical);
      expect(r.info.canonical).toBe(m.canonical);
      expect(r.info.match).toBe('exact');
      expect(r.warnings).toEqual([]);
    }
  });

  it('resolves dated snapshots, -latest and provider spellings', () => {
    const cases: Record<string, string> = {
      'gpt-4.1-mini-2025-04-14': 'gpt-4.1-mini',
      'gpt-4.1-2025-04-14': 'gpt-4.1',
      'gpt-4.1-nano-2025-04-14': 'gpt-4.1-nano',
      'gpt-4o-2024-08-06': 'gpt-4o',
      'gpt-4o-2024-05-13': 'gpt-4o-2024-05-13',
      'gpt-4o-mini-2024-07-18': 'gpt-4o-mini',
      'gpt-5-2025-08-07': 'gpt-5',
      'gpt-5-mini-2025-08-07': 'gpt-5-mini',
      'o3-mini-2025-01-31': 'o3-mini',
      'o1-2024-12-17': 'o1',
      'gpt-4-0613': 'gpt-4',
      'gpt-4-32k-0613': 'gpt-4-32k',
      'gpt-4-1106-preview': 'gpt-4-turbo',
      'gpt-4-turbo-2024-04-09': 'gpt-4-turbo',
      'gpt-3.5-turbo-0125': 'gpt-3.5-turbo',
      'gpt-35-turbo': 'gpt-3.5-turbo',
      'GPT-4o': 'gpt-4o',
      'openai/gpt-4o-mini': 'gpt-4o-mini',
      'claude-sonnet-4-5-20250929': 'claude-sonnet-4-5',
      'claude-opus-4-1-20250805': 'claude-opus-4-1',
      'claude-opus-4-20250514': 'claude-opus-4',
      'claude-opus-4-0': 'claude-opus-4',
      'claude-haiku-4-5-20251001': 'claude-haiku-4-5',
      'claude-3-7-sonnet-latest': 'claude-3-7-sonnet',
      'claude-3-5-sonnet-20241022': 'claude-3-5-sonnet',
      'claude-3-5-haiku-latest': 'claude-3-5-haiku',
      'claude-3-opus-20240229': 'claude-3-opus',
      'claude-3-haiku-20240307': 'claude-3-haiku',
      'anthropic/claude-3.5-sonnet': 'claude-3-5-sonnet',
      'anthropic/claude-sonnet-4.5': 'claude-sonnet-4-5',
      'anthropic.claude-3-5-sonnet-20241022-v2:0': 'claude-3-5-sonnet',
      'us.anthropic.claude-sonnet-4-20250514-v1:0': 'claude-sonnet-4',
      'claude-3-5-sonnet-v2@20241022': 'claude-3-5-sonnet',
      'claude-opus-4@20250514': 'claude-opus-4',
      'models/gemini-2.5-pro': 'gemini-2.5-pro',
      'gemini-1.5-pro-002': 'gemini-1.5-pro',
      'gemini-1.5-flash-latest': 'gemini-1.5-flash',
      'gemini-2.0-flash-001': 'gemini-2.0-flash',
      'gemini-2.5-pro-preview-05-06': 'gemini-2.5-pro',
      'gemini-2.5-flash-preview-05-20': 'gemini-2.5-flash',
      'gemini-2.5-flash-lite-preview-06-17': 'gemini-2.5-flash-lite',
    };
    for (const [name, expected] of Object.entries(cases)) {
      const r = resolveModel(name);
      expect(r.info.canonical, name).toBe(expected);
      expect(r.info.id).toBe(name);
      expect(r.info.match, name).toBe('exact');
      expect(r.warnings, name).toEqual([]);
    }
  });

  it('never lets gpt-4.1* fall into gpt-4 (8192)', () => {
    for (const n of ['gpt-4.1', 'gpt-4.1-mini-2025-04-14', 'gpt-4.1-preview-x', 'gpt-4.1-new']) {
      const r = resolveModel(n);
      expect(r.info.canonical.startsWith('gpt-4.1'), n).toBe(true);
      expect(r.info.contextLimit).toBe(1_047_576);
    }
  });

  it('uses longest prefix with a separator', () => {
    expect(resolveModel('gpt-4o-mini-search-preview').info.canonical).toBe('gpt-4o-mini');
    expect(resolveModel('gpt-4o-audio-preview').info.canonical).toBe('gpt-4o');
    expect(resolveModel('o3-mini-high').info.canonical).toBe('o3-mini');
    expect(resolveModel('o4-mini-deep-research').info.canonical).toBe('o4-mini');
    expect(resolveModel('o3-mini-high').info.match).toBe('pattern');
    // a version bump past the registry warns
    const bump = resolveModel('claude-opus-4-9');
    expect(bump.info.canonical).toBe('claude-opus-4');
    expect(bump.warnings.join(' ')).toMatch(/prefix match/);
  });

  it('infers families by pattern, with a warning', () => {
    const cases: Record<string, string> = {
      'claude-5-opus': 'claude-opus-4-5',
      'claude-next-sonnet': 'claude-sonnet-4-5',
      'claude-instant-haiku-9': 'claude-haiku-4-5',
      'claude-2.1': 'claude-sonnet-4-5',
      'gpt-5.2': 'gpt-5',
      'gpt-5.2-mini': 'gpt-5-mini',
      'gpt-4o2': 'gpt-4o',
      'o1x': 'o1',
      'o3x-mini': 'o3-mini',
      o4: 'o4-mini',
      'gemini-3-flash-preview': 'gemini-2.5-flash',
      'gemini-ultra': 'gemini-2.5-flash',
      'gemini-9-pro': 'gemini-2.5-pro',
    };
    for (const [name, expected] of Object.entries(cases)) {
      const r = resolveModel(name);
      expect(r.info.canonical, name).toBe(expected);
      expect(r.info.match, name).toBe('pattern');
      expect(r.warnings.length, name).toBe(1);
    }
  });

  it('falls back for unknown names without throwing', () => {
    for (const name of ['my-local-llm', '', '   ', 'llama-3-70b', '🙂', 'x'.repeat(5000)]) {
      const r = resolveModel(name);
      expect(r.info.match).toBe('fallback');
      expect(r.info.contextLimit).toBe(128_000);
      expect(r.info.pricing).toEqual({ input: 2.5, output: 10, cachedInput: 1.25 });
      expect(r.info.tokenizer).toBe('estimate');
      expect(r.warnings.join(' ')).toMatch(/Unknown model/);
    }
  });

  it('handles fine-tune names', () => {
    const r = resolveModel('ft:gpt-4o-mini-2024-07-18:acme:custom:abc123');
    expect(r.info.canonical).toBe('gpt-4o-mini');
    expect(r.warnings.join(' ')).toMatch(/fine-tuned/);
  });

  it('uses the right tokenizer per family', () => {
    expect(resolveModel('gpt-4o').info.tokenizer).toBe('o200k_base');
    expect(resolveModel('o1-mini').info.tokenizer).toBe('o200k_base');
    expect(resolveModel('gpt-5-nano').info.tokenizer).toBe('o200k_base');
    expect(resolveModel('gpt-4').info.tokenizer).toBe('cl100k_base');
    expect(resolveModel('gpt-3.5-turbo').info.tokenizer).toBe('cl100k_base');
    expect(resolveModel('claude-3-opus').info.tokenizer).toBe('estimate');
    expect(resolveModel('gemini-2.5-pro').info.tokenizer).toBe('estimate');
  });
});

describe('overrides', () => {
  it('merge over registry entries, by canonical or exact name', () => {
    const o = { 'claude-sonnet-4-5': { contextLimit: 1_000_000 }, 'claude-sonnet-4-5-20250929': { pricing: { input: 6 } } } as never;
    const a = resolveModel('claude-sonnet-4-5-20250929', o);
    expect(a.info.match).toBe('override');
    expect(a.info.contextLimit).toBe(1_000_000);
    expect(a.info.pricing).toEqual({ input: 6, output: 15, cachedInput: 0.3 });
    const b = resolveModel('claude-sonnet-4-5', o);
    expect(b.info.contextLimit).toBe(1_000_000);
    expect(b.info.pricing.input).toBe(3);
  });

  it('define unknown models without a warning', () => {
    const r = resolveModel('my-llm', { 'my-llm': { contextLimit: 32_768, outputBuffer: 2_048, tokenizer: 'cl100k_base', provider: 'openai' } });
    expect(r.warnings).toEqual([]);
    expect(r.info).toMatchObject({ contextLimit: 32_768, outputBuffer: 2_048, tokenizer: 'cl100k_base', provider: 'openai', match: 'override' });
  });

  it('clamp an inherited output buffer when the limit shrinks', () => {
    const r = resolveModel('gpt-5', { 'gpt-5': { contextLimit: 50_000 } });
    expect(r.info.outputBuffer).toBe(12_500);
    expect(promptBudget(r.info)).toBe(37_500);
  });

  it('throw ConfigurationError listing every invalid value', () => {
    const bad = {
      'gpt-4o': { contextLimit: -5, outputBuffer: 'big', pricing: { input: -1, output: Number.NaN } },
      'x-model': { context_limit: 100 },
      'y-model': 42,
      'z-model': { tokenizer: 'sentencepiece', provider: 'meta', contextLimit: 1000, outputBuffer: 1000 },
    } as never;
    let err: unknown;
    try {
      resolveModel('gpt-4o', bad);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigurationError);
    const msg = (err as Error).message;
    for (const needle of ['contextLimit must be an integer ≥ 1, got -5', 'outputBuffer must be an integer ≥ 0, got "big"', 'pricing.input', 'pricing.output', 'context_limit is not a model field', '"y-model"', 'tokenizer must be one of', 'provider must be one of', 'outputBuffer (1000) must be smaller than contextLimit (1000)']) {
      expect(msg).toContain(needle);
    }
    expect((err as ConfigurationError).details?.problems).toHaveLength(9);
    expect(validateModelOverrides({ ok: { contextLimit: 10 } })).toEqual([]);
    expect(validateModelOverrides('nope')).toHaveLength(1);
  });

  it('mergeModelOverrides: later layers win per field', () => {
    const m = mergeModelOverrides({ a: { contextLimit: 1, pricing: { input: 1, output: 2, cachedInput: 0 } } }, undefined, { a: { pricing: { input: 9 } as never }, b: { contextLimit: 5 } });
    expect(m).toEqual({ a: { contextLimit: 1, pricing: { input: 9, output: 2, cachedInput: 0 } }, b: { contextLimit: 5 } });
    expect(mergeModelOverrides(undefined, undefined)).toBeUndefined();
  });

  it('normalizeModelOverrides accepts shorthand and snake_case, drops invalid entries with warnings', () => {
    const { overrides, warnings } = normalizeModelOverrides({
      'gpt-4o': 64_000,
      'my-llm': { context_limit: 32_768, max_output_tokens: 4_096, pricing: { input: 0.5, cached_input: 0.1 }, tokenizer: 'cl100k_base' },
      bad: { contextLimit: -1 },
      worse: 'x',
      odd: { colour: 'red', contextLimit: 10 },
    });
    expect(overrides).toEqual({
      'gpt-4o': { contextLimit: 64_000 },
      'my-llm': { contextLimit: 32_768, maxOutputTokens: 4_096, pricing: { input: 0.5, cachedInput: 0.1 }, tokenizer: 'cl100k_base' },
      odd: { contextLimit: 10 },
    });
    expect(warnings).toHaveLength(3);
    expect(normalizeModelOverrides([1, 2]).warnings).toHaveLength(1);
  });
});

describe('registry data', () => {
  it('is internally consistent', () => {
    const models = listModels();
    expect(models.length).toBeGreaterThanOrEqual(45);
    for (const m of models) {
      expect(m.contextLimit).toBeGreaterThan(0);
      expect(m.outputBuffer).toBeGreaterThanOrEqual(0);
      expect(m.outputBuffer, m.canonical).toBeLessThan(m.contextLimit);
      expect(m.pricing.input).toBeGreaterThan(0);
      expect(m.pricing.output).toBeGreaterThanOrEqual(0);
      expect(m.pricing.cachedInput, m.canonical).toBeLessThanOrEqual(m.pricing.input);
      expect(['openai', 'anthropic', 'google']).toContain(m.provider);
      expect(m.tokenizer === 'estimate').toBe(m.provider !== 'openai');
    }
    const required = ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano', 'o1', 'o1-mini', 'o3', 'o3-mini', 'o4-mini', 'gpt-5', 'gpt-5-mini', 'gpt-5-nano', 'gpt-4-turbo', 'gpt-4', 'gpt-3.5-turbo', 'claude-opus-4-5', 'claude-opus-4-1', 'claude-opus-4', 'claude-sonnet-4-5', 'claude-sonnet-4', 'claude-haiku-4-5', 'claude-3-7-sonnet', 'claude-3-5-sonnet', 'claude-3-5-haiku', 'claude-3-opus', 'claude-3-haiku', 'gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.5-flash-lite', 'gemini-2.0-flash', 'gemini-1.5-pro', 'gemini-1.5-flash'];
    const names = new Set(models.map((m) => m.canonical));
    for (const r of required) expect(names.has(r), r).toBe(true);
  });

  it('has a dated price table and cost helper', () => {
    expect(PRICES_AS_OF).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(priceTableAgeDays(new Date(`${PRICES_AS_OF}T12:00:00Z`))).toBe(0);
    const info = resolveModel('gpt-4o').info;
    expect(estimateCostUSD(info, { input: 1_000_000, output: 1_000_000, cachedInput: 1_000_000 })).toBeCloseTo(2.5 + 10 + 1.25);
  });
});
