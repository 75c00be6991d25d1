import { describe, expect, it } from 'vitest';
import { Tiktoken } from 'js-tiktoken/lite';
import o200kRanks from 'js-tiktoken/ranks/o200k_base';
import cl100kRanks from 'js-tiktoken/ranks/cl100k_base';
import { ConfigurationError, TokenizationError } from '../../engine/errors.js';
import {
  getEstimatingCounter,
  getLoadedTokenCounter,
  getTokenCounter,
  isEncodingLoaded,
  registerEncodingRanks,
  unloadEncoding,
} from '../../engine/tokenizer/index.js';
import { resolveModel } from '../../engine/models/index.js';
import { varietyStrings } from '../../bench/tokenizer-corpus.js';

describe('getTokenCounter', () => {
  it('is exact for OpenAI families and matches js-tiktoken', async () => {
    const ref = { o200k_base: new Tiktoken(o200kRanks), cl100k_base: new Tiktoken(cl100kRanks) };
    for (const [model, enc] of [
      ['gpt-4o', 'o200k_base'],
      ['gpt-4.1-mini-2025-04-14', 'o200k_base'],
      ['o3-mini', 'o200k_base'],
      ['gpt-5', 'o200k_base'],
      ['gpt-4-turbo', 'cl100k_base'],
      ['gpt-3.5-turbo', 'cl100k_base'],
      ['text-embedding-3-small', 'cl100k_base'],
    ] as const) {
      const c = await getTokenCounter(model);
      expect(c.exact, model).toBe(true);
      expect(c.encoding, model).toBe(enc);
      expect(c.warnings).toEqual([]);
      for (const s of varietyStrings(5).filter((x) => x.length <= 2000).slice(0, 25)) {
        expect(c.countText(s)).toBe(ref[enc].encode(s, [], []).length);
      }
    }
  });

  it('estimates Claude, Gemini and unknown models', async () => {
    for (const [model, profile] of [
      ['claude-sonnet-4-5-20250929', 'claude'],
      ['claude-3-haiku-20240307', 'claude'],
      ['gemini-2.5-pro', 'gemini'],
      ['some-local-llm', 'unknown'],
    ] as const) {
      const c = await getTokenCounter(model);
      expect(c.exact).toBe(false);
      expect(c.encoding).toBeNull();
      expect(c.profile).toBe(profile);
      expect(c.countText('')).toBe(0);
      expect(c.countText('hi')).toBeGreaterThanOrEqual(1);
    }
    const unknown = await getTokenCounter('some-local-llm');
    expect(unknown.warnings.join(' ')).toMatch(/Unknown model 'some-local-llm'/);
  });

  it('Claude estimates exceed the cl100k estimate by the documented factor', async () => {
    const claude = await getTokenCounter('claude-sonnet-4-5');
    const unknown = await getTokenCounter('x-unknown');
    const text = 'The committee concluded that further research would be needed before any recommendation could be made. '.repeat(20);
    // prose: claude ×1.15, unknown ×1.10 over the same cl100k fit
    expect(claude.countText(text) / unknown.countText(text)).toBeCloseTo(1.15 / 1.1, 2);
  });

  it('requireExact rejects estimate-only models', async () => {
    await expect(getTokenCounter('claude-opus-4-1', { requireExact: true })).rejects.toBeInstanceOf(TokenizationError);
  });

  it('accepts a ModelInfo', async () => {
    const { info } = resolveModel('gpt-4o-mini');
    const c = await getTokenCounter(info);
    expect(c.model).toBe('gpt-4o-mini');
    expect(c.exact).toBe(true);
  });

  it('passes modelOverrides to the resolver and rejects invalid ones', async () => {
    const c = await getTokenCounter('my-llm', { modelOverrides: { 'my-llm': { contextLimit: 32_000, tokenizer: 'cl100k_base' } } });
    expect(c.exact).toBe(true);
    expect(c.info.contextLimit).toBe(32_000);
    expect(c.warnings).toEqual([]);
    await expect(getTokenCounter('gpt-4o', { modelOverrides: { 'gpt-4o': { contextLimit: -1 } } })).rejects.toBeInstanceOf(ConfigurationError);
  });

  it('memoizes large strings without changing results', async () => {
    const c = await getTokenCounter('gpt-4o');
    const noMemo = await getTokenCounter('gpt-4o', { memo: false });
    const big = varietyStrings(8).join('\n').repeat(3);
    const first = c.countText(big);
    expect(c.countText(big)).toBe(first);
    expect(c.countText(big.slice(0) + '')).toBe(first);
    expect(noMemo.countText(big)).toBe(first);
  });
});

describe('getLoadedTokenCounter / supplied ranks', () => {
  it('is exact with supplied ranks and estimates (with a warning) without', () => {
    unloadEncoding('cl100k_base');
    expect(isEncodingLoaded('cl100k_base')).toBe(false);
    const est = getLoadedTokenCounter('gpt-4');
    expect(est.exact).toBe(false);
    expect(est.warnings.join(' ')).toMatch(/not loaded/);
    expect(() => getLoadedTokenCounter('gpt-4', { requireExact: true })).toThrow(TokenizationError);

    const exact = getLoadedTokenCounter('gpt-4', { ranks: { cl100k_base: cl100kRanks } });
    expect(exact.exact).toBe(true);
    expect(exact.countText('hello world')).toBe(2);
    expect(isEncodingLoaded('cl100k_base')).toBe(true);
  });

  it('accepts a bare rank object for the model encoding', () => {
    unloadEncoding('o200k_base');
    const c = getLoadedTokenCounter('gpt-4o', { ranks: o200kRanks });
    expect(c.exact).toBe(true);
    expect(c.encoding).toBe('o200k_base');
  });

  it('rejects ranks of the wrong encoding', () => {
    unloadEncoding('o200k_base');
    expect(() => registerEncodingRanks('o200k_base', cl100kRanks)).toThrow(TokenizationError);
    const c = getLoadedTokenCounter('gpt-4o', { ranks: { o200k_base: cl100kRanks } });
    expect(c.exact).toBe(false);
    expect(c.warnings.join(' ')).toMatch(/expected 199998/);
    expect(() => getLoadedTokenCounter('gpt-4o', { ranks: { o200k_base: cl100kRanks }, requireExact: true })).toThrow(TokenizationError);
  });

  it('getEstimatingCounter never loads', () => {
    const c = getEstimatingCounter('gpt-4o');
    expect(c.exact).toBe(false);
    expect(c.profile).toBe('o200k_base');
  });
});

describe('bad input from JS callers', () => {
  it('resolves non-string models to the fallback and counts non-strings as 0', async () => {
    const c = await getTokenCounter(undefined as never);
    expect(c.exact).toBe(false);
    expect(c.warnings.join(' ')).toMatch(/Unknown model 'undefined'/);
    expect(c.countText(undefined as never)).toBe(0);
    expect(c.countText(42 as never)).toBe(0);
  });
});
