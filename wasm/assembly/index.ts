/**
 * Export surface of kernels.wasm (no imports; memory exported as `memory`).
 * Calling convention: JS calls scratchReset(), reserves input/output blocks with
 * scratchAlloc(bytes), writes inputs through typed-array views of `memory.buffer` (rebuilt after
 * any call that may grow memory), calls a kernel with (pointer, length, …), reads outputs.
 * Kernel sources: simhash.ts, text.ts, bm25.ts, stats.ts, kneedle.ts; allocator: scratch.ts.
 */
export { scratchAlloc, scratchReset, scratchTop } from './scratch';
export { simhash, hammingTo, groupNearDuplicates } from './simhash';
export { simhashUtf16, termIdsUtf16 } from './text';
export { bm25 } from './bm25';
export { fieldStats, changePoints } from './stats';
export { kneedle } from './kneedle';

/** ABI version; bump when an export's signature or layout changes. */
export const KERNELS_ABI: i32 = 1;
