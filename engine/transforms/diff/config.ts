/** DiffCompressor settings: every field optional in the user-facing shape, defaults below. */
import { intOr, validateIntFields } from '../log/config.js';

export interface DiffCompressorConfig {
  /** Diffs with fewer lines pass through verbatim. Default 50. */
  minLines?: number;
  /** Unchanged lines kept on each side of a change (hunks are split and renumbered where more were cut). Default 2. */
  contextLines?: number;
  /** Most files with changes kept; beyond, the most relevant and largest win, the rest are listed. Default 20. */
  maxFiles?: number;
  /** Most hunks kept per file: the first, the last and the best-scored in between. Default 10. */
  maxHunksPerFile?: number;
  /** Most changed lines kept in all; beyond, the lowest-scored hunks are cut (each is listed in a note). Default 1000. */
  maxChangedLines?: number;
  /** A lockfile (package-lock.json, yarn.lock, Cargo.lock…) with more changed lines than this is summarised in one line, unless the question names it. Default 20. */
  lockfileLines?: number;
  /** Lines of text outside file sections (commit messages…) kept per run; longer runs keep head and tail. Default 200. */
  maxTextLines?: number;
}

export type ResolvedDiffCompressorConfig = Required<DiffCompressorConfig>;

export const DEFAULT_DIFF_CONFIG: ResolvedDiffCompressorConfig = Object.freeze({
  minLines: 50,
  contextLines: 2,
  maxFiles: 20,
  maxHunksPerFile: 10,
  maxChangedLines: 1000,
  lockfileLines: 20,
  maxTextLines: 200,
});

const MINIMUMS = { minLines: 1, maxFiles: 1, maxHunksPerFile: 1, maxChangedLines: 1, maxTextLines: 2 } as const;

export function resolveDiffConfig(c: DiffCompressorConfig | undefined): ResolvedDiffCompressorConfig {
  if (!c) return DEFAULT_DIFF_CONFIG;
  const d = DEFAULT_DIFF_CONFIG;
  return {
    minLines: intOr(c.minLines, d.minLines, 1),
    contextLines: intOr(c.contextLines, d.contextLines),
    maxFiles: intOr(c.maxFiles, d.maxFiles, 1),
    maxHunksPerFile: intOr(c.maxHunksPerFile, d.maxHunksPerFile, 1),
    maxChangedLines: intOr(c.maxChangedLines, d.maxChangedLines, 1),
    lockfileLines: intOr(c.lockfileLines, d.lockfileLines),
    maxTextLines: intOr(c.maxTextLines, d.maxTextLines, 2),
  };
}

/** Problems with `value` as a DiffCompressorConfig (empty when valid). */
export function validateDiffConfig(value: unknown, path = 'config.diff'): string[] {
  return validateIntFields(value, DEFAULT_DIFF_CONFIG, path, MINIMUMS);
}
