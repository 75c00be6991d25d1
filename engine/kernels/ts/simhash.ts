/**
 * SimHash (Charikar 2002), 64-bit, in plain TypeScript without BigInt arithmetic in the hot loop.
 * Same contract as wasm/assembly/simhash.ts: each u32 shingle hash is widened with splitmix64
 * (Steele, Lea, Flood 2014) of the zero-extended value, every bit votes ±1, bit set iff vote > 0,
 * empty item → 0. Spec: ALGORITHMS.md §1.3.
 *
 * 64-bit values are held as (hi, lo) u32 pairs. Votes are counted SWAR-style: each nibble of
 * the hash indexes NIBBLE[16], whose entry spreads the 4 bits into 4 byte-lanes of a u32, so
 * one add counts 4 bits (see fingerprintRange).
 */
import { checkOffsets, normaliseMaxDistance } from './validate.js';

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

const NIBBLE = new Int32Array(16);
for (let v = 0; v < 16; v++) {
  NIBBLE[v] = (v & 1) | ((v & 2) << 7) | ((v & 4) << 14) | ((v & 8) << 21);
}
const COUNTS = new Int32Array(64);

/** High 32 bits of the unsigned 64-bit product a·b (a, b u32). */
function mulHi32(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const a0b1 = a0 * b1;
  const a1b0 = a1 * b0;
  const mid = ((a0 * b0) >>> 16) + (a0b1 & 0xffff) + (a1b0 & 0xffff);
  return (a1 * b1 + (a0b1 >>> 16) + (a1b0 >>> 16) + (mid >>> 16)) >>> 0;
}

/** Four vote bits from the 4 byte-lanes of `c` (bit k set iff lane k > half), shifted left by `shift`. */
function laneBits(c: number, half: number, shift: number): number {
  return (
    ((((c & 0xff) > half ? 1 : 0) |
      (((c >>> 8) & 0xff) > half ? 2 : 0) |
      (((c >>> 16) & 0xff) > half ? 4 : 0) |
      ((c >>> 24) > half ? 8 : 0)) <<
      shift) >>>
    0
  );
}

function flushLanes(c: number, base: number): void {
  COUNTS[base] += c & 0xff;
  COUNTS[base + 1] += (c >>> 8) & 0xff;
  COUNTS[base + 2] += (c >>> 16) & 0xff;
  COUNTS[base + 3] += c >>> 24;
}

/**
 * SimHash of src[start..end) written to hl (hl[0] = high word, hl[1] = low word). Sixteen local
 * u32 accumulators hold 4 byte-lanes each; items of ≤ 255 shingles read them directly, longer
 * ones flush into COUNTS every 255 shingles.
 */
export function fingerprintRange(src: Uint32Array, start: number, end: number, hl: Uint32Array): void {
  const count = end - start;
  if (count <= 0) {
    hl[0] = 0;
    hl[1] = 0;
    return;
  }
  const useCounts = count > 255;
  if (useCounts) COUNTS.fill(0);
  let c0 = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0, c6 = 0, c7 = 0;
  let c8 = 0, c9 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0, c14 = 0, c15 = 0;
  const N = NIBBLE;
  let p = start;
  while (p < end) {
    const chunkEnd = Math.min(end, p + 255);
    c0 = c1 = c2 = c3 = c4 = c5 = c6 = c7 = 0;
    c8 = c9 = c10 = c11 = c12 = c13 = c14 = c15 = 0;
    for (; p < chunkEnd; p++) {
      // splitmix64 of the zero-extended u32, on (hi, lo) halves.
      let lo = src[p] + 0x7f4a7c15;
      let hi = (0x9e3779b9 + (lo > 0xffffffff ? 1 : 0)) >>> 0;
      lo >>>= 0;
      lo = (lo ^ ((lo >>> 30) | (hi << 2))) >>> 0;
      hi = (hi ^ (hi >>> 30)) >>> 0;
      let nlo = Math.imul(lo, 0x1ce4e5b9) >>> 0;
      let nhi = (mulHi32(lo, 0x1ce4e5b9) + Math.imul(hi, 0x1ce4e5b9) + Math.imul(lo, 0xbf58476d)) >>> 0;
      lo = (nlo ^ ((nlo >>> 27) | (nhi << 5))) >>> 0;
      hi = (nhi ^ (nhi >>> 27)) >>> 0;
      nlo = Math.imul(lo, 0x133111eb) >>> 0;
      nhi = (mulHi32(lo, 0x133111eb) + Math.imul(hi, 0x133111eb) + Math.imul(lo, 0x94d049bb)) >>> 0;
      lo = nlo ^ ((nlo >>> 31) | (nhi << 1));
      hi = nhi ^ (nhi >>> 31);
      c0 += N[lo & 15];
      c1 += N[(lo >>> 4) & 15];
      c2 += N[(lo >>> 8) & 15];
      c3 += N[(lo >>> 12) & 15];
      c4 += N[(lo >>> 16) & 15];
      c5 += N[(lo >>> 20) & 15];
      c6 += N[(lo >>> 24) & 15];
      c7 += N[(lo >>> 28) & 15];
      c8 += N[hi & 15];
      c9 += N[(hi >>> 4) & 15];
      c10 += N[(hi >>> 8) & 15];
      c11 += N[(hi >>> 12) & 15];
      c12 += N[(hi >>> 16) & 15];
      c13 += N[(hi >>> 20) & 15];
      c14 += N[(hi >>> 24) & 15];
      c15 += N[(hi >>> 28) & 15];
    }
    if (useCounts) {
      flushLanes(c0, 0); flushLanes(c1, 4); flushLanes(c2, 8); flushLanes(c3, 12);
      flushLanes(c4, 16); flushLanes(c5, 20); flushLanes(c6, 24); flushLanes(c7, 28);
      flushLanes(c8, 32); flushLanes(c9, 36); flushLanes(c10, 40); flushLanes(c11, 44);
      flushLanes(c12, 48); flushLanes(c13, 52); flushLanes(c14, 56); flushLanes(c15, 60);
    }
  }
  const half = count >>> 1; // 2c > count ⇔ c > ⌊count/2⌋
  if (!useCounts) {
    hl[1] = (laneBits(c0, half, 0) | laneBits(c1, half, 4) | laneBits(c2, half, 8) | laneBits(c3, half, 12) |
      laneBits(c4, half, 16) | laneBits(c5, half, 20) | laneBits(c6, half, 24) | laneBits(c7, half, 28)) >>> 0;
    hl[0] = (laneBits(c8, half, 0) | laneBits(c9, half, 4) | laneBits(c10, half, 8) | laneBits(c11, half, 12) |
      laneBits(c12, half, 16) | laneBits(c13, half, 20) | laneBits(c14, half, 24) | laneBits(c15, half, 28)) >>> 0;
    return;
  }
  let lo = 0;
  let hi = 0;
  for (let b = 0; b < 32; b++) {
    if (COUNTS[b] > half) lo |= 1 << b;
    if (COUNTS[b + 32] > half) hi |= 1 << b;
  }
  hl[1] = lo >>> 0;
  hl[0] = hi >>> 0;
}

/** Allocates n fingerprints and returns them with a writer of (hi, lo) pairs. */
export function fingerprintArray(n: number): { out: BigUint64Array; set: (i: number, hi: number, lo: number) => void } {
  const out = new BigUint64Array(n);
  if (LITTLE_ENDIAN) {
    const w = new Uint32Array(out.buffer);
    return {
      out,
      set(i, hi, lo) {
        w[2 * i] = lo;
        w[2 * i + 1] = hi;
      },
    };
  }
  return {
    out,
    set(i, hi, lo) {
      out[i] = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
    },
  };
}

/** Fingerprints as u32 words, low word first per item (a view on little-endian hosts). */
function words(fps: BigUint64Array): Uint32Array {
  if (LITTLE_ENDIAN) return new Uint32Array(fps.buffer, fps.byteOffset, fps.length * 2);
  const w = new Uint32Array(fps.length * 2);
  for (let i = 0; i < fps.length; i++) {
    const v = fps[i];
    w[2 * i] = Number(v & 0xffffffffn);
    w[2 * i + 1] = Number(v >> 32n);
  }
  return w;
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

export function simhash(shingles: Uint32Array, offsets: Uint32Array): BigUint64Array {
  const n = checkOffsets(offsets, shingles.length, 'simhash');
  const { out, set } = fingerprintArray(n);
  const hl = new Uint32Array(2);
  for (let i = 0; i < n; i++) {
    fingerprintRange(shingles, offsets[i], offsets[i + 1], hl);
    set(i, hl[0], hl[1]);
  }
  return out;
}

export function hammingTo(fps: BigUint64Array, ref: bigint): Uint8Array {
  const r = BigInt.asUintN(64, ref);
  const rlo = Number(r & 0xffffffffn);
  const rhi = Number(r >> 32n);
  const w = words(fps);
  const n = fps.length;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = popcount32(w[2 * i] ^ rlo) + popcount32(w[2 * i + 1] ^ rhi);
  }
  return out;
}

export function groupNearDuplicates(fps: BigUint64Array, maxDistance: number): Int32Array {
  const d = normaliseMaxDistance(maxDistance);
  const n = fps.length;
  const out = new Int32Array(n);
  const w = words(fps);
  const repLo = new Int32Array(n);
  const repHi = new Int32Array(n);
  const repIdx = new Int32Array(n);
  let reps = 0;
  for (let i = 0; i < n; i++) {
    const lo = w[2 * i] | 0;
    const hi = w[2 * i + 1] | 0;
    let found = -1;
    for (let r = 0; r < reps; r++) {
      if (popcount32(repLo[r] ^ lo) + popcount32(repHi[r] ^ hi) <= d) {
        found = repIdx[r];
        break;
      }
    }
    if (found < 0) {
      repLo[reps] = lo;
      repHi[reps] = hi;
      repIdx[reps] = i;
      reps++;
      found = i;
    }
    out[i] = found;
  }
  return out;
}
