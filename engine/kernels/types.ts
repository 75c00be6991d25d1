/**
 * Numeric kernels used by the compressors. Two implementations exist behind this one
 * interface: WASM (AssemblyScript, `wasm/assembly/`) and plain TypeScript. Which one a
 * function uses is decided by measurement (see bench/RESULTS.md).
 *
 * Inputs are typed arrays; strings are turned into u32 ids on the TypeScript side.
 */

export interface FieldStats {
  /** Number of finite values (NaN and ±Infinity are ignored). */
  readonly count: number;
  readonly mean: number;
  /** Sample variance (n − 1 denominator); 0 when count < 2. */
  readonly variance: number;
  readonly std: number;
  readonly min: number;
  readonly max: number;
  /** (x − mean) / std per input position; 0 where std is 0 or the value is not finite. */
  readonly zScores: Float64Array;
  /** 1 where |z| > k, else 0 (non-finite inputs are never outliers). */
  readonly outliers: Uint8Array;
}

export interface Bm25Params {
  /** Term-frequency saturation; default 1.5. */
  readonly k1?: number;
  /** Length normalisation; default 0.75. */
  readonly b?: number;
}

export interface Kernels {
  readonly backend: 'wasm' | 'ts';

  /** 64-bit SimHash per item. `shingles` holds every item's u32 shingle hashes back to back; item i owns shingles[offsets[i]..offsets[i+1]). */
  simhash(shingles: Uint32Array, offsets: Uint32Array): BigUint64Array;
  /** Hamming distance of every fingerprint to `ref`. */
  hammingTo(fps: BigUint64Array, ref: bigint): Uint8Array;
  /** Greedy grouping in input order: item i joins the first earlier representative within `maxDistance` bits, else starts a group. Returns the representative's index per item. */
  groupNearDuplicates(fps: BigUint64Array, maxDistance: number): Int32Array;

  /** Okapi BM25 score of each document against the query; document frequency over this batch. Docs are u32 term ids back to back with offsets (length n + 1). */
  bm25(docTerms: Uint32Array, docOffsets: Uint32Array, queryTerms: Uint32Array, params?: Bm25Params): Float64Array;

  /** Count, mean, sample variance/std, min/max, z-scores and outlier flags (|z| > k). */
  fieldStats(values: Float64Array, k: number): FieldStats;
  /** Indices where the mean of the next `window` values differs from the mean of the previous `window` by more than `threshold`·σ (σ of the whole finite series); a kept index is more than `window` after the previous one. */
  changePoints(values: Float64Array, window: number, threshold: number): Uint32Array;

  /** Knee of a monotone increasing curve (Kneedle: normalise, difference curve, first maximum); −1 when there is none (fewer than 3 points or the maximum difference is below `threshold`). */
  kneedle(y: Float64Array, threshold?: number): number;
}
