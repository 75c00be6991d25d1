/**
 * What makes a segment worth keeping: relevance to the query (terms and exact anchors) and
 * information (ids, hashes, numbers, names, error words).
 *
 * Query terms: lowercase `[a-z0-9_]+` words of the question minus stop words, each expanded to
 * its light stem plus common endings (so "errors" finds "ERROR", "charged" finds "charges"). Anchors: strings the question names exactly — quoted phrases, identifiers with a
 * digit, '_', '.', '/', ':', '@' or '#', UUIDs and hashes. A segment containing an anchor, or
 * a term that few segments contain (a distinctive term), is a query match and always kept.
 * Non-ASCII words match as substrings and, like terms, count only where distinctive; CJK runs
 * (no spaces to split on) are matched as character bigrams.
 *
 * Information: per segment, the share of tokens that carry a digit, are ALL-CAPS (≥ 2
 * letters), look like identifiers (inner '.', '_', '/', ':', '@', '#', camelCase) or are
 * capitalised mid-sentence (names, counted half); plus the keyword registry's error, warning
 * and importance words (spec ALGORITHMS.md §4.7), word-bounded and case-insensitive.
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
  /** One case-insensitive regex matching any anchor; null without anchors. */
  readonly anchorRegex: RegExp | null;
}

const WORD = /[a-z0-9_]+/g;
const QUOTED = /(?:^|[\s([{,:;])(["'`])([^"'`\n]{2,80})\1(?=$|[\s)\]},.:;!?])|“([^”\n]{2,80})”/g;
const CJK_RUN = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+/g;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Is this query token an exact anchor (an id, path, version, hash...)? */
function isAnchorToken(tok: string): boolean {
  if (tok.length < 2) return false;
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
  const terms: string[] = [];
  const qtf: number[] = [];
  const forms = new Map<string, number>();
  for (const m of q.toLowerCase().matchAll(WORD)) {
    const w = m[0];
    if (w.length < 2 || STOPWORDS.has(w) || /^\d{1,2}$/.test(w)) continue;
    const base = stem(w);
    if (STOPWORDS.has(base)) continue;
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
  const anchorList = [...anchors];
  const anchorRegex = anchorList.length > 0 ? new RegExp(anchorList.map(escapeRegex).join('|'), 'i') : null;
  return { terms, forms, anchors: anchorList, anchorRegex, softAnchors: [...soft], qtf, termRegex };
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

/**
 * Error, warning, security and importance words of the keyword registry (§4.7), word-bounded
 * and case-insensitive, in one pass: any hit marks a segment as carrying a signal.
 */
export const KEYWORDS =
  /\b(?:errors?|exceptions?|fail(?:s|ed|ure|ures|ing)?|fatal|critical|crash(?:es|ed)?|panic(?:s|ked)?|abort(?:s|ed)?|time(?:d)? ?out|timeouts|denied|rejected|traceback|warn(?:s|ing|ings)?|deprecated|important|todo|fixme|hack|xxx|bugs?|security|password|secret|breaking)\b/i;

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 0x7f;
}

/** Murmur3 finaliser: spreads a word hash over all 32 bits (SimHash features must look uniform). */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export interface SegmentFeatures {
  /** Information density per segment (see `informationDensity`). */
  readonly info: Float64Array;
  /** SimHash features of every segment back to back (ready for `Kernels.simhash`). */
  readonly features: Uint32Array;
  /** Feature offsets, length segments + 1. */
  readonly offsets: Uint32Array;
}

/**
 * One pass over each segment's characters computing its information density and its SimHash
 * features: every lowercased letter/digit run (CJK characters one by one) and every pair of
 * neighbouring runs, hashed (FNV-1a, then Murmur3's finaliser). Word features instead of
 * character 4-grams: about 5× fewer features per sentence and no second pass over the text.
 *
 * Information density: the share of tokens (word characters joined by inner . _ / : @ # -)
 * that carry a digit, are ALL-CAPS (≥ 2 letters), look like identifiers (inner punctuation,
 * '_', camelCase) or are capitalised mid-sentence (names, counted half), ÷ (tokens + 1).
 */
export function segmentFeatures(text: string, bounds: ReadonlyArray<{ readonly start: number; readonly end: number }>): SegmentFeatures {
  const n = bounds.length;
  const info = new Float64Array(n);
  const offsets = new Uint32Array(n + 1);
  let feats = new Uint32Array(Math.max(64, text.length >>> 2));
  let nf = 0;
  let prevWord = 0;
  let havePrev = false;
  const push = (v: number) => {
    if (nf === feats.length) {
      const next = new Uint32Array(feats.length * 2);
      next.set(feats);
      feats = next;
    }
    feats[nf++] = v;
  };
  const emit = (h: number) => {
    const w = fmix(h);
    push(w);
    if (havePrev) push(fmix(Math.imul(prevWord ^ 0x9e3779b9, 31) + w));
    prevWord = w;
    havePrev = true;
  };
  for (let si = 0; si < n; si++) {
    const start = bounds[si].start;
    const end = bounds[si].end;
    havePrev = false;
    let words = 0;
    let salient = 0;
    let sentenceStart = true;
    let i = start;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (!isWordChar(c)) {
        if (c === 46 || c === 33 || c === 63 || c === 58) sentenceStart = true;
        i++;
        continue;
      }
      let digits = 0;
      let upper = 0;
      let lower = 0;
      let inner = 0;
      let camel = false;
      const first = c;
      let prev = 0;
      let h = 0x811c9dc5;
      let runLen = 0;
      let j = i;
      while (j < end) {
        const d = text.charCodeAt(j);
        if (isWordChar(d)) {
          if (d >= 0x2e80) {
            // CJK and other wide scripts: each character is its own feature.
            if (runLen > 0) emit(h);
            emit(Math.imul(0x811c9dc5 ^ d, 0x01000193));
            h = 0x811c9dc5;
            runLen = 0;
            lower++;
          } else {
            if (d >= 48 && d <= 57) digits++;
            else if (d >= 65 && d <= 90) {
              upper++;
              if (prev >= 97 && prev <= 122) camel = true;
            } else if (d >= 97 && d <= 122) lower++;
            else if (d === 95) inner++;
            h = Math.imul(h ^ (d >= 65 && d <= 90 ? d | 0x20 : d), 0x01000193);
            runLen++;
          }
          prev = d;
          j++;
          continue;
        }
        if ((d === 46 || d === 47 || d === 58 || d === 64 || d === 35 || d === 45) && j + 1 < end && isWordChar(text.charCodeAt(j + 1)) && isWordChar(prev)) {
          if (d !== 45) inner++;
          if (runLen > 0) emit(h);
          h = 0x811c9dc5;
          runLen = 0;
          prev = d;
          j++;
          continue;
        }
        break;
      }
      if (runLen > 0) emit(h);
      words++;
      if (digits > 0 || inner > 0 || camel || (upper >= 2 && lower === 0)) salient++;
      else if (!sentenceStart && first >= 65 && first <= 90 && lower > 0) salient += 0.5;
      sentenceStart = false;
      i = j;
    }
    info[si] = words === 0 ? 0 : salient / (words + 1);
    offsets[si + 1] = nf;
  }
  return { info, features: feats.subarray(0, nf), offsets };
}

/** Information density of text[start, end) (see `segmentFeatures`). */
export function informationDensity(text: string, start: number, end: number): number {
  return segmentFeatures(text, [{ start, end }]).info[0];
}
