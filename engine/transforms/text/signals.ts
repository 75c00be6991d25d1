/**
 * What makes a segment worth keeping: relevance to the query (terms and exact anchors) and
 * information (ids, hashes, numbers, names, error words).
 *
 * Query terms: lowercase `[a-z0-9_]+` words of the question minus stop words (at most 32, the
 * longest), each expanded to its light stem plus common endings (so "errors" finds "ERROR",
 * "charged" finds "charges"). Anchors: strings the question names exactly — quoted phrases,
 * identifiers with a digit, '_', '.', '/', ':', '@' or '#', camelCase, UUIDs and hashes (not
 * e.g / i.e / etc). A segment containing an anchor, or a term that few segments contain (a
 * distinctive term), is a query match and always kept. Non-ASCII words match as substrings and,
 * like terms, count only where distinctive; CJK runs (no spaces to split on) are matched as
 * character bigrams.
 *
 * Information (segmentFeatures, one pass per segment): the share of tokens that carry a digit,
 * are ALL-CAPS (≥ 2 letters), look like identifiers (inner '.', '_', '/', ':', '@', '#',
 * camelCase) or are capitalised mid-sentence (names, counted half); plus whether a word of the
 * keyword registry (spec ALGORITHMS.md §4.7: error, warning, security, importance) occurs,
 * whole-word and case-insensitive.
 */

/* prettier-ignore */
const STOPWORDS = new Set((
  'a about above after again against all also am an and any are aren as at be because been before being below between both but ' +
  'by can cannot could couldn did didn do does doesn doing don down during each either else even ever every few for from further ' +
  'get gets getting give given go goes going got had hadn has hasn have haven having he her here hers herself him himself his how ' +
  'however i if in into is isn it its itself just know let like ll look made make makes many may me might more most much must my ' +
  'myself need needs no nor not now of off on once one only or other our ours ourselves out over own please put re really s said ' +
  'same say says see seem seems shall she should shouldn show so some such t take tell than that the their theirs them themselves ' +
  'then there these they thing things this those through to too try under until up us use used using ve very want wants was ' +
  'wasn way we well were weren what when where whether which while who whom whose why will with within without won would ' +
  'wouldn yes yet you your yours yourself yourselves explain describe find help okay ok hi hello thanks thank'
).split(' '));

/**
 * Light suffix stem: "errors" → "error", "policies"/"retried" → "policy"/"retry", "charged" →
 * "charg", "failing" → "fail". Short words and -ss/-us/-is stay. Matching then accepts the
 * stem with the common endings (see `forms`), so "charged" finds "charges".
 */
export function stem(w: string): string {
  if (w.length <= 3) return w;
  if ((w.endsWith('ies') || w.endsWith('ied')) && w.length > 4) return w.slice(0, -3) + 'y';
  if (w.endsWith('ing') && w.length >= 6) return w.slice(0, -3);
  if (w.endsWith('ed') && w.length >= 5) return w.slice(0, -2);
  if (w.endsWith('es') && w.length >= 5 && /(?:ss|sh|ch|x|z)es$/.test(w)) return w.slice(0, -2);
  if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) return w.slice(0, -1);
  return w;
}

/** Surface forms a stem stands for. */
function formsOf(w: string, base: string): string[] {
  const out = [w, base, base + 's', base + 'es', base + 'ed', base + 'ing'];
  if (base.endsWith('y')) out.push(base.slice(0, -1) + 'ies', base.slice(0, -1) + 'ied');
  else out.push(base + 'e', base + 'er', base + 'ers');
  return out;
}

export interface QueryInfo {
  /** Base terms (stems), in query order, deduplicated. */
  readonly terms: readonly string[];
  /** Every surface form that counts as a term, mapped to its base term index. */
  readonly forms: ReadonlyMap<string, number>;
  /** Lowercased strings matched as substrings: a segment containing one is a query match. */
  readonly anchors: readonly string[];
  /** Lowercased non-ASCII words (matched as substrings, but count as query matches only where distinctive, like terms). */
  readonly softAnchors: readonly string[];
  /** How often each base term occurs in the question (BM25 query term frequency). */
  readonly qtf: readonly number[];
  /** One regex matching any form, word-bounded, case-insensitive; null without terms. */
  readonly termRegex: RegExp | null;
  /** FNV-1a hash of every form (as segmentFeatures hashes words) → base term index. */
  readonly termHashes: ReadonlyMap<number, number>;
  /** One case-insensitive regex matching any anchor; null without anchors. */
  readonly anchorRegex: RegExp | null;
}

const WORD = /[a-z0-9_]+/g;
/** Most distinct query terms used (a pasted message can hold hundreds of words). */
const MAX_TERMS = 32;
/** Most anchors (and soft anchors) used. */
const MAX_ANCHORS = 32;
const QUOTED = /(?:^|[\s([{,:;])(["'`])([^"'`\n]{2,80})\1(?=$|[\s)\]},.:;!?])|“([^”\n]{2,80})”/g;
const CJK_RUN = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+/g;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Dotted abbreviations that look like identifiers but are not (spec §1.14 drops e.g / i.e / etc). */
const NOT_ANCHORS = new Set(['e.g', 'i.e', 'etc', 'a.m', 'p.m', 'u.s', 'u.k', 'vs', 'ph.d']);

/** Is this query token an exact anchor (an id, path, version, hash...)? */
function isAnchorToken(tok: string): boolean {
  if (tok.length < 2 || NOT_ANCHORS.has(tok.toLowerCase())) return false;
  if (UUID.test(tok)) return true;
  if (/\d/.test(tok) && /[A-Za-z_]/.test(tok)) return true; // ids like req-9182, v2.8.0, E0425
  if (/^\d{3,}$/.test(tok)) return true; // numbers of 3+ digits (ports, codes, counts)
  if (/^\d+(?:[.,:]\d+)+$/.test(tok)) return true; // 10.0.0.42, 1.75, 3:15
  if (/[A-Za-z0-9][._/:@#][A-Za-z0-9]/.test(tok)) return true; // auth.registry, src/main.ts, user@host
  if (/_/.test(tok) && /[A-Za-z]/.test(tok)) return true; // snake_case
  if (/[a-z][A-Z]/.test(tok)) return true; // camelCase
  return false;
}

/** Non-ASCII words (CJK has no spaces, so they match as substrings). */
function isSoftAnchor(tok: string): boolean {
  return tok.length >= 1 && /[^\x00-\x7f]/.test(tok) && /[\p{L}\p{N}]/u.test(tok);
}

export function analyzeQuery(query: string): QueryInfo {
  const q = query.length > 4000 ? query.slice(-4000) : query; // the question is at the end of long messages
  const anchors = new Set<string>();
  for (const m of q.matchAll(QUOTED)) {
    const v = (m[2] ?? m[3] ?? '').trim().toLowerCase();
    if (v.length >= 2) anchors.add(v);
  }
  const soft = new Set<string>();
  for (const raw of q.split(/\s+/)) {
    const tok = raw.replace(/^[("'`\[{<]+|[)"'`\]}>,;:!?.。、，？！]+$/g, '');
    if (isAnchorToken(tok)) anchors.add(tok.toLowerCase());
    else if (isSoftAnchor(tok)) {
      // CJK runs become character bigrams (no word boundaries to rely on); other words stay whole.
      let rest = tok.toLowerCase();
      for (const m of rest.matchAll(CJK_RUN)) {
        const run = [...m[0]];
        if (run.length === 1) soft.add(run[0]);
        else for (let k = 0; k + 1 < run.length; k++) soft.add(run[k] + run[k + 1]);
      }
      rest = rest.replace(CJK_RUN, ' ');
      for (const w of rest.split(/[\s\p{P}]+/u)) if (isSoftAnchor(w)) soft.add(w);
    }
  }
  // Words of the question; a long message keeps its MAX_TERMS longest distinct stems (specific words are long).
  const words: Array<[string, string]> = [];
  for (const m of q.toLowerCase().matchAll(WORD)) {
    const w = m[0];
    if (w.length < 2 || STOPWORDS.has(w) || /^\d{1,2}$/.test(w)) continue;
    const base = stem(w);
    if (!STOPWORDS.has(base)) words.push([w, base]);
  }
  const distinct = [...new Set(words.map((x) => x[1]))];
  const allowed = new Set(distinct.length <= MAX_TERMS ? distinct : distinct.slice().sort((a, b) => b.length - a.length).slice(0, MAX_TERMS));
  const terms: string[] = [];
  const qtf: number[] = [];
  const forms = new Map<string, number>();
  for (const [w, base] of words) {
    if (!allowed.has(base)) continue;
    let idx = terms.indexOf(base);
    if (idx < 0) {
      idx = terms.length;
      terms.push(base);
      qtf.push(0);
    }
    qtf[idx]++;
    for (const f of formsOf(w, base)) if (f.length >= 2 && !forms.has(f)) forms.set(f, idx);
  }
  const all = [...forms.keys()].sort((a, b) => b.length - a.length);
  const termRegex = all.length > 0 ? new RegExp(`(?<![a-z0-9_])(?:${all.map(escapeRegex).join('|')})(?![a-z0-9_])`, 'gi') : null;
  const anchorList = [...anchors].slice(0, MAX_ANCHORS);
  const anchorRegex = anchorList.length > 0 ? new RegExp(anchorList.map(escapeRegex).join('|'), 'i') : null;
  const termHashes = new Map<number, number>();
  for (const [f, idx] of forms) termHashes.set(fnv(f), idx);
  return { terms, forms, anchors: anchorList, anchorRegex, softAnchors: [...soft].slice(0, MAX_ANCHORS), qtf, termRegex, termHashes };
}

const NONE: readonly number[] = Object.freeze([]);

/**
 * Occurrences of the query's terms in a segment, as a flat list of [term index, count] pairs
 * (shared empty list when there are none).
 */
export function termsIn(text: string, info: QueryInfo): readonly number[] {
  const re = info.termRegex;
  if (re === null) return NONE;
  let out: number[] | null = null;
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const idx = info.forms.get(m[0].toLowerCase());
    if (idx === undefined) continue;
    if (out === null) out = [];
    let k = 0;
    while (k < out.length && out[k] !== idx) k += 2;
    if (k < out.length) out[k + 1]++;
    else out.push(idx, 1);
  }
  return out ?? NONE;
}

// Character classes for the feature pass (ASCII; everything above 0x7f is a word character).
const C_WORD = 1;
const C_DIGIT = 2;
const C_UPPER = 4;
const C_LOWER = 8;
const C_JOIN = 16; // . / : @ # - join word pieces into one token
const C_END = 32; // . ! ? : start a new sentence
const CLASS = new Uint8Array(128);
for (let c = 48; c <= 57; c++) CLASS[c] = C_WORD | C_DIGIT;
for (let c = 65; c <= 90; c++) CLASS[c] = C_WORD | C_UPPER;
for (let c = 97; c <= 122; c++) CLASS[c] = C_WORD | C_LOWER;
CLASS[95] = C_WORD;
for (const c of [46, 47, 58, 64, 35, 45]) CLASS[c] |= C_JOIN;
for (const c of [46, 33, 63, 58]) CLASS[c] |= C_END;

function cls(c: number): number {
  return c < 128 ? CLASS[c] : C_WORD;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function fnv(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

/** Keyword-registry words (§4.7: error, warning, security, importance), by the FNV-1a hash the feature pass computes. */
const KEYWORD_HASHES = new Set(
  (
    'error errors exception exceptions fail fails failed failure failures failing fatal critical crash crashes crashed panic ' +
    'panics panicked abort aborts aborted timeout timeouts denied rejected traceback warn warns warning warnings deprecated ' +
    'important todo fixme hack xxx bug bugs security password secret breaking'
  )
    .split(' ')
    .map(fnv),
);
/** One byte per low-10-bit bucket of the keyword hashes: most words are ruled out without a Set lookup. */
const KEYWORD_MASK = new Uint8Array(1024);
for (const h of KEYWORD_HASHES) KEYWORD_MASK[h & 1023] = 1;

/** Murmur3 finaliser: spreads a word hash over all 32 bits (SimHash features must look uniform). */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export interface SegmentFeatures {
  /** Information density per segment. */
  readonly info: Float64Array;
  /** 1 where the segment has a keyword-registry word (error, warning, security, importance). */
  readonly keyword: Uint8Array;
  /** SimHash features of every segment back to back (ready for `Kernels.simhash`). */
  readonly features: Uint32Array;
  /** Feature offsets, length segments + 1. */
  readonly offsets: Uint32Array;
  /** Query term occurrences per segment as [term index, count] pairs (when term hashes were given). */
  readonly hits: Array<readonly number[]>;
}

const NO_HITS: readonly number[] = Object.freeze([]);

/**
 * One pass over each segment's characters computing its information density, whether it has
 * a keyword-registry word, and its SimHash features: every lowercased letter/digit run (CJK
 * characters one by one), hashed (FNV-1a, then Murmur3's finaliser). Word features instead of
 * character 4-grams: about 5× fewer features per sentence and no second pass over the text;
 * two sentences are near-duplicates when they use nearly the same words, whatever the case,
 * punctuation or spacing. With the query's term hashes it also collects the segment's query
 * term occurrences (the same words `termRegex` finds), so relevance needs no extra pass.
 *
 * Information density: the share of tokens (word characters joined by inner . _ / : @ # -)
 * that carry a digit, are ALL-CAPS (≥ 2 letters), look like identifiers (inner punctuation,
 * '_', camelCase) or are capitalised mid-sentence (names, counted half), ÷ (tokens + 1).
 */
export function segmentFeatures(
  text: string,
  bounds: ReadonlyArray<{ readonly start: number; readonly end: number }>,
  termHashes?: ReadonlyMap<number, number>,
): SegmentFeatures {
  const n = bounds.length;
  const hits: Array<readonly number[]> = new Array(n).fill(NO_HITS);
  const terms = termHashes !== undefined && termHashes.size > 0 ? termHashes : null;
  const termMask = new Uint8Array(1024);
  if (terms !== null) for (const h of terms.keys()) termMask[h & 1023] = 1;
  let segHits: number[] | null = null;
  const hit = (h: number) => {
    const idx = terms!.get(h);
    if (idx === undefined) return;
    if (segHits === null) segHits = [];
    let k = 0;
    while (k < segHits.length && segHits[k] !== idx) k += 2;
    if (k < segHits.length) segHits[k + 1]++;
    else segHits.push(idx, 1);
  };
  const info = new Float64Array(n);
  const keyword = new Uint8Array(n);
  const offsets = new Uint32Array(n + 1);
  let feats = new Uint32Array(Math.max(64, text.length >>> 2));
  let nf = 0;
  for (let si = 0; si < n; si++) {
    const start = bounds[si].start;
    const end = bounds[si].end;
    let words = 0;
    let salient = 0;
    let kw = 0;
    segHits = null;
    let sentenceStart = true;
    // Room for the worst case of this segment (one feature per character).
    if (nf + (end - start) + 1 > feats.length) {
      const next = new Uint32Array(Math.max(feats.length * 2, nf + (end - start) + 1));
      next.set(feats.subarray(0, nf));
      feats = next;
    }
    let i = start;
    while (i < end) {
      const c = text.charCodeAt(i);
      const k = cls(c);
      if (!(k & C_WORD)) {
        if (k & C_END) sentenceStart = true;
        i++;
        continue;
      }
      let digits = 0;
      let upper = 0;
      let lower = 0;
      let inner = 0;
      let camel = false;
      const first = c;
      let prevLower = false;
      let prevWordChar = false;
      let h = FNV_OFFSET;
      let runLen = 0;
      let j = i;
      while (j < end) {
        const d = text.charCodeAt(j);
        const kd = cls(d);
        if (kd & C_WORD) {
          if (d >= 0x2e80) {
            // CJK and other wide scripts: each character is its own feature.
            if (runLen > 0) {
              feats[nf++] = fmix(h);
            }
            feats[nf++] = fmix(Math.imul(FNV_OFFSET ^ d, FNV_PRIME));
            h = FNV_OFFSET;
            runLen = 0;
            lower++;
            prevLower = false;
          } else {
            if (kd & C_DIGIT) digits++;
            else if (kd & C_UPPER) {
              upper++;
              if (prevLower) camel = true;
            } else if (kd & C_LOWER) lower++;
            else if (d === 95) inner++;
            prevLower = (kd & C_LOWER) !== 0;
            h = Math.imul(h ^ (kd & C_UPPER ? d | 0x20 : d), FNV_PRIME);
            runLen++;
          }
          prevWordChar = true;
          j++;
          continue;
        }
        if (kd & C_JOIN && prevWordChar && j + 1 < end && cls(text.charCodeAt(j + 1)) & C_WORD) {
          if (d !== 45) inner++;
          if (runLen > 0) {
            if (runLen >= 3 && runLen <= 11 && KEYWORD_MASK[h & 1023] && KEYWORD_HASHES.has(h)) kw = 1;
            if (terms !== null && termMask[h & 1023]) hit(h);
            feats[nf++] = fmix(h);
          }
          h = FNV_OFFSET;
          runLen = 0;
          prevWordChar = false;
          prevLower = false;
          j++;
          continue;
        }
        break;
      }
      if (runLen > 0) {
        if (runLen >= 3 && runLen <= 11 && KEYWORD_MASK[h & 1023] && KEYWORD_HASHES.has(h)) kw = 1;
        if (terms !== null && termMask[h & 1023]) hit(h);
        feats[nf++] = fmix(h);
      }
      words++;
      if (digits > 0 || inner > 0 || camel || (upper >= 2 && lower === 0)) salient++;
      else if (!sentenceStart && first >= 65 && first <= 90 && lower > 0) salient += 0.5;
      sentenceStart = false;
      i = j;
    }
    info[si] = words === 0 ? 0 : salient / (words + 1);
    keyword[si] = kw;
    offsets[si + 1] = nf;
    if (segHits !== null) hits[si] = segHits;
  }
  return { info, keyword, features: feats.subarray(0, nf), offsets, hits };
}

/** Information density of text[start, end) (see `segmentFeatures`). */
export function informationDensity(text: string, start: number, end: number): number {
  return segmentFeatures(text, [{ start, end }]).info[0];
}
