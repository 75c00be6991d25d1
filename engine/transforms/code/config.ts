/**
 * Settings of the code compressor: what a body keeps, how docstrings and comments are treated,
 * which languages run, the target ratio, and the safety gates that leave code alone.
 *
 * Defaults follow the reference's CodeCompressorConfig (code-compression.md: `max_body_lines` 5,
 * `docstring_mode` FIRST_LINE, `min_tokens_for_compression` 100) and its router protections
 * (limitations.md / ALGORITHMS.md §2.3: code in the last 4 messages, and all code when the latest
 * user message asks to analyse/review/explain/fix/debug, is left alone unless aggressive).
 */
import { ConfigurationError } from '../../errors.js';
import { CODE_LANGUAGES, normalizeLanguage, type CodeLanguage } from './languages.js';

export type DocstringMode = 'full' | 'first_line' | 'remove';

export interface CodeConfig {
  /** Default true. */
  enabled?: boolean;
  /** Languages to compress (names or aliases). Default: all nine. */
  languages?: ReadonlyArray<string>;
  /**
   * Lines of each function body kept before the rest is replaced by a placeholder. Whole
   * statements only (never cut mid-expression). Default 5; 0 keeps signatures only.
   */
  maxBodyLines?: number;
  /** Docstrings and doc comments: kept whole, first line only, or removed. Default 'first_line'. */
  docstrings?: DocstringMode;
  /** Comments containing one of these words (whole word, case-sensitive) are kept. Default TODO, FIXME, SAFETY. */
  keepCommentWords?: ReadonlyArray<string>;
  /**
   * Every placeholder carries the full CCR marker (`[headroom: N lines omitted. Retrieve: hash=…]`).
   * By default only the first one does and the others carry a ref to it (`[headroom: N lines
   * omitted]`, which parseMarkers resolves to the same hash): all name the same original (one CCR
   * entry per file), and a ref costs ~18 tokens less. Default false.
   */
  markerEachBody?: boolean;
  /**
   * Follow the placeholder of a function that must return a value with a statement that makes
   * the body type-check: `throw new UnsupportedOperationException();` (Java), `throw new
   * Error("omitted");` (TypeScript), `panic("omitted")` (Go), `todo!()` (Rust). Default false:
   * the placeholder comment alone keeps the file parseable (the guarantee), costs 3–7 tokens
   * less per body, and an added `throw` can be read as what the code does.
   */
  compilableBodies?: boolean;
  /** Keep the license/copyright header comment at the top of a file. Default true. */
  keepLicenseHeader?: boolean;
  /** Keep try/except/catch statements (as skeletons) past the body budget. Default true. */
  keepErrorHandlers?: boolean;
  /**
   * Wanted output size as a fraction of the input's tokens. When the first pass keeps more, the
   * body budget is lowered (5 → 3 → 1 → 0 lines) until it fits or signatures alone remain.
   * Default 0.5; 1 disables tightening.
   */
  targetRatio?: number;
  /** Gate: inputs with fewer tokens are left alone (unless aggressive). Default 100. */
  minTokens?: number;
  /** Gate: code in this many messages at the end of the conversation is left alone (unless aggressive). Default 4. */
  protectRecentMessages?: number;
  /** Gate: analysis intent in the latest user message protects all code (unless aggressive). Default true. */
  protectAnalysisContext?: boolean;
  /** Turn the three gates off (the caller asked for compression). Default false. */
  aggressive?: boolean;
  /** Inputs longer than this (UTF-16 units) pass through unparsed. Default 1,000,000 (~1 MB). */
  maxInputChars?: number;
  /**
   * Validate the output with an incremental re-parse of the edited input tree instead of a parse
   * from scratch: 0–20% faster overall; the clean/not-clean verdict agreed with a fresh parse on
   * every fuzzed edit (test/code/incremental.test.ts), but a fresh parse is the obvious check, so it
   * stays the default. Default false.
   */
  incrementalReparse?: boolean;
}

export interface ResolvedCodeConfig {
  readonly enabled: boolean;
  readonly languages: ReadonlyArray<CodeLanguage>;
  readonly maxBodyLines: number;
  readonly docstrings: DocstringMode;
  readonly keepCommentWords: ReadonlyArray<string>;
  readonly markerEachBody: boolean;
  readonly compilableBodies: boolean;
  readonly keepLicenseHeader: boolean;
  readonly keepErrorHandlers: boolean;
  readonly targetRatio: number;
  readonly minTokens: number;
  readonly protectRecentMessages: number;
  readonly protectAnalysisContext: boolean;
  readonly aggressive: boolean;
  readonly maxInputChars: number;
  readonly incrementalReparse: boolean;
}

export const DEFAULT_CODE_CONFIG: ResolvedCodeConfig = Object.freeze({
  enabled: true,
  languages: CODE_LANGUAGES,
  maxBodyLines: 5,
  docstrings: 'first_line',
  keepCommentWords: Object.freeze(['TODO', 'FIXME', 'SAFETY']),
  markerEachBody: false,
  compilableBodies: false,
  keepLicenseHeader: true,
  keepErrorHandlers: true,
  targetRatio: 0.5,
  minTokens: 100,
  protectRecentMessages: 4,
  protectAnalysisContext: true,
  aggressive: false,
  maxInputChars: 1_000_000,
  incrementalReparse: false,
});

const KEYS: ReadonlyArray<keyof CodeConfig> = [
  'enabled',
  'languages',
  'maxBodyLines',
  'docstrings',
  'keepCommentWords',
  'markerEachBody',
  'compilableBodies',
  'keepLicenseHeader',
  'keepErrorHandlers',
  'targetRatio',
  'minTokens',
  'protectRecentMessages',
  'protectAnalysisContext',
  'aggressive',
  'maxInputChars',
  'incrementalReparse',
];

const DOCSTRING_MODES: ReadonlyArray<DocstringMode> = ['full', 'first_line', 'remove'];

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  return Array.isArray(v) ? 'an array' : typeof v;
}

/**
 * Validate a `code` settings object (undefined allowed) and fill defaults. Problems go to
 * `problems` with their path; `extraKeys` are tolerated (callers that mix in their own options).
 */
export function resolveCodeSection(value: unknown, problems: string[], path = 'config.code', extraKeys: ReadonlyArray<string> = []): ResolvedCodeConfig {
  if (value === undefined) return DEFAULT_CODE_CONFIG;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`${path} must be an object`);
    return DEFAULT_CODE_CONFIG;
  }
  const v = value as Record<string, unknown>;
  for (const k of Object.keys(v)) if (!(KEYS as readonly string[]).includes(k) && !extraKeys.includes(k)) problems.push(`${path}.${k} is not a known setting (valid: ${KEYS.join(', ')})`);
  const d = DEFAULT_CODE_CONFIG;
  const bool = (key: keyof CodeConfig, dflt: boolean): boolean => {
    const x = v[key];
    if (x === undefined) return dflt;
    if (typeof x !== 'boolean') {
      problems.push(`${path}.${key} must be a boolean (got ${show(x)})`);
      return dflt;
    }
    return x;
  };
  const int = (key: keyof CodeConfig, dflt: number, min: number): number => {
    const x = v[key];
    if (x === undefined) return dflt;
    if (typeof x !== 'number' || !Number.isInteger(x) || x < min) {
      problems.push(`${path}.${key} must be an integer ≥ ${min} (got ${show(x)})`);
      return dflt;
    }
    return x;
  };

  let languages = d.languages;
  if (v.languages !== undefined) {
    if (!Array.isArray(v.languages)) problems.push(`${path}.languages must be an array of language names (${CODE_LANGUAGES.join(', ')})`);
    else {
      const out: CodeLanguage[] = [];
      for (const name of v.languages) {
        const lang = typeof name === 'string' ? normalizeLanguage(name) : undefined;
        if (!lang) problems.push(`${path}.languages: ${show(name)} is not a supported language (valid: ${CODE_LANGUAGES.join(', ')})`);
        else if (!out.includes(lang)) out.push(lang);
      }
      languages = Object.freeze(out);
    }
  }

  let docstrings = d.docstrings;
  if (v.docstrings !== undefined) {
    const m = typeof v.docstrings === 'string' ? v.docstrings.toLowerCase().replace('-', '_') : undefined;
    if (!m || !(DOCSTRING_MODES as readonly string[]).includes(m)) problems.push(`${path}.docstrings must be one of ${DOCSTRING_MODES.join(', ')} (got ${show(v.docstrings)})`);
    else docstrings = m as DocstringMode;
  }

  let keepCommentWords = d.keepCommentWords;
  if (v.keepCommentWords !== undefined) {
    if (!Array.isArray(v.keepCommentWords) || !v.keepCommentWords.every((w) => typeof w === 'string' && /^\w+$/.test(w)))
      problems.push(`${path}.keepCommentWords must be an array of words (letters, digits, _)`);
    else keepCommentWords = Object.freeze([...(v.keepCommentWords as string[])]);
  }

  let targetRatio = d.targetRatio;
  if (v.targetRatio !== undefined) {
    const x = v.targetRatio;
    if (typeof x !== 'number' || !(x > 0 && x <= 1)) problems.push(`${path}.targetRatio must be a number in (0, 1] (got ${show(x)})`);
    else targetRatio = x;
  }

  return Object.freeze({
    enabled: bool('enabled', d.enabled),
    languages,
    maxBodyLines: int('maxBodyLines', d.maxBodyLines, 0),
    docstrings,
    keepCommentWords,
    markerEachBody: bool('markerEachBody', d.markerEachBody),
    compilableBodies: bool('compilableBodies', d.compilableBodies),
    keepLicenseHeader: bool('keepLicenseHeader', d.keepLicenseHeader),
    keepErrorHandlers: bool('keepErrorHandlers', d.keepErrorHandlers),
    targetRatio,
    minTokens: int('minTokens', d.minTokens, 0),
    protectRecentMessages: int('protectRecentMessages', d.protectRecentMessages, 0),
    protectAnalysisContext: bool('protectAnalysisContext', d.protectAnalysisContext),
    aggressive: bool('aggressive', d.aggressive),
    maxInputChars: int('maxInputChars', d.maxInputChars, 1),
    incrementalReparse: bool('incrementalReparse', d.incrementalReparse),
  });
}

/** Resolve settings or throw a ConfigurationError listing every problem (for direct callers). */
export function resolveCodeConfig(value: CodeConfig | undefined, path = 'options', extraKeys: ReadonlyArray<string> = []): ResolvedCodeConfig {
  const problems: string[] = [];
  const resolved = resolveCodeSection(value, problems, path, extraKeys);
  if (problems.length > 0) throw new ConfigurationError(`Invalid code compression settings: ${problems.join('; ')}`, { problems });
  return resolved;
}
