/**
 * Okapi BM25 (Robertson & Zaragoza 2009) over u32 term ids, document frequency over the batch.
 * Same contract as wasm/assembly/bm25.ts (see there and spec ALGORITHMS.md §1.14):
 * idf = ln(1 + (N − df + 0.5)/(df + 0.5)), df counts a term once per document, avgdl = mean
 * document length (dl/avgdl taken as 0 when avgdl = 0), every query occurrence counts
 * (a term twice in the query contributes twice). Defaults k1 = 1.5, b = 0.75.
 *
 * Method: distinct query terms → Map(term → slot); one pass per document counts tf of query
 * terms only (touched-slot list, no per-document Map), records (slot, tf) pairs and df; a
 * second pass over the recorded pairs scores.
 */
import type { Bm25Params } from '../types.js';
import { checkOffsets, DEFAULT_B, DEFAULT_K1 } from './validate.js';

export function bm25(docTerms: Uint32Array, docOffsets: Uint32Array, queryTerms: Uint32Array, params?: Bm25Params): Float64Array {
  const n = checkOffsets(docOffsets, docTerms.length, 'bm25');
  const out = new Float64Array(n);
  if (n === 0 || queryTerms.length === 0) return out;
  const k1 = params?.k1 ?? DEFAULT_K1;
  const b = params?.b ?? DEFAULT_B;

  const slotOf = new Map<number, number>();
  const qtfList: number[] = [];
  for (let i = 0; i < queryTerms.length; i++) {
    const t = queryTerms[i];
    const s = slotOf.get(t);
    if (s === undefined) {
      slotOf.set(t, qtfList.length);
      qtfList.push(1);
    } else qtfList[s]++;
  }
  const u = qtfList.length;
  const tf = new Uint32Array(u);
  const df = new Uint32Array(u);
  const touched = new Int32Array(u);
  const total = docOffsets[n] - docOffsets[0];
  const stashSlot = new Int32Array(Math.min(total, n * u));
  const stashTf = new Uint32Array(stashSlot.length);
  const stashEnd = new Uint32Array(n);

  let sp = 0;
  for (let d = 0; d < n; d++) {
    let nt = 0;
    const e = docOffsets[d + 1];
    for (let j = docOffsets[d]; j < e; j++) {
      const s = slotOf.get(docTerms[j]);
      if (s === undefined) continue;
      if (tf[s]++ === 0) touched[nt++] = s;
    }
    for (let t = 0; t < nt; t++) {
      const s = touched[t];
      stashSlot[sp] = s;
      stashTf[sp] = tf[s];
      sp++;
      tf[s] = 0;
      df[s]++;
    }
    stashEnd[d] = sp;
  }

  const weight = new Float64Array(u); // idf · query multiplicity
  for (let s = 0; s < u; s++) weight[s] = Math.log(1 + (n - df[s] + 0.5) / (df[s] + 0.5)) * qtfList[s];

  const avgdl = total / n;
  const k1p1 = k1 + 1;
  let p = 0;
  for (let d = 0; d < n; d++) {
    const end = stashEnd[d];
    if (p === end) continue;
    const dl = docOffsets[d + 1] - docOffsets[d];
    const norm = k1 * (1 - b + b * (avgdl > 0 ? dl / avgdl : 0));
    let score = 0;
    for (; p < end; p++) {
      const t = stashTf[p];
      score += (weight[stashSlot[p]] * (t * k1p1)) / (t + norm);
    }
    out[d] = score;
  }
  return out;
}
