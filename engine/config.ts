/**
 * Per-transform configuration, with defaults, and its validation.
 * Names follow the `headroom-ai` SDK's `HeadroomConfig` so configs carry over.
 */
import { ConfigurationError } from './errors.js';
import { describeValue as describe } from './util/describe.js';

export { describeValue as describe } from './util/describe.js';
import { resolveSmartCrusherSection, type ResolvedSmartCrusherConfig, type SmartCrusherConfig } from './transforms/smart-crusher/config.js';
import { resolveRouterSection, type ResolvedRouterConfig, type RouterConfig } from './transforms/router/config.js';
import {
  resolveIntelligentContextSection,
  type IntelligentContextConfig,
  type ResolvedIntelligentContextConfig,
} from './transforms/intelligent-context/config.js';
import { validateLogConfig, type LogCompressorConfig } from './transforms/log/config.js';
import { validateSearchConfig, type SearchCompressorConfig } from './transforms/search/config.js';
import { validateDiffConfig, type DiffCompressorConfig } from './transforms/diff/config.js';
import { resolveHtmlSection, type HtmlConfig } from './transforms/html/config.js';
import { resolveTextSection, type TextConfig } from './transforms/text/config.js';
import { resolveCodeSection, type CodeConfig } from './transforms/code/config.js';

export type { LogCompressorConfig } from './transforms/log/config.js';
export type { SearchCompressorConfig } from './transforms/search/config.js';
export type { DiffCompressorConfig } from './transforms/diff/config.js';
export type { HtmlConfig } from './transforms/html/config.js';
export type { TextConfig } from './transforms/text/config.js';
export type { CodeConfig } from './transforms/code/config.js';
export type { SmartCrusherConfig, ResolvedSmartCrusherConfig } from './transforms/smart-crusher/config.js';
export type { RouterConfig, ResolvedRouterConfig } from './transforms/router/config.js';
export type {
  IntelligentContextConfig,
  ResolvedIntelligentContextConfig,
  ScoringWeights,
  ContextUnit,
  ImportanceHook,
} from './transforms/intelligent-context/config.js';

export interface CacheAlignerConfig {
  /** Default true. */
  enabled?: boolean;
  /**
   * Extra patterns whose matches are dynamic (regex sources or RegExp). Matched sentences move
   * to the tail of the system prompt. Default: none (built-in dates, times, UUIDs and ids apply).
   */
  dynamicPatterns?: ReadonlyArray<string | RegExp>;
  /** Alias of `dynamicPatterns` kept for `headroom-ai` compatibility. */
  datePatterns?: ReadonlyArray<string | RegExp>;
  /** Strip trailing spaces and turn CRLF/CR into LF in system prompts. Default true. */
  normalizeWhitespace?: boolean;
  /** Collapse 3+ consecutive newlines in system prompts to one blank line. Default true. */
  collapseBlankLines?: boolean;
}

export interface RollingWindowConfig {
  /** Default true. Only acts when the conversation exceeds the token budget. */
  enabled?: boolean;
  /** System messages are never dropped; `false` is rejected. Kept for `headroom-ai` compatibility. */
  keepSystem?: boolean;
  /** User turns at the end of the conversation that are never dropped. Default 2. */
  keepLastTurns?: number;
  /** Tokens reserved for the reply when no `tokenBudget` is given. Default: the model's output buffer. */
  outputBufferTokens?: number;
}

export interface HeadroomConfig {
  cacheAligner?: CacheAlignerConfig;
  rollingWindow?: RollingWindowConfig;
  smartCrusher?: SmartCrusherConfig;
  /** ContentRouter: detection and routing of tool outputs to the compressor for their type. */
  router?: RouterConfig;
  /** Importance-scored context management, the default over RollingWindow. */
  intelligentContext?: IntelligentContextConfig;
  /** LogCompressor (build and test output, service logs). */
  log?: LogCompressorConfig;
  /** SearchCompressor (grep / ripgrep / ag hits). */
  search?: SearchCompressorConfig;
  /** DiffCompressor (unified and combined diffs). */
  diff?: DiffCompressorConfig;
  /** HTML extractor. */
  html?: HtmlConfig;
  /** TextCompressor (extractive, query-aware prose compression). */
  text?: TextConfig;
  /** Code compressor (tree-sitter; reached through the router when it routes code). */
  code?: CodeConfig;
}

/** The content compressors' own sections: validated here, resolved by each compressor. */
export interface CompressorSections {
  readonly log?: LogCompressorConfig;
  readonly search?: SearchCompressorConfig;
  readonly diff?: DiffCompressorConfig;
  readonly html?: HtmlConfig;
  readonly text?: TextConfig;
  readonly code?: CodeConfig;
}

export interface ResolvedCacheAlignerConfig {
  readonly enabled: boolean;
  readonly dynamicPatterns: ReadonlyArray<RegExp>;
  readonly normalizeWhitespace: boolean;
  readonly collapseBlankLines: boolean;
}

export interface ResolvedRollingWindowConfig {
  readonly enabled: boolean;
  readonly keepLastTurns: number;
  readonly outputBufferTokens: number | undefined;
}

export interface ResolvedConfig extends CompressorSections {
  readonly cacheAligner: ResolvedCacheAlignerConfig;
  readonly rollingWindow: ResolvedRollingWindowConfig;
  readonly smartCrusher: ResolvedSmartCrusherConfig;
  readonly router: ResolvedRouterConfig;
  readonly intelligentContext: ResolvedIntelligentContextConfig;
}

const COMPRESSOR_SECTIONS = ['log', 'search', 'diff', 'html', 'text', 'code'] as const;
const KNOWN_SECTIONS = ['cacheAligner', 'rollingWindow', 'smartCrusher', 'intelligentContext', 'router', ...COMPRESSOR_SECTIONS] as const;

/** Validate the compressors' sections; the caller's objects are passed on as given (each compressor fills its defaults). */
function compressorSections(c: Record<string, unknown>, problems: string[]): CompressorSections {
  if (c.log !== undefined) problems.push(...validateLogConfig(c.log, 'config.log'));
  if (c.search !== undefined) problems.push(...validateSearchConfig(c.search, 'config.search'));
  if (c.diff !== undefined) problems.push(...validateDiffConfig(c.diff, 'config.diff'));
  if (c.html !== undefined) resolveHtmlSection(c.html, problems, 'config.html');
  if (c.text !== undefined) resolveTextSection(c.text, problems, 'config.text');
  if (c.code !== undefined) resolveCodeSection(c.code, problems, 'config.code');
  const out: Record<string, unknown> = {};
  for (const k of COMPRESSOR_SECTIONS) if (c[k] !== undefined) out[k] = c[k];
  return out as CompressorSections;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function bool(section: string, key: string, v: unknown, dflt: boolean, problems: string[]): boolean {
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') problems.push(`config.${section}.${key} must be a boolean (got ${describe(v)})`);
  return typeof v === 'boolean' ? v : dflt;
}

function nonNegInt(section: string, key: string, v: unknown, problems: string[]): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    problems.push(`config.${section}.${key} must be a non-negative integer (got ${describe(v)})`);
    return undefined;
  }
  return v;
}


function patterns(section: string, key: string, v: unknown, problems: string[]): RegExp[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) {
    problems.push(`config.${section}.${key} must be an array of regex strings or RegExp`);
    return [];
  }
  const out: RegExp[] = [];
  v.forEach((p, i) => {
    if (p instanceof RegExp) {
      // Always scan globally; keep the caller's other flags.
      out.push(new RegExp(p.source, p.flags.includes('g') ? p.flags : p.flags + 'g'));
    } else if (typeof p === 'string') {
      try {
        out.push(new RegExp(p, 'g'));
      } catch (e) {
        problems.push(`config.${section}.${key}[${i}] is not a valid regular expression: ${(e as Error).message}`);
      }
    } else {
      problems.push(`config.${section}.${key}[${i}] must be a string or RegExp (got ${describe(p)})`);
    }
  });
  return out;
}

/** Fill defaults and validate; throws ConfigurationError listing every problem found. */
export function resolveConfig(config: unknown): ResolvedConfig {
  const problems: string[] = [];
  const c = config === undefined ? {} : config;
  if (!isPlainObject(c)) throw new ConfigurationError(`options.config must be an object (got ${describe(c)})`, { field: 'config' });
  for (const k of Object.keys(c)) {
    if (!(KNOWN_SECTIONS as readonly string[]).includes(k)) {
      problems.push(`config.${k} is not a known section (valid: ${KNOWN_SECTIONS.join(', ')})`);
    }
  }
  const ca = c.cacheAligner ?? {};
  const rw = c.rollingWindow ?? {};
  if (!isPlainObject(ca)) problems.push('config.cacheAligner must be an object');
  if (!isPlainObject(rw)) problems.push('config.rollingWindow must be an object');
  const caO = isPlainObject(ca) ? ca : {};
  const rwO = isPlainObject(rw) ? rw : {};

  const cacheAligner: ResolvedCacheAlignerConfig = {
    enabled: bool('cacheAligner', 'enabled', caO.enabled, true, problems),
    dynamicPatterns: [
      ...patterns('cacheAligner', 'dynamicPatterns', caO.dynamicPatterns, problems),
      ...patterns('cacheAligner', 'datePatterns', caO.datePatterns, problems),
    ],
    normalizeWhitespace: bool('cacheAligner', 'normalizeWhitespace', caO.normalizeWhitespace, true, problems),
    collapseBlankLines: bool('cacheAligner', 'collapseBlankLines', caO.collapseBlankLines, true, problems),
  };
  if (rwO.keepSystem === false) problems.push('config.rollingWindow.keepSystem cannot be false: system messages are never dropped');
  else bool('rollingWindow', 'keepSystem', rwO.keepSystem, true, problems);
  const rollingWindow: ResolvedRollingWindowConfig = {
    enabled: bool('rollingWindow', 'enabled', rwO.enabled, true, problems),
    keepLastTurns: nonNegInt('rollingWindow', 'keepLastTurns', rwO.keepLastTurns, problems) ?? 2,
    outputBufferTokens: nonNegInt('rollingWindow', 'outputBufferTokens', rwO.outputBufferTokens, problems),
  };
  const smartCrusher = resolveSmartCrusherSection(c.smartCrusher, problems);
  const router = resolveRouterSection(c.router, problems);
  const intelligentContext = resolveIntelligentContextSection(c.intelligentContext, rwO, problems);
  const sections = compressorSections(c, problems);
  if (problems.length > 0) {
    throw new ConfigurationError(`Invalid configuration: ${problems.join('; ')}`, { problems });
  }
  return { cacheAligner, rollingWindow, smartCrusher, intelligentContext, router, ...sections };
}
