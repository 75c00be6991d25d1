/**
 * A small line diff for the side-by-side view, sized for 10 MB payloads.
 *
 * Lines are interned to integers. The common prefix and suffix are trimmed; what is left is
 * aligned by an exact LCS table when it is small (≤ 12M cells), otherwise by a
 * greedy forward match: each line of the compressed side takes the next unused occurrence of
 * the same line on the original side, preferring an occurrence whose following lines match too
 * (up to 4, scanning at most 256 candidates). Compressed output is close to a subsequence of
 * its original (kept items in order, markers inserted), which is where this greedy match is
 * right; elsewhere it is still a valid alignment, only not always the shortest.
 *
 * Output: for each line of `a`, the index of its partner in `b` or -1 (Int32Array), and the
 * side-by-side rows built from it.
 */

export type RowKind = 'same' | 'change' | 'del' | 'add';

/** Rows as parallel typed arrays: left line index or -1, right line index or -1, kind code. */
export interface Rows {
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** 0 same, 1 change (both sides), 2 deleted (left only), 3 added (right only). */
  readonly kind: Uint8Array;
  readonly length: number;
}

export const KIND_NAMES: ReadonlyArray<RowKind> = ['same', 'change', 'del', 'add'];

/** Largest LCS table (cells): 12M as Uint16 (24 MB) when every length fits, else 4M as Uint32 (16 MB). */
const LCS_MAX_CELLS_16 = 12_000_000;
const LCS_MAX_CELLS_32 = 4_000_000;
const LOOKAHEAD = 4;
const MAX_CANDIDATES = 256;

function intern(a: ReadonlyArray<string>, b: ReadonlyArray<string>): { ia: Int32Array; ib: Int32Array } {
  const ids = new Map<string, number>();
  const id = (s: string) => {
    let v = ids.get(s);
    if (v === undefined) {
      v = ids.size;
      ids.set(s, v);
    }
    return v;
  };
  const ia = new Int32Array(a.length);
  for (let i = 0; i < a.length; i++) ia[i] = id(a[i]);
  const ib = new Int32Array(b.length);
  for (let j = 0; j < b.length; j++) ib[j] = id(b[j]);
  return { ia, ib };
}

/** Exact LCS over a[a0..a1) × b[b0..b1), writing partners into `match`. */
function lcs(ia: Int32Array, ib: Int32Array, a0: number, a1: number, b0: number, b1: number, match: Int32Array): void {
  const n = a1 - a0;
  const m = b1 - b0;
  const w = m + 1;
  const t = Math.min(n, m) < 0xffff ? new Uint16Array((n + 1) * w) : new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      t[i * w + j] = ia[a0 + i] === ib[b0 + j] ? t[(i + 1) * w + j + 1] + 1 : Math.max(t[(i + 1) * w + j], t[i * w + j + 1]);
    }
  }
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (ia[a0 + i] === ib[b0 + j]) {
      match[a0 + i] = b0 + j;
      i++;
      j++;
    } else if (t[(i + 1) * w + j] >= t[i * w + j + 1]) i++;
    else j++;
  }
}

function lowerBound(xs: ReadonlyArray<number>, v: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Greedy forward match with lookahead over a[a0..a1) × b[b0..b1). */
function greedy(ia: Int32Array, ib: Int32Array, a0: number, a1: number, b0: number, b1: number, match: Int32Array): void {
  const positions = new Map<number, number[]>();
  for (let i = a0; i < a1; i++) {
    const list = positions.get(ia[i]);
    if (list) list.push(i);
    else positions.set(ia[i], [i]);
  }
  let cursor = a0;
  for (let j = b0; j < b1; j++) {
    const list = positions.get(ib[j]);
    if (!list) continue;
    const k = lowerBound(list, cursor);
    if (k >= list.length) continue;
    const want = Math.min(LOOKAHEAD, b1 - j - 1);
    let best = list[k];
    let bestScore = -1;
    for (let t = k; t < list.length && t < k + MAX_CANDIDATES; t++) {
      const p = list[t];
      let score = 0;
      while (score < want && p + 1 + score < a1 && ia[p + 1 + score] === ib[j + 1 + score]) score++;
      if (score > bestScore) {
        best = p;
        bestScore = score;
        if (score === want) break;
      }
    }
    match[best] = j;
    cursor = best + 1;
  }
}

/** How the middle (after trimming the common prefix and suffix) was aligned: nothing left, exact LCS, or the greedy match. */
export type Alignment = 'trimmed' | 'lcs' | 'greedy';

/** For each line of `a`, its partner in `b` (or -1). `info.alignment` reports the path taken. */
export function matchLines(a: ReadonlyArray<string>, b: ReadonlyArray<string>, info?: { alignment?: Alignment }): Int32Array {
  const { ia, ib } = intern(a, b);
  const match = new Int32Array(a.length).fill(-1);
  let pre = 0;
  while (pre < a.length && pre < b.length && ia[pre] === ib[pre]) {
    match[pre] = pre;
    pre++;
  }
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && ia[a.length - 1 - suf] === ib[b.length - 1 - suf]) {
    match[a.length - 1 - suf] = b.length - 1 - suf;
    suf++;
  }
  const a0 = pre;
  const a1 = a.length - suf;
  const b0 = pre;
  const b1 = b.length - suf;
  let alignment: Alignment = 'trimmed';
  if (a1 > a0 && b1 > b0) {
    const cells = (a1 - a0 + 1) * (b1 - b0 + 1);
    const small = Math.min(a1 - a0, b1 - b0) < 0xffff;
    alignment = cells <= (small ? LCS_MAX_CELLS_16 : LCS_MAX_CELLS_32) ? 'lcs' : 'greedy';
    if (alignment === 'lcs') lcs(ia, ib, a0, a1, b0, b1, match);
    else greedy(ia, ib, a0, a1, b0, b1, match);
  }
  if (info) info.alignment = alignment;
  return match;
}

/** Side-by-side rows: matched lines share a row; within a gap, deletions and additions pair up as changes. */
export function buildRows(aLength: number, bLength: number, match: Int32Array): Rows {
  const cap = aLength + bLength;
  const left = new Int32Array(cap);
  const right = new Int32Array(cap);
  const kind = new Uint8Array(cap);
  let n = 0;
  const push = (l: number, r: number, k: number) => {
    left[n] = l;
    right[n] = r;
    kind[n] = k;
    n++;
  };
  let i = 0;
  let j = 0;
  while (i < aLength || j < bLength) {
    // The gap: a lines up to the next matched one, b lines up to its partner.
    let ai = i;
    while (ai < aLength && match[ai] < 0) ai++;
    const bj = ai < aLength ? match[ai] : bLength;
    const dels = ai - i;
    const adds = bj - j;
    const pairs = Math.min(dels, adds);
    for (let k = 0; k < pairs; k++) push(i + k, j + k, 1);
    for (let k = pairs; k < dels; k++) push(i + k, -1, 2);
    for (let k = pairs; k < adds; k++) push(-1, j + k, 3);
    i = ai;
    j = bj;
    if (i < aLength) {
      push(i, j, 0);
      i++;
      j++;
    }
  }
  return { left: left.subarray(0, n), right: right.subarray(0, n), kind: kind.subarray(0, n), length: n };
}
