/**
 * Keep rules: which items of an array survive a lossy crush.
 *
 * Must-keep (never dropped, even beyond K): error items and anomalies.
 * Then, while fewer than K items are kept, in this order:
 *   1. the first and the last item;
 *   2. the items most relevant to the query (BM25, capped);
 *   3. change points (and the item before each);
 *   4. the first k_first and last k_last items (split by pattern: search results front-heavy,
 *      logs back-heavy), skipping near-duplicates of kept items;
 *   5. by importance, skipping near-duplicates (SimHash groups) of kept items;
 *   6. an even stride over the rest, then index order (exact duplicates last).
 * So the kept count is exactly min(n, max(K, must-keep count)), deterministic, and items stay
 * in their original order when emitted.
 */
import type { ArrayPattern, DictAnalysis } from './analyze.js';

export interface Selection {
  readonly keep: Uint8Array;
  readonly kept: number;
  readonly reasons: { errors: number; anomalies: number; relevant: number; changePoints: number };
}

/** Round half to even (Python's round), as the reference's 30/15/55 split does. */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

const SPLITS: Record<ArrayPattern | 'strings' | 'numbers', [number, number]> = {
  search: [0.5, 0.1],
  logs: [0.15, 0.4],
  time_series: [0.3, 0.3],
  generic: [0.3, 0.15],
  strings: [0.3, 0.15],
  numbers: [0.3, 0.15],
};

export function kSplit(k: number, pattern: keyof typeof SPLITS): [number, number] {
  const [ff, lf] = SPLITS[pattern];
  let first = Math.max(1, roundHalfEven(ff * k));
  let last = Math.max(1, roundHalfEven(lf * k));
  first = Math.min(first, k);
  last = Math.min(last, Math.max(0, k - first));
  return [first, last];
}

class Picker {
  readonly keep: Uint8Array;
  count = 0;
  private readonly keptGroups = new Set<number>();
  private readonly keptTexts = new Set<string>();

  constructor(
    readonly n: number,
    readonly k: number,
    private readonly texts?: readonly string[],
    private readonly groups?: Int32Array,
  ) {
    this.keep = new Uint8Array(n);
  }

  private mark(i: number): void {
    this.keep[i] = 1;
    this.count++;
    if (this.groups) this.keptGroups.add(this.groups[i]);
    if (this.texts) this.keptTexts.add(this.texts[i]);
  }

  force(i: number): void {
    if (!this.keep[i]) this.mark(i);
  }

  get full(): boolean {
    return this.count >= this.k;
  }

  /** Keep i if there is room. `collapse`: 'near' skips near-duplicates and exact duplicates of kept items, 'exact' only exact duplicates, 'none' nothing. */
  add(i: number, collapse: 'near' | 'exact' | 'none'): boolean {
    if (i < 0 || i >= this.n || this.keep[i] || this.count >= this.k) return false;
    if (collapse !== 'none' && this.texts && this.keptTexts.has(this.texts[i])) return false;
    if (collapse === 'near' && this.groups && this.keptGroups.has(this.groups[i])) return false;
    this.mark(i);
    return true;
  }

  stride(collapse: 'near' | 'exact' | 'none'): void {
    const remaining = this.k - this.count;
    if (remaining <= 0) return;
    const step = Math.max(1, Math.floor(this.n / (remaining + 1)));
    for (let i = step; i < this.n && !this.full; i += step) this.add(i, collapse);
  }

  fillInOrder(collapse: 'near' | 'exact' | 'none'): void {
    for (let i = 0; i < this.n && !this.full; i++) this.add(i, collapse);
  }
}

export interface SelectInput {
  readonly k: number;
  readonly relevant: readonly number[];
  /** Near-duplicate group per item (from adaptive-k). */
  readonly groups: Int32Array;
}

function finish(p: Picker, must: Uint8Array | null, errors: Uint8Array | null, relevant: readonly number[], cps: readonly number[]): Selection {
  let e = 0;
  let a = 0;
  for (let i = 0; i < p.n; i++) {
    if (errors?.[i]) e++;
    else if (must?.[i]) a++;
  }
  return {
    keep: p.keep,
    kept: p.count,
    reasons: {
      errors: e,
      anomalies: a,
      relevant: relevant.filter((i) => p.keep[i]).length,
      changePoints: cps.filter((i) => p.keep[i]).length,
    },
  };
}

/** Keep set for an array of objects. */
export function selectDict(a: DictAnalysis, input: SelectInput): Selection {
  const { n } = a;
  const p = new Picker(n, input.k, a.itemTexts, input.groups);
  const must = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (a.errors[i] || a.anomalies[i]) {
      must[i] = 1;
      p.force(i);
    }
  }
  p.add(0, 'exact');
  p.add(n - 1, 'exact');
  for (const i of input.relevant) p.add(i, 'exact');
  for (const i of a.changePoints) p.add(i, 'exact');
  const [kf, kl] = kSplit(input.k, a.pattern);
  for (let i = 0; i < kf; i++) p.add(i, 'near');
  for (let i = n - kl; i < n; i++) p.add(i, 'near');
  if (!p.full) {
    const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => a.importance[y] - a.importance[x] || x - y);
    for (const i of order) {
      if (p.full) break;
      p.add(i, 'near');
    }
  }
  p.stride('exact');
  p.fillInOrder('exact');
  p.fillInOrder('none');
  return finish(p, must, a.errors, input.relevant, a.changePoints);
}

export interface StringFacts {
  readonly errors: Uint8Array;
  readonly anomalies: Uint8Array;
}

/** Keep set for an array of strings: dedup (exact, then near), errors and length anomalies, first/last, relevance, stride. */
export function selectStrings(values: readonly string[], facts: StringFacts, input: SelectInput): Selection {
  const n = values.length;
  const p = new Picker(n, input.k, values, input.groups);
  const must = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (facts.errors[i] || facts.anomalies[i]) {
      must[i] = 1;
      p.force(i);
    }
  }
  p.add(0, 'exact');
  p.add(n - 1, 'exact');
  for (const i of input.relevant) p.add(i, 'exact');
  const [kf, kl] = kSplit(input.k, 'strings');
  for (let i = 0; i < kf; i++) p.add(i, 'near');
  for (let i = n - kl; i < n; i++) p.add(i, 'near');
  p.stride('near');
  p.stride('exact');
  p.fillInOrder('exact');
  p.fillInOrder('none');
  return finish(p, must, facts.errors, input.relevant, []);
}

export interface NumberFacts {
  readonly outliers: Uint8Array;
  /** Indices of the values carrying min, max, median, p25, p75. */
  readonly summaryIndices: readonly number[];
  readonly changePoints: readonly number[];
}

/** Keep set for an array of numbers: outliers, first/last, the values carrying the summary statistics, change points, stride. */
export function selectNumbers(n: number, facts: NumberFacts, k: number): Selection {
  const p = new Picker(n, k);
  for (let i = 0; i < n; i++) if (facts.outliers[i]) p.force(i);
  p.add(0, 'none');
  p.add(n - 1, 'none');
  for (const i of facts.summaryIndices) p.add(i, 'none');
  for (const i of facts.changePoints) p.add(i, 'none');
  const [kf, kl] = kSplit(k, 'numbers');
  for (let i = 0; i < kf; i++) p.add(i, 'none');
  for (let i = n - kl; i < n; i++) p.add(i, 'none');
  p.stride('none');
  p.fillInOrder('none');
  return finish(p, facts.outliers, null, [], facts.changePoints);
}
