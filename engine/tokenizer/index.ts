export type { ContentClass, EncodingName, TokenCounter } from './types.js';
export {
  getTokenCounter,
  getLoadedTokenCounter,
  getEstimatingCounter,
  type ModelTokenCounter,
  type TokenCounterOptions,
} from './counter.js';
export {
  ENCODINGS,
  isEncodingLoaded,
  loadedEncodings,
  loadEncoding,
  preloadEncodings,
  registerEncodingRanks,
  unloadEncoding,
  encodingLoadTiming,
  type BpeRanksData,
  type EncodingLoadTiming,
} from './encodings.js';
export {
  estimateTokens,
  classifyContent,
  CALIBRATION,
  PROFILE_FACTORS,
  type EstimatorProfile,
} from './estimator.js';
export { MESSAGE_OVERHEADS, type MessageBilling, type MessageOverheads } from './messages.js';
export type { MemoOptions } from './memo.js';
