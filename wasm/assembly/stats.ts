/**
 * Field statistics and change points over f64 series. Headroom reference: spec
 * ALGORITHMS.md §1.9 (numeric field stats; change points with window 5 and 2σ) and §1.6.
 *
 * Finite test: x − x == 0 (false for NaN and ±Infinity). Non-finite values are ignored.
 * Statistics use the textbook two-pass method (mean first, then Σ(x − mean)²; Chan, Golub,
 * LeVeque 1983, "Algorithms for computing the sample variance"), summing left to right.
 *
 * fieldStats: count, mean (NaN if count 0), sample variance (n − 1; 0 if count < 2),
 * std = √variance, min/max (NaN if count 0), z = (x − mean)/std per position (0 where x is
 * not finite or std is 0), outlier flag 1 iff x is finite and |z| > k.
 *
 * changePoints: σ = sample std of the finite values; nothing unless window ≥ 1, finite count
 * ≥ 2·window and σ > 0. Candidate i ∈ [window, len − window) (positions in the input array):
 * mean of the finite values of v[i .. i+window) vs mean of the finite values of v[i−window .. i);
 * a window without finite values makes i no candidate. Candidate iff |Δ| > threshold·σ; kept iff
 * no index was kept yet or i > lastKept + window. Window sums are computed directly (O(len·window),
 * window is 5 in practice) so every sum is bit-identical to a naive left-to-right loop.
 *
 * Memory layout:
 *   fieldStats:   values f64[n] → z f64[n] | flags u8[n] | result f64[6] = count, mean, variance, std, min, max
 *   changePoints: values f64[n] → out u32[cap] (cap = ⌊(n − 1)/(window + 1)⌋ + 1); returns the count
 */

// @ts-ignore: decorator
@inline function finite(x: f64): bool {
  return x - x == 0.0;
}

export function fieldStats(valuesPtr: usize, n: u32, k: f64, zPtr: usize, flagsPtr: usize, resultPtr: usize): void {
  const len = <usize>n;
  let count: u32 = 0;
  let sum: f64 = 0;
  let min: f64 = Infinity;
  let max: f64 = -Infinity;
  for (let i: usize = 0; i < len; i++) {
    const x = load<f64>(valuesPtr + (i << 3));
    if (finite(x)) {
      count++;
      sum += x;
      if (x < min) min = x;
      if (x > max) max = x;
    }
  }
  const mean = count > 0 ? sum / <f64>count : NaN;
  let ss: f64 = 0;
  if (count > 1) {
    for (let i: usize = 0; i < len; i++) {
      const x = load<f64>(valuesPtr + (i << 3));
      if (finite(x)) {
        const d = x - mean;
        ss += d * d;
      }
    }
  }
  const variance = count > 1 ? ss / <f64>(count - 1) : 0.0;
  const std = Math.sqrt(variance);
  if (std > 0) {
    for (let i: usize = 0; i < len; i++) {
      const x = load<f64>(valuesPtr + (i << 3));
      let z: f64 = 0;
      let flag: u8 = 0;
      if (finite(x)) {
        z = (x - mean) / std;
        flag = <u8>(Math.abs(z) > k);
      }
      store<f64>(zPtr + (i << 3), z);
      store<u8>(flagsPtr + i, flag);
    }
  } else {
    memory.fill(zPtr, 0, len << 3);
    // Every z is 0: only a negative k flags the finite positions.
    for (let i: usize = 0; i < len; i++) {
      store<u8>(flagsPtr + i, <u8>(0.0 > k && finite(load<f64>(valuesPtr + (i << 3)))));
    }
  }
  store<f64>(resultPtr, <f64>count);
  store<f64>(resultPtr + 8, mean);
  store<f64>(resultPtr + 16, variance);
  store<f64>(resultPtr + 24, std);
  store<f64>(resultPtr + 32, count > 0 ? min : NaN);
  store<f64>(resultPtr + 40, count > 0 ? max : NaN);
}

export function changePoints(valuesPtr: usize, n: u32, window: u32, threshold: f64, outPtr: usize): u32 {
  if (window < 1) return 0;
  const len = <usize>n;
  const w = <usize>window;
  let count: u32 = 0;
  let sum: f64 = 0;
  for (let i: usize = 0; i < len; i++) {
    const x = load<f64>(valuesPtr + (i << 3));
    if (finite(x)) {
      count++;
      sum += x;
    }
  }
  if (<u64>count < (<u64>w << 1)) return 0;
  const mean = sum / <f64>count;
  let ss: f64 = 0;
  for (let i: usize = 0; i < len; i++) {
    const x = load<f64>(valuesPtr + (i << 3));
    if (finite(x)) {
      const d = x - mean;
      ss += d * d;
    }
  }
  const sigma = Math.sqrt(ss / <f64>(count - 1));
  if (!(sigma > 0)) return 0;
  const limit = threshold * sigma;

  let kept: u32 = 0;
  let nextAllowed: usize = 0; // smallest index that may be kept
  for (let i = w; i + w <= len; i++) {
    if (i < nextAllowed) continue;
    let sp: f64 = 0, sn: f64 = 0;
    let cp: u32 = 0, cn: u32 = 0;
    for (let j = i - w; j < i; j++) {
      const x = load<f64>(valuesPtr + (j << 3));
      if (finite(x)) { sp += x; cp++; }
    }
    if (cp == 0) continue;
    for (let j = i; j < i + w; j++) {
      const x = load<f64>(valuesPtr + (j << 3));
      if (finite(x)) { sn += x; cn++; }
    }
    if (cn == 0) continue;
    if (Math.abs(sn / <f64>cn - sp / <f64>cp) > limit) {
      store<u32>(outPtr + (<usize>kept << 2), <u32>i);
      kept++;
      nextAllowed = i + w + 1;
    }
  }
  return kept;
}
