/**
 * Kneedle knee detection (Satopää, Albrecht, Irwin, Raghavan 2011, "Finding a 'Kneedle' in a
 * Haystack"), the simplified form of the Headroom reference (spec ALGORITHMS.md §1.3 step 4):
 * x = i/(len − 1), yn = (y − min)/(max − min), difference d = yn − x, first argmax of d.
 *
 * Returns: −1 when len < 3 or no value is finite; 0 when the curve is flat (max == min; the
 * reference answers "1 item" for flat curves, i.e. index 0); −1 when the largest difference is
 * below `threshold`; otherwise the index of the first maximum (callers add 1 for a count).
 * Non-finite values are excluded from min/max and never chosen.
 *
 * Memory layout: y f64[n] (read only); no scratch.
 */

export function kneedle(yPtr: usize, n: u32, threshold: f64): i32 {
  if (n < 3) return -1;
  const len = <usize>n;
  let min: f64 = Infinity;
  let max: f64 = -Infinity;
  for (let i: usize = 0; i < len; i++) {
    const y = load<f64>(yPtr + (i << 3));
    if (y - y == 0.0) {
      if (y < min) min = y;
      if (y > max) max = y;
    }
  }
  if (!(min <= max)) return -1; // no finite value
  if (max == min) return 0;
  const range = max - min;
  const last = <f64>(n - 1);
  let best: i32 = -1;
  let bestD: f64 = -Infinity;
  for (let i: usize = 0; i < len; i++) {
    const y = load<f64>(yPtr + (i << 3));
    if (y - y != 0.0) continue;
    const d = (y - min) / range - <f64>i / last;
    if (d > bestD) {
      bestD = d;
      best = <i32>i;
    }
  }
  return bestD < threshold ? -1 : best;
}
