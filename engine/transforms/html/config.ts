/**
 * HTML extractor settings: the user-facing shape, the resolved shape and validation (the
 * caller's mistakes throw one ConfigurationError listing every problem; bad data never throws).
 */
import { ConfigurationError } from '../../errors.js';
import { describeValue as show, unknownKeys } from '../../util/describe.js';
import type { LinkMode } from './flags.js';

export interface HtmlConfig {
  /** Default true. */
  enabled?: boolean;
  /** Pages under this many tokens pass through (the overhead of a marker outweighs the saving). Default 300. */
  minTokens?: number;
  /** `'text'` (default): links become their text. `'inline'`: `[text](href)` (costs tokens; hrefs stay in CCR either way). */
  links?: LinkMode;
}

export interface ResolvedHtmlConfig {
  readonly enabled: boolean;
  readonly minTokens: number;
  readonly links: LinkMode;
}

export const DEFAULT_HTML_CONFIG: ResolvedHtmlConfig = Object.freeze({ enabled: true, minTokens: 300, links: 'text' as const });


/** Validates a `html` config section (undefined allowed) and fills defaults; problems are pushed with their path. */
export function resolveHtmlSection(value: unknown, problems: string[], path = 'config.html'): ResolvedHtmlConfig {
  if (value === undefined) return DEFAULT_HTML_CONFIG;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`${path} must be an object`);
    return DEFAULT_HTML_CONFIG;
  }
  const o = value as Record<string, unknown>;
  const d = DEFAULT_HTML_CONFIG;
  unknownKeys(o, Object.keys(d), path, problems);
  let enabled = d.enabled;
  if (o.enabled !== undefined) {
    if (typeof o.enabled === 'boolean') enabled = o.enabled;
    else problems.push(`${path}.enabled must be a boolean (got ${show(o.enabled)})`);
  }
  let minTokens = d.minTokens;
  if (o.minTokens !== undefined) {
    if (typeof o.minTokens === 'number' && Number.isInteger(o.minTokens) && o.minTokens >= 0) minTokens = o.minTokens;
    else problems.push(`${path}.minTokens must be an integer ≥ 0 (got ${show(o.minTokens)})`);
  }
  let links = d.links;
  if (o.links !== undefined) {
    if (o.links === 'text' || o.links === 'inline') links = o.links;
    else problems.push(`${path}.links must be 'text' or 'inline' (got ${show(o.links)})`);
  }
  return enabled === d.enabled && minTokens === d.minTokens && links === d.links ? d : { enabled, minTokens, links };
}

/** Resolves `config` or throws a ConfigurationError naming every problem. */
export function resolveHtmlConfig(config: HtmlConfig | undefined): ResolvedHtmlConfig {
  const problems: string[] = [];
  const r = resolveHtmlSection(config, problems);
  if (problems.length > 0) throw new ConfigurationError(`Invalid HTML compressor config: ${problems.join('; ')}`, { problems });
  return r;
}
