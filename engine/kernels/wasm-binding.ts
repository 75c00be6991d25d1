/**
 * Wraps an instantiated kernels.wasm (wasm/assembly/index.ts) into the `Kernels` interface.
 *
 * Calling convention (no managed strings or arrays cross the boundary; STYLE.md point 6):
 * every call does scratchReset(), reserves its input and output blocks with scratchAlloc(),
 * (re)builds typed-array views when `memory.buffer` changed (growth detaches the old buffer),
 * copies the inputs in, calls `kernel(ptr, len, …)` and copies the outputs out (`slice`), so
 * returned arrays never alias WASM memory. Memory grows to the largest call's need and stays
 * there (WebAssembly memory cannot shrink); repeated calls reuse it.
 *
 * Besides `Kernels`, the binding offers the fused string paths of `TextKernels` (hash.ts):
 * strings are lowercased in JS, their UTF-16 code units copied into WASM memory, and hashing
 * plus the kernel run in one call.
 *
 * Not re-entrant across threads (one instance per worker); kernels are synchronous, so calls
 * on one thread never interleave.
 */
import type { TextKernels } from './hash.js';
import { checkOffsets, DEFAULT_B, DEFAULT_K1, DEFAULT_KNEE_THRESHOLD, normaliseMaxDistance, normaliseWindow } from './ts/validate.js';
import type { Bm25Params, FieldStats, Kernels } from './types.js';

/** Exports of kernels.wasm (pointers and lengths are u32 byte addresses / element counts). */
export interface KernelExports {
  readonly memory: WebAssembly.Memory;
  scratchReset(): void;
  scratchAlloc(bytes: number): number;
  scratchTop(): number;
  simhash(shinglesPtr: number, offsetsPtr: number, n: number, outPtr: number): void;
  hammingTo(fpsPtr: number, n: number, ref: bigint, outPtr: number): void;
  groupNearDuplicates(fpsPtr: number, n: number, maxDistance: number, outPtr: number): void;
  simhashUtf16(unitsPtr: number, offsetsPtr: number, n: number, gram: number, outPtr: number): void;
  termIdsUtf16(unitsPtr: number, offsetsPtr: number, n: number, termsPtr: number, termOffsetsPtr: number): number;
  bm25(termsPtr: number, offsetsPtr: number, n: number, queryPtr: number, m: number, k1: number, b: number, outPtr: number): void;
  fieldStats(valuesPtr: number, n: number, k: number, zPtr: number, flagsPtr: number, resultPtr: number): void;
  changePoints(valuesPtr: number, n: number, window: number, threshold: number, outPtr: number): number;
  kneedle(yPtr: number, n: number, threshold: number): number;
}

export type WasmKernels = Kernels & TextKernels & { readonly backend: 'wasm' };

const REQUIRED: readonly (keyof KernelExports)[] = [
  'memory', 'scratchReset', 'scratchAlloc', 'scratchTop', 'simhash', 'hammingTo', 'groupNearDuplicates',
  'simhashUtf16', 'termIdsUtf16', 'bm25', 'fieldStats', 'changePoints', 'kneedle',
];

/** Checks that `instance` is a kernels.wasm instance and returns its typed exports. */
export function kernelExports(instance: WebAssembly.Instance): KernelExports {
  const ex = instance.exports as unknown as Partial<KernelExports>;
  for (const name of REQUIRED) {
    if (ex[name] === undefined) throw new TypeError(`kernels.wasm: missing export "${name}"`);
  }
  return ex as KernelExports;
}

export function createWasmKernels(instance: WebAssembly.Instance): WasmKernels {
  const ex = kernelExports(instance);
  const memory = ex.memory;

  let buffer: ArrayBuffer | null = null;
  let u8 = new Uint8Array(0);
  let u16 = new Uint16Array(0);
  let u32 = new Uint32Array(0);
  let f64 = new Float64Array(0);
  let b64 = new BigUint64Array(0);

  /** Rebuilds the views if memory grew since the last look. */
  const views = (): void => {
    if (memory.buffer !== buffer) {
      buffer = memory.buffer;
      u8 = new Uint8Array(buffer);
      u16 = new Uint16Array(buffer);
      u32 = new Uint32Array(buffer);
      f64 = new Float64Array(buffer);
      b64 = new BigUint64Array(buffer);
    }
  };
  const alloc = (bytes: number): number => ex.scratchAlloc(bytes) >>> 0;

  /** Lowercases `texts` and copies their UTF-16 code units into scratch; returns pointers. */
  const putTexts = (texts: readonly string[]): { unitsPtr: number; offsetsPtr: number; units: number } => {
    const lowered = new Array<string>(texts.length);
    let units = 0;
    for (let i = 0; i < texts.length; i++) {
      const s = texts[i].toLowerCase();
      lowered[i] = s;
      units += s.length;
    }
    const unitsPtr = alloc(units * 2);
    const offsetsPtr = alloc((texts.length + 1) * 4);
    views();
    const o32 = offsetsPtr >>> 2;
    let p = unitsPtr >>> 1;
    const base = p;
    const view = u16;
    u32[o32] = 0;
    for (let i = 0; i < lowered.length; i++) {
      const s = lowered[i];
      for (let j = 0; j < s.length; j++) view[p++] = s.charCodeAt(j);
      u32[o32 + i + 1] = p - base;
    }
    return { unitsPtr, offsetsPtr, units };
  };

  const simhash = (shingles: Uint32Array, offsets: Uint32Array): BigUint64Array => {
    const n = checkOffsets(offsets, shingles.length, 'simhash');
    if (n === 0) return new BigUint64Array(0);
    ex.scratchReset();
    const sp = alloc(shingles.length * 4);
    const op = alloc(offsets.length * 4);
    const out = alloc(n * 8);
    views();
    u32.set(shingles, sp >>> 2);
    u32.set(offsets.subarray(0, n + 1), op >>> 2);
    ex.simhash(sp, op, n, out);
    views();
    return b64.slice(out >>> 3, (out >>> 3) + n);
  };

  const hammingTo = (fps: BigUint64Array, ref: bigint): Uint8Array => {
    const n = fps.length;
    if (n === 0) return new Uint8Array(0);
    ex.scratchReset();
    const fp = alloc(n * 8);
    const out = alloc(n);
    views();
    b64.set(fps, fp >>> 3);
    ex.hammingTo(fp, n, BigInt.asIntN(64, ref), out);
    views();
    return u8.slice(out, out + n);
  };

  const groupNearDuplicates = (fps: BigUint64Array, maxDistance: number): Int32Array => {
    const d = normaliseMaxDistance(maxDistance);
    const n = fps.length;
    if (n === 0) return new Int32Array(0);
    ex.scratchReset();
    const fp = alloc(n * 8);
    const out = alloc(n * 4);
    views();
    b64.set(fps, fp >>> 3);
    ex.groupNearDuplicates(fp, n, d, out);
    views();
    return new Int32Array(u32.buffer, out, n).slice();
  };

  const bm25 = (docTerms: Uint32Array, docOffsets: Uint32Array, queryTerms: Uint32Array, params?: Bm25Params): Float64Array => {
    const n = checkOffsets(docOffsets, docTerms.length, 'bm25');
    if (n === 0) return new Float64Array(0);
    ex.scratchReset();
    const tp = alloc(docTerms.length * 4);
    const op = alloc((n + 1) * 4);
    const qp = alloc(queryTerms.length * 4);
    const out = alloc(n * 8);
    views();
    u32.set(docTerms, tp >>> 2);
    u32.set(docOffsets.subarray(0, n + 1), op >>> 2);
    u32.set(queryTerms, qp >>> 2);
    ex.bm25(tp, op, n, qp, queryTerms.length, params?.k1 ?? DEFAULT_K1, params?.b ?? DEFAULT_B, out);
    views();
    return f64.slice(out >>> 3, (out >>> 3) + n);
  };

  const fieldStats = (values: Float64Array, k: number): FieldStats => {
    const n = values.length;
    ex.scratchReset();
    const vp = alloc(n * 8);
    const zp = alloc(n * 8);
    const fp = alloc(n);
    const rp = alloc(6 * 8);
    views();
    f64.set(values, vp >>> 3);
    ex.fieldStats(vp, n, k, zp, fp, rp);
    views();
    const r = rp >>> 3;
    return {
      count: f64[r],
      mean: f64[r + 1],
      variance: f64[r + 2],
      std: f64[r + 3],
      min: f64[r + 4],
      max: f64[r + 5],
      zScores: f64.slice(zp >>> 3, (zp >>> 3) + n),
      outliers: u8.slice(fp, fp + n),
    };
  };

  const changePoints = (values: Float64Array, window: number, threshold: number): Uint32Array => {
    const w = normaliseWindow(window);
    const n = values.length;
    if (w === 0 || n < 2 * w) return new Uint32Array(0);
    ex.scratchReset();
    const vp = alloc(n * 8);
    const cap = Math.floor((n - 1) / (w + 1)) + 1;
    const out = alloc(cap * 4);
    views();
    f64.set(values, vp >>> 3);
    const count = ex.changePoints(vp, n, w, threshold, out);
    views();
    return u32.slice(out >>> 2, (out >>> 2) + count);
  };

  const kneedle = (y: Float64Array, threshold: number = DEFAULT_KNEE_THRESHOLD): number => {
    const n = y.length;
    if (n < 3) return -1;
    ex.scratchReset();
    const yp = alloc(n * 8);
    views();
    f64.set(y, yp >>> 3);
    return ex.kneedle(yp, n, threshold);
  };

  const simhashTexts = (items: readonly string[], n: number): BigUint64Array => {
    const count = items.length;
    if (count === 0) return new BigUint64Array(0);
    ex.scratchReset();
    const { unitsPtr, offsetsPtr } = putTexts(items);
    const out = alloc(count * 8);
    ex.simhashUtf16(unitsPtr, offsetsPtr, count, n >= 1 ? Math.min(Math.floor(n), 0x7fffffff) : 1, out);
    views();
    return b64.slice(out >>> 3, (out >>> 3) + count);
  };

  const bm25Texts = (docs: readonly string[], query: string, params?: Bm25Params): Float64Array => {
    const n = docs.length;
    if (n === 0) return new Float64Array(0);
    ex.scratchReset();
    const all = docs.slice();
    all.push(query);
    const { unitsPtr, offsetsPtr, units } = putTexts(all);
    const termsPtr = alloc(((units >>> 1) + n + 2) * 4);
    const termOffsetsPtr = alloc((n + 2) * 4);
    const out = alloc(n * 8);
    ex.termIdsUtf16(unitsPtr, offsetsPtr, n + 1, termsPtr, termOffsetsPtr);
    views();
    const qStart = u32[(termOffsetsPtr >>> 2) + n];
    const qEnd = u32[(termOffsetsPtr >>> 2) + n + 1];
    ex.bm25(termsPtr, termOffsetsPtr, n, termsPtr + qStart * 4, qEnd - qStart, params?.k1 ?? DEFAULT_K1, params?.b ?? DEFAULT_B, out);
    views();
    return f64.slice(out >>> 3, (out >>> 3) + n);
  };

  return Object.freeze({
    backend: 'wasm' as const,
    simhash,
    hammingTo,
    groupNearDuplicates,
    bm25,
    fieldStats,
    changePoints,
    kneedle,
    simhashTexts,
    bm25Texts,
  });
}
