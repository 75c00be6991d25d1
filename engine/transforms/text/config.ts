/**
 * TextCompressor settings: the user-facing shape, the resolved shape and validation (the
 * caller's mistakes throw one ConfigurationError listing every problem; bad data never throws).
 */
import { ConfigurationError } from '../../errors.js';
import { describeValue as show, unknownKeys } from '../../util/describe.js';

export interface TextConfig {
  /** Default true. */
  enabled?: boolean;
  /** Texts under this many tokens pass through (a marker's overhead outweighs the saving). Default 300. */
  minTokens?: number;
  /**
   * Share of the text's tokens to keep, 0.05–1. Default 0.45. A target, not a cap: query matches,
   * headings and protected tags are kept even when they exceed it.
   */
  targetRatio?: number;
  /** Texts with fewer segments (sentences, items, rows...) pass through. Default 6. */
  minSegments?: number;
  /** SimHash distance (bits of 64) under which two sentences with the same numbers/ids are duplicates; 0 = exact duplicates only. Default 3. */
  nearDuplicateBits?: number;
}

export interface ResolvedTextConfig {
  readonly enabled: boolean;
  readonly minTokens: number;
  readonly targetRatio: number;
  readonly minSegments: number;
  readonly nearDuplicateBits: number;
}

export const DEFAULT_TEXT_CONFIG: ResolvedTextConfig = Object.freeze({
  enabled: true,
  minTokens: 300,
  targetRatio: 0.45,
  minSegments: 6,
  nearDuplicateBits: 3,
});


/** Validates a `text` config section (undefined allowed) and fills defaults; problems are pushed with their path. */
export function resolveTextSection(value: unknown, problems: string[], path = 'config.text'): ResolvedTextConfig {
  if (value === undefined) return DEFAULT_TEXT_CONFIG;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`${path} must be an object`);
    return DEFAULT_TEXT_CONFIG;
  }
  const o = value as Record<string, unknown>;
  const d = DEFAULT_TEXT_CONFIG;
  unknownKeys(o, Object.keys(d), path, problems);
  const int = (key: keyof ResolvedTextConfig, min: number, max: number): number => {
    const v = o[key];
    if (v === undefined) return d[key] as number;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      problems.push(`${path}.${key} must be an integer from ${min} to ${max} (got ${show(v)})`);
      return d[key] as number;
    }
    return v;
  };
  let enabled = d.enabled;
  if (o.enabled !== undefined) {
    if (typeof o.enabled === 'boolean') enabled = o.enabled;
    else problems.push(`${path}.enabled must be a boolean (got ${show(o.enabled)})`);
  }
  let targetRatio = d.targetRatio;
  if (o.targetRatio !== undefined) {
    const v = o.targetRatio;
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0.05 && v <= 1) targetRatio = v;
    else problems.push(`${path}.targetRatio must be a number from 0.05 to 1 (got ${show(v)})`);
  }
  return {
    enabled,
    minTokens: int('minTokens', 0, Number.MAX_SAFE_INTEGER),
    targetRatio,
    minSegments: int('minSegments', 1, Number.MAX_SAFE_INTEGER),
    nearDuplicateBits: int('nearDuplicateBits', 0, 32),
  };
}

/** Resolves `config` or throws a ConfigurationError naming every problem. */
export function resolveTextConfig(config: TextConfig | undefined): ResolvedTextConfig {
  const problems: string[] = [];
  const r = resolveTextSection(config, problems);
  if (problems.length > 0) throw new ConfigurationError(`Invalid text compressor config: ${problems.join('; ')}`, { problems });
  return r;
}
