/**
 * fieldStats and changePoints in plain TypeScript; same contract and the same left-to-right
 * two-pass arithmetic as wasm/assembly/stats.ts (see there for every rule). Spec: ALGORITHMS.md
 * §1.9 and §1.6.
 *   fieldStats: count 0 → mean, min, max NaN; variance and std 0. z 0 where x is not finite or
 *   std is 0; outlier iff x is finite and |z| > k.
 *   changePoints: non-finite values are skipped inside each window mean; a window with no
 *   finite value makes the position no candidate; window sums are direct (O(len · window)).
 */
import type { FieldStats } from '../types.js';
import { normaliseWindow } from './validate.js';

export function fieldStats(values: Float64Array, k: number): FieldStats {
  const n = values.length;
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = values[i];
    if (x - x === 0) {
      count++;
      sum += x;
      if (x < min) min = x;
      if (x > max) max = x;
    }
  }
  const mean = count > 0 ? sum / count : NaN;
  let ss = 0;
  if (count > 1) {
    for (let i = 0; i < n; i++) {
      const x = values[i];
      if (x - x === 0) {
        const d = x - mean;
        ss += d * d;
      }
    }
  }
  const variance = count > 1 ? ss / (count - 1) : 0;
  const std = Math.sqrt(variance);
  const zScores = new Float64Array(n);
  const outliers = new Uint8Array(n);
  if (std > 0) {
    for (let i = 0; i < n; i++) {
      const x = values[i];
      if (x - x === 0) {
        const z = (x - mean) / std;
        zScores[i] = z;
        if (Math.abs(z) > k) outliers[i] = 1;
      }
    }
  } else if (0 > k) {
    // Every z is 0; only a negative k flags the finite positions.
    for (let i = 0; i < n; i++) if (values[i] - values[i] === 0) outliers[i] = 1;
  }
  return {
    count,
    mean,
    variance,
    std,
    min: count > 0 ? min : NaN,
    max: count > 0 ? max : NaN,
    zScores,
    outliers,
  };
}

export function changePoints(values: Float64Array, window: number, threshold: number): Uint32Array {
  const w = normaliseWindow(window);
  const len = values.length;
  if (w === 0) return new Uint32Array(0);
  let count = 0;
  let sum = 0;
  for (let i = 0; i < len; i++) {
    const x = values[i];
    if (x - x === 0) {
      count++;
      sum += x;
    }
  }
  if (count < 2 * w) return new Uint32Array(0);
  const mean = sum / count;
  let ss = 0;
  for (let i = 0; i < len; i++) {
    const x = values[i];
    if (x - x === 0) {
      const d = x - mean;
      ss += d * d;
    }
  }
  const sigma = Math.sqrt(ss / (count - 1));
  if (!(sigma > 0)) return new Uint32Array(0);
  const limit = threshold * sigma;
  const kept: number[] = [];
  let nextAllowed = 0;
  for (let i = w; i + w <= len; i++) {
    if (i < nextAllowed) continue;
    let sp = 0;
    let cp = 0;
    for (let j = i - w; j < i; j++) {
      const x = values[j];
      if (x - x === 0) {
        sp += x;
        cp++;
      }
    }
    if (cp === 0) continue;
    let sn = 0;
    let cn = 0;
    for (let j = i; j < i + w; j++) {
      const x = values[j];
      if (x - x === 0) {
        sn += x;
        cn++;
      }
    }
    if (cn === 0) continue;
    if (Math.abs(sn / cn - sp / cp) > limit) {
      kept.push(i);
      nextAllowed = i + w + 1;
    }
  }
  return Uint32Array.from(kept);
}
