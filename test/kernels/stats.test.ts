/**
 * fieldStats, changePoints and kneedle: both backends against naive oracles.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { embeddedKernelsBytes, tsKernels } from '../../engine/kernels/index.js';
import type { FieldStats, Kernels } from '../../engine/kernels/types.js';
import { createWasmKernels, type WasmKernels } from '../../engine/kernels/wasm-binding.js';

// ---------- naive oracles ----------
const sum = (xs: number[]): number => xs.reduce((s, x) => s + x, 0);
const meanOf = (xs: number[]): number => sum(xs) / xs.length;
function sampleVariance(xs: number[]): number {
  if (xs.length < 2) return 0;
  const m = meanOf(xs);
  return sum(xs.map((x) => (x - m) * (x - m))) / (xs.length - 1);
}

interface PlainStats {
  count: number;
  mean: number;
  variance: number;
  std: number;
  min: number;
  max: number;
  zScores: ArrayLike<number>;
  outliers: ArrayLike<number>;
}
function oracleFieldStats(values: number[], k: number): PlainStats {
  const fin = values.filter(Number.isFinite);
  const count = fin.length;
  const mean = count ? meanOf(fin) : NaN;
  const variance = sampleVariance(fin);
  const std = Math.sqrt(variance);
  const zScores = values.map((x) => (Number.isFinite(x) && std > 0 ? (x - mean) / std : 0));
  return {
    count,
    mean,
    variance,
    std,
    min: count ? fin.reduce((a, b) => Math.min(a, b)) : NaN,
    max: count ? fin.reduce((a, b) => Math.max(a, b)) : NaN,
    zScores,
    outliers: values.map((x, i) => (Number.isFinite(x) && Math.abs(zScores[i]) > k ? 1 : 0)),
  };
}

function oracleChangePoints(values: number[], window: number, threshold: number): number[] {
  const w = Math.floor(window);
  if (!(w >= 1)) return [];
  const fin = values.filter(Number.isFinite);
  if (fin.length < 2 * w) return [];
  const sigma = Math.sqrt(sampleVariance(fin));
  if (!(sigma > 0)) return [];
  const kept: number[] = [];
  for (let i = w; i < values.length - w + 1 && i + w <= values.length; i++) {
    const prev = values.slice(i - w, i).filter(Number.isFinite);
    const next = values.slice(i, i + w).filter(Number.isFinite);
    if (prev.length === 0 || next.length === 0) continue;
    const isCandidate = Math.abs(meanOf(next) - meanOf(prev)) > threshold * sigma;
    const last = kept[kept.length - 1];
    if (isCandidate && (last === undefined || i > last + w)) kept.push(i);
  }
  return kept;
}

function oracleKneedle(y: number[], threshold = 0.05): number {
  if (y.length < 3) return -1;
  const fin = y.filter(Number.isFinite);
  if (fin.length === 0) return -1;
  const min = Math.min(...fin);
  const max = Math.max(...fin);
  if (max === min) return 0;
  let best = -1;
  let bestD = -Infinity;
  y.forEach((v, i) => {
    if (!Number.isFinite(v)) return;
    const d = (v - min) / (max - min) - i / (y.length - 1);
    if (d > bestD) {
      bestD = d;
      best = i;
    }
  });
  return bestD < threshold ? -1 : best;
}

// ---------- comparison ----------
function close(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}
function expectStatsClose(got: FieldStats, want: PlainStats): void {
  for (const key of ['count', 'mean', 'variance', 'std', 'min', 'max'] as const) {
    if (!close(got[key], want[key])) expect.fail(`${key}: got ${got[key]}, want ${want[key]}`);
  }
  expect(got.zScores).toBeInstanceOf(Float64Array);
  expect(got.outliers).toBeInstanceOf(Uint8Array);
  expect(got.zScores.length).toBe(want.zScores.length);
  for (let i = 0; i < want.zScores.length; i++) {
    if (!close(got.zScores[i], want.zScores[i])) expect.fail(`z[${i}]: got ${got.zScores[i]}, want ${want.zScores[i]}`);
  }
  expect(got.outliers.length).toBe(want.outliers.length);
  for (let i = 0; i < want.outliers.length; i++) {
    if (got.outliers[i] !== want.outliers[i]) expect.fail(`outlier[${i}]: got ${got.outliers[i]}, want ${want.outliers[i]}`);
  }
}

// ---------- backends ----------
function freshWasm(): { k: WasmKernels; memory: WebAssembly.Memory } {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(embeddedKernelsBytes()), {});
  return { k: createWasmKernels(instance), memory: instance.exports.memory as WebAssembly.Memory };
}
const backends: [string, Kernels][] = [
  ['ts', tsKernels],
  ['wasm', freshWasm().k],
];

const special = fc.constantFrom(NaN, Infinity, -Infinity);
const moderate = fc.double({ min: -1e6, max: 1e6, noNaN: true });
const value = fc.oneof({ weight: 8, arbitrary: moderate }, { weight: 1, arbitrary: special }, { weight: 1, arbitrary: fc.integer({ min: -3, max: 3 }) });
const anyDouble = fc.double(); // full range incl. NaN, ±Infinity, ±0, subnormals, ±MAX_VALUE

describe.each(backends)('fieldStats (%s)', (_name, k) => {
  it('matches the oracle (moderate values mixed with NaN/±Infinity)', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 200 }), fc.double({ min: 0, max: 4, noNaN: true }), (vals, kk) => {
        expectStatsClose(k.fieldStats(Float64Array.from(vals), kk), oracleFieldStats(vals, kk));
      }),
      { numRuns: 300 },
    );
  });

  it('matches the oracle on the full double range (overflow gives the same non-finite stats)', () => {
    fc.assert(
      fc.property(fc.array(anyDouble, { maxLength: 50 }), (vals) => {
        expectStatsClose(k.fieldStats(Float64Array.from(vals), 2), oracleFieldStats(vals, 2));
      }),
      { numRuns: 200 },
    );
  });

  it('edge cases: empty, one value, σ = 0, only non-finite, negative k', () => {
    const empty = k.fieldStats(new Float64Array(0), 2);
    expect(empty.count).toBe(0);
    expect(empty.mean).toBeNaN();
    expect(empty.min).toBeNaN();
    expect(empty.max).toBeNaN();
    expect(empty.variance).toBe(0);
    expect(empty.std).toBe(0);
    expect(empty.zScores.length).toBe(0);

    const one = k.fieldStats(Float64Array.from([3.5]), 2);
    expectStatsClose(one, oracleFieldStats([3.5], 2));
    expect(one.variance).toBe(0);

    const flat = [4, 4, NaN, 4, Infinity];
    expectStatsClose(k.fieldStats(Float64Array.from(flat), 2), oracleFieldStats(flat, 2));
    expect([...k.fieldStats(Float64Array.from(flat), -1).outliers]).toEqual([1, 1, 0, 1, 0]);

    const junk = [NaN, -Infinity, Infinity];
    const j = k.fieldStats(Float64Array.from(junk), 2);
    expectStatsClose(j, oracleFieldStats(junk, 2));
    expect(j.count).toBe(0);

    const out = [1, 2, 3, 2, 1, 2, 3, 2, 1, 100];
    const s = k.fieldStats(Float64Array.from(out), 2);
    expect(s.outliers[9]).toBe(1);
    expectStatsClose(s, oracleFieldStats(out, 2));
  });
});

describe.each(backends)('changePoints (%s)', (_name, k) => {
  const stepSeries = fc
    .array(fc.tuple(fc.integer({ min: 1, max: 30 }), fc.double({ min: -100, max: 100, noNaN: true })), { maxLength: 12 })
    .chain((segments) =>
      fc.array(fc.oneof({ weight: 9, arbitrary: fc.double({ min: -1, max: 1, noNaN: true }) }, { weight: 1, arbitrary: special }), {
        minLength: segments.reduce((s, [len]) => s + len, 0),
        maxLength: segments.reduce((s, [len]) => s + len, 0),
      }).map((noise) => {
        const out: number[] = [];
        for (const [len, level] of segments) for (let i = 0; i < len; i++) out.push(level);
        return out.map((x, i) => (Number.isFinite(noise[i]) ? x + noise[i] : noise[i]));
      }),
    );

  it('matches the oracle on noisy step series', () => {
    fc.assert(
      fc.property(stepSeries, fc.integer({ min: 1, max: 8 }), fc.double({ min: 0, max: 3, noNaN: true }), (vals, w, t) => {
        const got = k.changePoints(Float64Array.from(vals), w, t);
        expect(got).toBeInstanceOf(Uint32Array);
        expect([...got]).toEqual(oracleChangePoints(vals, w, t));
      }),
      { numRuns: 300 },
    );
  });

  it('matches the oracle on arbitrary values, windows and thresholds', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 120 }), fc.double({ min: -1, max: 12, noNaN: true }), fc.double({ min: -1, max: 3 }), (vals, w, t) => {
        expect([...k.changePoints(Float64Array.from(vals), w, t)]).toEqual(oracleChangePoints(vals, w, t));
      }),
      { numRuns: 300 },
    );
  });

  it('edge cases: empty, too short, σ = 0, threshold 0 on piecewise-constant data, NaN window', () => {
    expect(k.changePoints(new Float64Array(0), 5, 2).length).toBe(0);
    expect(k.changePoints(Float64Array.from([1, 2, 3]), 5, 2).length).toBe(0);
    expect(k.changePoints(new Float64Array(50).fill(0.1), 5, 0).length).toBe(0);
    expect(k.changePoints(Float64Array.from([1, 2, 3, 4]), NaN, 2).length).toBe(0);
    const steps = [...new Array(20).fill(0.1), ...new Array(20).fill(0.7), ...new Array(20).fill(0.3)];
    expect([...k.changePoints(Float64Array.from(steps), 5, 0)]).toEqual(oracleChangePoints(steps, 5, 0));
    const withHoles = steps.map((x, i) => (i % 7 === 3 ? NaN : x));
    expect([...k.changePoints(Float64Array.from(withHoles), 5, 2)]).toEqual(oracleChangePoints(withHoles, 5, 2));
    expect([...k.changePoints(Float64Array.from(withHoles), 5, 2)]).toEqual([20]);
  });
});

describe.each(backends)('kneedle (%s)', (_name, k) => {
  it('matches the oracle on increasing curves', () => {
    const curve = fc.array(fc.double({ min: 0, max: 50, noNaN: true }), { maxLength: 80 }).map((steps) => {
      let acc = 0;
      return steps.map((s) => (acc += s));
    });
    fc.assert(
      fc.property(curve, fc.option(fc.double({ min: 0, max: 0.5, noNaN: true }), { nil: undefined }), (y, t) => {
        expect(k.kneedle(Float64Array.from(y), t)).toBe(oracleKneedle(y, t));
      }),
      { numRuns: 300 },
    );
  });

  it('matches the oracle on arbitrary values', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 60 }), (y) => {
        expect(k.kneedle(Float64Array.from(y))).toBe(oracleKneedle(y));
      }),
      { numRuns: 300 },
    );
  });

  it('edge cases', () => {
    expect(k.kneedle(new Float64Array(0))).toBe(-1);
    expect(k.kneedle(Float64Array.from([1, 2]))).toBe(-1);
    expect(k.kneedle(Float64Array.from([3, 3, 3, 3]))).toBe(0); // flat → index 0 (the reference's "1 item")
    expect(k.kneedle(Float64Array.from([NaN, NaN, NaN]))).toBe(-1);
    expect(k.kneedle(Float64Array.from([0, 1, 2, 3, 4]))).toBe(-1); // straight line: max difference 0
    const saturating = Array.from({ length: 100 }, (_, i) => 1 - Math.exp(-i / 10));
    expect(k.kneedle(Float64Array.from(saturating))).toBe(oracleKneedle(saturating));
    expect(k.kneedle(Float64Array.from(saturating))).toBeGreaterThan(5);
  });
});

describe('WASM memory: growth and reuse', () => {
  it('2M values force growth and still match the oracle', () => {
    const { k, memory } = freshWasm();
    const before = memory.buffer.byteLength;
    const n = 2_000_000;
    const vals = new Array<number>(n);
    for (let i = 0; i < n; i++) vals[i] = i % 99_991 === 0 ? NaN : Math.sin(i) * 1000 + (i > n / 2 ? 50 : 0);
    const arr = Float64Array.from(vals);
    const got = k.fieldStats(arr, 3);
    expect(memory.buffer.byteLength).toBeGreaterThan(before + 16 * n);
    const want = oracleFieldStats(vals, 3);
    expectStatsClose(got, want);
    expectStatsClose(tsKernels.fieldStats(arr, 3), want);
    expect([...k.changePoints(arr, 5, 2)]).toEqual([...tsKernels.changePoints(arr, 5, 2)]);
    expect(k.kneedle(arr)).toBe(tsKernels.kneedle(arr));
  });

  it('1,000 repeated calls do not grow memory', () => {
    const { k, memory } = freshWasm();
    const vals = Float64Array.from({ length: 10_000 }, (_, i) => Math.cos(i) + (i > 5000 ? 3 : 0));
    const fps = BigUint64Array.from({ length: 500 }, (_, i) => BigInt(i) * 0x9e3779b97f4a7c15n & ((1n << 64n) - 1n));
    const shingles = Uint32Array.from({ length: 20_000 }, (_, i) => i);
    const offsets = Uint32Array.from({ length: 501 }, (_, i) => i * 40);
    const texts = Array.from({ length: 200 }, (_, i) => `Line ${i} of the LOG: status ${i % 3 ? 'ok' : 'error'} 😀`);
    const warm = () => {
      k.fieldStats(vals, 2);
      k.changePoints(vals, 5, 2);
      k.kneedle(vals);
      k.simhash(shingles, offsets);
      k.hammingTo(fps, 1n);
      k.groupNearDuplicates(fps, 3);
      k.bm25(shingles, offsets, Uint32Array.from([1, 2, 3]));
      k.simhashTexts(texts, 4);
      k.bm25Texts(texts, 'Line 7 of the log');
    };
    warm();
    const size = memory.buffer.byteLength;
    const first = k.fieldStats(vals, 2);
    for (let i = 0; i < 1000; i++) warm();
    expect(memory.buffer.byteLength).toBe(size);
    expect(size).toBeLessThan(8 << 20); // bounded by the largest single call, not by the number of calls
    const last = k.fieldStats(vals, 2);
    expect(last.mean).toBe(first.mean);
    expect(last.zScores).toEqual(first.zScores);
  });
});
