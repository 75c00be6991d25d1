/**
 * String → u32 helpers (engine/kernels/hash.ts) and the fused WASM string paths, against naive
 * oracles: byte-wise MurmurHash3_x86_32 over UTF-32LE, Array.from code points, the reference
 * tokenizer regex, and the naive SimHash / BM25 definitions.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bm25Strings,
  hashCodePoints,
  hashString,
  packShingles,
  packTermIds,
  shingleHashes,
  simhashStrings,
  termIds,
} from '../../engine/kernels/hash.js';
import { embeddedKernelsBytes, routeKernels, tsKernels } from '../../engine/kernels/index.js';
import type { Kernels } from '../../engine/kernels/types.js';
import { createWasmKernels } from '../../engine/kernels/wasm-binding.js';

// ---------- naive oracles ----------
/** MurmurHash3_x86_32, byte-wise, straight from the reference algorithm. */
function murmur3(bytes: Uint8Array, seed = 0): number {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let h = seed | 0;
  const blocks = bytes.length >> 2;
  for (let i = 0; i < blocks; i++) {
    let k = bytes[4 * i] | (bytes[4 * i + 1] << 8) | (bytes[4 * i + 2] << 16) | (bytes[4 * i + 3] << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = blocks * 4;
  const rem = bytes.length & 3;
  if (rem > 0) {
    let k = 0;
    if (rem === 3) k ^= bytes[tail + 2] << 16;
    if (rem >= 2) k ^= bytes[tail + 1] << 8;
    k ^= bytes[tail];
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
  }
  h ^= bytes.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
function codePoints(s: string): number[] {
  return Array.from(s, (c) => {
    const cp = c.codePointAt(0)!;
    return cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp;
  });
}
function utf32le(cps: number[]): Uint8Array {
  const out = new Uint8Array(cps.length * 4);
  const view = new DataView(out.buffer);
  cps.forEach((cp, i) => view.setUint32(4 * i, cp, true));
  return out;
}
const oracleHash = (s: string): number => murmur3(utf32le(codePoints(s)));
function oracleShingles(text: string, n = 4): number[] {
  const cps = codePoints(text.toLowerCase());
  if (cps.length === 0) return [];
  if (cps.length <= n) return [murmur3(utf32le(cps))];
  const out: number[] = [];
  for (let i = 0; i + n <= cps.length; i++) out.push(murmur3(utf32le(cps.slice(i, i + n))));
  return out;
}
const TOKEN = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b|[a-z0-9_]+/g;
const oracleTokens = (text: string): string[] => text.toLowerCase().match(TOKEN) ?? [];
const oracleTermIds = (text: string): number[] => oracleTokens(text).map(oracleHash);

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
function oracleBm25(docs: number[][], query: number[], k1 = 1.5, b = 0.75): number[] {
  const N = docs.length;
  const avgdl = docs.reduce((s, d) => s + d.length, 0) / N;
  const scores = new Array<number>(N).fill(0);
  for (const q of query) {
    const df = docs.filter((d) => d.includes(q)).length;
    const idf = Math.log(1 + (N - df + 0.5) / (df + 0.5));
    docs.forEach((d, i) => {
      const tf = d.filter((t) => t === q).length;
      if (tf > 0) scores[i] += (idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + b * (avgdl > 0 ? d.length / avgdl : 0)));
    });
  }
  return scores;
}
function expectClose(got: ArrayLike<number>, want: ArrayLike<number>): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (Math.abs(got[i] - want[i]) > 1e-9 * Math.max(Math.abs(got[i]), Math.abs(want[i]))) expect.fail(`[${i}] got ${got[i]}, want ${want[i]}`);
  }
}

// ---------- backends ----------
const wasm = createWasmKernels(new WebAssembly.Instance(new WebAssembly.Module(embeddedKernelsBytes()), {}));
const backends: [string, Kernels][] = [
  ['ts', tsKernels],
  ['wasm (fused text path)', wasm],
  ['wasm (numeric kernels only)', routeKernels(wasm, { simhash: 'wasm', hammingTo: 'wasm', groupNearDuplicates: 'wasm', bm25: 'wasm', fieldStats: 'wasm', changePoints: 'wasm', kneedle: 'wasm', simhashTexts: 'ts', bm25Texts: 'ts' })],
];

// Text with the tricky parts: case, UUIDs (any case, glued or not), long numbers, non-ASCII
// letters whose lowercase is ASCII (K Kelvin sign, İ), astral code points and lone surrogates.
const piece = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: fc.constantFrom(...'abcXYZ019_-. '), maxLength: 12 }),
  fc.tuple(fc.uuid(), fc.boolean()).map(([u, up]) => (up ? u.toUpperCase() : u)),
  fc.constantFrom('\u212a', '\u0130', '😀', '\ud800', '\udc00x', 'ÄÖÜß', '12345', 'x', ' ', '-', '_'),
);
const text = fc.array(piece, { maxLength: 8 }).map((parts) => parts.join(''));

describe('murmur3 oracle self-check (published MurmurHash3_x86_32 vectors, seed 0)', () => {
  it('matches known values', () => {
    expect(murmur3(new Uint8Array(0))).toBe(0);
    expect(murmur3(utf8('hello'))).toBe(0x248bfa47);
    expect(murmur3(utf8('The quick brown fox jumps over the lazy dog'))).toBe(0x2e4ff723);
  });
});

describe('hashString / hashCodePoints', () => {
  it('equal Murmur3 of the UTF-32LE encoding', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(hashString(s)).toBe(oracleHash(s));
        expect(hashCodePoints(codePoints(s))).toBe(oracleHash(s));
      }),
      { numRuns: 500 },
    );
  });
  it('lone surrogates hash as U+FFFD; case matters', () => {
    expect(hashString('a\ud800b')).toBe(hashString('a\ufffdb'));
    expect(hashString('\udc00')).toBe(hashString('\ufffd'));
    expect(hashString('😀')).toBe(murmur3(utf32le([0x1f600])));
    expect(hashString('A')).not.toBe(hashString('a'));
  });
});

describe('shingleHashes', () => {
  it('matches the oracle for n = 1..6', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 6 }), (s, n) => {
        expect([...shingleHashes(s, n)]).toEqual(oracleShingles(s, n));
      }),
      { numRuns: 500 },
    );
  });
  it('edge cases: empty → none, ≤ n code points → one gram, lowercase, astral = one code point', () => {
    expect(shingleHashes('').length).toBe(0);
    expect([...shingleHashes('ab')]).toEqual([oracleHash('ab')]);
    expect([...shingleHashes('abcd')]).toEqual([oracleHash('abcd')]);
    expect([...shingleHashes('ABCDE')]).toEqual([oracleHash('abcd'), oracleHash('bcde')]);
    expect(shingleHashes('😀😀😀😀').length).toBe(1);
    expect(shingleHashes('abc', 0)).toEqual(shingleHashes('abc', 1)); // n < 1 is treated as 1
  });
  it('long texts (beyond the shared decode buffer) match the oracle', () => {
    const long = Array.from({ length: 30_000 }, (_, i) => `Ab😀${i % 10}`).join('');
    expect(long.length).toBeGreaterThan(1 << 16);
    expect([...shingleHashes(long)]).toEqual(oracleShingles(long));
    expect(hashString(long)).toBe(oracleHash(long));
    expect([...shingleHashes('short after long')]).toEqual(oracleShingles('short after long'));
  });
});

describe('termIds', () => {
  it('matches the reference regex tokenizer', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect([...termIds(s)]).toEqual(oracleTermIds(s));
      }),
      { numRuns: 800 },
    );
  });
  it('tokens: UUIDs whole, words split on punctuation and non-ASCII', () => {
    const s = 'GET /api/v2/Users/550E8400-E29B-41D4-A716-446655440000?id=12345 résumé x_y 550e8400-e29b-41d4-a716-446655440000ab';
    expect(oracleTokens(s)).toEqual([
      'get', 'api', 'v2', 'users', '550e8400-e29b-41d4-a716-446655440000', 'id', '12345', 'r', 'sum', 'x_y',
      '550e8400', 'e29b', '41d4', 'a716', '446655440000ab',
    ]);
    expect([...termIds(s)]).toEqual(oracleTermIds(s));
    expect(termIds('').length).toBe(0);
    expect(termIds('  --  ').length).toBe(0);
  });
});

describe('pack helpers', () => {
  it('packShingles / packTermIds concatenate with offsets', () => {
    const items = ['Hello world', '', 'abc', 'the 2024 report'];
    const { shingles, offsets } = packShingles(items);
    expect(offsets.length).toBe(5);
    items.forEach((s, i) => expect([...shingles.subarray(offsets[i], offsets[i + 1])]).toEqual(oracleShingles(s)));
    const { terms, offsets: to } = packTermIds(items);
    items.forEach((s, i) => expect([...terms.subarray(to[i], to[i + 1])]).toEqual(oracleTermIds(s)));
  });
});

describe.each(backends)('simhashStrings / bm25Strings (%s)', (_name, k) => {
  it('simhashStrings = oracle SimHash of oracle shingles', () => {
    fc.assert(
      fc.property(fc.array(text, { maxLength: 12 }), fc.integer({ min: 1, max: 5 }), (items, n) => {
        expect([...simhashStrings(items, k, n)]).toEqual(items.map((s) => oracleFingerprint(oracleShingles(s, n))));
      }),
      { numRuns: 200 },
    );
  });

  it('bm25Strings = oracle BM25 over oracle term ids', () => {
    const doc = fc.array(fc.constantFrom('alpha', 'Beta', 'gamma', 'delta', 'error', '404', '550e8400-e29b-41d4-a716-446655440000', 'ÅR', ' ', ', '), { maxLength: 15 }).map((w) => w.join(' '));
    fc.assert(
      fc.property(fc.array(doc, { maxLength: 12 }), doc, (docs, query) => {
        const got = bm25Strings(docs, query, k);
        expect(got).toBeInstanceOf(Float64Array);
        expectClose(got, docs.length ? oracleBm25(docs.map(oracleTermIds), oracleTermIds(query)) : []);
      }),
      { numRuns: 200 },
    );
    expectClose(bm25Strings(['a b', 'b c'], 'B', k, { k1: 1.2, b: 0.5 }), oracleBm25([['a', 'b'], ['b', 'c']].map((d) => d.map(oracleHash)), [oracleHash('b')], 1.2, 0.5));
  });

  it('carries the fused paths only on the WASM binding', () => {
    const fused = _name === 'wasm (fused text path)';
    expect('simhashTexts' in k).toBe(fused);
    expect('bm25Texts' in k).toBe(fused);
  });
});

describe('fused WASM text path on a large batch', () => {
  it('equals the TS path for 20k items (memory growth)', () => {
    const items = Array.from({ length: 20_000 }, (_, i) => `Row ${i} status=${i % 3 ? 'ok' : 'ERROR'} user ${i % 97} 😀 Ünïcödé ${'x'.repeat(i % 50)}`);
    expect(simhashStrings(items, wasm)).toEqual(simhashStrings(items, tsKernels));
    const q = 'error user 42 status';
    expectClose(bm25Strings(items, q, wasm), bm25Strings(items, q, tsKernels));
  });
});
