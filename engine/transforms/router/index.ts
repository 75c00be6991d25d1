/** ContentRouter: detects each block's type and routes it to the compressor for that type. */
export { contentRouter, createContentRouter, defaultRouterCache, type ContentRouterOptions } from './transform.js';
export { detectContent, analyzeStructure, detectWithStructure, sampleLines, hintFromFence, type Structure } from './detect.js';
export { hintsFromTool, hintFromPath, hintFromCommand, type Hint } from './hints.js';
export { splitMixed, mixedIndicators, balancedEnd, type Segment, type SegmentKind, type SplitOptions } from './split.js';
export { routeBlock, thresholdFor, type BlockInput, type RouteEnv } from './route.js';
export { ANALYSIS_INTENT, hasAnalysisIntent, latestUserText, isRetrieveOutput, carriesMarker } from './protect.js';
export {
  registerCompressor,
  unregisterCompressor,
  registeredCompressor,
  registeredTypes,
  registryGeneration,
  smartCrusherCompressor,
  COMPRESSOR_NAMES,
  type RegisteredCompressor,
  type RoutedOutput,
  type CompressorMap,
} from './registry.js';
export { RouterCache, fingerprint, type RouterCacheOptions, type BlockOutcome, type DecisionCore } from './cache.js';
export { resolveRouterSection, DEFAULT_ROUTER, DEFAULT_MIN_TOKENS, AGGRESSIVE_MIN_TOKENS, type RouterConfig, type ResolvedRouterConfig } from './config.js';
export { CONTENT_TYPES, SKIP, type ContentType, type Detection, type DetectHints, type RoutingDecision, type RoutingAction } from './types.js';
