/**
 * SimHash (Charikar 2002, "Similarity estimation techniques from rounding algorithms"),
 * 64-bit, with Hamming distance and greedy near-duplicate grouping.
 * Headroom reference facts: spec ALGORITHMS.md §1.3 (per-bit ±1 vote, bit set iff vote > 0,
 * greedy grouping against the first representative within the distance).
 *
 * Each u32 shingle hash is widened to 64 bits with splitmix64 (Steele, Lea, Flood 2014,
 * "Fast splittable pseudorandom number generators"; constants from Vigna's splitmix64.c) of the
 * zero-extended u32. Votes are counted SWAR-style: every byte of the 64-bit hash indexes a
 * 256-entry table whose entry spreads the byte's 8 bits into 8 byte-lanes of a u64, so one
 * add counts 8 bits (accumulators are locals). Items of ≤ 255 shingles read the byte lanes
 * directly; longer items flush them into COUNTS (i32[64]) every 255 shingles.
 * Bit b is set iff 2·count[b] > shingles (vote = count − (len − count) > 0). Empty item → 0.
 *
 * Memory layout (all little-endian, addresses from scratchAlloc):
 *   simhash:   shingles u32[total] | offsets u32[n + 1] → out u64[n]
 *   hammingTo: fps u64[n] → out u8[n]
 *   groupNearDuplicates: fps u64[n] → out i32[n]; internal scratch u64[n] + i32[n] (representatives)
 * Static: SPREAD u64[256] (filled by the start function), COUNTS i32[64].
 */
import { scratchAlloc } from './scratch';

const SPREAD: usize = memory.data(256 * 8, 16);
const COUNTS: usize = memory.data(64 * 4, 16);

for (let v: u32 = 0; v < 256; v++) {
  let e: u64 = 0;
  for (let k: u32 = 0; k < 8; k++) e |= (<u64>((v >>> k) & 1)) << (<u64>(k << 3));
  store<u64>(SPREAD + (<usize>v << 3), e);
}

/** splitmix64 finaliser applied to x + golden gamma. */
// @ts-ignore: decorator
@inline export function splitmix64(x: u64): u64 {
  let z = x + 0x9e3779b97f4a7c15;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

// @ts-ignore: decorator
@inline function spread(h: u64, shift: u64): u64 {
  return load<u64>(SPREAD + (<usize>((h >> shift) & 0xff) << 3));
}

// @ts-ignore: decorator
@inline function lane(acc: u64, base: usize): void {
  for (let k: usize = 0; k < 8; k++) {
    const p = base + (k << 2);
    store<i32>(p, load<i32>(p) + <i32>((acc >> (<u64>(k << 3))) & 0xff));
  }
}

// @ts-ignore: decorator
@inline function laneBits(acc: u64, half: u64, bit: u64): u64 {
  let fp: u64 = 0;
  for (let k: u64 = 0; k < 8; k++) {
    if (((acc >> (k << 3)) & 0xff) > half) fp |= (<u64>1) << (bit + k);
  }
  return fp;
}

/**
 * SimHash of the `count` u32 shingle hashes at `ptr`. Accumulators are locals; items of ≤ 255
 * shingles never touch COUNTS, longer ones flush the byte lanes into it every 255 shingles.
 */
export function fingerprint(ptr: usize, count: u32): u64 {
  if (count == 0) return 0;
  const useCounts = count > 255;
  if (useCounts) memory.fill(COUNTS, 0, 64 * 4);
  let p = ptr;
  const end = ptr + (<usize>count << 2);
  let a0: u64 = 0, a1: u64 = 0, a2: u64 = 0, a3: u64 = 0, a4: u64 = 0, a5: u64 = 0, a6: u64 = 0, a7: u64 = 0;
  while (p < end) {
    let chunkEnd = p + (255 << 2);
    if (chunkEnd > end) chunkEnd = end;
    a0 = 0; a1 = 0; a2 = 0; a3 = 0; a4 = 0; a5 = 0; a6 = 0; a7 = 0;
    for (; p < chunkEnd; p += 4) {
      const h = splitmix64(<u64>load<u32>(p));
      a0 += spread(h, 0);
      a1 += spread(h, 8);
      a2 += spread(h, 16);
      a3 += spread(h, 24);
      a4 += spread(h, 32);
      a5 += spread(h, 40);
      a6 += spread(h, 48);
      a7 += load<u64>(SPREAD + (<usize>(h >> 56) << 3));
    }
    if (useCounts) {
      lane(a0, COUNTS);
      lane(a1, COUNTS + 32);
      lane(a2, COUNTS + 64);
      lane(a3, COUNTS + 96);
      lane(a4, COUNTS + 128);
      lane(a5, COUNTS + 160);
      lane(a6, COUNTS + 192);
      lane(a7, COUNTS + 224);
    }
  }
  const half = count >>> 1; // 2c > count  ⇔  c > ⌊count / 2⌋
  if (!useCounts) {
    const h = <u64>half;
    return laneBits(a0, h, 0) | laneBits(a1, h, 8) | laneBits(a2, h, 16) | laneBits(a3, h, 24) |
      laneBits(a4, h, 32) | laneBits(a5, h, 40) | laneBits(a6, h, 48) | laneBits(a7, h, 56);
  }
  let fp: u64 = 0;
  for (let b: usize = 0; b < 64; b++) {
    if (load<u32>(COUNTS + (b << 2)) > half) fp |= (<u64>1) << (<u64>b);
  }
  return fp;
}

/** Fingerprint per item; item i owns shingles[offsets[i] .. offsets[i+1]). Offsets are validated by the caller. */
export function simhash(shinglesPtr: usize, offsetsPtr: usize, n: u32, outPtr: usize): void {
  for (let i: usize = 0; i < <usize>n; i++) {
    const s = load<u32>(offsetsPtr + (i << 2));
    const e = load<u32>(offsetsPtr + (i << 2) + 4);
    store<u64>(outPtr + (i << 3), fingerprint(shinglesPtr + (<usize>s << 2), e - s));
  }
}

/** popcount(fps[i] ^ ref) per item. */
export function hammingTo(fpsPtr: usize, n: u32, ref: u64, outPtr: usize): void {
  for (let i: usize = 0; i < <usize>n; i++) {
    store<u8>(outPtr + i, <u8>popcnt<u64>(load<u64>(fpsPtr + (i << 3)) ^ ref));
  }
}

/**
 * Greedy grouping in input order: item i joins the first representative (in creation order)
 * within maxDistance bits, else becomes a representative of itself. O(n · groups).
 * maxDistance < 0 → every item is its own representative.
 */
export function groupNearDuplicates(fpsPtr: usize, n: u32, maxDistance: i32, outPtr: usize): void {
  const repFp = scratchAlloc(<usize>n << 3);
  const repIdx = scratchAlloc(<usize>n << 2);
  let reps: usize = 0;
  for (let i: usize = 0; i < <usize>n; i++) {
    const fp = load<u64>(fpsPtr + (i << 3));
    let found: i32 = -1;
    for (let r: usize = 0; r < reps; r++) {
      if (<i32>popcnt<u64>(load<u64>(repFp + (r << 3)) ^ fp) <= maxDistance) {
        found = load<i32>(repIdx + (r << 2));
        break;
      }
    }
    if (found < 0) {
      store<u64>(repFp + (reps << 3), fp);
      store<i32>(repIdx + (reps << 2), <i32>i);
      reps++;
      found = <i32>i;
    }
    store<i32>(outPtr + (i << 2), found);
  }
}
