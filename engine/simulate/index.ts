export { blockBreakdown, blockKind, isRagText, BLOCK_KINDS, type BlockBreakdown, type BlockKind, type KindTotals } from './blocks.js';
export {
  detectWaste,
  compactJson,
  visibleHtmlText,
  looksLikeHtml,
  isBase64Blob,
  type WasteSignals,
  type WasteDetails,
  type WasteOptions,
} from './waste.js';
export {
  stablePrefix,
  historyEnd,
  isVolatileSpan,
  estimateInputCost,
  simulationCost,
  MIN_CACHEABLE_PREFIX,
  type StablePrefix,
  type StablePrefixOptions,
  type CostEstimate,
  type SimulationCost,
} from './cost.js';
export { collectDecisions, type BlockDecision } from './decisions.js';
