/** SmartCrusher: statistical JSON compression for tool outputs, reversible through CCR. */
export { crushJson, looksLikeJson, MAX_ARRAY_DEPTH, type CrushDeps, type CrushResult, type SmartCrusherOptions } from './crush.js';
export { smartCrusher, isRetrieveTool } from './transform.js';
export { decodeCompact } from './compact.js';
export { expandLossless, REPEAT_KEY, CONSTANT_KEY } from './lossless.js';
export {
  DEFAULT_SMART_CRUSHER,
  ADAPTIVE_MAX_ITEMS,
  resolveSmartCrusherSection,
  validateToolProfiles,
  type SmartCrusherConfig,
  type SmartCrusherFormat,
  type SmartCrusherRelevanceConfig,
  type ResolvedSmartCrusherConfig,
  type ToolProfile,
} from './config.js';
export { parseJson, MAX_DEPTH } from './parse.js';
