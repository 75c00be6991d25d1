/**
 * SmartCrusher settings: the user-facing shape (`HeadroomConfig.smartCrusher`), the resolved
 * shape with every default filled in, and validation. Self-contained (no import from
 * engine/config.ts, which imports this file).
 *
 * Defaults follow the reference (spec ALGORITHMS.md §1.15) where it is sound: 5 items, 200
 * tokens, 2σ, adaptive K capped at 15, identical-item dedup on. Constant-field factoring is on
 * (the lossless-first order), but only where decode-and-compare proves it exact and it
 * saves at least `MIN_LOSSLESS_SAVING` of the array's characters.
 */
import { isPlainObject, sectionChecks } from '../../util/config-checks.js';
import { describeValue as show } from '../../util/describe.js';

export type SmartCrusherFormat = 'json' | 'compact';

export interface SmartCrusherRelevanceConfig {
  /** Keep the items most relevant to the last user message before the tool result. Default true. */
  enabled?: boolean;
  /** Most items one array may keep for relevance alone. Default 5. */
  maxPicks?: number;
  /** An item qualifies when its BM25 score is at least this fraction of the best score in the array (0–1). Default 0.3. */
  threshold?: number;
}

export interface SmartCrusherConfig {
  /** Default true. */
  enabled?: boolean;
  /** Arrays with fewer items pass through. Default 5. */
  minItemsToAnalyze?: number;
  /** Tool results with fewer tokens pass through. Default 200. */
  minTokensToCrush?: number;
  /**
   * Items kept per array when items must be dropped. Unset (default): adaptive (SimHash
   * uniqueness + Kneedle on the coverage curve), capped at 15. Set: exactly this many, except
   * that error items and anomalies are never dropped (they may push the count above it).
   */
  maxItemsAfterCrush?: number;
  /** Standard deviations beyond which a value (or a string length) is an anomaly. Default 2.0. */
  varianceThreshold?: number;
  relevance?: SmartCrusherRelevanceConfig;
  /** `'json'` (default): valid JSON. `'compact'`: uniform object arrays as a schema line plus rows (for LLM-only consumers; round-trips). */
  format?: SmartCrusherFormat;
  /** Collapse runs of identical items into one item plus a repeat count (lossless). Default true. */
  dedupIdenticalItems?: boolean;
  /** Move fields that are equal in every item into one leading object (lossless). Default true. */
  factorConstants?: boolean;
}

export interface ResolvedSmartCrusherRelevance {
  readonly enabled: boolean;
  readonly maxPicks: number;
  readonly threshold: number;
}

export interface ResolvedSmartCrusherConfig {
  readonly enabled: boolean;
  readonly minItemsToAnalyze: number;
  readonly minTokensToCrush: number;
  readonly maxItemsAfterCrush: number | undefined;
  readonly varianceThreshold: number;
  readonly relevance: ResolvedSmartCrusherRelevance;
  readonly format: SmartCrusherFormat;
  readonly dedupIdenticalItems: boolean;
  readonly factorConstants: boolean;
}

/** Cap of the adaptive K when `maxItemsAfterCrush` is unset. */
export const ADAPTIVE_MAX_ITEMS = 15;

export const DEFAULT_SMART_CRUSHER: ResolvedSmartCrusherConfig = Object.freeze({
  enabled: true,
  minItemsToAnalyze: 5,
  minTokensToCrush: 200,
  maxItemsAfterCrush: undefined,
  varianceThreshold: 2.0,
  relevance: Object.freeze({ enabled: true, maxPicks: 5, threshold: 0.3 }),
  format: 'json' as const,
  dedupIdenticalItems: true,
  factorConstants: true,
});

/**
 * Validates `config.smartCrusher` (undefined allowed) and fills defaults. Problems are pushed
 * to `problems` with their full path; the caller throws one ConfigurationError listing them.
 */
export function resolveSmartCrusherSection(value: unknown, problems: string[], path = 'config.smartCrusher'): ResolvedSmartCrusherConfig {
  if (value === undefined) return DEFAULT_SMART_CRUSHER;
  if (!isPlainObject(value)) {
    problems.push(`${path} must be an object`);
    return DEFAULT_SMART_CRUSHER;
  }
  const d = DEFAULT_SMART_CRUSHER;
  const { bool, int, num } = sectionChecks(value, path, problems);

  let relevance = d.relevance;
  const r = value.relevance;
  if (r !== undefined) {
    if (!isPlainObject(r)) problems.push(`${path}.relevance must be an object`);
    else {
      const rel = sectionChecks(r, `${path}.relevance`, problems);
      relevance = {
        enabled: rel.bool('enabled', d.relevance.enabled),
        maxPicks: rel.int('maxPicks', 0, d.relevance.maxPicks),
        threshold: rel.num('threshold', (x) => x >= 0 && x <= 1, 'a number from 0 to 1', d.relevance.threshold),
      };
    }
  }
  let format = d.format;
  if (value.format !== undefined) {
    if (value.format === 'json' || value.format === 'compact') format = value.format;
    else problems.push(`${path}.format must be 'json' or 'compact' (got ${show(value.format)})`);
  }
  return {
    enabled: bool('enabled', d.enabled),
    minItemsToAnalyze: int('minItemsToAnalyze', 1, d.minItemsToAnalyze),
    minTokensToCrush: int('minTokensToCrush', 0, d.minTokensToCrush),
    maxItemsAfterCrush: int('maxItemsAfterCrush', 1, undefined),
    varianceThreshold: num('varianceThreshold', (x) => x > 0, 'a positive number', d.varianceThreshold),
    relevance,
    format,
    dedupIdenticalItems: bool('dedupIdenticalItems', d.dedupIdenticalItems),
    factorConstants: bool('factorConstants', d.factorConstants),
  };
}

/** Per-tool settings (`CompressOptions.toolProfiles[name]`). */
export interface ToolProfile {
  /** Never crush this tool's results. */
  skip?: boolean;
  /** Items kept per array for this tool, honoured exactly like `maxItemsAfterCrush` (errors and anomalies are still never dropped). */
  maxItems?: number;
}

/** The profile of tool `name` (own keys only), when it is an object. */
export function toolProfile(profiles: Readonly<Record<string, ToolProfile>> | undefined, name: string | undefined): ToolProfile | undefined {
  if (!profiles || !name || !Object.prototype.hasOwnProperty.call(profiles, name)) return undefined;
  const p = profiles[name];
  return p && typeof p === 'object' ? p : undefined;
}

/** A profile's `maxItems` when it is an integer ≥ 1 (else it is ignored). */
export function profileMaxItems(profile: ToolProfile | undefined): number | undefined {
  return typeof profile?.maxItems === 'number' && Number.isInteger(profile.maxItems) && profile.maxItems >= 1 ? profile.maxItems : undefined;
}

/** Problems with a `toolProfiles` option, for callers that validate options (empty when valid or undefined). */
export function validateToolProfiles(value: unknown, path = 'toolProfiles'): string[] {
  if (value === undefined) return [];
  if (!isPlainObject(value)) return [`${path} must be an object mapping tool names to { skip?, maxItems? }`];
  const problems: string[] = [];
  for (const [name, p] of Object.entries(value)) {
    const at = `${path}[${JSON.stringify(name)}]`;
    if (!isPlainObject(p)) {
      problems.push(`${at} must be an object`);
      continue;
    }
    const profile = sectionChecks(p, at, problems);
    profile.bool('skip', false);
    profile.int('maxItems', 1, undefined);
  }
  return problems;
}
