/**
 * Field statistics and roles for an array of objects (spec ALGORITHMS.md §1.9), computed with
 * the kernels (`fieldStats` for numeric and string-length statistics, `changePoints`), and the
 * per-item facts selection needs: error items, anomalies, change points, importance, and a
 * signature text without ids and timestamps (for near-duplicate detection and coverage).
 */
import type { Kernels } from '../../kernels/types.js';
import { isErrorText, itemHasError, keyRole, spansWithErrorWords } from './errors.js';
import type { JNode, JObject } from './parse.js';

export type FieldRole = 'id' | 'temporal' | 'score' | 'status' | 'text' | 'other';
export type ArrayPattern = 'search' | 'logs' | 'time_series' | 'generic';

export interface FieldInfo {
  readonly key: string;
  /** Items that have the key. */
  present: number;
  /** The value per item (undefined where missing; the first occurrence for duplicate keys). */
  readonly nodes: Array<JNode | undefined>;
  /** Value → count (strings by value, other values by their source text; a string and a number spelled alike share a slot). Complete unless `countedUpTo` ≥ 0. */
  readonly counts: Map<string, number>;
  /** −1 when `counts` covers every item; else the number of items counted before the field passed COUNT_CAP distinct values. */
  countedUpTo: number;
  type: 'number' | 'string' | 'bool' | 'null' | 'object' | 'array' | 'mixed';
  uniqueRatio: number;
  /** Present in every item with one value. */
  constant: boolean;
  role: FieldRole;
  meanLength: number;
}

export interface DictAnalysis {
  readonly n: number;
  readonly fields: FieldInfo[];
  /** Minified source of each item. */
  readonly itemTexts: string[];
  /** Item text without id and timestamp values (near-duplicate detection, coverage curve). */
  readonly signatures: string[];
  readonly errors: Uint8Array;
  /** Numeric (> kσ), string-length (> kσ and materially different) and structural anomalies. */
  readonly anomalies: Uint8Array;
  readonly changePoints: number[];
  readonly importance: Float64Array;
  readonly pattern: ArrayPattern;
  readonly counts: { errors: number; anomalies: number };
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ID_KEY = /(?:^|[_\-.])(?:id|uuid|guid|key|sha|hash|slug)$|[a-z0-9](?:Id|ID|Uuid|Key)$|^(?:id|uuid|guid|_id|pk)$/i;
const SCORE_KEY = /score|rank|relevance|similarity|confidence|rating|probability|weight/i;
const STATUS_KEY = /(?:^|[_\-.])(?:status|state|level|severity|priority|result|outcome|health|conclusion|loglevel)$|^(?:status|state|level|severity|priority|result|outcome|health)$/i;
const TIME_KEY = /time|date|(?:^|_)at$|At$|^ts$|timestamp|created|updated/i;
const LOG_LEVELS = new Set(['trace', 'debug', 'info', 'notice', 'warn', 'warning', 'error', 'err', 'fatal', 'critical', 'crit']);

function isSequential(vals: number[]): boolean {
  if (vals.length < 5) return false;
  let asc = 0;
  for (let i = 1; i < vals.length; i++) if (vals[i] > vals[i - 1]) asc++;
  if (asc <= 0.7 * (vals.length - 1)) return false;
  const sorted = [...vals].sort((a, b) => a - b);
  let sum = 0;
  let inRange = 0;
  for (let i = 1; i < sorted.length; i++) {
    const d = sorted[i] - sorted[i - 1];
    sum += d;
    if (d >= 0.5 && d <= 2) inRange++;
  }
  const mean = sum / (sorted.length - 1);
  return mean >= 0.5 && mean <= 2 && inRange > 0.8 * (sorted.length - 1);
}

function scoreConfidence(vals: number[], key: string): number {
  if (vals.length < 2) return 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of vals) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!(max > min)) return 0;
  let c: number;
  if (min >= 0 && max <= 1) c = 0.4;
  else if (min >= -1 && max <= 1) c = 0.35;
  else if (min >= 0 && max <= 10) c = 0.3;
  else if (min >= 0 && max <= 100) c = 0.25;
  else return 0;
  if (isSequential(vals.slice(0, 50))) return 0;
  let nonInc = 0;
  for (let i = 1; i < vals.length; i++) if (vals[i] <= vals[i - 1]) nonInc++;
  if (nonInc > 0.7 * (vals.length - 1)) c += 0.3;
  const head = vals.slice(0, 20);
  if (head.filter((v) => !Number.isInteger(v)).length > 0.3 * head.length) c += 0.1;
  if (SCORE_KEY.test(key)) c += 0.2;
  return Math.min(c, 0.95);
}

function valueText(text: string, v: JNode): string {
  return v.kind === 'string' ? v.value : text.slice(v.start, v.end);
}

/** Distinct values counted per field before counting stops (fields past it are high-cardinality). */
const COUNT_CAP = 256;

/** Collect fields in first-seen key order. */
function collectFields(text: string, items: ReadonlyArray<JObject>): FieldInfo[] {
  const n = items.length;
  const byKey = new Map<string, FieldInfo>();
  const fields: FieldInfo[] = [];
  for (let i = 0; i < n; i++) {
    const it = items[i];
    for (let j = 0; j < it.keys.length; j++) {
      const key = it.keys[j];
      let f = byKey.get(key);
      if (f === undefined) {
        f = { key, present: 0, nodes: new Array<JNode | undefined>(n), counts: new Map(), countedUpTo: -1, type: 'null', uniqueRatio: 0, constant: false, role: 'other', meanLength: 0 };
        byKey.set(key, f);
        fields.push(f);
      }
      if (f.nodes[i] !== undefined) continue; // duplicate key: first occurrence
      const v = it.values[j];
      f.nodes[i] = v;
      f.present++;
      if (f.countedUpTo >= 0) continue;
      const t = valueText(text, v);
      f.counts.set(t, (f.counts.get(t) ?? 0) + 1);
      // A field with this many distinct values is neither categorical nor constant: stop
      // counting (its uniqueness is estimated from the items counted so far).
      if (f.counts.size > COUNT_CAP) f.countedUpTo = f.present;
    }
  }
  for (const f of fields) {
    let type: FieldInfo['type'] | undefined;
    let lenSum = 0;
    let strCount = 0;
    for (let i = 0; i < n; i++) {
      const v = f.nodes[i];
      if (v === undefined || v.kind === 'null') continue;
      const k = v.kind;
      if (type === undefined) type = k;
      else if (type !== k) type = 'mixed';
      if (v.kind === 'string') {
        lenSum += v.value.length;
        strCount++;
      }
    }
    f.type = type ?? 'null';
    f.meanLength = strCount > 0 ? lenSum / strCount : 0;
    f.uniqueRatio = f.countedUpTo >= 0 ? f.counts.size / f.countedUpTo : f.present > 0 ? f.counts.size / f.present : 0;
    f.constant = f.present === n && f.counts.size === 1;
  }
  return fields;
}

function numericValues(f: FieldInfo, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = f.nodes[i];
    out[i] = v !== undefined && v.kind === 'number' ? v.value : NaN;
  }
  return out;
}

function finiteList(a: Float64Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i])) out.push(a[i]);
  return out;
}

function assignRoles(fields: FieldInfo[], n: number, numeric: Map<FieldInfo, Float64Array>): { scoreConf: number } {
  let bestScore = 0;
  for (const f of fields) {
    const vals = numeric.get(f);
    const mostlyPresent = f.present >= 0.9 * n;
    if (f.type === 'number' && vals) {
      const list = finiteList(vals);
      let min = Infinity;
      let max = -Infinity;
      for (const v of list) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
      const epoch = (min >= 1e9 && max <= 2e9) || (min >= 1e12 && max <= 2e12);
      const integers = list.every(Number.isInteger);
      if (epoch && (TIME_KEY.test(f.key) || list.length >= 5)) f.role = 'temporal';
      else if (mostlyPresent && f.uniqueRatio > 0.95 && integers && isSequential(list)) f.role = TIME_KEY.test(f.key) ? 'temporal' : 'id';
      else if (mostlyPresent && f.uniqueRatio >= 0.9 && ID_KEY.test(f.key)) f.role = 'id';
      else {
        const c = scoreConfidence(list, f.key);
        if (c >= 0.5) {
          f.role = 'score';
          bestScore = Math.max(bestScore, c);
        } else if (f.counts.size <= 50 && (STATUS_KEY.test(f.key) || keyRole(f.key) === 'status_code')) f.role = 'status';
      }
      continue;
    }
    if (f.type === 'string') {
      let iso = 0;
      let uuid = 0;
      let seen = 0;
      for (let i = 0; i < n && seen < 20; i++) {
        const v = f.nodes[i];
        if (v === undefined || v.kind !== 'string') continue;
        seen++;
        if (seen <= 10 && ISO_DATE.test(v.value)) iso++;
        if (UUID.test(v.value)) uuid++;
      }
      const isoShare = iso / Math.max(1, Math.min(seen, 10));
      if (isoShare > 0.5) f.role = 'temporal';
      else if (mostlyPresent && f.uniqueRatio >= 0.9 && (uuid > 0.8 * seen || ID_KEY.test(f.key))) f.role = 'id';
      // Unique single-token strings (URLs, e-mails, paths, hashes) identify items like ids do.
      else if (mostlyPresent && f.uniqueRatio >= 0.95 && f.meanLength <= 200 && noSpaces(f, n)) f.role = 'id';
      else if (f.counts.size >= 1 && f.counts.size <= 50 && (STATUS_KEY.test(f.key) || keyRole(f.key) !== 'none' || allLogLevels(f))) f.role = 'status';
      else if (f.meanLength > 20 && f.uniqueRatio > 0.5) f.role = 'text';
      continue;
    }
    if (f.type === 'bool' && (STATUS_KEY.test(f.key) || keyRole(f.key) !== 'none')) f.role = 'status';
  }
  return { scoreConf: bestScore };
}

function noSpaces(f: FieldInfo, n: number): boolean {
  for (let i = 0, seen = 0; i < n && seen < 50; i++) {
    const v = f.nodes[i];
    if (v === undefined || v.kind !== 'string') continue;
    seen++;
    if (v.value.length === 0 || /\s/.test(v.value)) return false;
  }
  return true;
}

function allLogLevels(f: FieldInfo): boolean {
  for (const k of f.counts.keys()) if (!LOG_LEVELS.has(k.toLowerCase())) return false;
  return true;
}

/**
 * Rare values of a categorical field (the reference's Pareto rule, §1.9.1, made stricter so
 * that an evenly spread category does not turn a fifth of the items into "outliers"): the
 * smallest set of most frequent values covering 80% has at most 5 values; a value outside it
 * is rare when it is at most half as frequent as the least frequent value inside it, and at
 * most 20% of the items for status-like fields (level, status, severity…) or 1% otherwise.
 */
function rareValues(f: FieldInfo, n: number): Set<string> | null {
  const distinct = f.counts.size;
  if (distinct < 2 || distinct > 50 || f.present < 0.8 * n) return null;
  if (f.type === 'object' || f.type === 'array' || f.type === 'mixed') return null;
  // Numeric status codes carry their own meaning (4xx/5xx are errors, see errors.ts); a 201
  // among 200s is not an anomaly however rare it is.
  if (f.type === 'number' && keyRole(f.key) === 'status_code') return null;
  const entries = [...f.counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const need = Math.ceil(0.8 * f.present);
  let covered = 0;
  let top = 0;
  while (top < entries.length && covered < need) covered += entries[top++][1];
  if (top > 5 || top >= entries.length) return null;
  const minTop = entries[top - 1][1];
  const cap = f.role === 'status' ? 0.2 * n : Math.max(1, 0.01 * n);
  const rare = new Set<string>();
  for (let i = top; i < entries.length; i++) {
    const c = entries[i][1];
    if (2 * c <= minTop && c <= cap) rare.add(entries[i][0]);
  }
  return rare.size > 0 ? rare : null;
}

export interface AnalyzeOptions {
  readonly varianceThreshold: number;
  readonly minItems: number;
}

/** Analyze an array of objects. `text` is the minified document the nodes point into. */
export function analyzeDictArray(text: string, items: ReadonlyArray<JObject>, kernels: Kernels, opts: AnalyzeOptions): DictAnalysis {
  const n = items.length;
  const k = opts.varianceThreshold;
  const itemTexts = items.map((it) => text.slice(it.start, it.end));
  const fields = collectFields(text, items);
  const numeric = new Map<FieldInfo, Float64Array>();
  for (const f of fields) if (f.type === 'number') numeric.set(f, numericValues(f, n));
  const { scoreConf } = assignRoles(fields, n, numeric);

  const errors = new Uint8Array(n);
  const anomalies = new Uint8Array(n);
  const maxZ = new Float64Array(n);

  // One regex pass over the whole array finds the items that may hold an error word.
  const maybe = spansWithErrorWords(
    text,
    items.map((it) => it.start),
    items.map((it) => it.end),
  );
  // Long free-text fields where error words are common are topical (search snippets about
  // "error handling"), not diagnostic: keyword hits there do not make an item an error.
  const topical = new Set<string>();
  for (const f of fields) {
    if (f.type !== 'string' || f.meanLength <= 80 || f.present < opts.minItems) continue;
    let hits = 0;
    for (let i = 0; i < n; i++) {
      if (!maybe[i]) continue;
      const v = f.nodes[i];
      if (v !== undefined && v.kind === 'string' && isErrorText(v.value)) hits++;
    }
    if (hits > 0.25 * f.present) topical.add(f.key);
  }
  let errorCount = 0;
  for (let i = 0; i < n; i++) {
    if (itemHasError(items[i], maybe[i] === 1, topical.size > 0 ? topical : undefined)) {
      errors[i] = 1;
      errorCount++;
    }
  }

  // Numeric anomalies and change points.
  const changeSet = new Set<number>();
  for (const [f, vals] of numeric) {
    if (f.role === 'id' || f.role === 'temporal') continue;
    const st = kernels.fieldStats(vals, k);
    if (st.count < opts.minItems || !(st.std > 0)) continue;
    for (let i = 0; i < n; i++) {
      if (st.outliers[i]) anomalies[i] = 1;
      const z = Math.abs(st.zScores[i]);
      if (z > maxZ[i]) maxZ[i] = z;
    }
    if (st.count >= 10) {
      const cps = kernels.changePoints(vals, 5, k);
      for (let c = 0; c < cps.length; c++) {
        const at = cps[c];
        changeSet.add(at);
        if (at > 0) changeSet.add(at - 1);
      }
    }
  }

  // String-length anomalies: beyond kσ of the mean length and at least half the mean (and 8
  // characters) away from it, so ordinary variation in titles or URLs is not an anomaly.
  for (const f of fields) {
    if (f.type !== 'string' || f.role === 'id' || f.role === 'temporal' || f.present < opts.minItems) continue;
    const lens = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = f.nodes[i];
      lens[i] = v !== undefined && v.kind === 'string' ? v.value.length : NaN;
    }
    const st = kernels.fieldStats(lens, k);
    if (!(st.std > 0)) continue;
    const material = Math.max(0.5 * st.mean, 8);
    for (let i = 0; i < n; i++) if (st.outliers[i] && Math.abs(lens[i] - st.mean) >= material) anomalies[i] = 1;
  }

  // Structural anomalies: a field only a handful of items have, or a rare categorical value.
  const structural = new Float64Array(n);
  const common = fields.filter((f) => f.present >= 0.95 * n);
  for (const f of fields) {
    if (n >= opts.minItems && f.present <= Math.max(2, 0.05 * n) && f.present < 0.2 * n) {
      for (let i = 0; i < n; i++) if (f.nodes[i] !== undefined) anomalies[i] = 1;
    }
    const rare = rareValues(f, n);
    if (rare) {
      for (let i = 0; i < n; i++) {
        const v = f.nodes[i];
        if (v !== undefined && rare.has(valueText(text, v))) anomalies[i] = 1;
      }
    }
  }
  if (common.length > 0) {
    for (let i = 0; i < n; i++) {
      let missing = 0;
      for (const f of common) if (f.nodes[i] === undefined) missing++;
      structural[i] = missing / common.length;
    }
  }
  let anomalyCount = 0;
  for (let i = 0; i < n; i++) if (anomalies[i] && !errors[i]) anomalyCount++;

  // Importance: value rarity, length, numeric extremeness, structural oddity.
  const categorical = fields.filter((f) => f.counts.size <= 50 && f.counts.size >= 2 && f.role !== 'id');
  let minLen = Infinity;
  let maxLen = -Infinity;
  for (const t of itemTexts) {
    if (t.length < minLen) minLen = t.length;
    if (t.length > maxLen) maxLen = t.length;
  }
  const importance = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let rar = 0;
    let cnt = 0;
    for (const f of categorical) {
      const v = f.nodes[i];
      if (v === undefined) continue;
      rar += 1 - (f.counts.get(valueText(text, v)) ?? 0) / f.present;
      cnt++;
    }
    const rarity = cnt > 0 ? rar / cnt : 0;
    const len = maxLen > minLen ? (itemTexts[i].length - minLen) / (maxLen - minLen) : 0.5;
    importance[i] = 0.35 * rarity + 0.25 * len + 0.25 * Math.min(1, maxZ[i] / 3) + 0.15 * structural[i];
  }

  // Signatures: the item's values without ids and timestamps.
  const skip = new Set(fields.filter((f) => f.role === 'id' || f.role === 'temporal').map((f) => f.key));
  const signatures = items.map((it) => {
    const parts: string[] = [];
    for (let j = 0; j < it.keys.length; j++) {
      if (skip.has(it.keys[j])) continue;
      parts.push(valueText(text, it.values[j]));
    }
    return parts.join(' ');
  });

  const hasText = fields.some((f) => f.role === 'text');
  const hasStatus = fields.some((f) => f.role === 'status');
  const hasTemporal = fields.some((f) => f.role === 'temporal');
  const pattern: ArrayPattern =
    scoreConf >= 0.5 ? 'search' : hasText && hasStatus ? 'logs' : hasTemporal && numeric.size > 0 ? 'time_series' : 'generic';

  return {
    n,
    fields,
    itemTexts,
    signatures,
    errors,
    anomalies,
    changePoints: [...changeSet].sort((a, b) => a - b),
    importance,
    pattern,
    counts: { errors: errorCount, anomalies: anomalyCount },
  };
}
