/**
 * Adaptive K (spec ALGORITHMS.md §1.3): how many items carry the array's information.
 *
 * 1. n ≤ 8 → n.
 * 2. unique = SimHash near-duplicate groups (64-bit, 4-gram shingles, Hamming ≤ 3); ≤ 3 → that.
 * 3. Coverage curve: the number of distinct adjacent word pairs seen after each item.
 * 4. Kneedle on the curve: the item after which new items stop adding new pairs.
 * 5. Diversity floor max(minK, ⌊n·(0.3 + 0.7·unique/n)⌋); no knee → the floor; knee with
 *    diversity > 0.7 → max(knee, floor); else the knee.
 * 6. Clamp to [minK, maxK].
 * Differences from the reference: words are `[a-z0-9_]+` tokens (the reference splits on
 * whitespace, so compact JSON is one "word"), item texts exclude ids and timestamps (callers
 * pass signatures), bias is 1.0 and there is no zlib re-check (no zlib in the engine).
 */
import type { Kernels } from '../../kernels/types.js';
import { packTermIds, simhashStrings } from '../../kernels/hash.js';

export interface AdaptiveK {
  readonly k: number;
  /** Near-duplicate group representative per item (index of the first item of its group). */
  readonly groups: Int32Array;
  readonly unique: number;
  readonly knee: number | null;
}

export const NEAR_DUPLICATE_BITS = 3;

/** Term ids of every text back to back (`packTermIds`), shared by the coverage curve and BM25. */
export interface PackedTerms {
  readonly terms: Uint32Array;
  readonly offsets: Uint32Array;
}

/** Coverage curve: distinct adjacent token pairs after each item. */
export function coverageCurve(p: PackedTerms): Float64Array {
  const n = p.offsets.length - 1;
  const seen = new Set<number>();
  const curve = new Float64Array(Math.max(0, n));
  const t = p.terms;
  for (let i = 0; i < n; i++) {
    const a = p.offsets[i];
    const b = p.offsets[i + 1];
    if (b - a === 1) seen.add(Math.imul(t[a], 0x9e3779b1) | 0);
    for (let j = a + 1; j < b; j++) seen.add((Math.imul(t[j - 1], 0x9e3779b1) ^ t[j]) | 0);
    curve[i] = seen.size;
  }
  return curve;
}

/** SimHash looks at this many leading characters of each text (bounds the cost for long items). */
export const SIMHASH_MAX_CHARS = 256;

/** Above this many items the grouping uses band buckets instead of the kernel's all-pairs scan. */
export const BANDED_GROUPING_FROM = 1024;

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/**
 * The same greedy grouping as `Kernels.groupNearDuplicates` (each item joins the earliest
 * representative within `maxDistance` bits, else becomes one), in O(n · bucket size) instead
 * of O(n · representatives): the 64 bits are cut into maxDistance + 1 bands, and two
 * fingerprints within maxDistance bits agree exactly on at least one band (pigeonhole), so
 * only representatives sharing a band value need a Hamming check. Identical results.
 */
export function groupNearDuplicatesBanded(fps: BigUint64Array, maxDistance: number = NEAR_DUPLICATE_BITS): Int32Array {
  const n = fps.length;
  const out = new Int32Array(n);
  const d = Math.max(0, Math.min(63, Math.floor(maxDistance)));
  const bands = d + 1;
  const width = Math.floor(64 / bands);
  const w = new Uint32Array(fps.buffer, fps.byteOffset, n * 2);
  const buckets: Array<Map<number, number[]>> = Array.from({ length: bands }, () => new Map());
  const keys = new Array<number>(bands);
  const bandKey = (lo: number, hi: number, b: number): number => {
    // Bits [b·width, b·width + width) of the 64-bit value (the last band takes the rest).
    const from = b * width;
    const to = b === bands - 1 ? 64 : from + width;
    let v = 0;
    for (let bit = from; bit < to; bit++) {
      const set = bit < 32 ? (lo >>> bit) & 1 : (hi >>> (bit - 32)) & 1;
      v = v * 2 + set;
    }
    return v;
  };
  const fast = bands === 4;
  for (let i = 0; i < n; i++) {
    const lo = w[2 * i];
    const hi = w[2 * i + 1];
    if (fast) {
      keys[0] = lo & 0xffff;
      keys[1] = lo >>> 16;
      keys[2] = hi & 0xffff;
      keys[3] = hi >>> 16;
    } else for (let b = 0; b < bands; b++) keys[b] = bandKey(lo, hi, b);
    let best = -1;
    for (let b = 0; b < bands; b++) {
      const list = buckets[b].get(keys[b]);
      if (list === undefined) continue;
      for (const rep of list) {
        if (best >= 0 && rep >= best) break;
        if (popcount32(w[2 * rep] ^ lo) + popcount32(w[2 * rep + 1] ^ hi) <= d) {
          best = rep;
          break;
        }
      }
    }
    if (best < 0) {
      best = i;
      for (let b = 0; b < bands; b++) {
        const list = buckets[b].get(keys[b]);
        if (list === undefined) buckets[b].set(keys[b], [i]);
        else list.push(i);
      }
    }
    out[i] = best;
  }
  return out;
}

/** Near-duplicate groups of the texts (SimHash of the first SIMHASH_MAX_CHARS characters, Hamming ≤ 3). */
export function nearDuplicateGroups(texts: readonly string[], kernels: Kernels): Int32Array {
  if (texts.length === 0) return new Int32Array(0);
  const capped = texts.map((t) => (t.length > SIMHASH_MAX_CHARS ? t.slice(0, SIMHASH_MAX_CHARS) : t));
  const fps = simhashStrings(capped, kernels);
  return fps.length >= BANDED_GROUPING_FROM ? groupNearDuplicatesBanded(fps) : kernels.groupNearDuplicates(fps, NEAR_DUPLICATE_BITS);
}

/** Number of distinct texts, counting only up to `stopAfter` + 1. */
function distinctCount(texts: readonly string[], stopAfter: number): number {
  const seen = new Set<string>();
  for (const t of texts) {
    seen.add(t);
    if (seen.size > stopAfter) break;
  }
  return seen.size;
}

export function computeOptimalK(
  texts: readonly string[],
  kernels: Kernels,
  minK: number,
  maxK: number,
  groups?: Int32Array,
  terms: () => PackedTerms = () => packTermIds(texts),
): AdaptiveK {
  const n = texts.length;
  const g = groups ?? nearDuplicateGroups(texts, kernels);
  let unique = 0;
  for (let i = 0; i < n; i++) if (g[i] === i) unique++;
  const clamp = (k: number) => Math.min(n, Math.max(Math.min(minK, n), Math.min(k, maxK)));
  if (n <= 8) return { k: Math.min(n, maxK), groups: g, unique, knee: null };
  // Few near-duplicate groups: K = that many, unless the texts are in fact distinct (short
  // texts such as "12.5 host-2" / "13.0 host-2" fall within 3 bits of each other, and a
  // numeric series must not collapse to 3 points).
  if (unique <= 3 && distinctCount(texts, 4) <= 3) return { k: clamp(Math.max(minK, unique)), groups: g, unique, knee: null };
  const diversity = unique / n;
  const floor = Math.max(minK, Math.floor(n * (0.3 + 0.7 * diversity)));
  // Diverse items: the result is at least the floor; when that already reaches the cap the
  // curve cannot change the answer, so skip building it.
  if (diversity > 0.7 && floor >= maxK) return { k: clamp(floor), groups: g, unique, knee: null };
  const curve = coverageCurve(terms());
  const idx = kernels.kneedle(curve);
  const knee = idx >= 0 ? idx + 1 : null;
  let k0: number;
  if (knee === null) k0 = floor;
  else if (diversity > 0.7) k0 = Math.max(knee, floor);
  else k0 = knee;
  return { k: clamp(Math.max(minK, k0)), groups: g, unique, knee };
}
