/**
 * SimHash, Hamming distance and greedy grouping: both backends against a naive BigInt oracle.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../engine/errors.js';
import { embeddedKernelsBytes, tsKernels } from '../../engine/kernels/index.js';
import type { Kernels } from '../../engine/kernels/types.js';
import { createWasmKernels } from '../../engine/kernels/wasm-binding.js';

// ---------- naive oracle ----------
const M64 = (1n << 64n) - 1n;
function splitmix64(x: number): bigint {
  let z = (BigInt(x) + 0x9e3779b97f4a7c15n) & M64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
  return z ^ (z >> 31n);
}
function oracleFingerprint(shingles: number[]): bigint {
  const votes = new Array<number>(64).fill(0);
  for (const s of shingles) {
    const h = splitmix64(s);
    for (let b = 0; b < 64; b++) votes[b] += (h >> BigInt(b)) & 1n ? 1 : -1;
  }
  let fp = 0n;
  for (let b = 0; b < 64; b++) if (votes[b] > 0) fp |= 1n << BigInt(b);
  return fp;
}
function oracleHamming(a: bigint, b: bigint): number {
  return [...(a ^ b).toString(2)].filter((c) => c === '1').length;
}
function oracleGroups(fps: bigint[], d: number): number[] {
  const reps: number[] = [];
  return fps.map((fp, i) => {
    for (const r of reps) if (oracleHamming(fps[r], fp) <= d) return r;
    reps.push(i);
    return i;
  });
}
function pack(items: number[][]): { shingles: Uint32Array; offsets: Uint32Array } {
  const offsets = new Uint32Array(items.length + 1);
  items.forEach((it, i) => (offsets[i + 1] = offsets[i] + it.length));
  return { shingles: Uint32Array.from(items.flat()), offsets };
}

// ---------- backends ----------
function freshWasm(): { k: Kernels; memory: WebAssembly.Memory } {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(embeddedKernelsBytes()), {});
  return { k: createWasmKernels(instance), memory: instance.exports.memory as WebAssembly.Memory };
}
const wasm = freshWasm().k;
const backends: [string, Kernels][] = [
  ['ts', tsKernels],
  ['wasm', wasm],
];

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const fp64 = fc.bigInt({ min: 0n, max: M64 });

describe('oracle self-check', () => {
  it('splitmix64 matches the published first output for seed 0', () => {
    // Vigna's splitmix64.c with state 0: first next() = 0xe220a8397b1dcdaf.
    expect(splitmix64(0)).toBe(0xe220a8397b1dcdafn);
  });
});

describe.each(backends)('simhash (%s)', (_name, k) => {
  it('matches the oracle on random items', () => {
    fc.assert(
      fc.property(fc.array(fc.array(u32, { maxLength: 60 }), { maxLength: 40 }), (items) => {
        const { shingles, offsets } = pack(items);
        const got = k.simhash(shingles, offsets);
        expect(got).toBeInstanceOf(BigUint64Array);
        expect([...got]).toEqual(items.map(oracleFingerprint));
      }),
      { numRuns: 150 },
    );
  });

  it('handles empty input, empty items, single shingles and > 255 shingles (lane flush)', () => {
    expect(k.simhash(new Uint32Array(0), new Uint32Array(0)).length).toBe(0);
    expect(k.simhash(new Uint32Array(0), new Uint32Array([0])).length).toBe(0);
    const long = Array.from({ length: 1000 }, (_, i) => (i * 2654435761) >>> 0);
    const dup = new Array<number>(600).fill(7); // one shingle repeated: fingerprint = its hash
    const items = [[], [42], long, dup, [1, 2], []];
    const { shingles, offsets } = pack(items);
    expect([...k.simhash(shingles, offsets)]).toEqual(items.map(oracleFingerprint));
    expect(k.simhash(shingles, offsets)[0]).toBe(0n);
    expect(k.simhash(shingles, offsets)[3]).toBe(splitmix64(7));
  });

  it('respects offsets that do not start at 0 and ignores trailing data', () => {
    const shingles = Uint32Array.from([9, 9, 9, 1, 2, 3, 4, 5, 9, 9]);
    const offsets = Uint32Array.from([3, 5, 8]);
    expect([...k.simhash(shingles, offsets)]).toEqual([oracleFingerprint([1, 2]), oracleFingerprint([3, 4, 5])]);
  });

  it('rejects malformed offsets', () => {
    expect(() => k.simhash(new Uint32Array(3), Uint32Array.from([0, 2, 1]))).toThrow(ConfigurationError);
    expect(() => k.simhash(new Uint32Array(3), Uint32Array.from([0, 4]))).toThrow(ConfigurationError);
  });
});

describe.each(backends)('hammingTo (%s)', (_name, k) => {
  it('matches the oracle', () => {
    fc.assert(
      fc.property(fc.array(fp64, { maxLength: 80 }), fp64, (fps, ref) => {
        const got = k.hammingTo(BigUint64Array.from(fps), ref);
        expect([...got]).toEqual(fps.map((f) => oracleHamming(f, ref)));
      }),
      { numRuns: 200 },
    );
  });

  it('handles empty input, subarray views and a negative ref (two’s complement)', () => {
    expect(k.hammingTo(new BigUint64Array(0), 5n).length).toBe(0);
    const all = BigUint64Array.from([1n, M64, 0n, 0xffn]);
    expect([...k.hammingTo(all.subarray(1), 0n)]).toEqual([64, 0, 8]);
    expect([...k.hammingTo(BigUint64Array.from([M64, 0n]), -1n)]).toEqual([0, 64]);
  });
});

describe.each(backends)('groupNearDuplicates (%s)', (_name, k) => {
  it('matches the greedy oracle', () => {
    // Few distinct base fingerprints with a few flipped bits so groups actually form.
    const clustered = fc
      .tuple(fc.array(fp64, { minLength: 1, maxLength: 5 }), fc.array(fc.tuple(fc.nat(), fc.array(fc.integer({ min: 0, max: 63 }), { maxLength: 5 })), { maxLength: 80 }))
      .map(([bases, picks]) =>
        picks.map(([p, bits]) => bits.reduce((fp, b) => fp ^ (1n << BigInt(b)), bases[p % bases.length])),
      );
    fc.assert(
      fc.property(clustered, fc.integer({ min: -2, max: 66 }), (fps, d) => {
        const got = k.groupNearDuplicates(BigUint64Array.from(fps), d);
        expect(got).toBeInstanceOf(Int32Array);
        expect([...got]).toEqual(oracleGroups(fps, Math.max(-1, Math.min(64, d))));
      }),
      { numRuns: 200 },
    );
  });

  it('edge cases: empty, one item, fractional and infinite distances, NaN throws', () => {
    expect(k.groupNearDuplicates(new BigUint64Array(0), 3).length).toBe(0);
    expect([...k.groupNearDuplicates(BigUint64Array.from([5n]), 3)]).toEqual([0]);
    const fps = BigUint64Array.from([0n, 1n, 3n, 7n, M64]);
    expect([...k.groupNearDuplicates(fps, 1.9)]).toEqual([0, 0, 2, 2, 4]);
    expect([...k.groupNearDuplicates(fps, Infinity)]).toEqual([0, 0, 0, 0, 0]);
    expect([...k.groupNearDuplicates(fps, -Infinity)]).toEqual([0, 1, 2, 3, 4]);
    expect(() => k.groupNearDuplicates(fps, NaN)).toThrow(ConfigurationError);
  });
});

describe('simhash WASM memory', () => {
  it('grows for 2M shingles and agrees with TS', () => {
    const { k, memory } = freshWasm();
    const before = memory.buffer.byteLength;
    const n = 2_000_000;
    const shingles = new Uint32Array(n);
    for (let i = 0; i < n; i++) shingles[i] = Math.imul(i, 0x9e3779b1) >>> 0;
    const offsets = new Uint32Array(20_001);
    for (let i = 0; i <= 20_000; i++) offsets[i] = i * 100;
    const got = k.simhash(shingles, offsets);
    expect(memory.buffer.byteLength).toBeGreaterThan(before);
    expect(got).toEqual(tsKernels.simhash(shingles, offsets));
    expect(got[123]).toBe(oracleFingerprint([...shingles.subarray(12_300, 12_400)]));
  });
});
