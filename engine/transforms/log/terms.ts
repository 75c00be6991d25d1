/**
 * Query terms for the line compressors (log, search, diff): the words of the user's question
 * worth matching exactly, and which of them actually tell lines apart.
 */

const STOP = new Set(
  (
    'the and for are but not you all any can had her was one our out has him his how its may new now old see two who did get let put say she too use ' +
    'what why when where which while with without this that these those there their them then than from into onto over under about after before ' +
    'does doing done have having been being were will would could should shall might must also just only very much many more most some such ' +
    'your yours mine ours they thing things show find tell give make made please help look see need want know like line lines file files code ' +
    'here okay yes via per each every other same fix fixed debug explain review analyze analyse check run ran going went wrong issue problem'
  ).split(' '),
);

/** Lowercased query words of 3+ characters ([a-z0-9_] runs), stopwords removed, deduplicated, at most 16. */
export function queryTerms(query: string): string[] {
  if (!query) return [];
  const out: string[] = [];
  const seen = new Set<string>();
  for (const m of query.toLowerCase().matchAll(/[a-z0-9_]+/g)) {
    const t = m[0];
    if (t.length < 3 || STOP.has(t) || seen.has(t)) continue;
    seen.add(t);
    out.push(t);
    if (out.length >= 16) break;
  }
  return out;
}

/**
 * The terms that occur (as lowercase substrings) in at most `maxShare` of `docs`, and in at
 * least one: a term every line contains (typically the search pattern itself) says nothing
 * about which line matters.
 */
export function discriminativeTerms(terms: readonly string[], docsLower: readonly string[], maxShare = 0.5): string[] {
  if (terms.length === 0 || docsLower.length === 0) return [];
  const limit = Math.max(1, Math.floor(docsLower.length * maxShare));
  const out: string[] = [];
  for (const t of terms) {
    let df = 0;
    for (const d of docsLower) {
      if (hasTerm(d, t) && ++df > limit) break;
    }
    if (df > 0 && df <= limit) out.push(t);
  }
  return out;
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 122);
}

/**
 * True when `term` occurs in `lower` at the start of a word (or anywhere, for terms of 5+
 * characters: `token` should find `refreshtoken`, but `fix` should not find `prefix`).
 */
export function hasTerm(lower: string, term: string): boolean {
  let at = lower.indexOf(term);
  if (term.length >= 5) return at >= 0;
  while (at >= 0) {
    if (at === 0 || !isAlnum(lower.charCodeAt(at - 1))) return true;
    at = lower.indexOf(term, at + 1);
  }
  return false;
}

/** How many of `terms` occur in `lower` (a lowercased line), per `hasTerm`. */
export function termHits(lower: string, terms: readonly string[]): number {
  let n = 0;
  for (const t of terms) if (hasTerm(lower, t)) n++;
  return n;
}

/** Bit t of mask[i] is set when terms[t] occurs in docsLower[i] (per `hasTerm`); at most 32 terms. */
export function termMasks(docsLower: readonly string[], terms: readonly string[]): Uint32Array {
  const out = new Uint32Array(docsLower.length);
  const T = Math.min(terms.length, 32);
  for (let i = 0; i < docsLower.length; i++) {
    const d = docsLower[i];
    let m = 0;
    for (let t = 0; t < T; t++) if (hasTerm(d, terms[t])) m |= 1 << t;
    out[i] = m;
  }
  return out;
}

/** The mask of terms set in at least one and at most `maxShare` of `masks`. */
export function rareMask(masks: Uint32Array, terms: number, maxShare: number): number {
  const limit = Math.max(1, Math.floor(masks.length * maxShare));
  let rare = 0;
  for (let t = 0; t < Math.min(terms, 32); t++) {
    let df = 0;
    for (let i = 0; i < masks.length; i++) if (masks[i] & (1 << t)) df++;
    if (df > 0 && df <= limit) rare |= 1 << t;
  }
  return rare;
}

/** Number of set bits. */
export function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}
