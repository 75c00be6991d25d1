/**
 * IntelligentContext settings: the user-facing shape (`HeadroomConfig.intelligentContext`), the
 * resolved shape with defaults filled in, and validation. Self-contained (engine/config.ts
 * imports this file, not the other way round).
 *
 * Names follow the `headroom-ai` SDK (`IntelligentContextConfig`, `ScoringWeights`), so configs
 * carry over. The reference's TOIN weight (`toinImportance`) is the weight of the pluggable
 * learned-importance hook here (`importance`); without a hook that factor is left out and the
 * other weights are renormalised.
 */
import type { Message } from '../../messages/types.js';
import { isPlainObject, sectionChecks } from '../../util/config-checks.js';
import { describeValue as show } from '../../util/describe.js';

/** Relative weights of the scoring factors; normalised to sum to 1 (only their ratios matter). */
export interface ScoringWeights {
  /** Exponential decay from the end of the conversation. Default 0.20. */
  recency?: number;
  /** BM25 + SimHash similarity to the most recent messages. Default 0.20. */
  semanticSimilarity?: number;
  /** Weight of the `importance` hook (the reference's learned TOIN importance). Default 0.25. */
  toinImportance?: number;
  /** Error indicators (failed tool results, error lines). Default 0.15. */
  errorIndicator?: number;
  /** Later messages that mention the unit's ids, paths or names. Default 0.15. */
  forwardReference?: number;
  /** Unique words / total words: dense units score higher than repetitive ones. Default 0.05. */
  tokenDensity?: number;
}

/**
 * What the importance hook sees: one atomic unit (a message, or an assistant tool call with the
 * messages carrying its results), in the engine's internal message form.
 */
export interface ContextUnit {
  /** Positions in the conversation as IntelligentContext sees it (after compression), ascending. */
  readonly indices: ReadonlyArray<number>;
  /** The unit's messages (internal form: `role` + `blocks`). */
  readonly messages: ReadonlyArray<Message>;
  /** The caller's own message objects, in the caller's format (`undefined` for messages a transform created). */
  readonly originals: ReadonlyArray<unknown>;
  /** All text of the unit (text blocks, tool call names and arguments, tool results). */
  readonly text: string;
  /** Tokens the unit costs in the prompt. */
  readonly tokens: number;
  /** Names of the tools the unit calls (empty for plain messages). */
  readonly toolNames: ReadonlyArray<string>;
  /** Number of messages in the whole conversation. */
  readonly conversationLength: number;
}

/** A learned-importance model: returns a value in [0, 1] (higher = keep). Must be deterministic. */
export type ImportanceHook = (unit: ContextUnit) => number;

export interface IntelligentContextConfig {
  /**
   * Default true. Only acts when the conversation exceeds the token budget. With `false`, context
   * management falls back to RollingWindow (oldest first) when `rollingWindow.enabled` is true.
   */
  enabled?: boolean;
  /** System messages are never dropped; `false` is rejected. Kept for `headroom-ai` compatibility. */
  keepSystem?: boolean;
  /** Turns at the end of the conversation that are never dropped. Default: `rollingWindow.keepLastTurns` if set, else 2. */
  keepLastTurns?: number;
  /** Tokens reserved for the reply when no `tokenBudget` is given. Default: `rollingWindow.outputBufferTokens`, else the model's output buffer. */
  outputBufferTokens?: number;
  /** `false`: ignore the scores and drop oldest first (like RollingWindow, with this transform's marker and cache report). Default true. */
  useImportanceScoring?: boolean;
  scoringWeights?: ScoringWeights;
  /** λ of the recency factor e^(−λ·d), d = messages between the unit and the end. Default 0.1. */
  recencyDecayRate?: number;
  /** How many of the last messages form the "recent context" for similarity. Default 3. */
  similarityWindow?: number;
  /**
   * Scores closer than this count as a tie, and ties drop the most recent unit first (its drop
   * invalidates less of the provider's cached prefix). Default 0.01.
   */
  tieTolerance?: number;
  /** Learned-importance hook, value in [0, 1]; weighted by `scoringWeights.toinImportance`. */
  importance?: ImportanceHook;
  /** Accepted for `headroom-ai` compatibility and ignored (no TOIN here; use `importance`). */
  toinIntegration?: boolean;
  /** Accepted for `headroom-ai` compatibility and ignored: compressors always run before any drop. */
  compressThreshold?: number;
}

export interface ResolvedScoringWeights {
  readonly recency: number;
  readonly semanticSimilarity: number;
  readonly toinImportance: number;
  readonly errorIndicator: number;
  readonly forwardReference: number;
  readonly tokenDensity: number;
}

export interface ResolvedIntelligentContextConfig {
  readonly enabled: boolean;
  readonly keepLastTurns: number;
  /** Undefined: use `rollingWindow.outputBufferTokens` or the model's output buffer. */
  readonly outputBufferTokens: number | undefined;
  readonly useImportanceScoring: boolean;
  /** As given (not normalised; the scorer normalises over the factors in use). */
  readonly scoringWeights: ResolvedScoringWeights;
  readonly recencyDecayRate: number;
  readonly similarityWindow: number;
  readonly tieTolerance: number;
  readonly importance: ImportanceHook | undefined;
}

export const DEFAULT_SCORING_WEIGHTS: ResolvedScoringWeights = Object.freeze({
  recency: 0.2,
  semanticSimilarity: 0.2,
  toinImportance: 0.25,
  errorIndicator: 0.15,
  forwardReference: 0.15,
  tokenDensity: 0.05,
});

export const DEFAULT_INTELLIGENT_CONTEXT: ResolvedIntelligentContextConfig = Object.freeze({
  enabled: true,
  keepLastTurns: 2,
  outputBufferTokens: undefined,
  useImportanceScoring: true,
  scoringWeights: DEFAULT_SCORING_WEIGHTS,
  recencyDecayRate: 0.1,
  similarityWindow: 3,
  tieTolerance: 0.01,
  importance: undefined,
});

const WEIGHT_KEYS = ['recency', 'semanticSimilarity', 'toinImportance', 'errorIndicator', 'forwardReference', 'tokenDensity'] as const;

/**
 * Resolve `config.intelligentContext`. `rollingWindow` is the raw `config.rollingWindow` value:
 * its `keepLastTurns` is the default here, so a config written for RollingWindow keeps meaning
 * the same thing. Problems are appended to `problems` (the caller throws once for all of them).
 */
export function resolveIntelligentContextSection(
  value: unknown,
  rollingWindow: unknown,
  problems: string[],
  path = 'config.intelligentContext',
): ResolvedIntelligentContextConfig {
  const rw = isPlainObject(rollingWindow) ? rollingWindow : {};
  const rwKeep = typeof rw.keepLastTurns === 'number' && Number.isInteger(rw.keepLastTurns) && rw.keepLastTurns >= 0 ? rw.keepLastTurns : undefined;
  const base: ResolvedIntelligentContextConfig =
    rwKeep === undefined ? DEFAULT_INTELLIGENT_CONTEXT : { ...DEFAULT_INTELLIGENT_CONTEXT, keepLastTurns: rwKeep };
  if (value === undefined) return base;
  if (!isPlainObject(value)) {
    problems.push(`${path} must be an object`);
    return base;
  }
  const { bool, int, num } = sectionChecks(value, path, problems);

  if (value.keepSystem === false) problems.push(`${path}.keepSystem cannot be false: system messages are never dropped`);
  else bool('keepSystem', true);
  bool('toinIntegration', true);
  num('compressThreshold', (x) => x >= 0, 'a number ≥ 0', 0.1);

  let weights = DEFAULT_SCORING_WEIGHTS;
  const w = value.scoringWeights;
  if (w !== undefined) {
    if (!isPlainObject(w)) problems.push(`${path}.scoringWeights must be an object`);
    else {
      const wp = `${path}.scoringWeights`;
      for (const k of Object.keys(w)) {
        if (!(WEIGHT_KEYS as readonly string[]).includes(k)) problems.push(`${wp}.${k} is not a scoring weight (valid: ${WEIGHT_KEYS.join(', ')})`);
      }
      const weight = sectionChecks(w, wp, problems);
      const out = {} as Record<(typeof WEIGHT_KEYS)[number], number>;
      for (const k of WEIGHT_KEYS) out[k] = weight.num(k, (x) => x >= 0, 'a number ≥ 0', DEFAULT_SCORING_WEIGHTS[k]);
      if (WEIGHT_KEYS.every((k) => out[k] === 0)) problems.push(`${wp} must have at least one weight above 0`);
      weights = Object.freeze(out);
    }
  }
  const hook = value.importance;
  if (hook !== undefined && typeof hook !== 'function') problems.push(`${path}.importance must be a function (unit) => number in [0, 1] (got ${show(hook)})`);

  return {
    enabled: bool('enabled', true),
    keepLastTurns: int('keepLastTurns', 0, base.keepLastTurns),
    outputBufferTokens: int('outputBufferTokens', 0, undefined),
    useImportanceScoring: bool('useImportanceScoring', true),
    scoringWeights: weights,
    recencyDecayRate: num('recencyDecayRate', (x) => x >= 0, 'a number ≥ 0', DEFAULT_INTELLIGENT_CONTEXT.recencyDecayRate),
    similarityWindow: int('similarityWindow', 1, DEFAULT_INTELLIGENT_CONTEXT.similarityWindow),
    tieTolerance: num('tieTolerance', (x) => x >= 0 && x <= 1, 'a number in [0, 1]', DEFAULT_INTELLIGENT_CONTEXT.tieTolerance),
    importance: typeof hook === 'function' ? (hook as ImportanceHook) : undefined,
  };
}
