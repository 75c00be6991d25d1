/**
 * SearchCompressor settings: every field optional in the user-facing shape, defaults below. A
 * bad value is the caller's mistake: resolving throws one ConfigurationError listing every problem.
 */
import { ConfigurationError } from '../../errors.js';
import { intOr, validateIntFields } from '../log/config.js';

export interface SearchCompressorConfig {
  /** Outputs with fewer matches pass through verbatim (agents rely on exact small grep output). Default 10. */
  minMatches?: number;
  /** Most matches kept for coverage (first/last per file, best-scored); the budget grows as ⌈1.25·√matches⌉ (at least minMatches) up to this. Default 30. */
  maxMatches?: number;
  /** Most coverage picks from one file. Default 5. */
  maxPerFile?: number;
  /** Files that get at least their first match kept (best-scored files first). Default 15. */
  maxFiles?: number;
  /** Matches containing rare words of the user's question, kept on top of maxMatches. Default 30. */
  maxRelevant?: number;
  /** Context lines (`path-12-text`) kept on each side of a kept match. Default 1. */
  contextLines?: number;
  /** Unparseable lines kept verbatim (the rest are counted in a note). Default 10. */
  maxOtherLines?: number;
  /** Matches longer than this many characters are kept only for the question, not for coverage. Default 2000. */
  maxLineChars?: number;
}

export type ResolvedSearchCompressorConfig = Required<SearchCompressorConfig>;

export const DEFAULT_SEARCH_CONFIG: ResolvedSearchCompressorConfig = Object.freeze({
  minMatches: 10,
  maxMatches: 30,
  maxPerFile: 5,
  maxFiles: 15,
  maxRelevant: 30,
  contextLines: 1,
  maxOtherLines: 10,
  maxLineChars: 2000,
});

const MINIMUMS = { minMatches: 1, maxMatches: 1, maxPerFile: 1, maxLineChars: 1 } as const;

/** Fills defaults; throws a ConfigurationError naming every bad or unknown setting. */
export function resolveSearchConfig(c: SearchCompressorConfig | undefined): ResolvedSearchCompressorConfig {
  if (c === undefined || c === null) return DEFAULT_SEARCH_CONFIG;
  const problems = validateSearchConfig(c);
  if (problems.length > 0) throw new ConfigurationError(`Invalid search compressor config: ${problems.join('; ')}`, { problems });
  const d = DEFAULT_SEARCH_CONFIG;
  return {
    minMatches: intOr(c.minMatches, d.minMatches, 1),
    maxMatches: intOr(c.maxMatches, d.maxMatches, 1),
    maxPerFile: intOr(c.maxPerFile, d.maxPerFile, 1),
    maxFiles: intOr(c.maxFiles, d.maxFiles),
    maxRelevant: intOr(c.maxRelevant, d.maxRelevant),
    contextLines: intOr(c.contextLines, d.contextLines),
    maxOtherLines: intOr(c.maxOtherLines, d.maxOtherLines),
    maxLineChars: intOr(c.maxLineChars, d.maxLineChars, 1),
  };
}

/** Problems with `value` as a SearchCompressorConfig (empty when valid). */
export function validateSearchConfig(value: unknown, path = 'config.search'): string[] {
  return validateIntFields(value, DEFAULT_SEARCH_CONFIG, path, MINIMUMS);
}
