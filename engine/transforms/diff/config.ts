/**
 * DiffCompressor settings: every field optional in the user-facing shape, defaults below. A bad
 * value is the caller's mistake: resolving throws one ConfigurationError listing every problem.
 */
import { ConfigurationError } from '../../errors.js';
import { intOr, validateIntFields } from '../log/config.js';

export interface DiffCompressorConfig {
  /** Diffs with fewer lines pass through verbatim. Default 50. */
  minLines?: number;
  /** Unchanged lines kept on each side of a change (hunks are split and renumbered where more were cut). Default 1. */
  contextLines?: number;
  /** Leave out `index` lines and the `diff --git` line of plain modifications (the `--- a/` / `+++ b/` pair names the file; the output stays a patch). Default true. */
  compactHeaders?: boolean;
  /** Most files with changes kept; beyond, the most relevant and largest win, the rest are listed. Default 20. */
  maxFiles?: number;
  /** Most hunks kept per file: the first, the last and the best-scored in between. Default 10. */
  maxHunksPerFile?: number;
  /** Most changed lines kept in all; beyond, hunks are picked by relevance until the budget is spent (each cut is listed). Default 1000. */
  maxChangedLines?: number;
  /**
   * Token budget for the kept hunks and file headers, as written (after context trimming). A diff
   * that fits keeps every changed line; a larger one keeps the hunks with the question's words,
   * then each file's best hunk, then the best-scored rest, and lists what it cut. 0 turns it off. Default 4000.
   */
  maxTokens?: number;
  /** A lockfile (package-lock.json, yarn.lock, Cargo.lock…) with more changed lines than this is summarised in one line, unless the question names it. Default 20. */
  lockfileLines?: number;
  /**
   * A generated file (by path: minified bundle, source map, test snapshot, dist/ build/ vendor/
   * output, protobuf stubs) with more changed lines than this is summarised in one line, unless
   * the question names it; so is any file whose changed text is mostly lines of 1,000+ characters
   * (minified code under any name), whatever its line count. Default 20.
   */
  generatedLines?: number;
  /** Lines of text outside file sections (commit messages…) kept per run; longer runs keep head and tail. Default 200. */
  maxTextLines?: number;
}

export type ResolvedDiffCompressorConfig = Required<DiffCompressorConfig>;

export const DEFAULT_DIFF_CONFIG: ResolvedDiffCompressorConfig = Object.freeze({
  minLines: 50,
  contextLines: 1,
  compactHeaders: true,
  maxFiles: 20,
  maxHunksPerFile: 10,
  maxChangedLines: 1000,
  maxTokens: 4000,
  lockfileLines: 20,
  generatedLines: 20,
  maxTextLines: 200,
});

const MINIMUMS = { minLines: 1, maxFiles: 1, maxHunksPerFile: 1, maxChangedLines: 1, maxTextLines: 2 } as const;

const boolOr = (v: unknown, d: boolean): boolean => (typeof v === 'boolean' ? v : d);

/** Fills defaults; throws a ConfigurationError naming every bad or unknown setting. */
export function resolveDiffConfig(c: DiffCompressorConfig | undefined): ResolvedDiffCompressorConfig {
  if (c === undefined || c === null) return DEFAULT_DIFF_CONFIG;
  const problems = validateDiffConfig(c);
  if (problems.length > 0) throw new ConfigurationError(`Invalid diff compressor config: ${problems.join('; ')}`, { problems });
  const d = DEFAULT_DIFF_CONFIG;
  return {
    minLines: intOr(c.minLines, d.minLines, 1),
    contextLines: intOr(c.contextLines, d.contextLines),
    compactHeaders: boolOr(c.compactHeaders, d.compactHeaders),
    maxFiles: intOr(c.maxFiles, d.maxFiles, 1),
    maxHunksPerFile: intOr(c.maxHunksPerFile, d.maxHunksPerFile, 1),
    maxChangedLines: intOr(c.maxChangedLines, d.maxChangedLines, 1),
    maxTokens: intOr(c.maxTokens, d.maxTokens),
    lockfileLines: intOr(c.lockfileLines, d.lockfileLines),
    generatedLines: intOr(c.generatedLines, d.generatedLines),
    maxTextLines: intOr(c.maxTextLines, d.maxTextLines, 2),
  };
}

/** Problems with `value` as a DiffCompressorConfig (empty when valid). */
export function validateDiffConfig(value: unknown, path = 'config.diff'): string[] {
  return validateIntFields(value, DEFAULT_DIFF_CONFIG, path, MINIMUMS);
}
