import { describe, expect, it } from 'vitest';
import o200kRanks from 'js-tiktoken/ranks/o200k_base';
import cl100kRanks from 'js-tiktoken/ranks/cl100k_base';
import { BpeCore } from '../../engine/tokenizer/bpe.js';
import { CALIBRATION, classifyContent, estimateTokens, FEATURES, SAMPLE_ABOVE, textStats } from '../../engine/tokenizer/estimator.js';
import { calibrate, groupSample, TRAIN_GROUPS, type TrainGroup } from '../../bench/tokenizer-calibrate.js';
import { genClass } from '../../bench/tokenizer-corpus.js';

const cores = { o200k_base: new BpeCore('o200k_base', o200kRanks), cl100k_base: new BpeCore('cl100k_base', cl100kRanks) };

/**
 * Documented tolerance (held-out samples, seeds disjoint from the calibration set):
 * per sample of ≥ 2 000 chars within ±15 %, mean |error| per class ≤ 6 %.
 * (Short strings are noisier: ±25 % at ~100 chars.)
 */
const SAMPLE_TOL = 0.15;
const MEAN_TOL = 0.06;

describe.each(['o200k_base', 'cl100k_base'] as const)('estimator vs %s', (enc) => {
  const core = cores[enc];
  it.each(TRAIN_GROUPS as unknown as TrainGroup[])('%s stays within tolerance', (group) => {
    const errs: number[] = [];
    for (const size of [2_000, 8_000, 30_000]) {
      for (let i = 0; i < 4; i++) {
        const s = groupSample(group, size, 10_000 + i * 37 + size);
        const exact = core.count(s);
        const err = estimateTokens(s, enc) / exact - 1;
        expect(Math.abs(err), `${group} ${size} #${i}: ${(err * 100).toFixed(1)}%`).toBeLessThanOrEqual(SAMPLE_TOL);
        errs.push(Math.abs(err));
      }
    }
    expect(errs.reduce((a, b) => a + b, 0) / errs.length).toBeLessThanOrEqual(MEAN_TOL);
  });

  it('stays within tolerance on sampled multi-MB-ish strings', () => {
    const s = genClass('prose', SAMPLE_ABOVE * 4, 77) + genClass('code', SAMPLE_ABOVE * 2, 78);
    expect(textStats(s).sampled).toBe(true);
    expect(Math.abs(estimateTokens(s, enc) / core.count(s) - 1)).toBeLessThanOrEqual(SAMPLE_TOL);
  });
});

describe('calibration constants', () => {
  it('are reproduced by bench/tokenizer-calibrate.ts', async () => {
    for (const enc of ['o200k_base', 'cl100k_base'] as const) {
      const run = await calibrate(enc, cores[enc]);
      for (const f of FEATURES) expect(run.weights[f], `${enc}.${f}`).toBeCloseTo(CALIBRATION[enc][f], 3);
    }
  });
});

describe('estimateTokens', () => {
  it('is 0 for empty text and ≥ 1 otherwise', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('a')).toBe(1);
    expect(estimateTokens(' ', 'claude')).toBe(1);
  });

  it('extrapolates sampled large strings consistently (speed is measured in bench/tokenizer.ts)', () => {
    const big = genClass('json', 4_000_000, 3);
    const half = big.slice(0, big.length / 2);
    const ratio = estimateTokens(big, 'claude') / (2 * estimateTokens(half, 'claude'));
    expect(ratio).toBeGreaterThan(0.9);
    expect(ratio).toBeLessThan(1.1);
  });
});

describe('classifyContent', () => {
  it('detects each generated class', () => {
    for (const cls of ['prose', 'code', 'json', 'cjk'] as const) {
      for (let seed = 1; seed <= 5; seed++) expect(classifyContent(genClass(cls, 5_000, seed)), `${cls} #${seed}`).toBe(cls);
    }
  });
});
