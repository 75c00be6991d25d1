// The pure engine: no platform APIs. `headroom-wasm` (sdk/) is the public surface most callers want.
export { compressPrepared, validateOptions, DEFAULT_TRANSFORMS, type PreparedModel, type EngineRun } from './compress.js';
export { runPipeline, type PipelineResult, type RunOptions } from './pipeline/run.js';
export type { Transform, TransformOutput, TransformReport, PipelineContext } from './pipeline/types.js';
export {
  resolveConfig,
  type HeadroomConfig,
  type ResolvedConfig,
  type CompressorSections,
  type CacheAlignerConfig,
  type RollingWindowConfig,
  type IntelligentContextConfig,
  type RouterConfig,
  type SmartCrusherConfig,
  type LogCompressorConfig,
  type SearchCompressorConfig,
  type DiffCompressorConfig,
  type HtmlConfig,
  type TextConfig,
  type CodeConfig,
} from './config.js';
export type { CompressOptions, CompressResult, CompressMode } from './options.js';
export * from './errors.js';
export * from './messages/index.js';
export * from './tokenizer/index.js';
export * from './models/index.js';
export { getKernels, initKernels, initKernelsSync, tsKernels, type Kernels, type KernelsSource } from './kernels/index.js';
export { simhashStrings, bm25Strings } from './kernels/hash.js';
export { ccrHash, CCR_HASH_LENGTH } from './ccr/hash.js';
export { formatTextMarker, jsonSentinel, parseMarkers, type Marker, type ParsedMarker } from './ccr/markers.js';
export type { CCREntry, CCRSink, CCRStore } from './ccr/types.js';
export { cacheAligner } from './transforms/cache-aligner.js';
export { rollingWindow } from './transforms/rolling-window.js';
export { smartCrusher } from './transforms/smart-crusher/transform.js';
export {
  contentRouter,
  createContentRouter,
  registerCompressor,
  unregisterCompressor,
  detectContent,
  type ContentRouterOptions,
  type ContentType,
  type Detection,
  type RoutingDecision,
  type RoutingAction,
} from './transforms/router/index.js';
export type { ContentCompressor } from './transforms/compressor.js';
export { intelligentContext, type IntelligentContextDetails, type UnitReport, type DropCacheCost } from './transforms/intelligent-context/index.js';
export { sha256Hex } from './util/sha256.js';
