/**
 * Fused string kernels over UTF-16 code units. JS lowercases with String#toLowerCase and copies
 * the code units into scratch memory (no TextEncoder needed); a surrogate pair is one code point
 * and a lone surrogate counts as U+FFFD, exactly as in `hashString` of engine/kernels/hash.ts.
 *
 * Hash: MurmurHash3_x86_32 (Appleby, SMHasher; seed 0) of the UTF-32LE encoding, i.e. one
 * 4-byte block per code point and the byte length (4 · code points) mixed in at the end.
 * Must stay bit-identical to `hashCodePoints` in engine/kernels/hash.ts.
 *
 * simhashUtf16: code-point n-gram shingles (text of ≤ n code points → one gram; empty → no
 * gram → fingerprint 0), each gram hashed as above and fed to the SimHash vote of simhash.ts
 * without materialising the shingle array.
 * termIdsUtf16: tokens of the reference BM25 tokenizer (spec §1.14) on lowercased text:
 * `\b<uuid 8-4-4-4-12 hex>\b | [a-z0-9_]+` (4+-digit numbers are word tokens already); every
 * code unit outside [a-z0-9_] separates tokens, as non-ASCII letters do in the ASCII regex.
 *
 * Memory layout (offsets count code units, not bytes):
 *   simhashUtf16: units u16[total] | offsets u32[n + 1] → out u64[n]; internal u32[max item units] code points
 *                 and u32[max item units] gram hashes of the current item
 *   termIdsUtf16: units u16[total] | offsets u32[n + 1] → terms u32[cap] | termOffsets u32[n + 1]; returns term count
 */
import { fingerprint } from './simhash';
import { scratchAlloc } from './scratch';

/** Murmur3 block pre-mix of one code point (independent of position, so done once per code point). */
// @ts-ignore: decorator
@inline function premix(cp: u32): u32 {
  return rotl<u32>(cp * 0xcc9e2d51, 15) * 0x1b873593;
}

/** Murmur3 body step with an already pre-mixed block. */
// @ts-ignore: decorator
@inline function step(h: u32, k: u32): u32 {
  return rotl<u32>(h ^ k, 13) * 5 + 0xe6546b64;
}

// @ts-ignore: decorator
@inline function mix(h: u32, cp: u32): u32 {
  return step(h, premix(cp));
}

// @ts-ignore: decorator
@inline function fmix(h: u32, count: u32): u32 {
  h ^= count << 2;
  h ^= h >>> 16;
  h *= 0x85ebca6b;
  h ^= h >>> 13;
  h *= 0xc2b2ae35;
  return h ^ (h >>> 16);
}

/** Murmur3 of `count` code points whose blocks are stored pre-mixed (u32) at `ptr`. */
// @ts-ignore: decorator
@inline function hashPremixed(ptr: usize, count: u32): u32 {
  let h: u32 = 0;
  for (let i: usize = 0; i < <usize>count; i++) h = step(h, load<u32>(ptr + (i << 2)));
  return fmix(h, count);
}

/**
 * Decodes UTF-16 code units [s, e) into code points at `out`; returns the count. A surrogate
 * pair becomes one code point; a lone surrogate becomes U+FFFD (as in a USVString).
 */
function decode(unitsPtr: usize, s: usize, e: usize, out: usize): u32 {
  let n: u32 = 0;
  let p = s;
  while (p < e) {
    let cp = <u32>load<u16>(unitsPtr + (p << 1));
    p++;
    if ((cp & 0xf800) == 0xd800) {
      if (cp < 0xdc00 && p < e) {
        const lo = <u32>load<u16>(unitsPtr + (p << 1));
        if ((lo & 0xfc00) == 0xdc00) {
          cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
          p++;
        } else cp = 0xfffd;
      } else cp = 0xfffd;
    }
    store<u32>(out + (<usize>n << 2), cp);
    n++;
  }
  return n;
}

export function simhashUtf16(unitsPtr: usize, offsetsPtr: usize, n: u32, gram: u32, outPtr: usize): void {
  let maxUnits: u32 = 0;
  for (let i: usize = 0; i < <usize>n; i++) {
    const len = load<u32>(offsetsPtr + (i << 2) + 4) - load<u32>(offsetsPtr + (i << 2));
    if (len > maxUnits) maxUnits = len;
  }
  // Code points of the current item, then its gram hashes (≤ code points) for fingerprint().
  const cps = scratchAlloc(<usize>maxUnits << 2);
  const grams = scratchAlloc(<usize>maxUnits << 2);
  if (gram < 1) gram = 1;
  for (let i: usize = 0; i < <usize>n; i++) {
    const s = <usize>load<u32>(offsetsPtr + (i << 2));
    const e = <usize>load<u32>(offsetsPtr + (i << 2) + 4);
    const len = decode(unitsPtr, s, e, cps);
    for (let j: usize = 0; j < <usize>len; j++) store<u32>(cps + (j << 2), premix(load<u32>(cps + (j << 2))));
    let g: u32 = 0;
    if (len > 0) {
      if (len <= gram) {
        store<u32>(grams, hashPremixed(cps, len));
        g = 1;
      } else if (gram == 4) {
        g = len - 3;
        let k0 = load<u32>(cps), k1 = load<u32>(cps + 4), k2 = load<u32>(cps + 8);
        for (let j: usize = 0; j < <usize>g; j++) {
          const k3 = load<u32>(cps + ((j + 3) << 2));
          store<u32>(grams + (j << 2), fmix(step(step(step(step(0, k0), k1), k2), k3), 4));
          k0 = k1; k1 = k2; k2 = k3;
        }
      } else {
        g = len - gram + 1;
        for (let j: usize = 0; j < <usize>g; j++) store<u32>(grams + (j << 2), hashPremixed(cps + (j << 2), gram));
      }
    }
    store<u64>(outPtr + (i << 3), fingerprint(grams, g));
  }
}

// @ts-ignore: decorator
@inline function isWord(c: u32): bool {
  return (c - 0x61 < 26) | (c - 0x30 < 10) | (c == 0x5f);
}

// @ts-ignore: decorator
@inline function isHex(c: u32): bool {
  return (c - 0x61 < 6) | (c - 0x30 < 10);
}

/** True iff units [p, p+36) are a lowercase 8-4-4-4-12 UUID and unit p+36 (if < e) is not a word char. */
function uuidAt(unitsPtr: usize, p: usize, e: usize): bool {
  if (p + 36 > e) return false;
  for (let k: usize = 0; k < 36; k++) {
    const c = <u32>load<u16>(unitsPtr + ((p + k) << 1));
    if (k == 8 || k == 13 || k == 18 || k == 23) {
      if (c != 0x2d) return false;
    } else if (!isHex(c)) return false;
  }
  return p + 36 == e || !isWord(<u32>load<u16>(unitsPtr + ((p + 36) << 1)));
}

/** Tokenises every item; `terms` must hold ⌊total units / 2⌋ + n + 1 ids. Returns the number of ids written. */
export function termIdsUtf16(unitsPtr: usize, offsetsPtr: usize, n: u32, termsPtr: usize, termOffsetsPtr: usize): u32 {
  let t: u32 = 0;
  for (let i: usize = 0; i < <usize>n; i++) {
    store<u32>(termOffsetsPtr + (i << 2), t);
    const e = <usize>load<u32>(offsetsPtr + (i << 2) + 4);
    let p = <usize>load<u32>(offsetsPtr + (i << 2));
    while (p < e) {
      const c = <u32>load<u16>(unitsPtr + (p << 1));
      if (!isWord(c)) {
        p++;
        continue;
      }
      // p starts a run of word units (the previous unit, if any, is not a word unit).
      let h: u32 = 0;
      let q = p;
      if (isHex(c) && uuidAt(unitsPtr, p, e)) {
        q = p + 36;
        for (let k = p; k < q; k++) h = mix(h, <u32>load<u16>(unitsPtr + (k << 1)));
      } else {
        while (q < e) {
          const d = <u32>load<u16>(unitsPtr + (q << 1));
          if (!isWord(d)) break;
          h = mix(h, d);
          q++;
        }
      }
      store<u32>(termsPtr + (<usize>t << 2), fmix(h, <u32>(q - p)));
      t++;
      p = q;
    }
  }
  store<u32>(termOffsetsPtr + (<usize>n << 2), t);
  return t;
}
