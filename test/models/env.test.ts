import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MODEL_LIMITS_ENV, readEnvModelOverrides, readEnvModelOverridesDetailed } from '../../sdk/env-model-limits.js';
import { resolveModel, mergeModelOverrides } from '../../engine/models/index.js';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
});

describe('HEADROOM_MODEL_LIMITS', () => {
  it('is undefined when unset', () => {
    vi.stubEnv(MODEL_LIMITS_ENV, '');
    expect(readEnvModelOverrides()).toBeUndefined();
    expect(readEnvModelOverridesDetailed().source).toBe('none');
  });

  it('reads a JSON string', () => {
    vi.stubEnv(MODEL_LIMITS_ENV, '{"gpt-4o": 64000, "my-llm": {"context_limit": 32768, "tokenizer": "cl100k_base"}}');
    const o = readEnvModelOverrides();
    expect(o).toEqual({ 'gpt-4o': { contextLimit: 64_000 }, 'my-llm': { contextLimit: 32_768, tokenizer: 'cl100k_base' } });
    expect(resolveModel('gpt-4o-2024-08-06', o).info.contextLimit).toBe(64_000);
    expect(resolveModel('my-llm', o).warnings).toEqual([]);
  });

  it('reads a JSON file path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'headroom-limits-'));
    const file = join(dir, 'limits.json');
    writeFileSync(file, JSON.stringify({ 'claude-sonnet-4-5': { contextLimit: 1_000_000 } }));
    vi.stubEnv(MODEL_LIMITS_ENV, file);
    const r = readEnvModelOverridesDetailed();
    expect(r.source).toBe('file');
    expect(r.warnings).toEqual([]);
    expect(resolveModel('claude-sonnet-4-5-20250929', r.overrides).info.contextLimit).toBe(1_000_000);
  });

  it('warns (never throws) on bad JSON, missing files and invalid entries', () => {
    const warnings: string[] = [];
    vi.stubEnv(MODEL_LIMITS_ENV, '{"gpt-4o": ');
    expect(readEnvModelOverrides({ onWarning: (w) => warnings.push(w) })).toBeUndefined();
    vi.stubEnv(MODEL_LIMITS_ENV, '/definitely/not/here.json');
    expect(readEnvModelOverrides({ onWarning: (w) => warnings.push(w) })).toBeUndefined();
    vi.stubEnv(MODEL_LIMITS_ENV, '{"a": -1, "b": {"contextLimit": 100}}');
    expect(readEnvModelOverrides({ onWarning: (w) => warnings.push(w) })).toEqual({ b: { contextLimit: 100 } });
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(/not valid JSON/);
    expect(warnings[1]).toMatch(/could not read/);
    expect(warnings[2]).toMatch(/'a' ignored/);
  });

  it('accepts an explicit env object and file reader', () => {
    const r = readEnvModelOverridesDetailed({ [MODEL_LIMITS_ENV]: 'limits.json' }, () => '{"x": 5000}');
    expect(r.overrides).toEqual({ x: { contextLimit: 5000 } });
  });

  it('returns undefined outside Node (no process global)', () => {
    vi.stubGlobal('process', undefined);
    expect(readEnvModelOverridesDetailed()).toEqual({ overrides: undefined, warnings: [], source: 'none' });
  });

  it('options win over env when merged', () => {
    const env = { 'gpt-4o': { contextLimit: 64_000 } };
    const merged = mergeModelOverrides(env, { 'gpt-4o': { contextLimit: 100_000 } });
    expect(resolveModel('gpt-4o', merged).info.contextLimit).toBe(100_000);
  });
});
