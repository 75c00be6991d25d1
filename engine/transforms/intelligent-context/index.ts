export {
  intelligentContext,
  INTELLIGENT_CONTEXT,
  cacheableEnd,
  cacheWriteMultiplier,
  markerMessage,
  type DropCacheCost,
  type IntelligentContextDetails,
  type UnitReport,
} from './transform.js';
export { scoreUnits, salientTokens, isSalient, type ScoredUnit, type UnitFactors, type ScoreInput } from './score.js';
export {
  resolveIntelligentContextSection,
  DEFAULT_INTELLIGENT_CONTEXT,
  DEFAULT_SCORING_WEIGHTS,
  type IntelligentContextConfig,
  type ResolvedIntelligentContextConfig,
  type ScoringWeights,
  type ResolvedScoringWeights,
  type ContextUnit,
  type ImportanceHook,
} from './config.js';
