export { compress } from './compress.js';
export { MemoryStore, type MemoryStoreOptions } from './ccr/memory-store.js';
export { getDefaultStore, setDefaultStore } from './ccr/default-store.js';
export type { CompressOptions, CompressResult, CompressMode } from '../engine/options.js';
export type { HeadroomConfig, CacheAlignerConfig, RollingWindowConfig } from '../engine/config.js';
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
