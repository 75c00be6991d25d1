/** LogCompressor settings: every field optional in the user-facing shape, defaults below. */

export interface LogCompressorConfig {
  /** Logs with fewer lines pass through verbatim. Default 50. */
  minLines?: number;
  /** Lines kept before and after each error or failure (pass/progress lines excluded). Default 3. */
  contextLines?: number;
  /** A stack trace or failure block longer than this keeps its first third and last two thirds of this many lines. Default 60. */
  maxTraceLines?: number;
  /** Occurrences of one error/failure (same text but for numbers, ids, timestamps) kept verbatim: the first n−1 and the last. Default 5. */
  maxRepeats?: number;
  /** Distinct warnings kept (first occurrence each, with a repeat count). Default 10. */
  maxWarnings?: number;
  /** Distinct section headers (banners) kept. Default 20. */
  maxHeaders?: number;
  /** Distinct summary lines kept (the last occurrence of each, latest first). Default 30. */
  maxSummaryLines?: number;
  /** Lines kept for containing words of the user's question that at most 5% of lines contain. Default 10. */
  maxQueryLines?: number;
  /** Non-blank lines kept from the start of the log. Default 3. */
  headLines?: number;
  /** Non-blank lines kept from the end of the log. Default 5. */
  tailLines?: number;
  /** Runs of at least this many routine lines sharing a template keep their first line as an example. Default 8. */
  minTemplateRun?: number;
  /** Most template-run examples kept (longest runs first). Default 5. */
  maxExamples?: number;
}

export type ResolvedLogCompressorConfig = Required<LogCompressorConfig>;

export const DEFAULT_LOG_CONFIG: ResolvedLogCompressorConfig = Object.freeze({
  minLines: 50,
  contextLines: 3,
  maxTraceLines: 60,
  maxRepeats: 5,
  maxWarnings: 10,
  maxHeaders: 20,
  maxSummaryLines: 30,
  maxQueryLines: 10,
  headLines: 3,
  tailLines: 5,
  minTemplateRun: 8,
  maxExamples: 5,
});

/** Non-negative integer or the default (bad values fall back: compress() never throws on config it was handed). */
export function intOr(v: unknown, dflt: number, min = 0): number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min ? v : dflt;
}

/** Problems with a user-supplied config (empty when valid), for callers that validate up front. */
export function validateIntFields(
  value: unknown,
  defaults: Readonly<Record<string, number | boolean>>,
  path: string,
  mins: Readonly<Record<string, number>> = {},
): string[] {
  if (value === undefined) return [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path} must be an object`];
  const problems: string[] = [];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (!(k in defaults)) {
      problems.push(`${path}.${k} is not a known setting (known: ${Object.keys(defaults).join(', ')})`);
      continue;
    }
    const d = defaults[k];
    if (typeof d === 'boolean') {
      if (typeof v !== 'boolean') problems.push(`${path}.${k} must be a boolean`);
    } else if (typeof v !== 'number' || !Number.isInteger(v) || v < (mins[k] ?? 0)) {
      problems.push(`${path}.${k} must be an integer ≥ ${mins[k] ?? 0}`);
    }
  }
  return problems;
}

const LOG_MINIMUMS = { minLines: 1, maxTraceLines: 2, maxRepeats: 1, minTemplateRun: 2 } as const;

export function resolveLogConfig(c: LogCompressorConfig | undefined): ResolvedLogCompressorConfig {
  if (!c) return DEFAULT_LOG_CONFIG;
  const d = DEFAULT_LOG_CONFIG;
  return {
    minLines: intOr(c.minLines, d.minLines, 1),
    contextLines: intOr(c.contextLines, d.contextLines),
    maxTraceLines: intOr(c.maxTraceLines, d.maxTraceLines, 2),
    maxRepeats: intOr(c.maxRepeats, d.maxRepeats, 1),
    maxWarnings: intOr(c.maxWarnings, d.maxWarnings),
    maxHeaders: intOr(c.maxHeaders, d.maxHeaders),
    maxSummaryLines: intOr(c.maxSummaryLines, d.maxSummaryLines),
    maxQueryLines: intOr(c.maxQueryLines, d.maxQueryLines),
    headLines: intOr(c.headLines, d.headLines),
    tailLines: intOr(c.tailLines, d.tailLines),
    minTemplateRun: intOr(c.minTemplateRun, d.minTemplateRun, 2),
    maxExamples: intOr(c.maxExamples, d.maxExamples),
  };
}

/** Problems with `value` as a LogCompressorConfig (empty when valid). */
export function validateLogConfig(value: unknown, path = 'config.log'): string[] {
  return validateIntFields(value, DEFAULT_LOG_CONFIG, path, LOG_MINIMUMS);
}
