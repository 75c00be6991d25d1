/**
 * BM25 over u32 term ids: both backends against a naive oracle written from the definition.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../engine/errors.js';
import { embeddedKernelsBytes, tsKernels } from '../../engine/kernels/index.js';
import type { Bm25Params, Kernels } from '../../engine/kernels/types.js';
import { createWasmKernels } from '../../engine/kernels/wasm-binding.js';

// ---------- naive oracle ----------
function oracleBm25(docs: number[][], query: number[], k1 = 1.5, b = 0.75): number[] {
  const N = docs.length;
  const avgdl = docs.reduce((s, d) => s + d.length, 0) / N;
  const scores = new Array<number>(N).fill(0);
  for (const q of query) {
    const df = docs.filter((d) => d.includes(q)).length;
    const idf = Math.log(1 + (N - df + 0.5) / (df + 0.5));
    docs.forEach((d, i) => {
      const tf = d.filter((t) => t === q).length;
      if (tf === 0) return;
      const ratio = avgdl > 0 ? d.length / avgdl : 0;
      scores[i] += (idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + b * ratio));
    });
  }
  return scores;
}
function pack(docs: number[][]): { terms: Uint32Array; offsets: Uint32Array } {
  const offsets = new Uint32Array(docs.length + 1);
  docs.forEach((d, i) => (offsets[i + 1] = offsets[i] + d.length));
  return { terms: Uint32Array.from(docs.flat()), offsets };
}
function expectClose(got: ArrayLike<number>, want: ArrayLike<number>): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const a = got[i];
    const e = want[i];
    if (Math.abs(a - e) > 1e-9 * Math.max(Math.abs(a), Math.abs(e))) {
      expect.fail(`index ${i}: got ${a}, want ${e}`);
    }
  }
}

// ---------- backends ----------
const instance = new WebAssembly.Instance(new WebAssembly.Module(embeddedKernelsBytes()), {});
const wasm = createWasmKernels(instance);
const backends: [string, Kernels][] = [
  ['ts', tsKernels],
  ['wasm', wasm],
];

// Small vocabulary so terms repeat; include 0 and 0xffffffff (hash-table sentinels are a classic bug).
const term = fc.oneof(fc.integer({ min: 0, max: 12 }), fc.constantFrom(0, 0xffffffff, 0x80000000));

describe.each(backends)('bm25 (%s)', (_name, k) => {
  it('matches the oracle with default parameters', () => {
    fc.assert(
      fc.property(fc.array(fc.array(term, { maxLength: 30 }), { maxLength: 30 }), fc.array(term, { maxLength: 8 }), (docs, query) => {
        const { terms, offsets } = pack(docs);
        const got = k.bm25(terms, offsets, Uint32Array.from(query));
        expect(got).toBeInstanceOf(Float64Array);
        expectClose(got, docs.length ? oracleBm25(docs, query) : []);
      }),
      { numRuns: 300 },
    );
  });

  it('matches the oracle with random k1 and b', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(term, { maxLength: 20 }), { minLength: 1, maxLength: 20 }),
        fc.array(term, { minLength: 1, maxLength: 6 }),
        fc.double({ min: 0, max: 3, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (docs, query, k1, b) => {
          const { terms, offsets } = pack(docs);
          const params: Bm25Params = { k1, b };
          expectClose(k.bm25(terms, offsets, Uint32Array.from(query), params), oracleBm25(docs, query, k1, b));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('edge cases', () => {
    // no documents
    expect(k.bm25(new Uint32Array(0), new Uint32Array(0), Uint32Array.from([1])).length).toBe(0);
    expect(k.bm25(new Uint32Array(0), Uint32Array.from([0]), Uint32Array.from([1])).length).toBe(0);
    // empty query → zeros
    expect([...k.bm25(Uint32Array.from([1, 2]), Uint32Array.from([0, 1, 2]), new Uint32Array(0))]).toEqual([0, 0]);
    // all documents empty (avgdl 0)
    expect([...k.bm25(new Uint32Array(0), Uint32Array.from([0, 0, 0]), Uint32Array.from([1]))]).toEqual([0, 0]);
    // one document, one term
    expectClose(k.bm25(Uint32Array.from([7]), Uint32Array.from([0, 1]), Uint32Array.from([7])), oracleBm25([[7]], [7]));
    // duplicated query terms count twice
    const docs = [[1, 2, 3], [3, 3], [4]];
    const { terms, offsets } = pack(docs);
    const once = k.bm25(terms, offsets, Uint32Array.from([3]));
    const twice = k.bm25(terms, offsets, Uint32Array.from([3, 3]));
    expectClose(twice, [...once].map((x) => 2 * x));
    expectClose(twice, oracleBm25(docs, [3, 3]));
  });

  it('respects offsets that do not start at 0', () => {
    const terms = Uint32Array.from([9, 9, 1, 2, 2, 3, 9]);
    const offsets = Uint32Array.from([2, 4, 6]);
    expectClose(k.bm25(terms, offsets, Uint32Array.from([2, 9])), oracleBm25([[1, 2], [2, 3]], [2, 9]));
  });

  it('rejects malformed offsets', () => {
    expect(() => k.bm25(new Uint32Array(2), Uint32Array.from([0, 3]), new Uint32Array(1))).toThrow(ConfigurationError);
  });

  it('large batch (memory growth on WASM) agrees with the oracle on a sample', () => {
    const n = 20_000;
    const docs: number[][] = [];
    let seed = 12345;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) / 2 ** 24;
    for (let i = 0; i < n; i++) docs.push(Array.from({ length: 20 + Math.floor(rnd() * 40) }, () => Math.floor(rnd() * 5000)));
    const query = [1, 2, 3, 4, 5, 42, 42, 4999];
    const { terms, offsets } = pack(docs);
    const got = k.bm25(terms, offsets, Uint32Array.from(query));
    // Oracle on the whole batch is O(N·|q|·dl); fine here (~10M ops).
    expectClose(got, oracleBm25(docs, query));
  });
});
