/**
 * Which compressor handles each content type. A small map, resolved when a block is routed
 * (not when this module loads), so compressors can be registered after the router exists and
 * a type whose compressor has not landed yet is simply skipped ("compressor not available").
 *
 * Built in: JSON → SmartCrusher (`crushJson`, with the `smartCrusher` config section and the
 * tool profile's `maxItems`), logs → LogCompressor, search results → SearchCompressor, diffs →
 * DiffCompressor, HTML → the HTML extractor, prose → TextCompressor, code → the code compressor
 * (`router.enableCode`, default on; it runs only with the grammar of the block's language loaded,
 * which the SDK's compress() does first). Tests and embedders can build a router over their own
 * map (`createContentRouter({ compressors })`).
 */
import type { ResolvedConfig } from '../../config.js';
import { codeCompressor } from '../code/compress.js';
import { DEFAULT_CODE_CONFIG, resolveCodeSection, type ResolvedCodeConfig } from '../code/config.js';
import { grammarGeneration } from '../code/grammars.js';
import { unchanged, type CompressorOutput, type ContentCompressor } from '../compressor.js';
import { diffCompressor } from '../diff/index.js';
import { htmlCompressor } from '../html/index.js';
import { logCompressor } from '../log/index.js';
import { searchCompressor } from '../search/index.js';
import type { ResolvedSmartCrusherConfig } from '../smart-crusher/config.js';
import { crushJson } from '../smart-crusher/crush.js';
import { textCompressor } from '../text/index.js';
import type { ContentType } from './types.js';

export interface RegisteredCompressor {
  readonly compressor: ContentCompressor<any>;
  /** This compressor's settings out of the resolved config (its own section), when it has one. */
  readonly configOf?: (config: ResolvedConfig) => unknown;
}

/** CompressorOutput plus what the router also reads from built-in adapters. */
export interface RoutedOutput extends CompressorOutput {
  /** Passed to ctx.warn (an internal failure the compressor survived). */
  readonly warning?: string;
}

/** SmartCrusher as a ContentCompressor: `crushJson` with the query current when the result arrived. */
export const smartCrusherCompressor: ContentCompressor<ResolvedSmartCrusherConfig | undefined> = {
  name: 'smart_crusher',
  compress(input, deps, config): RoutedOutput {
    // crushJson treats '' and undefined alike (no relevance picks); undefined matches the smart_crusher transform.
    const r = crushJson(input.text, config, { counter: deps.counter, query: input.query === '' ? undefined : input.query, ccr: deps.ccr, toolName: input.toolName });
    if (!r.changed) return { ...unchanged(input.text, r.warning), ...(r.warning ? { warning: r.warning } : {}) };
    return {
      changed: true,
      output: r.output,
      labels: [`smart_crusher:items=${r.itemsBefore}->${r.itemsAfter}`],
      hashes: r.hashes,
      note: r.strategies.join('+'),
      ...(r.warning ? { warning: r.warning } : {}),
    };
  },
};

/** Route name (what decisions call the compressor) per type. */
export const COMPRESSOR_NAMES: Readonly<Record<ContentType, string>> = {
  json: 'smart_crusher',
  code: 'code',
  search: 'search',
  log: 'log',
  diff: 'diff',
  html: 'html',
  text: 'text',
};

export type CompressorMap = Partial<Record<ContentType, RegisteredCompressor>>;

/**
 * A compressor's own config section, once it has one (`config.log` or `config.logCompressor`…);
 * undefined (the compressor's defaults) until then.
 */
function section(...names: string[]): (config: ResolvedConfig) => unknown {
  return (config) => {
    const c = config as unknown as Record<string, unknown>;
    for (const n of names) if (c[n] !== undefined) return c[n];
    return undefined;
  };
}

const resolvedCode = new WeakMap<object, ResolvedCodeConfig>();

/**
 * The code compressor's settings as the router uses them: `config.code` resolved (validated by
 * resolveConfig already; resolved once per object), its gates off when `router.aggressive` is set
 * too, and `grammars`, the grammar registry's generation: this object is part of the router's
 * cache key, so a block left alone for a missing grammar is routed afresh once grammars change.
 */
export function routerCodeConfig(config: ResolvedConfig): ResolvedCodeConfig & { readonly grammars: number } {
  const raw = (config as { code?: unknown }).code;
  let code = DEFAULT_CODE_CONFIG;
  if (typeof raw === 'object' && raw !== null) {
    code = resolvedCode.get(raw) ?? resolveCodeSection(raw, [], 'config.code');
    resolvedCode.set(raw, code);
  }
  return { ...code, aggressive: code.aggressive || config.router.aggressive, grammars: grammarGeneration() };
}

/** Every compressor, statically imported (a side-effect registration could be dropped by bundlers). */
const BUILT_IN: ReadonlyArray<[ContentType, RegisteredCompressor]> = [
  ['json', { compressor: smartCrusherCompressor, configOf: (c) => c.smartCrusher }],
  ['log', { compressor: logCompressor, configOf: section('log', 'logCompressor') }],
  ['search', { compressor: searchCompressor, configOf: section('search', 'searchCompressor') }],
  ['diff', { compressor: diffCompressor, configOf: section('diff', 'diffCompressor') }],
  ['html', { compressor: htmlCompressor, configOf: section('html', 'htmlCompressor') }],
  ['text', { compressor: textCompressor, configOf: section('text', 'textCompressor') }],
  // Reached with router.enableCode (default on); gated by size, recency and analysis intent.
  ['code', { compressor: codeCompressor, configOf: routerCodeConfig }],
];

const registry = new Map<ContentType, RegisteredCompressor>(BUILT_IN);
let generation = 0;

/** Register (or replace) the compressor for a type. */
export function registerCompressor(type: ContentType, compressor: ContentCompressor<any>, configOf?: (config: ResolvedConfig) => unknown): void {
  registry.set(type, configOf ? { compressor, configOf } : { compressor });
  generation++;
}

export function unregisterCompressor(type: ContentType): void {
  if (registry.delete(type)) generation++;
}

export function registeredCompressor(type: ContentType): RegisteredCompressor | undefined {
  return registry.get(type);
}

/** Types with a registered compressor. */
export function registeredTypes(): ContentType[] {
  return [...registry.keys()];
}

/** Bumped on every change, so cached routing results from another set of compressors are not reused. */
export function registryGeneration(): number {
  return generation;
}
