/**
 * Argument checks shared by the TS kernels and the WASM binding. Malformed offsets or a NaN
 * distance are the caller's mistake and throw ConfigurationError; odd *data* (NaN values,
 * empty items) never throws.
 */
import { ConfigurationError } from '../../errors.js';

/**
 * Checks `offsets` against a packed array of `dataLength` elements and returns the item count
 * n = offsets.length − 1 (0 for an empty offsets array). Requires offsets to be non-decreasing
 * and offsets[n] ≤ dataLength.
 */
export function checkOffsets(offsets: Uint32Array, dataLength: number, what: string): number {
  const n = offsets.length - 1;
  if (n <= 0) return 0;
  let prev = offsets[0];
  for (let i = 1; i <= n; i++) {
    const o = offsets[i];
    if (o < prev) {
      throw new ConfigurationError(`${what}: offsets must be non-decreasing (offsets[${i}] = ${o} < ${prev})`, { index: i });
    }
    prev = o;
  }
  if (prev > dataLength) {
    throw new ConfigurationError(`${what}: offsets[${n}] = ${prev} exceeds the data length ${dataLength}`, { dataLength });
  }
  return n;
}

/** Hamming distance limit as an integer in [−1, 64]; −1 means "never join". NaN throws. */
export function normaliseMaxDistance(maxDistance: number): number {
  if (Number.isNaN(maxDistance)) throw new ConfigurationError('groupNearDuplicates: maxDistance is NaN');
  if (maxDistance < 0) return -1;
  if (maxDistance >= 64) return 64;
  return Math.floor(maxDistance);
}

/** Window as an integer ≥ 1, or 0 when the window is unusable (NaN, < 1): no change points. */
export function normaliseWindow(window: number): number {
  if (!(window >= 1)) return 0;
  return Math.min(Math.floor(window), 0x7fffffff);
}

export const DEFAULT_K1 = 1.5;
export const DEFAULT_B = 0.75;
export const DEFAULT_KNEE_THRESHOLD = 0.05;
