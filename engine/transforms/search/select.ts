/**
 * Which matches to keep. Matches containing two of the rare words of the user's question (words
 * in at most half the matches), or the only one, are always kept (up to maxRelevant, best first). Then coverage within a budget of
 * min(maxMatches, max(minMatches, ⌈1.25·√matches⌉)): the first match of each file (best files first,
 * up to maxFiles), the last match of each, then the remaining matches round-robin across files
 * by score (BM25 against the question plus a small bump for error/warning words), at most
 * maxPerFile per file.
 */
import { bm25Strings } from '../../kernels/hash.js';
import { getKernels } from '../../kernels/index.js';
import { popcount, rareMask, termHits, termMasks } from '../log/terms.js';
import type { ResolvedSearchCompressorConfig } from './config.js';
import { MATCH, type ParsedSearch } from './parse.js';

const ALERT = /\b(?:error|errors|exception|fail(?:ed|ure)?|fatal|panic|crash|warn(?:ing)?|deprecated|todo|fixme|bug)\b/i;
const ALERT_LOWER = new RegExp(ALERT.source);

export interface SearchSelection {
  /** 1 = keep this match (other kinds are decided at output time). */
  readonly keep: Uint8Array;
  /** Kept matches per file. */
  readonly keptPerFile: Int32Array;
  /** Matches per file. */
  readonly perFile: Int32Array;
  readonly kept: number;
  readonly relevant: number;
}

/**
 * Coverage picks for `m` matches: ⌈COVERAGE·√m⌉, at least minMatches, at most maxMatches. The
 * kept share falls as the output grows (150 matches → 16, 11%; 400 → 25, 6%; 576 and up → 30),
 * so mid-sized outputs save about as much as the reference's documented 80–95% once the per-file
 * notes and the marker are paid for; small ones (under ~100 matches) keep a larger share.
 */
export const COVERAGE = 1.25;

export function coverageBudget(m: number, cfg: ResolvedSearchCompressorConfig): number {
  return Math.min(cfg.maxMatches, Math.max(cfg.minMatches, Math.ceil(COVERAGE * Math.sqrt(m))));
}

export function selectMatches(lines: readonly string[], p: ParsedSearch, cfg: ResolvedSearchCompressorConfig, query: string, terms: readonly string[]): SearchSelection {
  const n = lines.length;
  const keep = new Uint8Array(n);
  const nf = p.files.length;
  const perFile = new Int32Array(nf);
  const keptPerFile = new Int32Array(nf);
  const idx: number[] = [];
  for (let i = 0; i < n; i++) {
    if (p.kind[i] !== MATCH) continue;
    idx.push(i);
    perFile[p.file[i]]++;
  }
  const m = idx.length;
  const content = idx.map((i) => lines[i].slice(p.contentAt[i], p.contentAt[i] + 2000));

  // Scores: BM25 (normalised to the best), rare query words, path words, alert words.
  const score = new Float64Array(m);
  const hits = new Int32Array(m);
  let rareCount = 0;
  let lower: string[] | null = null;
  if (terms.length > 0) {
    lower = content.map((s) => s.toLowerCase());
    const masks = termMasks(lower, terms);
    // BM25 over the matches that share a word with the question (the others score 0 anyway).
    const cand: number[] = [];
    for (let k = 0; k < m; k++) if (masks[k] !== 0) cand.push(k);
    if (cand.length > 0) {
      const bm = bm25Strings(
        cand.map((k) => content[k]),
        terms.join(' '),
        getKernels(),
      );
      let best = 0;
      for (let c = 0; c < cand.length; c++) if (bm[c] > best) best = bm[c];
      if (best > 0) for (let c = 0; c < cand.length; c++) score[cand[c]] = bm[c] / best;
    }
    const rare = rareMask(masks, terms.length, 0.5);
    rareCount = popcount(rare);
    if (rare !== 0) for (let k = 0; k < m; k++) hits[k] = popcount(masks[k] & rare);
    const pathHit = new Uint8Array(nf);
    for (let f = 0; f < nf; f++) pathHit[f] = termHits(p.files[f].toLowerCase(), terms) > 0 ? 1 : 0;
    for (let k = 0; k < m; k++) score[k] += hits[k] + 0.3 * pathHit[p.file[idx[k]]];
  }
  for (let k = 0; k < m; k++) if ((lower ? ALERT_LOWER : ALERT).test(lower ? lower[k] : content[k])) score[k] += 0.1;

  let kept = 0;
  const take = (k: number): void => {
    const i = idx[k];
    if (keep[i]) return;
    keep[i] = 1;
    keptPerFile[p.file[i]]++;
    kept++;
  };

  // 1. Rare query words (two of them, or the only one): always.
  const rel: number[] = [];
  const need = Math.min(2, rareCount);
  if (need > 0) for (let k = 0; k < m; k++) if (hits[k] >= need) rel.push(k);
  rel.sort((a, b) => score[b] - score[a] || a - b);
  const relevant = Math.min(rel.length, cfg.maxRelevant);
  for (let r = 0; r < relevant; r++) take(rel[r]);

  // 2. Coverage within the budget.
  const budget = coverageBudget(m, cfg);
  let spent = 0;
  const long = (k: number) => lines[idx[k]].length > cfg.maxLineChars;
  const byFile: number[][] = Array.from({ length: nf }, () => []);
  for (let k = 0; k < m; k++) byFile[p.file[idx[k]]].push(k);
  const fileBest = new Float64Array(nf);
  for (let k = 0; k < m; k++) {
    const f = p.file[idx[k]];
    if (score[k] > fileBest[f]) fileBest[f] = score[k];
  }
  const order = Array.from({ length: nf }, (_, f) => f).filter((f) => byFile[f].length > 0);
  order.sort((a, b) => fileBest[b] - fileBest[a] || a - b);
  const cover = (k: number): boolean => {
    if (spent >= budget || long(k) || keep[idx[k]]) return false;
    const f = p.file[idx[k]];
    if (keptPerFile[f] >= cfg.maxPerFile) return false;
    take(k);
    spent++;
    return true;
  };
  const files = order.slice(0, cfg.maxFiles);
  for (const f of files) {
    const first = byFile[f].find((k) => !long(k));
    if (first !== undefined) cover(first);
  }
  for (const f of files) {
    const ks = byFile[f];
    for (let r = ks.length - 1; r >= 0; r--) {
      if (!long(ks[r])) {
        cover(ks[r]);
        break;
      }
    }
  }
  if (spent < budget) {
    const ranked = order.map((f) => byFile[f].filter((k) => !keep[idx[k]] && !long(k)).sort((a, b) => score[b] - score[a] || a - b));
    for (let round = 0; spent < budget; round++) {
      let any = false;
      for (const r of ranked) {
        if (round < r.length) {
          any = true;
          cover(r[round]);
          if (spent >= budget) break;
        }
      }
      if (!any) break;
    }
  }
  return { keep, keptPerFile, perFile, kept, relevant };
}
