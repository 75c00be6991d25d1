export type { ModelInfo, ModelOverrides, ModelPricing, Provider } from './types.js';
export { PRICES_AS_OF, FALLBACK_ENTRY, type RegistryEntry } from './registry.js';
export {
  resolveModel,
  listModels,
  validateModelOverrides,
  mergeModelOverrides,
  promptBudget,
  estimateCostUSD,
  priceTableAgeDays,
  type ResolvedModel,
  type TokenUsage,
} from './resolve.js';
export { normalizeModelOverrides } from './overrides.js';
