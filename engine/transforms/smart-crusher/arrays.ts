/**
 * Per-array planning: for one array, decide what stays (lossless when the distinct content
 * fits the target K, otherwise the keep rules of select.ts) and describe it for the renderer.
 * Dict, string, number and mixed arrays each have their rule (spec ALGORITHMS.md §1.5–1.8).
 */
import type { Kernels } from '../../kernels/types.js';
import { packTermIds } from '../../kernels/hash.js';
import { computeOptimalK, nearDuplicateGroups, type PackedTerms } from './adaptive-k.js';
import { analyzeDictArray } from './analyze.js';
import { classifyArray } from './classify.js';
import { isErrorText } from './errors.js';
import { countRuns } from './lossless.js';
import type { JArray, JNode, JObject, JString } from './parse.js';
import { relevancePicks } from './relevance.js';
import { selectDict, selectNumbers, selectStrings, type Selection } from './select.js';
import { ADAPTIVE_MAX_ITEMS, type ResolvedSmartCrusherConfig } from './config.js';

export interface ArrayPlan {
  readonly node: JArray;
  /** null = every item kept. */
  readonly keep: Uint8Array | null;
  readonly kept: number;
  readonly dropped: number;
  /** Short note for the sentinel (what was kept). */
  readonly note: string;
  /** Strategy label, e.g. smart_sample, string_sample, number_sample, mixed_sample, lossless. */
  readonly strategy: string;
  /** Every kept item is an object (a table candidate in compact format, a factoring candidate in JSON). */
  readonly objects: boolean;
}

export interface PlanContext {
  readonly text: string;
  readonly cfg: ResolvedSmartCrusherConfig;
  /** Items to keep when set (maxItemsAfterCrush or the tool profile's maxItems): honoured exactly. */
  readonly fixedK: number | undefined;
  readonly query: string | undefined;
  readonly kernels: Kernels;
}

const MIN_K = 3;
/** A lossy drop must remove at least this many characters per character of sentinel (adaptive K only). */
const MIN_DROP_PAYOFF = 2;
const SENTINEL_CHARS = 110;

function lossless(node: JArray, strategy = 'lossless'): ArrayPlan {
  return {
    node,
    keep: null,
    kept: node.items.length,
    dropped: 0,
    note: '',
    strategy,
    objects: node.items.length > 0 && node.items.every((i) => i.kind === 'object'),
  };
}

function fromSelection(ctx: PlanContext, node: JArray, sel: Selection, note: string, strategy: string): ArrayPlan {
  const n = node.items.length;
  if (sel.kept >= n) return lossless(node);
  if (ctx.fixedK === undefined) {
    let droppedChars = 0;
    for (let i = 0; i < n; i++) if (!sel.keep[i]) droppedChars += node.items[i].end - node.items[i].start + 1;
    if (droppedChars < MIN_DROP_PAYOFF * SENTINEL_CHARS) return lossless(node);
  }
  let objects = true;
  for (let i = 0; i < n && objects; i++) if (sel.keep[i] && node.items[i].kind !== 'object') objects = false;
  return { node, keep: sel.keep, kept: sel.kept, dropped: n - sel.kept, note, strategy, objects };
}

function plural(n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`;
}

function describe(kept: number, n: number, parts: Array<[number, string, string?]>): string {
  const extra = parts.filter(([c]) => c > 0).map(([c, one, many]) => plural(c, one, many));
  return `kept ${kept} of ${n}${extra.length > 0 ? ': ' + extra.join(', ') : ''}`;
}

function targetK(ctx: PlanContext, texts: readonly string[], groups: Int32Array, terms: () => PackedTerms): number {
  if (ctx.fixedK !== undefined) return ctx.fixedK;
  return computeOptimalK(texts, ctx.kernels, MIN_K, ADAPTIVE_MAX_ITEMS, groups, terms).k;
}

function relevanceOf(ctx: PlanContext, docs: readonly string[], terms: () => PackedTerms): number[] {
  const r = ctx.cfg.relevance;
  if (!r.enabled) return [];
  return relevancePicks(docs, ctx.query, ctx.kernels, { maxPicks: r.maxPicks, threshold: r.threshold }, terms);
}

/** Term ids of the texts, packed once on first use. */
function lazyTerms(texts: readonly string[]): () => PackedTerms {
  let p: PackedTerms | undefined;
  return () => (p ??= packTermIds(texts));
}

function planDicts(ctx: PlanContext, node: JArray, items: readonly JObject[], kOverride?: number): { sel: Selection | null; note: string } {
  const a = analyzeDictArray(ctx.text, items, ctx.kernels, { varianceThreshold: ctx.cfg.varianceThreshold, minItems: ctx.cfg.minItemsToAnalyze });
  const groups = nearDuplicateGroups(a.signatures, ctx.kernels);
  const terms = lazyTerms(a.signatures);
  const k = kOverride ?? targetK(ctx, a.signatures, groups, terms);
  const n = items.length;
  if (n <= k || (ctx.cfg.dedupIdenticalItems && countRuns(a.itemTexts) <= k)) return { sel: null, note: '' };
  const relevant = relevanceOf(ctx, a.itemTexts, terms);
  const sel = selectDict(a, { k, relevant, groups });
  const r = sel.reasons;
  return {
    sel,
    note: describe(sel.kept, n, [
      [r.errors, 'error'],
      [r.anomalies, 'anomaly', 'anomalies'],
      [r.relevant, 'relevant', 'relevant'],
      [r.changePoints, 'change point'],
    ]),
  };
}

function lengthAnomalies(values: readonly string[], ctx: PlanContext): Uint8Array {
  const n = values.length;
  const lens = new Float64Array(n);
  for (let i = 0; i < n; i++) lens[i] = values[i].length;
  const st = ctx.kernels.fieldStats(lens, ctx.cfg.varianceThreshold);
  const out = new Uint8Array(n);
  if (!(st.std > 0)) return out;
  const material = Math.max(0.5 * st.mean, 8);
  for (let i = 0; i < n; i++) if (st.outliers[i] && Math.abs(lens[i] - st.mean) >= material) out[i] = 1;
  return out;
}

function planStrings(ctx: PlanContext, values: readonly string[], kOverride?: number): { sel: Selection | null; note: string } {
  const n = values.length;
  const groups = nearDuplicateGroups(values, ctx.kernels);
  const terms = lazyTerms(values);
  const k = kOverride ?? targetK(ctx, values, groups, terms);
  if (n <= k || (ctx.cfg.dedupIdenticalItems && countRuns(values) <= k)) return { sel: null, note: '' };
  const errors = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (isErrorText(values[i])) errors[i] = 1;
  const anomalies = lengthAnomalies(values, ctx);
  const sel = selectStrings(values, { errors, anomalies }, { k, relevant: relevanceOf(ctx, values, terms), groups });
  const keptSet = new Set<string>();
  for (let i = 0; i < n; i++) if (sel.keep[i]) keptSet.add(values[i]);
  let repeats = 0;
  for (let i = 0; i < n; i++) if (!sel.keep[i] && keptSet.has(values[i])) repeats++;
  const r = sel.reasons;
  return {
    sel,
    note: describe(sel.kept, n, [
      [r.errors, 'error line'],
      [r.anomalies, 'length anomaly', 'length anomalies'],
      [r.relevant, 'relevant', 'relevant'],
      [repeats, 'dropped repeat of a kept line', 'dropped repeats of kept lines'],
    ]),
  };
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return String(Number(x.toPrecision(6)));
}

function quantile(sorted: readonly number[], q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function planNumbers(ctx: PlanContext, nums: ReadonlyArray<{ value: number; start: number; end: number }>, kOverride?: number): { sel: Selection | null; note: string } {
  const n = nums.length;
  const raw = nums.map((v) => ctx.text.slice(v.start, v.end));
  const groups = nearDuplicateGroups(raw, ctx.kernels);
  const k = kOverride ?? targetK(ctx, raw, groups, lazyTerms(raw));
  if (n <= k || (ctx.cfg.dedupIdenticalItems && countRuns(raw) <= k)) return { sel: null, note: '' };
  const vals = Float64Array.from(nums, (v) => v.value);
  const st = ctx.kernels.fieldStats(vals, ctx.cfg.varianceThreshold);
  const sorted = Array.from(vals).filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return { sel: null, note: '' };
  const median = quantile(sorted, 0.5);
  const p25 = quantile(sorted, 0.25);
  const p75 = quantile(sorted, 0.75);
  const nearest = (target: number): number => {
    let best = -1;
    let bestD = Infinity;
    for (let i = 0; i < n; i++) {
      const d = Math.abs(vals[i] - target);
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    return best;
  };
  const summaryIndices = [nearest(st.min), nearest(st.max), nearest(median), nearest(p25), nearest(p75)].filter((i) => i >= 0);
  const cps: number[] = [];
  if (n > 10) {
    const found = ctx.kernels.changePoints(vals, 5, ctx.cfg.varianceThreshold);
    for (let c = 0; c < found.length; c++) {
      if (found[c] > 0) cps.push(found[c] - 1);
      cps.push(found[c]);
    }
  }
  const sel = selectNumbers(n, { outliers: st.outliers, summaryIndices, changePoints: cps }, k);
  const r = sel.reasons;
  const stats = `min=${fmt(st.min)} max=${fmt(st.max)} mean=${fmt(st.mean)} median=${fmt(median)} std=${fmt(st.std)} p25=${fmt(p25)} p75=${fmt(p75)}`;
  const extra = [r.anomalies > 0 ? plural(r.anomalies, 'outlier') : '', r.changePoints > 0 ? plural(r.changePoints, 'change point') : ''].filter(Boolean);
  return { sel, note: `kept ${sel.kept} of ${n}${extra.length ? ': ' + extra.join(', ') : ''}; ${stats}` };
}

/** Plan one array, or null when it is not a candidate (too small, bools only, nested arrays, empty). */
export function planArray(ctx: PlanContext, node: JArray): ArrayPlan | null {
  const n = node.items.length;
  if (n < ctx.cfg.minItemsToAnalyze) return null;
  const kind = classifyArray(node);
  switch (kind) {
    case 'dict': {
      const { sel, note } = planDicts(ctx, node, node.items as JObject[]);
      return sel ? fromSelection(ctx, node, sel, note, 'smart_sample') : lossless(node);
    }
    case 'string': {
      const { sel, note } = planStrings(ctx, (node.items as JString[]).map((s) => s.value));
      return sel ? fromSelection(ctx, node, sel, note, 'string_sample') : lossless(node);
    }
    case 'number': {
      const { sel, note } = planNumbers(ctx, node.items as Array<{ value: number; start: number; end: number }>);
      return sel ? fromSelection(ctx, node, sel, note, 'number_sample') : lossless(node);
    }
    case 'mixed':
      return planMixed(ctx, node);
    default:
      return null;
  }
}

/**
 * Mixed arrays: group by type (objects, strings, numbers; everything else is kept), crush each
 * group of at least minItemsToAnalyze items by its rule, keep smaller groups whole. With a
 * fixed K each crushable group gets a share proportional to its size (at least 1).
 */
function planMixed(ctx: PlanContext, node: JArray): ArrayPlan | null {
  const n = node.items.length;
  const groups: Record<'object' | 'string' | 'number', number[]> = { object: [], string: [], number: [] };
  for (let i = 0; i < n; i++) {
    const k = node.items[i].kind;
    if (k === 'object' || k === 'string' || k === 'number') groups[k].push(i);
  }
  const keep = new Uint8Array(n).fill(1);
  const notes: string[] = [];
  let anyDrop = false;
  const share = (size: number) => (ctx.fixedK === undefined ? undefined : Math.max(1, Math.round((ctx.fixedK * size) / n)));
  const apply = (idx: number[], sel: Selection | null, label: string) => {
    if (!sel) return;
    let kept = 0;
    idx.forEach((orig, j) => {
      if (!sel.keep[j]) {
        keep[orig] = 0;
        anyDrop = true;
      } else kept++;
    });
    notes.push(`${label} ${idx.length}->${kept}`);
  };
  const min = ctx.cfg.minItemsToAnalyze;
  if (groups.object.length >= min) {
    const items = groups.object.map((i) => node.items[i] as JObject);
    apply(groups.object, planDicts(ctx, node, items, share(items.length)).sel, 'objects');
  }
  if (groups.string.length >= min) {
    const values = groups.string.map((i) => (node.items[i] as JString).value);
    apply(groups.string, planStrings(ctx, values, share(values.length)).sel, 'strings');
  }
  if (groups.number.length >= min) {
    const nums = groups.number.map((i) => node.items[i] as Extract<JNode, { kind: 'number' }>);
    apply(groups.number, planNumbers(ctx, nums, share(nums.length)).sel, 'numbers');
  }
  if (!anyDrop) return groups.object.length + groups.string.length + groups.number.length >= min ? lossless(node) : null;
  let kept = 0;
  for (let i = 0; i < n; i++) kept += keep[i];
  const sel: Selection = { keep, kept, reasons: { errors: 0, anomalies: 0, relevant: 0, changePoints: 0 } };
  // Mixed groups report their own counts; errors and anomalies stay kept inside each group.
  return fromSelection(ctx, node, sel, `kept ${kept} of ${n}: ${notes.join(', ')}`, 'mixed_sample');
}
