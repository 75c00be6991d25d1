export { compress } from './compress.js';
export {
  simulate,
  type SimulateResult,
  type ContextDropReport,
  type BlockBreakdown,
  type BlockKind,
  type KindTotals,
  type BlockDecision,
  type CostEstimate,
  type SimulationCost,
  type WasteSignals,
  type WasteDetails,
  type DropCacheCost,
} from './simulate.js';
export {
  retrieve,
  retrieveWithReason,
  type RetrieveOptions,
  type RetrieveResult,
  type RetrieveContent,
  type RetrieveMatches,
  type RetrieveMatch,
  type RetrieveOutcome,
  type RetrieveFailureReason,
  type CCRLookup,
  type CCRStatusStore,
} from './ccr/retrieve.js';
export { MemoryStore, DEFAULT_CCR_TTL_MS, type MemoryStoreOptions } from './ccr/memory-store.js';
export { IndexedDBStore, type IndexedDBStoreOptions } from './ccr/idb-store.js';
export { FileStore, type FileStoreOptions } from './ccr/file-store.js';
export { getDefaultStore, setDefaultStore } from './ccr/default-store.js';
export { handleRetrieveToolCall, type RetrieveToolCall, type RetrieveToolResult } from './ccr/tool-handler.js';
export {
  RETRIEVE_TOOL_NAME,
  isRetrieveToolName,
  addRetrieveTool,
  retrieveToolDefinition,
  openaiRetrieveTool,
  anthropicRetrieveTool,
  geminiRetrieveTool,
  vercelRetrieveTool,
  type RetrieveToolFormat,
} from '../engine/ccr/retrieve-tool.js';
export { parseMarkers, type Marker, type ParsedMarker } from '../engine/ccr/markers.js';
export { resolveModel, listModels, PRICES_AS_OF } from '../engine/models/index.js';
export { getTokenCounter } from '../engine/tokenizer/index.js';
export type { CompressOptions, CompressResult, CompressMode } from '../engine/options.js';
export type {
  HeadroomConfig,
  CacheAlignerConfig,
  RollingWindowConfig,
  IntelligentContextConfig,
  ScoringWeights,
  ContextUnit,
  ImportanceHook,
  RouterConfig,
  SmartCrusherConfig,
  LogCompressorConfig,
  SearchCompressorConfig,
  DiffCompressorConfig,
  HtmlConfig,
  TextConfig,
} from '../engine/config.js';
export type { RoutingDecision, RoutingAction, ContentType } from '../engine/transforms/router/types.js';
export type { IntelligentContextDetails, UnitReport } from '../engine/transforms/intelligent-context/transform.js';
export type { ToolProfile } from '../engine/transforms/smart-crusher/config.js';
export type { CCREntry, CCRStore } from '../engine/ccr/types.js';
export type { MessageFormat } from '../engine/messages/types.js';
export type { ModelInfo, ModelOverrides, ModelPricing, Provider } from '../engine/models/types.js';
export {
  HeadroomError,
  ConfigurationError,
  ProviderError,
  StorageError,
  TokenizationError,
  CacheError,
  ValidationError,
  TransformError,
  HeadroomCompressError,
  HeadroomConnectionError,
  HeadroomAuthError,
  mapProxyError,
  type HeadroomErrorCode,
} from '../engine/errors.js';
export {
  createCompressor,
  type Compressor,
  type CompressorOptions,
  type CompressorCompressOptions,
  type CompressorRetrieveOptions,
  type CompressorStatus,
  type CompressPayloadOptions,
  type CompressPayloadResult,
  type CompressorSimulateResult,
  type SimulatePayloadResult,
  type CallOptions,
  type WorkerResourceLimits,
} from './worker/client.js';
export { parsePayload, payloadOptions, type ParsedPayload, type PayloadInfo, type PayloadContentType } from './worker/payload.js';
export {
  compressCode,
  ensureLanguages,
  ensureLanguagesFor,
  configureCodeGrammars,
  isLanguageLoaded,
  unloadLanguages,
  grammarLoadStats,
  copyGrammarAssets,
  type CompressCodeOptions,
  type CompressCodeResult,
  type EnsureResult,
  type GrammarLoadInfo,
  type GrammarOptions,
  type TreeSitterModule,
  type WasmSource,
} from './code/index.js';
export type { CodeConfig, CodeLanguage, DocstringMode } from '../engine/transforms/code/index.js';
