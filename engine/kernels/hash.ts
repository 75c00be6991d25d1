/**
 * String → u32 helpers for the kernels: text is lowercased with String#toLowerCase and hashed
 * here, so kernels only ever see typed arrays.
 *
 * Hash: MurmurHash3_x86_32 (Austin Appleby, SMHasher; seed 0) of the text's UTF-32LE encoding:
 * one 4-byte block per code point, the byte length (4 · code points) mixed in before the final
 * avalanche. A surrogate pair is one code point; a lone surrogate counts as U+FFFD. The fused
 * WASM text kernels (wasm/assembly/text.ts) compute bit-identical values.
 *
 * Shingles (SimHash input, spec ALGORITHMS.md §1.3): lowercase, then every run of n consecutive
 * code points (n = 4 by default); a text of ≤ n code points is one gram; an empty text has no
 * gram (so its fingerprint is 0). The reference hashes grams with MD5; we use Murmur3, so
 * fingerprints are not comparable with the Python/Rust reference (only with each other).
 *
 * Term ids (BM25 input, spec §1.14): tokens of the lowercased text matching
 * `\b<uuid 8-4-4-4-12 hex>\b | [a-z0-9_]+` (4+-digit numbers are already word tokens; every
 * non-ASCII character separates tokens), each token hashed as above.
 *
 * Where hashing runs: `simhashStrings` and `bm25Strings` use a fused WASM path
 * (`TextKernels`: UTF-16 copied into WASM memory, hashing and the kernel in one call) when the
 * kernels passed in carry it; `getKernels()` carries it only where bench/kernels.ts showed the
 * fused path to beat TS hashing + the WASM kernel (engine/kernels/index.ts ROUTING: both fused
 * paths are routed to WASM). The other helpers (hashString, shingleHashes, termIds, pack*)
 * always hash in TS.
 */
import type { Bm25Params, Kernels } from './types.js';

/**
 * Fused string entry points offered by the WASM binding; results equal the TS helpers below.
 * A `Kernels` object may carry either, both or none (see ROUTING in engine/kernels/index.ts).
 */
export interface TextKernels {
  /** simhash(shingleHashes(item, n)) for every item, in one pass. */
  simhashTexts(items: readonly string[], n: number): BigUint64Array;
  /** bm25 of termIds(doc) against termIds(query), in one pass. */
  bm25Texts(docs: readonly string[], query: string, params?: Bm25Params): Float64Array;
}

/** Kernels, possibly with fused string paths. */
export type MaybeTextKernels = Kernels & Partial<TextKernels>;

/** Murmur3 block pre-mix of one code point (position-independent, so shingling does it once per code point). */
function premix(cp: number): number {
  const k = Math.imul(cp, 0xcc9e2d51);
  return Math.imul((k << 15) | (k >>> 17), 0x1b873593);
}

/** Murmur3 body step with a pre-mixed block. */
function step(h: number, k: number): number {
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function mix(h: number, cp: number): number {
  return step(h, premix(cp));
}

function fmix(h: number, count: number): number {
  h ^= count << 2;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Murmur3 (seed 0) of `count` code points cps[start..start+count) as UTF-32LE. */
export function hashCodePoints(cps: ArrayLike<number>, start = 0, count = cps.length - start): number {
  let h = 0;
  for (let i = 0; i < count; i++) h = mix(h, cps[start + i]);
  return fmix(h, count);
}

/** Shared code-point buffer for texts up to SHARED_MAX code units (larger ones get their own). */
const SHARED_MAX = 1 << 16;
let cpBuf = new Int32Array(256);
/** Number of code points written by the last decode(). */
let decodedLen = 0;

/** Decodes `s` into a code-point buffer and returns it (count in decodedLen). Lone surrogates → U+FFFD. */
function decode(s: string): Int32Array {
  const len = s.length;
  let buf = cpBuf;
  if (len > buf.length) {
    if (len > SHARED_MAX) buf = new Int32Array(len);
    else buf = cpBuf = new Int32Array(Math.min(SHARED_MAX, Math.max(len, buf.length * 2)));
  }
  let n = 0;
  for (let i = 0; i < len; i++) {
    let c = s.charCodeAt(i);
    if ((c & 0xf800) === 0xd800) {
      if (c < 0xdc00 && i + 1 < len) {
        const lo = s.charCodeAt(i + 1);
        if ((lo & 0xfc00) === 0xdc00) {
          c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
          i++;
        } else c = 0xfffd;
      } else c = 0xfffd;
    }
    buf[n++] = c;
  }
  decodedLen = n;
  return buf;
}

/** Fast 32-bit hash of a string (Murmur3 of its code points, see the file header). Case-sensitive. */
export function hashString(s: string): number {
  const buf = decode(s);
  return hashCodePoints(buf, 0, decodedLen);
}

/** Growable u32 output. */
class U32Sink {
  buf: Uint32Array;
  len = 0;
  constructor(cap: number) {
    this.buf = new Uint32Array(Math.max(16, cap));
  }
  reserve(extra: number): void {
    if (this.len + extra > this.buf.length) {
      const next = new Uint32Array(Math.max(this.len + extra, this.buf.length * 2));
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
    }
  }
  push(v: number): void {
    if (this.len === this.buf.length) this.reserve(1);
    this.buf[this.len++] = v;
  }
  result(): Uint32Array {
    return this.buf.slice(0, this.len);
  }
}

function appendShingles(text: string, n: number, sink: U32Sink): void {
  const buf = decode(text.toLowerCase());
  const len = decodedLen;
  if (len === 0) return;
  if (len <= n) {
    sink.push(hashCodePoints(buf, 0, len));
    return;
  }
  for (let i = 0; i < len; i++) buf[i] = premix(buf[i]);
  const grams = len - n + 1;
  sink.reserve(grams);
  const out = sink.buf;
  let o = sink.len;
  if (n === 4) {
    let k0 = buf[0];
    let k1 = buf[1];
    let k2 = buf[2];
    for (let i = 0; i < grams; i++) {
      const k3 = buf[i + 3];
      out[o++] = fmix(step(step(step(step(0, k0), k1), k2), k3), 4);
      k0 = k1;
      k1 = k2;
      k2 = k3;
    }
  } else {
    for (let i = 0; i < grams; i++) {
      let h = 0;
      for (let j = 0; j < n; j++) h = step(h, buf[i + j]);
      out[o++] = fmix(h, n);
    }
  }
  sink.len = o;
}

function gramSize(n: number): number {
  return n >= 1 ? Math.floor(n) : 1;
}

/** Murmur3 hashes of the lowercased text's code-point n-grams (default n = 4); see the file header. */
export function shingleHashes(text: string, n = 4): Uint32Array {
  const sink = new U32Sink(text.length);
  appendShingles(text, gramSize(n), sink);
  return sink.result();
}

function isWord(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
}

function isHex(c: number): boolean {
  return (c >= 0x61 && c <= 0x66) || (c >= 0x30 && c <= 0x39);
}

function uuidAt(s: string, p: number, e: number): boolean {
  if (p + 36 > e) return false;
  for (let k = 0; k < 36; k++) {
    const c = s.charCodeAt(p + k);
    if (k === 8 || k === 13 || k === 18 || k === 23) {
      if (c !== 0x2d) return false;
    } else if (!isHex(c)) return false;
  }
  return p + 36 === e || !isWord(s.charCodeAt(p + 36));
}

function appendTermIds(text: string, sink: U32Sink): void {
  const s = text.toLowerCase();
  const e = s.length;
  let p = 0;
  while (p < e) {
    const c = s.charCodeAt(p);
    if (!isWord(c)) {
      p++;
      continue;
    }
    let h = 0;
    let q = p;
    if (isHex(c) && uuidAt(s, p, e)) {
      q = p + 36;
      for (let k = p; k < q; k++) h = mix(h, s.charCodeAt(k));
    } else {
      while (q < e) {
        const d = s.charCodeAt(q);
        if (!isWord(d)) break;
        h = mix(h, d);
        q++;
      }
    }
    sink.push(fmix(h, q - p));
    p = q;
  }
}

/** Hashed BM25 tokens of the lowercased text, in order (duplicates kept); see the file header. */
export function termIds(text: string): Uint32Array {
  const sink = new U32Sink(text.length >>> 2);
  appendTermIds(text, sink);
  return sink.result();
}

/** Shingle hashes of every item back to back, with offsets (length n + 1), ready for `Kernels.simhash`. */
export function packShingles(items: readonly string[], n = 4): { shingles: Uint32Array; offsets: Uint32Array } {
  const g = gramSize(n);
  let chars = 0;
  for (const s of items) chars += s.length;
  const sink = new U32Sink(chars);
  const offsets = new Uint32Array(items.length + 1);
  for (let i = 0; i < items.length; i++) {
    appendShingles(items[i], g, sink);
    offsets[i + 1] = sink.len;
  }
  return { shingles: sink.buf.subarray(0, sink.len), offsets };
}

/** Term ids of every document back to back, with offsets (length n + 1), ready for `Kernels.bm25`. */
export function packTermIds(docs: readonly string[]): { terms: Uint32Array; offsets: Uint32Array } {
  let chars = 0;
  for (const s of docs) chars += s.length;
  const sink = new U32Sink(chars >>> 2);
  const offsets = new Uint32Array(docs.length + 1);
  for (let i = 0; i < docs.length; i++) {
    appendTermIds(docs[i], sink);
    offsets[i + 1] = sink.len;
  }
  return { terms: sink.buf.subarray(0, sink.len), offsets };
}

/** 64-bit SimHash of every string (code-point n-gram shingles, default n = 4). */
export function simhashStrings(items: readonly string[], kernels: Kernels, n = 4): BigUint64Array {
  const fused = (kernels as MaybeTextKernels).simhashTexts;
  if (fused) return fused(items, gramSize(n));
  const { shingles, offsets } = packShingles(items, n);
  return kernels.simhash(shingles, offsets);
}

/** BM25 score of every document against the query (tokenised with `termIds`; df over this batch). */
export function bm25Strings(docs: readonly string[], query: string, kernels: Kernels, params?: Bm25Params): Float64Array {
  const fused = (kernels as MaybeTextKernels).bm25Texts;
  if (fused) return fused(docs, query, params);
  const { terms, offsets } = packTermIds(docs);
  return kernels.bm25(terms, offsets, termIds(query), params);
}
