/**
 * TextCompressor: extractive, query-aware compression of prose (documentation, articles,
 * READMEs, chat-pasted text). No model: segments (segment.ts) are scored and the best are kept,
 * verbatim and in their original order, until the token target is reached; one marker at the
 * end names the full original in CCR.
 *
 * Always kept: headings (markdown, setext, label and ALL-CAPS lines), protected tag spans
 * (`<system-reminder>`, `<thinking>`, `<headroom:…>`; tags.ts) and the segments that contain
 * them, and query matches (a segment holding an exact anchor from the question or a
 * distinctive question term; signals.ts). A table row that is kept brings its header row.
 *
 * Then, by score until `targetRatio` of the tokens is used:
 *   2·relevance (BM25 of the question's terms, stem-aware, ÷ best) + 1.5·min(1, 2.5·information
 *   density) + 0.75 if it has a keyword-registry word (error, warning, security, importance)
 *   + 0.3 if it opens its paragraph (+ 0.6 more for the document's first sentence) + 0.2·(1 − position) ; ×0.25 under 20 characters ; + 1 if
 *   the previous segment of its paragraph is a query match (it often holds the answer), + 0.5
 *   if the next one is.
 * A segment is skipped when one already kept is its near-duplicate: SimHash (the kernel's, over
 * lowercased word features; signals.ts) within `nearDuplicateBits` AND the same numbers and
 * ids, so "retry 3 of 5 failed" and "retry 4 of 5 failed" both survive while repeats that
 * differ only in case, punctuation or spacing do not.
 *
 * Differences from the reference TextCrusher (spec §4.5): a marker and CCR entry (the
 * reference has none), sentence splitting that respects abbreviations, decimals, code spans
 * and CJK full stops, position favouring the start of a document (the reference favours the
 * end), distinctive query terms kept unconditionally, and tag spans protected by offset.
 */
import { ccrHash } from '../../ccr/hash.js';
import { formatTextMarker, parseMarkers } from '../../ccr/markers.js';
import { getKernels } from '../../kernels/index.js';
import type { TokenCounter } from '../../tokenizer/types.js';
import { groupNearDuplicatesBanded } from '../smart-crusher/adaptive-k.js';
import { unchanged, type CompressorDeps, type CompressorInput, type CompressorOutput, type ContentCompressor } from '../compressor.js';
import { resolveTextConfig, type ResolvedTextConfig, type TextConfig } from './config.js';
import { segmentText, type Segment } from './segment.js';
import { analyzeQuery, segmentFeatures, type SegmentFeatures } from './signals.js';
import { protectedRanges } from './tags.js';

export { DEFAULT_TEXT_CONFIG, resolveTextConfig, resolveTextSection, type TextConfig, type ResolvedTextConfig } from './config.js';
export { segmentText, MAX_SEGMENT, type Segment, type SegmentKind } from './segment.js';
export { protectedRanges, type Ranges } from './tags.js';
export { analyzeQuery, type QueryInfo } from './signals.js';

/** CCR `source` of entries this compressor records. */
export const TEXT_SOURCE = 'text';

/** Up to this many characters every segment is counted exactly; above, a sampled chars-per-token ratio is used. */
const EXACT_COUNT_CHARS = 64 * 1024;
/** Roughly how many characters of segments the sampled ratio is measured on. */
const SAMPLE_CHARS = 8 * 1024;
/** Longest piece handed to the counter at once. */
const COUNT_PIECE = 2048;
/** Above this many segments, near-duplicate grouping uses band buckets instead of the all-pairs kernel. */
const BANDED_FROM = 1024;
/** A query term (or non-ASCII query word) is distinctive when at most this share of segments (and at least 2) contain it. */
const DISTINCTIVE_SHARE = 0.1;
/** BM25 parameters (as the kernels' defaults). */
const BM25_K1 = 1.5;
const BM25_B = 0.75;
/** Output this much shorter than the input (characters) is fewer tokens without counting the input. */
const SURE_CHAR_RATIO = 0.6;

/** What `selectSegments` decided, for tests and the bench. */
export interface Selection {
  readonly segments: readonly Segment[];
  readonly kept: Uint8Array;
  /** Why each kept segment was kept: 'must' (heading, protected, query match, table header) or 'score'. */
  readonly reason: ReadonlyArray<'must' | 'score' | ''>;
  /** Segments that matched the query (anchor or distinctive term). */
  readonly queryMatch: Uint8Array;
  readonly tokens: Float64Array;
  readonly totalTokens: number;
  readonly keptTokens: number;
}

/** Counts one segment, in pieces of at most COUNT_PIECE characters (BPE is slow on huge unbroken runs). */
function countSegment(text: string, start: number, end: number, counter: TokenCounter): number {
  let n = 0;
  for (let s = start; s < end; s += COUNT_PIECE) n += counter.countText(text.slice(s, Math.min(end, s + COUNT_PIECE)));
  return n;
}

function segmentTokens(text: string, segs: readonly Segment[], counter: TokenCounter): Float64Array {
  const out = new Float64Array(segs.length);
  if (text.length <= EXACT_COUNT_CHARS) {
    for (let i = 0; i < segs.length; i++) out[i] = Math.max(1, countSegment(text, segs[i].start, segs[i].end, counter));
    return out;
  }
  // Large texts: a chars-per-token ratio from every k-th segment (about SAMPLE_CHARS in all).
  const step = Math.max(1, Math.floor(text.length / SAMPLE_CHARS));
  let chars = 0;
  let toks = 0;
  for (let i = 0; i < segs.length; i += step) {
    chars += segs[i].end - segs[i].start;
    toks += countSegment(text, segs[i].start, segs[i].end, counter);
  }
  const ratio = chars > 0 ? Math.max(1e-3, toks / chars) : 0.25;
  for (let i = 0; i < segs.length; i++) out[i] = Math.max(1, Math.round((segs[i].end - segs[i].start) * ratio));
  return out;
}

/** Near-duplicate group id per segment: same id = same SimHash group and same numbers/ids. */
function duplicateKeys(texts: readonly string[], feats: SegmentFeatures, bits: number): Int32Array {
  const n = texts.length;
  const keys = new Int32Array(n);
  let rep: Int32Array;
  if (bits > 0) {
    const kernels = getKernels();
    const fps = kernels.simhash(feats.features, feats.offsets);
    rep = n >= BANDED_FROM ? groupNearDuplicatesBanded(fps, bits) : kernels.groupNearDuplicates(fps, bits);
  } else {
    rep = new Int32Array(n);
    const first = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const t = texts[i].toLowerCase();
      const f = first.get(t);
      rep[i] = f ?? i;
      if (f === undefined) first.set(t, i);
    }
  }
  const size = new Int32Array(n);
  for (let i = 0; i < n; i++) size[rep[i]]++;
  // Members of a group split further by their numbers/ids; ids ≥ n name those subgroups.
  const sub = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    if (size[rep[i]] < 2) keys[i] = i;
    else {
      const nums = texts[i].match(/[\w.:/-]*\d[\w.:/-]*/g);
      const k = `${rep[i]}|${nums === null ? '' : nums.join(' ')}`;
      let id = sub.get(k);
      if (id === undefined) sub.set(k, (id = n + sub.size));
      keys[i] = id;
    }
  }
  return keys;
}

/**
 * Scores and selects segments (pure; exported for tests and the bench). `counter` sizes the
 * segments; the budget is `targetRatio` of the total.
 */
export function selectSegments(text: string, query: string, counter: TokenCounter, cfg: ResolvedTextConfig): Selection {
  const segs = segmentText(text, protectedRanges(text));
  const n = segs.length;
  const tokens = segmentTokens(text, segs, counter);
  let total = 0;
  for (let i = 0; i < n; i++) total += tokens[i];
  const texts = segs.map((s) => text.slice(s.start, s.end));

  // Information, keywords, SimHash features and query-term hits in one pass.
  const q = analyzeQuery(query);
  const feats = segmentFeatures(text, segs, q.termHashes);

  // Relevance and query matches.
  const rel = new Float64Array(n);
  const queryMatch = new Uint8Array(n);
  if (q.terms.length > 0 || q.anchors.length > 0 || q.softAnchors.length > 0) {
    // Term occurrences as [term, count] pairs; soft anchors are extra terms (indices after the real ones) found by substring.
    const nt = q.terms.length;
    const hits: Array<readonly number[]> = texts.map((t, i) => {
      const h = feats.hits[i];
      if (q.softAnchors.length === 0) return h;
      const l = t.toLowerCase();
      let out: number[] | null = null;
      for (let k = 0; k < q.softAnchors.length; k++) {
        if (!l.includes(q.softAnchors[k])) continue;
        if (out === null) out = h.slice();
        out.push(nt + k, 1);
      }
      return out ?? h;
    });
    const df = new Int32Array(nt + q.softAnchors.length);
    for (const h of hits) for (let k = 0; k < h.length; k += 2) df[h[k]]++;
    const maxDf = Math.max(2, Math.ceil(DISTINCTIVE_SHARE * n));
    for (let i = 0; i < n; i++) {
      const h = hits[i];
      let m = false;
      for (let k = 0; k < h.length; k += 2) if (df[h[k]] <= maxDf) m = true;
      if (!m && q.anchorRegex !== null && q.anchorRegex.test(texts[i])) m = true;
      if (m) queryMatch[i] = 1;
    }
    // BM25 over the stem-aware matches found above (kernel formula: k1 1.5, b 0.75,
    // idf ln(1 + (N − df + .5)/(df + .5)) × query tf). Lengths are in characters, which only
    // rescales dl/avgdl. Soft anchors (CJK bigrams, which BM25 tokenisers skip) count like terms.
    let avg = 0;
    for (let i = 0; i < n; i++) avg += texts[i].length;
    avg = n > 0 ? avg / n : 0;
    const idf = new Float64Array(df.length);
    for (let t = 0; t < df.length; t++) idf[t] = Math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5)) * (t < nt ? q.qtf[t] : 1);
    let max = 0;
    for (let i = 0; i < n; i++) {
      const h = hits[i];
      if (h.length === 0) continue;
      const norm = BM25_K1 * (1 - BM25_B + (BM25_B * texts[i].length) / (avg || 1));
      let v = 0;
      for (let k = 0; k < h.length; k += 2) v += (idf[h[k]] * h[k + 1] * (BM25_K1 + 1)) / (h[k + 1] + norm);
      rel[i] = v;
      if (v > max) max = v;
    }
    if (max > 0) for (let i = 0; i < n; i++) rel[i] /= max;
  }

  // Scores.
  const score = new Float64Array(n);
  const must = new Uint8Array(n);
  let docLead = -1;
  for (let i = 0; i < n && docLead < 0; i++) if (segs[i].kind === 'sentence' || segs[i].kind === 'item') docLead = i;
  for (let i = 0; i < n; i++) {
    const s = segs[i];
    const t = texts[i];
    let v = 2 * rel[i] + 1.5 * Math.min(1, 2.5 * feats.info[i]);
    if (feats.keyword[i]) v += 0.75;
    if (s.lead) v += 0.3;
    if (i === docLead) v += 0.6;
    v += 0.2 * (1 - i / n);
    if (t.length < 20) v *= 0.25;
    // The sentence after a query match often carries the answer ("… timed out. Raise X."), the one before its context.
    if (i > 0 && queryMatch[i - 1] && segs[i - 1].block === s.block) v += 1;
    if (i + 1 < n && queryMatch[i + 1] && segs[i + 1].block === s.block) v += 0.5;
    score[i] = v;
    if (s.kind === 'heading' || s.protected || queryMatch[i]) must[i] = 1;
  }

  // Selection.
  const keys = duplicateKeys(texts, feats, cfg.nearDuplicateBits);
  const kept = new Uint8Array(n);
  const reason: Array<'must' | 'score' | ''> = new Array(n).fill('');
  const keptKeys = new Uint8Array(2 * n + 1);
  const keptExact = new Set<string>();
  let used = 0;
  const keep = (i: number, why: 'must' | 'score') => {
    kept[i] = 1;
    reason[i] = why;
    used += tokens[i];
    keptKeys[keys[i]] = 1;
  };
  for (let i = 0; i < n; i++) {
    if (!must[i]) continue;
    const s = segs[i];
    if (!s.protected && s.kind !== 'heading') {
      const norm = texts[i].toLowerCase().replace(/\s+/g, ' ');
      if (keptExact.has(norm)) continue;
      keptExact.add(norm);
    }
    keep(i, 'must');
  }
  const budget = cfg.targetRatio * total;
  // Score descending, index ascending, as one numeric key per segment so the sort is native (no
  // comparator): (max − score) quantised (to 1e-6 while it fits in 2^52), times a power of two
  // above n, plus the index.
  let maxScore = 0;
  for (let i = 0; i < n; i++) if (score[i] > maxScore) maxScore = score[i];
  const span = 2 ** Math.ceil(Math.log2(n + 1));
  const quantum = Math.min(1e6, Math.floor(2 ** 52 / (span * (maxScore + 1))));
  const keysByScore: number[] = [];
  for (let i = 0; i < n; i++) if (!must[i] && segs[i].kind !== 'rule') keysByScore.push(Math.round((maxScore - score[i]) * quantum) * span + i);
  const ord = Float64Array.from(keysByScore).sort();
  for (let r = 0; r < ord.length; r++) {
    const i = ord[r] % span;
    if (used >= budget) break;
    if (keptKeys[keys[i]] || used + tokens[i] > budget) continue;
    keep(i, 'score');
  }
  // Kept table rows bring their header row.
  const header = new Map<number, number>();
  for (let i = 0; i < n; i++) if (segs[i].table >= 0 && !header.has(segs[i].table)) header.set(segs[i].table, i);
  for (let i = 0; i < n; i++) {
    if (!kept[i] || segs[i].table < 0) continue;
    const h = header.get(segs[i].table);
    if (h !== undefined && !kept[h]) keep(h, 'must');
  }
  return { segments: segs, kept, reason, queryMatch, tokens, totalTokens: total, keptTokens: used };
}

/** Joins kept segments: the original whitespace between neighbours, else a blank line, newline or space as the skipped text had. */
function assemble(text: string, segs: readonly Segment[], kept: Uint8Array): string {
  let out = '';
  let prev = -1;
  for (let i = 0; i < segs.length; i++) {
    if (!kept[i]) continue;
    if (prev >= 0) {
      if (i === prev + 1) out += text.slice(segs[prev].end, segs[i].start);
      else {
        // The widest break in the skipped stretch: a blank line, a newline, or a space.
        let breaks = 0;
        for (let k = prev; k < i && breaks < 2; k++) {
          let inGap = 0;
          for (let p = segs[k].end; p < segs[k + 1].start; p++) {
            const c = text.charCodeAt(p);
            if (c === 10 || (c === 13 && text.charCodeAt(p + 1) !== 10)) inGap++;
          }
          if (inGap > breaks) breaks = inGap;
        }
        out += breaks >= 2 ? '\n\n' : breaks === 1 ? '\n' : ' ';
      }
    }
    out += text.slice(segs[i].start, segs[i].end);
    prev = i;
  }
  return out;
}

function alreadyCompressed(text: string): boolean {
  return (text.includes('[headroom: ') || text.includes('"_headroom"')) && parseMarkers(text).length > 0;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export const textCompressor: ContentCompressor<TextConfig> = {
  name: 'text',
  compress(input: CompressorInput, deps: CompressorDeps, config: TextConfig): CompressorOutput {
    const cfg = resolveTextConfig(config);
    const text = input.text;
    if (!cfg.enabled) return unchanged(text, 'text compressor disabled');
    if (text.trim() === '') return unchanged(text, 'empty');
    if (alreadyCompressed(text)) return unchanged(text, 'already compressed');
    let inputTokens = -1;
    if (cfg.minTokens > 0 && text.length < cfg.minTokens * 16) {
      inputTokens = deps.counter.countText(text);
      if (inputTokens < cfg.minTokens) return unchanged(text, `below ${cfg.minTokens} tokens`);
    }
    let sel: Selection;
    try {
      sel = selectSegments(text, input.query, deps.counter, cfg);
    } catch {
      return unchanged(text, 'segmentation failed');
    }
    const segs = sel.segments;
    if (segs.length < cfg.minSegments) return unchanged(text, `fewer than ${cfg.minSegments} segments`);
    let keptCount = 0;
    const dropped = { sentence: 0, row: 0, code: 0, other: 0 };
    for (let i = 0; i < segs.length; i++) {
      if (sel.kept[i]) keptCount++;
      else {
        const k = segs[i].kind;
        if (k === 'sentence' || k === 'item') dropped.sentence++;
        else if (k === 'row') dropped.row++;
        else if (k === 'code') dropped.code++;
        else dropped.other++;
      }
    }
    const omitted = segs.length - keptCount;
    if (omitted === 0) return unchanged(text, 'every segment kept');

    const hash = ccrHash(text);
    const pct = Math.round((100 * sel.keptTokens) / Math.max(1, sel.totalTokens));
    const onlySentences = dropped.row + dropped.code + dropped.other === 0;
    const parts = [`extractive, ~${pct}% of tokens kept`];
    if (!onlySentences) {
      const what = [plural(dropped.sentence, 'sentence', 'sentences')];
      if (dropped.row > 0) what.push(plural(dropped.row, 'table row', 'table rows'));
      if (dropped.code > 0) what.push(plural(dropped.code, 'code block', 'code blocks'));
      if (dropped.other > 0) what.push(plural(dropped.other, 'rule', 'rules'));
      parts.push(`dropped ${what.join(', ')}`);
    }
    const marker = formatTextMarker({ count: omitted, unit: onlySentences ? 'sentences' : 'segments', hash, note: parts.join('; ') });
    const output = `${assemble(text, segs, sel.kept)}\n\n${marker}`;

    if (output.length >= text.length) return unchanged(text, 'not smaller');
    if (output.length > text.length * SURE_CHAR_RATIO) {
      if (inputTokens < 0) inputTokens = deps.counter.countText(text);
      if (deps.counter.countText(output) >= inputTokens) return unchanged(text, 'not smaller in tokens');
    }
    deps.ccr.record({ hash, content: text, source: TEXT_SOURCE, meta: { segments: segs.length, kept: keptCount, query: input.query.slice(0, 200), toolName: input.toolName } });
    return { changed: true, output, labels: [`text:segments=${segs.length}->${keptCount}`], hashes: [hash] };
  },
};
