/**
 * Okapi BM25 (Robertson & Zaragoza 2009, "The Probabilistic Relevance Framework: BM25 and
 * Beyond"), document frequency over the batch. Headroom reference: spec ALGORITHMS.md §1.14
 * (k1 1.5, b 0.75, avgdl = batch mean); unlike the reference (fixed idf ln 2) we use the real
 * idf = ln(1 + (N − df + 0.5) / (df + 0.5)), df counting each term once per document.
 *
 * score(d) = Σ over query occurrences q (a term repeated in the query counts each time)
 *            idf(q) · tf · (k1 + 1) / (tf + k1 · (1 − b + b · dl / avgdl)),
 * with dl / avgdl taken as 0 when avgdl = 0 (all documents empty ⇒ every score is 0).
 *
 * Method: distinct query terms go into an open-addressing table (power-of-two capacity ≥ 2·m,
 * Fibonacci hashing, linear probing; slot value = 1 + distinct index, 0 = empty). Pass 1 walks
 * every document once, counting tf of query terms and appending (distinct index, tf) pairs per
 * document to a stash; df follows from the stash. Pass 2 scores from the stash only.
 *
 * Memory layout:
 *   in:  terms u32[total] | offsets u32[n + 1] | query u32[m]   out: scores f64[n]
 *   internal: slots i32[cap] | keys u32[m] | qtf u32[m] | df u32[m] | tf u32[m] | idf f64[m]
 *             | touched u32[m] | stash (u32 idx, u32 tf)[min(total, n·m)] | stashEnd u32[n]
 */
import { scratchAlloc } from './scratch';

export function bm25(
  termsPtr: usize, offsetsPtr: usize, n: u32, queryPtr: usize, m: u32,
  k1: f64, b: f64, outPtr: usize,
): void {
  if (n == 0) return;
  const first = load<u32>(offsetsPtr);
  const totalTerms = load<u32>(offsetsPtr + (<usize>n << 2)) - first;
  if (m == 0) {
    memory.fill(outPtr, 0, <usize>n << 3);
    return;
  }

  let bits: u32 = 3;
  while ((<u32>1 << bits) < (m << 1)) bits++;
  const cap = <u32>1 << bits;
  const mask = cap - 1;
  const shift = 32 - bits;
  const mm = <usize>m;
  const slots = scratchAlloc(<usize>cap << 2);
  memory.fill(slots, 0, <usize>cap << 2);
  const keys = scratchAlloc(mm << 2);
  const qtf = scratchAlloc(mm << 2);
  const df = scratchAlloc(mm << 2);
  const tf = scratchAlloc(mm << 2);
  const idf = scratchAlloc(mm << 3);
  const touched = scratchAlloc(mm << 2);
  // At most min(dl, distinct query terms) pairs per document.
  let stashCap = <u64>totalTerms;
  if (<u64>n * <u64>m < stashCap) stashCap = <u64>n * <u64>m;
  const stash = scratchAlloc(<usize>stashCap << 3);
  const stashEnd = scratchAlloc(<usize>n << 2);

  // Distinct query terms with multiplicity.
  let u: u32 = 0;
  for (let i: usize = 0; i < mm; i++) {
    const key = load<u32>(queryPtr + (i << 2));
    let h = (key * 0x9e3779b1) >>> shift;
    while (true) {
      const s = load<i32>(slots + (<usize>h << 2));
      if (s == 0) {
        store<u32>(keys + (<usize>u << 2), key);
        store<u32>(qtf + (<usize>u << 2), 1);
        store<u32>(df + (<usize>u << 2), 0);
        store<u32>(tf + (<usize>u << 2), 0);
        store<i32>(slots + (<usize>h << 2), <i32>(u + 1));
        u++;
        break;
      }
      const idx = <usize>(s - 1);
      if (load<u32>(keys + (idx << 2)) == key) {
        store<u32>(qtf + (idx << 2), load<u32>(qtf + (idx << 2)) + 1);
        break;
      }
      h = (h + 1) & mask;
    }
  }

  // Pass 1: tf per document into the stash, df per distinct query term.
  let sp: usize = 0;
  for (let d: usize = 0; d < <usize>n; d++) {
    const s = <usize>load<u32>(offsetsPtr + (d << 2));
    const e = <usize>load<u32>(offsetsPtr + (d << 2) + 4);
    let nt: usize = 0;
    for (let j = s; j < e; j++) {
      const key = load<u32>(termsPtr + (j << 2));
      let h = (key * 0x9e3779b1) >>> shift;
      while (true) {
        const sl = load<i32>(slots + (<usize>h << 2));
        if (sl == 0) break;
        const idx = <usize>(sl - 1);
        if (load<u32>(keys + (idx << 2)) == key) {
          const t = load<u32>(tf + (idx << 2));
          if (t == 0) {
            store<u32>(touched + (nt << 2), <u32>idx);
            nt++;
          }
          store<u32>(tf + (idx << 2), t + 1);
          break;
        }
        h = (h + 1) & mask;
      }
    }
    for (let t: usize = 0; t < nt; t++) {
      const idx = <usize>load<u32>(touched + (t << 2));
      store<u32>(stash + (sp << 3), <u32>idx);
      store<u32>(stash + (sp << 3) + 4, load<u32>(tf + (idx << 2)));
      sp++;
      store<u32>(tf + (idx << 2), 0);
      store<u32>(df + (idx << 2), load<u32>(df + (idx << 2)) + 1);
    }
    store<u32>(stashEnd + (d << 2), <u32>sp);
  }

  const N = <f64>n;
  for (let i: usize = 0; i < <usize>u; i++) {
    const f = <f64>load<u32>(df + (i << 2));
    store<f64>(idf + (i << 3), Math.log(1.0 + (N - f + 0.5) / (f + 0.5)) * <f64>load<u32>(qtf + (i << 2)));
  }

  // Pass 2: scores.
  const avgdl = <f64>totalTerms / N;
  const k1p1 = k1 + 1.0;
  let p: usize = 0;
  for (let d: usize = 0; d < <usize>n; d++) {
    const end = <usize>load<u32>(stashEnd + (d << 2));
    let score: f64 = 0;
    if (p < end) {
      const dl = <f64>(load<u32>(offsetsPtr + (d << 2) + 4) - load<u32>(offsetsPtr + (d << 2)));
      const norm = k1 * (1.0 - b + b * (avgdl > 0 ? dl / avgdl : 0.0));
      for (; p < end; p++) {
        const idx = <usize>load<u32>(stash + (p << 3));
        const t = <f64>load<u32>(stash + (p << 3) + 4);
        score += load<f64>(idf + (idx << 3)) * (t * k1p1) / (t + norm);
      }
    }
    store<f64>(outPtr + (d << 3), score);
  }
}
