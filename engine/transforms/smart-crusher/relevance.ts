/**
 * Query relevance (spec ALGORITHMS.md §1.14, with its ⚠ fixed): BM25 with real IDF (the
 * kernel's ln(1 + (N − df + 0.5)/(df + 0.5))) over the query's content words — stop-words and
 * one-character tokens removed — plus exact "anchors" (UUIDs, 4+-digit numbers, emails,
 * host names, quoted strings) matched as substrings. A word found in most items scores near
 * zero, an absolute floor keeps one shared common word from making everything "relevant",
 * and the number of picks per array is capped.
 */
import { bm25Strings, termIds } from '../../kernels/hash.js';
import type { PackedTerms } from './adaptive-k.js';
import type { Kernels } from '../../kernels/types.js';

const STOP_WORDS = new Set(
  (
    'a an and are as at be been being but by can could did do does doing done for from had has have having he her here hers him his how i if in into ' +
    'is it its itself just me more most my no nor not now of off on once only or other our ours out over own same she should so some such than that ' +
    'the their theirs them then there these they this those through to too under until up very was we were what when where which while who whom why ' +
    'will with would you your yours yourself also any all each few both about above after again against below between during before further ' +
    // request words that say nothing about the data
    'please find show list get give tell let lets look check see need want know make use using find me us one ones thing things item items result ' +
    'results data output return returned returns any anything something there them okay ok hi hello thanks thank'
  ).split(/\s+/),
);

const ANCHOR_RES: RegExp[] = [
  /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi,
  /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g,
  /\b\d{4,}\b/g,
  /\b(?:[a-z0-9-]+\.)+(?:com|org|net|io|dev|ai|app|co|edu|gov|uk|de|fr|jp|cn|ru|info|biz|cloud|local|internal)\b/gi,
  /"([^"]{2,50})"|'([^']{2,50})'|`([^`]{2,50})`/g,
];

/** Content words of the query: lowercase `[a-z0-9_]+` tokens minus stop-words and 1-char tokens, deduplicated, in order. */
export function queryTerms(query: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const m of query.toLowerCase().matchAll(/[a-z0-9_]+/g)) {
    const w = m[0];
    if (w.length < 2 || STOP_WORDS.has(w) || seen.has(w)) continue;
    seen.add(w);
    out.push(w);
  }
  return out;
}

/** Exact strings the query points at (lowercased). */
export function queryAnchors(query: string): string[] {
  const out = new Set<string>();
  for (const re of ANCHOR_RES) {
    for (const m of query.matchAll(re)) {
      const s = (m[1] ?? m[2] ?? m[3] ?? m[0]).trim().toLowerCase();
      if (s.length >= 2 && s !== 'e.g' && s !== 'i.e') out.add(s);
    }
  }
  return [...out];
}

export interface RelevanceOptions {
  readonly maxPicks: number;
  /** Fraction of the best score an item needs (0–1). */
  readonly threshold: number;
}

/** Raw BM25 an item needs at least: one matched word present in fewer than about half the items. */
const MIN_BM25 = 0.7;

/**
 * Indices of the items most relevant to the query, best first (ties by index), at most
 * `maxPicks`. Empty when the query has no content words or anchors, or nothing matches well.
 * Anchors are matched in `docs`; BM25 runs over `packed` term ids when given (e.g. item
 * signatures without keys and ids), else over `docs`.
 */
export function relevancePicks(
  docs: readonly string[],
  query: string | undefined,
  kernels: Kernels,
  opts: RelevanceOptions,
  packed?: () => PackedTerms,
): number[] {
  if (!query || opts.maxPicks <= 0 || docs.length === 0) return [];
  const terms = queryTerms(query);
  const anchors = queryAnchors(query);
  if (terms.length === 0 && anchors.length === 0) return [];
  const n = docs.length;
  let score: Float64Array;
  if (terms.length === 0) score = new Float64Array(n);
  else if (packed) {
    const p = packed();
    score = kernels.bm25(p.terms, p.offsets, termIds(terms.join(' ')));
  } else score = bm25Strings(docs, terms.join(' '), kernels);
  let best = 0;
  for (let i = 0; i < n; i++) if (score[i] > best) best = score[i];
  const picked: Array<[number, number]> = [];
  // Anchors: an exact id, number or quoted string from the question beats any word match.
  const anchorHit = new Uint8Array(n);
  if (anchors.length > 0) {
    for (let i = 0; i < n; i++) {
      const d = docs[i].toLowerCase();
      for (const a of anchors) {
        if (d.includes(a)) {
          anchorHit[i] = 1;
          break;
        }
      }
    }
  }
  const floor = Math.max(MIN_BM25, opts.threshold * best);
  for (let i = 0; i < n; i++) {
    if (anchorHit[i]) picked.push([i, best + 1 + score[i]]);
    else if (score[i] >= floor && score[i] > 0) picked.push([i, score[i]]);
  }
  picked.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  return picked.slice(0, opts.maxPicks).map((p) => p[0]);
}
