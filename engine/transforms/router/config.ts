/**
 * ContentRouter settings (`HeadroomConfig.router`): the user-facing shape, the resolved shape
 * with defaults, and validation. Self-contained (engine/config.ts imports this file).
 *
 * Thresholds: the reference skips blocks under 50 tokens / 500 chars and targets 2 KB code,
 * 1 KB JSON, 500 B logs, 5 KB text (ALGORITHMS.md §2.2–2.3); its docs say short outputs
 * (< 300 tokens) are not worth it, and small grep/ls outputs compressed into something
 * plausible but wrong were a reported bug (§10.11). Defaults here: 200 tokens for search, log,
 * diff and HTML, 300 for prose, 500 for code; JSON follows `smartCrusher.minTokensToCrush`
 * (200) unless `minTokens.json` is higher. `aggressive` lowers the defaults (not explicit
 * values) to the reference's 50-token floor.
 */
import { CONTENT_TYPES, type ContentType } from './types.js';

export interface RouterConfig {
  /** Default true. */
  enabled?: boolean;
  /** Per-type switches: `{ log: false }` leaves logs alone. Default: all on (code is governed by `enableCode`). */
  compressors?: Partial<Record<ContentType, boolean>>;
  /** Blocks with fewer tokens than this (per detected type) are left alone. */
  minTokens?: Partial<Record<ContentType, number>>;
  /** Content of this many messages at the end of the conversation is never compressed. Default 0. */
  protectRecentMessages?: number;
  /** Also route assistant text (not only tool results). Default false. */
  enableAssistant?: boolean;
  /**
   * Route source code to the code compressor (tree-sitter; `config.code` holds its settings).
   * Default true, behind the reference's gates (limitations.md): code under
   * `minTokens.code` tokens, code in the last `code.protectRecentMessages` (4) messages, and all
   * code when the latest user message asks to analyse/review/explain/fix/debug
   * (`protectAnalysisContext`) is left alone, unless `aggressive` (here or in `config.code`).
   * The reference switched its AST compressor off by default because its output did not always
   * parse; this one returns the original whenever the output would not parse.
   */
  enableCode?: boolean;
  /** When the latest user message asks to analyse/review/explain/fix/debug, no code is touched anywhere. Default true. */
  protectAnalysisContext?: boolean;
  /** Split mixed content (markdown with fences, prose with an embedded JSON array) and route each part. Default true. */
  splitMixed?: boolean;
  /** Lower the default thresholds to 50 tokens, and turn the code compressor's gates off. Default false. */
  aggressive?: boolean;
}

export interface ResolvedRouterConfig {
  readonly enabled: boolean;
  readonly compressors: Readonly<Record<ContentType, boolean>>;
  readonly minTokens: Readonly<Record<ContentType, number>>;
  readonly protectRecentMessages: number;
  readonly enableAssistant: boolean;
  readonly enableCode: boolean;
  readonly protectAnalysisContext: boolean;
  readonly splitMixed: boolean;
  readonly aggressive: boolean;
}

export const DEFAULT_MIN_TOKENS: Readonly<Record<ContentType, number>> = Object.freeze({
  json: 0,
  code: 500,
  search: 200,
  log: 200,
  diff: 200,
  html: 200,
  text: 300,
});

/** The reference's floor (§2.3: blocks under 50 tokens are skipped). */
export const AGGRESSIVE_MIN_TOKENS = 50;

const ALL_ON: Readonly<Record<ContentType, boolean>> = Object.freeze({ json: true, code: true, search: true, log: true, diff: true, html: true, text: true });

export const DEFAULT_ROUTER: ResolvedRouterConfig = Object.freeze({
  enabled: true,
  compressors: ALL_ON,
  minTokens: DEFAULT_MIN_TOKENS,
  protectRecentMessages: 0,
  enableAssistant: false,
  enableCode: true,
  protectAnalysisContext: true,
  splitMixed: true,
  aggressive: false,
});

const KEYS = ['enabled', 'compressors', 'minTokens', 'protectRecentMessages', 'enableAssistant', 'enableCode', 'protectAnalysisContext', 'splitMixed', 'aggressive'];

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  return Array.isArray(v) ? 'an array' : typeof v;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Validates `config.router` (undefined allowed) and fills defaults; problems go to `problems` with their path. */
export function resolveRouterSection(value: unknown, problems: string[], path = 'config.router'): ResolvedRouterConfig {
  if (value === undefined) return DEFAULT_ROUTER;
  if (!isPlainObject(value)) {
    problems.push(`${path} must be an object`);
    return DEFAULT_ROUTER;
  }
  for (const k of Object.keys(value)) if (!KEYS.includes(k)) problems.push(`${path}.${k} is not a known setting (valid: ${KEYS.join(', ')})`);
  const bool = (key: string, dflt: boolean): boolean => {
    const v = value[key];
    if (v === undefined) return dflt;
    if (typeof v !== 'boolean') {
      problems.push(`${path}.${key} must be a boolean (got ${show(v)})`);
      return dflt;
    }
    return v;
  };
  const aggressive = bool('aggressive', false);

  const compressors: Record<ContentType, boolean> = { ...ALL_ON };
  const c = value.compressors;
  if (c !== undefined) {
    if (!isPlainObject(c)) problems.push(`${path}.compressors must be an object of booleans keyed by type (${CONTENT_TYPES.join(', ')})`);
    else
      for (const [k, v] of Object.entries(c)) {
        if (!(CONTENT_TYPES as readonly string[]).includes(k)) problems.push(`${path}.compressors.${k} is not a content type (valid: ${CONTENT_TYPES.join(', ')})`);
        else if (typeof v !== 'boolean') problems.push(`${path}.compressors.${k} must be a boolean (got ${show(v)})`);
        else compressors[k as ContentType] = v;
      }
  }

  const minTokens: Record<ContentType, number> = { ...DEFAULT_MIN_TOKENS };
  if (aggressive) for (const t of CONTENT_TYPES) if (t !== 'json') minTokens[t] = AGGRESSIVE_MIN_TOKENS;
  const m = value.minTokens;
  if (m !== undefined) {
    if (!isPlainObject(m)) problems.push(`${path}.minTokens must be an object of non-negative integers keyed by type (${CONTENT_TYPES.join(', ')})`);
    else
      for (const [k, v] of Object.entries(m)) {
        if (!(CONTENT_TYPES as readonly string[]).includes(k)) problems.push(`${path}.minTokens.${k} is not a content type (valid: ${CONTENT_TYPES.join(', ')})`);
        else if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) problems.push(`${path}.minTokens.${k} must be a non-negative integer (got ${show(v)})`);
        else minTokens[k as ContentType] = v;
      }
  }

  let protectRecentMessages = 0;
  const p = value.protectRecentMessages;
  if (p !== undefined) {
    if (typeof p !== 'number' || !Number.isInteger(p) || p < 0) problems.push(`${path}.protectRecentMessages must be a non-negative integer (got ${show(p)})`);
    else protectRecentMessages = p;
  }

  return {
    enabled: bool('enabled', true),
    compressors,
    minTokens,
    protectRecentMessages,
    enableAssistant: bool('enableAssistant', false),
    enableCode: bool('enableCode', true),
    protectAnalysisContext: bool('protectAnalysisContext', true),
    splitMixed: bool('splitMixed', true),
    aggressive,
  };
}
