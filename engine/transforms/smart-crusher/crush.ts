/**
 * `crushJson`: SmartCrusher's pure entry point. One tool-result text in, its crushed form out.
 *
 * 1. Gates: disabled, not JSON-looking, fewer than `minTokensToCrush` tokens, malformed or
 *    nested deeper than MAX_DEPTH (64) → unchanged.
 * 2. Walk the document (the root, and arrays inside objects/arrays up to depth 5) and plan every
 *    candidate array (arrays.ts); arrays holding `_headroom…` markers were written by us and
 *    are left alone, so crushing crushed output changes nothing.
 * 3. Render: minified JSON; lossless encodings (runs, constant fields) where they pay; kept
 *    items in original order with ONE sentinel `{"_headroom": "N items omitted (…). Retrieve:
 *    hash=H"}` at the end of each array that lost items. Opt-in compact format: object arrays as
 *    tables. Every rendering is decoded and compared with the plain form (kept items +
 *    sentinels) before it is used; a mismatch falls back to the plain form.
 * 4. Accept only if the result has fewer tokens. If anything was dropped, the ENTIRE original
 *    text (byte-exact) is recorded for CCR under H before the result is returned.
 */
import { ccrHash } from '../../ccr/hash.js';
import { formatTextMarker, jsonSentinel, type Marker } from '../../ccr/markers.js';
import type { CCRSink } from '../../ccr/types.js';
import { ConfigurationError } from '../../errors.js';
import { getKernels } from '../../kernels/index.js';
import type { Kernels } from '../../kernels/types.js';
import type { TokenCounter } from '../../tokenizer/types.js';
import { planArray, type ArrayPlan, type PlanContext } from './arrays.js';
import { carriesMarkers } from './classify.js';
import { decodeCompact, encodeTable, PLACEHOLDER_PREFIX } from './compact.js';
import { resolveSmartCrusherSection, type ResolvedSmartCrusherConfig, type SmartCrusherConfig } from './config.js';
import { encodeRuns, expandLossless, factorConstants, repeatMarker, type Run } from './lossless.js';
import { canonical, parseJson, rawKey, type JArray, type JNode, type JObject } from './parse.js';

/** Options of crushJson: any subset of the `smartCrusher` config section (defaults fill the rest). */
export type SmartCrusherOptions = SmartCrusherConfig;

export interface CrushDeps {
  readonly counter: TokenCounter;
  /** The question current when the output arrived (last user message before it). */
  readonly query?: string;
  readonly ccr: CCRSink;
  readonly toolName?: string;
  /** Kernels to use; default `getKernels()`. */
  readonly kernels?: Kernels;
}

export interface CrushResult {
  readonly output: string;
  readonly changed: boolean;
  /** What was done, e.g. ['minify', 'smart_sample'], ['minify', 'dedup', 'factor_constants'], ['compact']. */
  readonly strategies: string[];
  /** CCR hashes the output's markers carry (at most one: the whole original). */
  readonly hashes: string[];
  /** Items in the arrays that were processed, before and after. */
  readonly itemsBefore: number;
  readonly itemsAfter: number;
  readonly tokensBefore: number;
  readonly tokensAfter: number;
  /** Set when an internal failure made the text pass through (never thrown). */
  readonly warning?: string;
}

/** Arrays deeper than this (root = 0) are not examined (spec: nested objects up to depth 5). */
export const MAX_ARRAY_DEPTH = 5;

function resolve(options: SmartCrusherOptions | ResolvedSmartCrusherConfig | undefined): ResolvedSmartCrusherConfig {
  const problems: string[] = [];
  const cfg = resolveSmartCrusherSection(options ?? {}, problems, 'smartCrusher options');
  if (problems.length > 0) throw new ConfigurationError(`Invalid SmartCrusher options: ${problems.join('; ')}`, { problems });
  return cfg;
}

export function looksLikeJson(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    return c === 0x7b || c === 0x5b;
  }
  return false;
}

function canonicalOf(json: string): string | null {
  const p = parseJson(json);
  return p.ok ? canonical(p.text, p.root) : null;
}

/** Crush one tool-result text. Never throws on data (only on invalid options). */
export function crushJson(text: string, options: SmartCrusherOptions | ResolvedSmartCrusherConfig | undefined, deps: CrushDeps): CrushResult {
  const cfg = resolve(options);
  const unchanged = (tokensBefore: number, warning?: string): CrushResult => ({
    output: text,
    changed: false,
    strategies: [],
    hashes: [],
    itemsBefore: 0,
    itemsAfter: 0,
    tokensBefore,
    tokensAfter: tokensBefore,
    ...(warning ? { warning } : {}),
  });
  if (!cfg.enabled || !looksLikeJson(text)) return unchanged(deps.counter.countText(text));
  const tokensBefore = deps.counter.countText(text);
  if (tokensBefore < cfg.minTokensToCrush) return unchanged(tokensBefore);
  try {
    return crushParsed(text, cfg, deps, tokensBefore) ?? unchanged(tokensBefore);
  } catch (err) {
    return unchanged(tokensBefore, `smart_crusher passed a tool result through after an internal error: ${(err as Error)?.message ?? String(err)}`);
  }
}

/** Tool profile / config K: honoured exactly when set. */
function fixedK(cfg: ResolvedSmartCrusherConfig): number | undefined {
  return cfg.maxItemsAfterCrush;
}

function crushParsed(original: string, cfg: ResolvedSmartCrusherConfig, deps: CrushDeps, tokensBefore: number): CrushResult | null {
  const parsed = parseJson(original);
  if (!parsed.ok) return null;
  const text = parsed.text;
  const root = parsed.root;
  const ctx: PlanContext = { text, cfg, fixedK: fixedK(cfg), query: deps.query, kernels: deps.kernels ?? getKernels() };

  // Plan every candidate array; remember the containers on the path to each (they are rebuilt).
  const plans = new Map<JArray, ArrayPlan>();
  const dirty = new Set<JNode>();
  const path: JNode[] = [];
  const visit = (node: JNode, depth: number): void => {
    if (node.kind === 'array') {
      if (carriesMarkers(node)) return;
      const plan = planArray(ctx, node);
      if (plan) {
        plans.set(node, plan);
        for (const p of path) dirty.add(p);
        return;
      }
      if (depth >= MAX_ARRAY_DEPTH) return;
      path.push(node);
      for (const it of node.items) if (it.kind === 'array' || it.kind === 'object') visit(it, depth + 1);
      path.pop();
    } else if (node.kind === 'object') {
      if (depth >= MAX_ARRAY_DEPTH) return;
      path.push(node);
      for (const v of node.values) if (v.kind === 'array' || v.kind === 'object') visit(v, depth + 1);
      path.pop();
    }
  };
  visit(root, 0);
  if (plans.size === 0) return null;

  let itemsBefore = 0;
  let itemsAfter = 0;
  let lossy = false;
  for (const p of plans.values()) {
    itemsBefore += p.node.items.length;
    itemsAfter += p.kept;
    if (p.dropped > 0) lossy = true;
  }
  const hash = lossy ? ccrHash(original) : '';
  const strategies = new Set<string>();
  if (text !== original) strategies.add('minify');
  for (const p of plans.values()) if (p.dropped > 0) strategies.add(p.strategy);

  const keptNodes = (p: ArrayPlan): JNode[] => (p.keep ? p.node.items.filter((_, i) => p.keep![i] === 1) : p.node.items);
  const marker = (p: ArrayPlan): Marker => ({ count: p.dropped, unit: 'items', hash, note: p.note });
  const sentinelText = (p: ArrayPlan): string => JSON.stringify(jsonSentinel(marker(p)));
  const plainArray = (p: ArrayPlan): string => {
    const parts = keptNodes(p).map((n) => text.slice(n.start, n.end));
    if (p.dropped > 0) parts.push(sentinelText(p));
    return `[${parts.join(',')}]`;
  };
  const encodedStrategies = new Map<ArrayPlan, string[]>();
  const encodedArray = (p: ArrayPlan): string => {
    const kept = keptNodes(p);
    const texts = kept.map((n) => text.slice(n.start, n.end));
    const used: string[] = [];
    // Runs of identical items first (only when nothing was dropped: the order is then exact),
    // then constant fields over the distinct items that remain.
    let runs: Run[] = kept.map((_, i) => ({ first: i, extra: 0 }));
    if (cfg.dedupIdenticalItems && p.dropped === 0) {
      const r = encodeRuns(texts);
      if (r.collapsed > 0) {
        runs = r.runs;
        used.push('dedup');
      }
    }
    const itemText = new Map<number, string>();
    let head = '';
    if (cfg.factorConstants && p.objects && runs.length >= 2) {
      const f = factorConstants(text, runs.map((r) => kept[r.first] as JObject));
      if (f) {
        head = f.constant;
        runs.forEach((r, i) => itemText.set(r.first, f.items[i]));
        used.push('factor_constants');
      }
    }
    if (used.length === 0) return plainArray(p);
    const parts: string[] = head ? [head] : [];
    for (const r of runs) {
      parts.push(itemText.get(r.first) ?? texts[r.first]);
      if (r.extra > 0) parts.push(repeatMarker(r.extra));
    }
    if (p.dropped > 0) parts.push(sentinelText(p));
    encodedStrategies.set(p, used);
    return `[${parts.join(',')}]`;
  };

  const render = (node: JNode, arrayText: (p: ArrayPlan) => string): string => {
    if (node.kind === 'array') {
      const p = plans.get(node);
      if (p) return arrayText(p);
    }
    if (!dirty.has(node)) return text.slice(node.start, node.end);
    if (node.kind === 'object') return `{${node.keys.map((_, i) => `${rawKey(text, node, i)}:${render(node.values[i], arrayText)}`).join(',')}}`;
    if (node.kind === 'array') return `[${node.items.map((it) => render(it, arrayText)).join(',')}]`;
    return text.slice(node.start, node.end);
  };

  const plain = render(root, plainArray);
  const plainCanonical = () => canonicalOf(plain);
  let output = plain;
  const usedEncodings = new Set<string>();

  // JSON with lossless encodings, kept only if it decodes to the plain form.
  const encoded = render(root, encodedArray);
  if (encoded !== plain && encoded.length < plain.length) {
    const dec = expandLossless(encoded);
    const want = plainCanonical();
    if (dec !== null && want !== null && canonicalOf(dec) === want) {
      output = encoded;
      for (const s of encodedStrategies.values()) s.forEach((x) => usedEncodings.add(x));
    }
  }

  if (cfg.format === 'compact') {
    const compact = renderCompact(text, root, plans, dirty, keptNodes, (p) => formatTextMarker(marker(p)), plainArray);
    if (compact !== null && compact.length < output.length) {
      let ok = false;
      try {
        ok = canonicalOf(decodeCompact(compact)) === plainCanonical();
      } catch {
        ok = false;
      }
      if (ok) {
        output = compact;
        usedEncodings.clear();
        strategies.add('compact');
      }
    }
  }
  for (const s of usedEncodings) strategies.add(s);
  if (output === original) return null;

  const tokensAfter = deps.counter.countText(output);
  if (tokensAfter >= tokensBefore) return null;
  if (lossy) {
    deps.ccr.record({
      hash,
      content: original,
      source: 'smart_crusher',
      meta: { ...(deps.toolName ? { tool: deps.toolName } : {}), itemsBefore, itemsAfter, strategies: [...strategies] },
    });
  }
  return {
    output,
    changed: true,
    strategies: [...strategies],
    hashes: lossy ? [hash] : [],
    itemsBefore,
    itemsAfter,
    tokensBefore,
    tokensAfter,
  };
}

/**
 * The compact rendering, or null when no array became a table. Object arrays with at least two
 * kept rows become tables; everything else is rendered by `jsonArray`.
 */
function renderCompact(
  text: string,
  root: JNode,
  plans: ReadonlyMap<JArray, ArrayPlan>,
  dirty: ReadonlySet<JNode>,
  keptNodes: (p: ArrayPlan) => JNode[],
  markerLine: (p: ArrayPlan) => string,
  jsonArray: (p: ArrayPlan) => string,
): string | null {
  // Nested tables need placeholders that cannot collide with the data.
  const nestedOk = !text.includes(`"${PLACEHOLDER_PREFIX}`);
  const tables: string[] = [];
  const tableFor = (p: ArrayPlan, name: string): string | null => {
    if (!p.objects) return null;
    const kept = keptNodes(p);
    if (kept.length < 2) return null;
    return encodeTable(text, kept as JObject[], name, p.dropped > 0 ? markerLine(p) : undefined);
  };
  if (root.kind === 'array') {
    const p = plans.get(root);
    if (p) return tableFor(p, '');
  }
  if (!nestedOk) return null;
  const render = (node: JNode): string => {
    if (node.kind === 'array') {
      const p = plans.get(node);
      if (p) {
        const name = `${PLACEHOLDER_PREFIX}${tables.length + 1}`;
        const t = tableFor(p, name);
        if (t !== null) {
          tables.push(t);
          return JSON.stringify(name);
        }
        return jsonArray(p);
      }
    }
    if (!dirty.has(node)) return text.slice(node.start, node.end);
    if (node.kind === 'object') return `{${node.keys.map((_, i) => `${rawKey(text, node, i)}:${render(node.values[i])}`).join(',')}}`;
    if (node.kind === 'array') return `[${node.items.map(render).join(',')}]`;
    return text.slice(node.start, node.end);
  };
  const skeleton = render(root);
  if (tables.length === 0) return null;
  return `${skeleton}\n${tables.join('\n')}`;
}
