/**
 * Hand-written pre-tokenizer for the ASCII parts of a text — the fast path in front of the
 * encodings' split regexes (V8 runs the `u`-flag `\p{…}` patterns at ~20–50 MB/s; this loop is
 * several times faster).
 *
 * `pieceEnd(mode, units, p, len)` returns where the regex's match starting at `p` ends, or -1 when any
 * character the decision depends on is non-ASCII (the caller then runs the real regex at `p`).
 * It implements the alternations in order, restricted to ASCII, where Lu = A–Z, Ll = a–z,
 * Lt/Lm/Lo/M are empty, N = 0–9 and \s = \t \n \v \f \r and space:
 *
 * o200k: [^\r\n\p{L}\p{N}]?[Lu Lt Lm Lo M]*[Ll Lm Lo M]+C? | [^\r\n\p{L}\p{N}]?[Lu Lt Lm Lo M]+[Ll Lm Lo M]*C?
 *        | \p{N}{1,3} | ' '?[^\s\p{L}\p{N}]+[\r\n/]* | \s*[\r\n]+ | \s+(?!\S) | \s+
 * cl100k: C | [^\r\n\p{L}\p{N}]?\p{L}+ | \p{N}{1,3} | ' '?[^\s\p{L}\p{N}]+[\r\n]* | \s*[\r\n]+ | \s+(?!\S) | \s+
 * with C the contractions 's 't 're 've 'm 'll 'd in any letter case.
 *
 * Equality with the regexes is property-tested in test/tokenizer/bpe.test.ts.
 */

const LOWER = 1;
const UPPER = 2;
const DIGIT = 4;
const WS = 8;
const NL = 16;
const OTHER = 32;
const LETTER = LOWER | UPPER;

const CLS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if (c >= 0x61 && c <= 0x7a) CLS[c] = LOWER;
  else if (c >= 0x41 && c <= 0x5a) CLS[c] = UPPER;
  else if (c >= 0x30 && c <= 0x39) CLS[c] = DIGIT;
  else if (c === 0x0a || c === 0x0d) CLS[c] = WS | NL;
  else if ((c >= 0x09 && c <= 0x0d) || c === 0x20) CLS[c] = WS;
  else CLS[c] = OTHER;
}

const APOS = 0x27;
const SPACE = 0x20;
const SLASH = 0x2f;

/** Length of a contraction ('s 't 're 've 'm 'll 'd, any case) at `i`, or 0. `i` < len. Reads only ASCII-tested chars. */
function contraction(t: Units, i: number, len: number): number {
  if (t[i]! !== APOS || i + 1 >= len) return 0;
  const d = t[i + 1]! | 0x20; // lower-case ASCII letters; harmless for others
  if (d === 0x73 /* s */ || d === 0x74 /* t */ || d === 0x6d /* m */ || d === 0x64 /* d */) {
    // only letters qualify: | 0x20 maps e.g. 'S'→'s' but also 'S'-like punctuation? check the real char is a letter
    const raw = t[i + 1]!;
    return raw < 128 && (CLS[raw]! & LETTER) !== 0 ? 2 : 0;
  }
  if (i + 2 >= len) return 0;
  const raw1 = t[i + 1]!;
  const raw2 = t[i + 2]!;
  if (raw1 >= 128 || raw2 >= 128 || (CLS[raw1]! & LETTER) === 0 || (CLS[raw2]! & LETTER) === 0) return 0;
  const e = raw2 | 0x20;
  if ((d === 0x72 /* r */ || d === 0x76 /* v */) && e === 0x65 /* e */) return 3;
  if (d === 0x6c /* l */ && e === 0x6c) return 3;
  return 0;
}

/**
 * o200k letter alternatives starting at `s` (the first char after an optional prefix).
 * Returns the match end, 0 when neither alternative matches, -1 to bail.
 */
function o200kLetters(t: Units, s: number, len: number): number {
  let u = s;
  let c = 0;
  while (u < len) {
    c = t[u]!;
    if (c >= 128) return -1;
    if ((CLS[c]! & UPPER) === 0) break;
    u++;
  }
  let l = u;
  while (l < len) {
    c = t[l]!;
    if (c >= 128) return -1;
    if ((CLS[c]! & LOWER) === 0) break;
    l++;
  }
  if (l > u) return l < len ? l + contraction(t, l, len) : l; // alt 1
  if (u > s) return u < len ? u + contraction(t, u, len) : u; // alt 2
  return 0;
}

function cl100kLetters(t: Units, s: number, len: number): number {
  let l = s;
  while (l < len) {
    const c = t[l]!;
    if (c >= 128) return -1;
    if ((CLS[c]! & LETTER) === 0) break;
    l++;
  }
  return l > s ? l : 0;
}

function digits(t: Units, p: number, len: number): number {
  let q = p + 1;
  const max = p + 3;
  while (q < len && q < max) {
    const c = t[q]!;
    if (c >= 128) return -1;
    if ((CLS[c]! & DIGIT) === 0) break;
    q++;
  }
  return q;
}

/** ` ?[^\s\p{L}\p{N}]+` then trailing [\r\n] (plus '/' for o200k). 0 = no match, -1 = bail. */
function punct(t: Units, p: number, len: number, slash: boolean): number {
  let q = t[p]! === SPACE ? p + 1 : p;
  const start = q;
  while (q < len) {
    const c = t[q]!;
    if (c >= 128) return -1;
    if ((CLS[c]! & OTHER) === 0) break;
    q++;
  }
  if (q === start) return 0;
  while (q < len) {
    const c = t[q]!;
    if (c === 0x0a || c === 0x0d || (slash && c === SLASH)) q++;
    else break;
  }
  return q;
}

function whitespace(t: Units, p: number, len: number): number {
  let w = p;
  let lastNl = -1;
  while (w < len) {
    const c = t[w]!;
    if (c >= 128) return -1; // could be Unicode whitespace continuing the run
    const k = CLS[c]!;
    if ((k & WS) === 0) break;
    if ((k & NL) !== 0) lastNl = w;
    w++;
  }
  if (lastNl >= 0) return lastNl + 1; // \s*[\r\n]+
  if (w === len) return w; // \s+(?!\S) at the end
  if (w - p >= 2) return w - 1; // \s+(?!\S) backs off one
  return w; // \s+
}

export type ScanMode = 'o200k' | 'cl100k';

/** UTF-16 code units of the text being scanned (the caller copies the string once). */
export type Units = Uint16Array;

/** End of the split-regex match starting at `p` (ASCII-only decision), or -1 to defer to the regex. */
export function pieceEnd(mode: ScanMode, t: Units, p: number, len: number): number {
  const c = t[p]!;
  if (c >= 128) return -1;
  const k = CLS[c]!;
  if (mode === 'o200k') {
    if ((k & LETTER) !== 0) return o200kLetters(t, p, len);
    if ((k & DIGIT) !== 0) return digits(t, p, len);
    if ((k & NL) === 0 && p + 1 < len) {
      const e = o200kLetters(t, p + 1, len);
      if (e !== 0) return e;
    }
    if ((k & WS) === 0 || c === SPACE) {
      const e = punct(t, p, len, true);
      if (e !== 0) return e;
    }
    return (k & WS) !== 0 ? whitespace(t, p, len) : -1;
  }
  // cl100k
  if (c === APOS) {
    const n = p + 1 < len ? contraction(t, p, len) : 0;
    if (n > 0) return p + n;
  }
  if ((k & LETTER) !== 0) return cl100kLetters(t, p, len);
  if ((k & DIGIT) !== 0) return digits(t, p, len);
  if ((k & NL) === 0 && p + 1 < len) {
    const e = cl100kLetters(t, p + 1, len);
    if (e !== 0) return e;
  }
  if ((k & WS) === 0 || c === SPACE) {
    const e = punct(t, p, len, false);
    if (e !== 0) return e;
  }
  return (k & WS) !== 0 ? whitespace(t, p, len) : -1;
}

const CONTRACTIONS = "'s|'S|'t|'T|'re|'rE|'Re|'RE|'ve|'vE|'Ve|'VE|'m|'M|'ll|'lL|'Ll|'LL|'d|'D";

/** The split patterns as js-tiktoken ships them; the scanner is used only for these exact strings. */
export const O200K_PATTERN =
  String.raw`[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(` +
  CONTRACTIONS +
  String.raw`)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(` +
  CONTRACTIONS +
  String.raw`)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+`;

export const CL100K_PATTERN =
  '(' + CONTRACTIONS + String.raw`)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`;

/** Scanner mode for a split pattern, or null when the pattern is not one the scanner implements. */
export function scanModeFor(pattern: string): ScanMode | null {
  if (pattern === O200K_PATTERN) return 'o200k';
  if (pattern === CL100K_PATTERN) return 'cl100k';
  return null;
}
