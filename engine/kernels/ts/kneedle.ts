/**
 * Kneedle (Satopää et al. 2011), simplified as in the Headroom reference (spec ALGORITHMS.md
 * §1.3 step 4); same contract as wasm/assembly/kneedle.ts: −1 for len < 3 or no finite value,
 * 0 for a flat curve, −1 when the largest yn − x is below `threshold` (default 0.05), else the
 * first argmax index. Non-finite values are excluded from min/max and never chosen.
 */
import { DEFAULT_KNEE_THRESHOLD } from './validate.js';

export function kneedle(y: Float64Array, threshold: number = DEFAULT_KNEE_THRESHOLD): number {
  const n = y.length;
  if (n < 3) return -1;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = y[i];
    if (v - v === 0) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (!(min <= max)) return -1;
  if (max === min) return 0;
  const range = max - min;
  const last = n - 1;
  let best = -1;
  let bestD = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = y[i];
    if (v - v !== 0) continue;
    const d = (v - min) / range - i / last;
    if (d > bestD) {
      bestD = d;
      best = i;
    }
  }
  return bestD < threshold ? -1 : best;
}
