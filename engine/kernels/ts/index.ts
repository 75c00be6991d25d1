/** Plain-TypeScript kernels (`backend: 'ts'`): the fallback before WASM loads and the faster choice for some functions (see engine/kernels/index.ts). */
import type { Kernels } from '../types.js';
import { bm25 } from './bm25.js';
import { kneedle } from './kneedle.js';
import { groupNearDuplicates, hammingTo, simhash } from './simhash.js';
import { changePoints, fieldStats } from './stats.js';

export const tsKernels: Kernels = Object.freeze({
  backend: 'ts' as const,
  simhash,
  hammingTo,
  groupNearDuplicates,
  bm25,
  fieldStats,
  changePoints,
  kneedle,
});
