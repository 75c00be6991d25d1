/**
 * Exact byte-pair-encoding token counter over tiktoken rank data.
 *
 * Reads the rank files that ship with `js-tiktoken` (`js-tiktoken/ranks/o200k_base` etc.:
 * `{ pat_str, special_tokens, bpe_ranks }`) and reproduces tiktoken's algorithm: split the text
 * with the encoding's regex, then merge each piece's bytes by lowest rank, leftmost first.
 * Special-token strings (`<|endoftext|>`) are plain text here — counting never throws on user
 * content (js-tiktoken's `encode(text, [], [])`).
 *
 * Why not `js-tiktoken`'s `Tiktoken.encode` directly: it runs at 2–3 MB/s on prose, < 0.1 MB/s
 * on CJK, and is quadratic on long pieces (16 000 × "a" takes ~27 s). Here:
 * - the text is copied once into a Uint16Array; an ASCII pre-tokenizer (ascii-scan.ts) splits
 *   ASCII runs without the regex, which only decides pieces that involve non-ASCII characters;
 * - ranks live in an open-addressing table keyed by byte ranges (no substring or key-string
 *   allocation per lookup);
 * - non-token pieces are cached; pieces over 96 bytes (whitespace runs, `=====` rules, long
 *   letter runs) merge with a heap in O(n log n) instead of tiktoken's O(n²) loop.
 * Token ids equal js-tiktoken's (property-tested in test/tokenizer/bpe.test.ts).
 *
 * Known divergence from OpenAI's Rust tiktoken, inherited from js-tiktoken's JavaScript regex:
 * JS `\s` includes U+FEFF and excludes U+0085, Unicode White_Space the reverse, so text with
 * those two characters can differ by a token.
 */

import { pieceEnd, scanModeFor, type ScanMode } from './ascii-scan.js';
import type { EncodingName } from './types.js';

/** Rank data in the shape `js-tiktoken` ships (`TiktokenBPE`). */
export interface BpeRanksData {
  readonly pat_str: string;
  readonly special_tokens: Record<string, number>;
  readonly bpe_ranks: string;
}

const INF = 0x7fffffff;
/** Pieces longer than this (in bytes) use the heap merge. */
const HEAP_THRESHOLD = 96;
/** Piece-cache entries before the cache is cleared (generation eviction, no LRU bookkeeping). */
const PIECE_CACHE_MAX = 65_536;
/** Total characters held by piece-cache keys before the cache is cleared. */
const PIECE_CACHE_MAX_CHARS = 4_000_000;
/** Pieces longer than this (chars) are not cached. */
const PIECE_CACHE_MAX_LEN = 65_536;

/** Number of mergeable ranks per encoding, used to check pre-supplied rank data. */
export const EXPECTED_RANK_COUNT: Readonly<Record<EncodingName, number>> = {
  o200k_base: 199_998,
  cl100k_base: 100_256,
};

function decodeBase64Binary(b64: string): string {
  // atob is in every target (Node ≥ 16, browsers, workers, MV3 service workers).
  return atob(b64);
}


/**
 * Open-addressing hash table from token bytes to rank, looked up straight from a range of a
 * code-unit array (UTF-16 units of ASCII text, or UTF-8 bytes) — no substring allocation, no
 * string hashing by the engine, monomorphic element access.
 */
class RankTable {
  readonly size: number;
  private readonly bytes: Uint8Array;
  private readonly offs: Int32Array;
  private readonly rankOf: Int32Array;
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(keys: string[], ranks: number[]) {
    const n = keys.length;
    this.size = n;
    let total = 0;
    for (const k of keys) total += k.length;
    this.bytes = new Uint8Array(total);
    this.offs = new Int32Array(n + 1);
    this.rankOf = new Int32Array(n);
    let cap = 1;
    while (cap < n * 2) cap <<= 1;
    this.slots = new Int32Array(cap);
    this.mask = cap - 1;
    let o = 0;
    for (let i = 0; i < n; i++) {
      const k = keys[i]!;
      this.offs[i] = o;
      for (let j = 0; j < k.length; j++) this.bytes[o + j] = k.charCodeAt(j);
      o += k.length;
      this.rankOf[i] = ranks[i]!;
    }
    this.offs[n] = o;
    for (let i = 0; i < n; i++) {
      const a = this.offs[i]!;
      let h = hashBytes(this.bytes, a, this.offs[i + 1]!) & this.mask;
      while (this.slots[h] !== 0) h = (h + 1) & this.mask;
      this.slots[h] = i + 1;
    }
  }

  /** Rank of the units u[a..b) (each < 256), or INF. */
  get(u: Uint16Array, a: number, b: number): number {
    const len = b - a;
    const bytes = this.bytes;
    const offs = this.offs;
    let h = hashUnits(u, a, b) & this.mask;
    for (;;) {
      const e = this.slots[h]!;
      if (e === 0) return INF;
      const i = e - 1;
      const o = offs[i]!;
      if (offs[i + 1]! - o === len) {
        let j = 0;
        while (j < len && bytes[o + j] === u[a + j]) j++;
        if (j === len) return this.rankOf[i]!;
      }
      h = (h + 1) & this.mask;
    }
  }
}

function hashUnits(u: Uint16Array, a: number, b: number): number {
  let h = 0x811c9dc5;
  for (let i = a; i < b; i++) h = Math.imul(h ^ u[i]!, 0x01000193);
  return (h ^ (h >>> 15)) >>> 0;
}

function hashBytes(u: Uint8Array, a: number, b: number): number {
  let h = 0x811c9dc5;
  for (let i = a; i < b; i++) h = Math.imul(h ^ u[i]!, 0x01000193);
  return (h ^ (h >>> 15)) >>> 0;
}

/** Keep reusable buffers up to this many units; larger inputs get a temporary one. */
const KEEP_BUFFER_UNITS = 1 << 21;

export class BpeCore {
  readonly encoding: EncodingName;
  /** Number of mergeable ranks parsed. */
  readonly size: number;
  private readonly ranks: RankTable;
  private readonly pattern: RegExp;
  private readonly scan: ScanMode | null;
  private pieceCache = new Map<string, number>();
  private pieceCacheChars = 0;
  /** UTF-16 units of the text being counted. */
  private units = new Uint16Array(4096);
  /** UTF-8 bytes of the current non-ASCII piece. */
  private bytes = new Uint16Array(1024);
  // scratch for the small merge
  private starts = new Int32Array(HEAP_THRESHOLD + 2);
  private pairRanks = new Int32Array(HEAP_THRESHOLD + 2);

  constructor(encoding: EncodingName, data: BpeRanksData) {
    if (typeof data?.pat_str !== 'string' || typeof data?.bpe_ranks !== 'string') {
      throw new TypeError(`rank data for ${encoding} must have string pat_str and bpe_ranks (js-tiktoken format)`);
    }
    this.encoding = encoding;
    const keys: string[] = [];
    const values: number[] = [];
    for (const line of data.bpe_ranks.split('\n')) {
      if (line === '') continue;
      const fields = line.split(' ');
      const offset = Number.parseInt(fields[1] ?? '', 10);
      if (!Number.isFinite(offset)) throw new TypeError(`malformed bpe_ranks line for ${encoding}`);
      for (let i = 2; i < fields.length; i++) {
        keys.push(decodeBase64Binary(fields[i] as string));
        values.push(offset + i - 2);
      }
    }
    this.ranks = new RankTable(keys, values);
    this.size = this.ranks.size;
    this.pattern = new RegExp(data.pat_str, 'gu');
    this.scan = scanModeFor(data.pat_str);
  }

  private loadUnits(text: string): Uint16Array {
    const len = text.length;
    let u = this.units;
    if (u.length < len) {
      u = new Uint16Array(Math.max(len, u.length * 2));
      if (u.length <= KEEP_BUFFER_UNITS) this.units = u;
    }
    for (let i = 0; i < len; i++) u[i] = text.charCodeAt(i);
    return u;
  }

  /** UTF-8 encode `piece` into the byte scratch buffer; returns the byte length. */
  private loadBytes(piece: string): number {
    const n = piece.length;
    if (this.bytes.length < n * 3) this.bytes = new Uint16Array(n * 3);
    const out = this.bytes;
    let k = 0;
    for (let i = 0; i < n; i++) {
      const c = piece.charCodeAt(i);
      if (c < 0x80) out[k++] = c;
      else if (c < 0x800) {
        out[k++] = 0xc0 | (c >> 6);
        out[k++] = 0x80 | (c & 63);
      } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n && (piece.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        const cp = ((c - 0xd800) << 10) + (piece.charCodeAt(i + 1) - 0xdc00) + 0x10000;
        out[k++] = 0xf0 | (cp >> 18);
        out[k++] = 0x80 | ((cp >> 12) & 63);
        out[k++] = 0x80 | ((cp >> 6) & 63);
        out[k++] = 0x80 | (cp & 63);
        i++;
      } else if (c >= 0xd800 && c <= 0xdfff) {
        out[k++] = 0xef;
        out[k++] = 0xbf;
        out[k++] = 0xbd;
      } else {
        out[k++] = 0xe0 | (c >> 12);
        out[k++] = 0x80 | ((c >> 6) & 63);
        out[k++] = 0x80 | (c & 63);
      }
    }
    return k;
  }

  /** Exact token count of `text`, special-token strings counted as plain text. */
  count(text: string): number {
    const len = text.length;
    if (len === 0) return 0;
    const re = this.pattern;
    const scan = this.scan;
    const u = scan !== null ? this.loadUnits(text) : null;
    let n = 0;
    let p = 0;
    while (p < len) {
      if (u !== null) {
        const e = pieceEnd(scan!, u, p, len);
        if (e > 0) {
          if (e - p > 1 && this.ranks.get(u, p, e) === INF) n += this.countAsciiRange(text, u, p, e);
          else n++;
          p = e;
          continue;
        }
      }
      // non-ASCII (or unknown pattern): the encoding's regex decides this piece
      re.lastIndex = p;
      const m = re.exec(text);
      if (m === null) break;
      n += this.countPiece(m[0]);
      p = m.index + m[0].length;
    }
    return n;
  }

  /** Token ids of `text` (same as js-tiktoken `encode(text, [], [])`). Regex path only; for tests and tools. */
  encode(text: string): number[] {
    const out: number[] = [];
    const re = new RegExp(this.pattern.source, 'gu');
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      const n = this.loadBytes(m[0]);
      const b = this.bytes;
      const whole = this.ranks.get(b, 0, n);
      if (whole !== INF) {
        out.push(whole);
        continue;
      }
      const bounds: number[] = [];
      if (n <= HEAP_THRESHOLD) {
        const k = this.mergeSmall(b, 0, n);
        for (let i = 0; i <= k; i++) bounds.push(this.starts[i]!);
      } else this.mergeHeap(b, 0, n, bounds);
      for (let i = 0; i + 1 < bounds.length; i++) out.push(this.ranks.get(b, bounds[i]!, bounds[i + 1]!));
    }
    return out;
  }

  /** Drop cached piece counts (memory pressure, tests). */
  clearCache(): void {
    this.pieceCache.clear();
    this.pieceCacheChars = 0;
  }

  /** An ASCII piece u[a..b) that is not a single token. */
  private countAsciiRange(text: string, u: Uint16Array, a: number, b: number): number {
    const key = b - a <= PIECE_CACHE_MAX_LEN ? text.slice(a, b) : null;
    if (key !== null) {
      const cached = this.pieceCache.get(key);
      if (cached !== undefined) return cached;
    }
    const k = b - a <= HEAP_THRESHOLD ? this.mergeSmall(u, a, b - a) : this.mergeHeap(u, a, b - a, null);
    if (key !== null) this.remember(key, k);
    return k;
  }

  private remember(piece: string, k: number): void {
    if (this.pieceCache.size >= PIECE_CACHE_MAX || this.pieceCacheChars + piece.length > PIECE_CACHE_MAX_CHARS) {
      this.pieceCache.clear();
      this.pieceCacheChars = 0;
    }
    this.pieceCache.set(piece, k);
    this.pieceCacheChars += piece.length;
  }

  /** A piece found by the regex (may contain non-ASCII). */
  private countPiece(piece: string): number {
    const cacheable = piece.length <= PIECE_CACHE_MAX_LEN;
    if (cacheable) {
      const cached = this.pieceCache.get(piece);
      if (cached !== undefined) return cached;
    }
    const n = this.loadBytes(piece);
    const b = this.bytes;
    let k: number;
    if (n === 1 || this.ranks.get(b, 0, n) !== INF) k = 1;
    else k = n <= HEAP_THRESHOLD ? this.mergeSmall(b, 0, n) : this.mergeHeap(b, 0, n, null);
    if (cacheable) this.remember(piece, k);
    return k;
  }

  /**
   * tiktoken's quadratic merge for short pieces over u[off..off+n); returns the part count and
   * leaves part starts (relative to off, plus the end) in `starts`.
   */
  private mergeSmall(u: Uint16Array, off: number, n: number): number {
    const starts = this.starts;
    const pr = this.pairRanks;
    const ranks = this.ranks;
    // parts: starts[0..len) with starts[len-1] === n as the end sentinel; pr[i] = rank of merging parts i and i+1
    let len = n + 1;
    for (let i = 0; i <= n; i++) starts[i] = i;
    for (let i = 0; i < n - 1; i++) pr[i] = ranks.get(u, off + i, off + i + 2);
    pr[n - 1] = INF;
    pr[n] = INF;
    for (;;) {
      let min = INF;
      let at = -1;
      for (let i = 0; i < len - 2; i++) {
        if (pr[i]! < min) {
          min = pr[i]!;
          at = i;
        }
      }
      if (at < 0) break;
      // remove boundary at+1
      starts.copyWithin(at + 1, at + 2, len);
      pr.copyWithin(at + 1, at + 2, len);
      len--;
      pr[at] = at + 2 < len ? ranks.get(u, off + starts[at]!, off + starts[at + 2]!) : INF;
      if (at > 0) pr[at - 1] = ranks.get(u, off + starts[at - 1]!, off + starts[at + 1]!);
    }
    return len - 1;
  }

  /**
   * Same merge order as `mergeSmall` — lowest rank first, leftmost on ties — with a binary heap
   * keyed by (rank, start) and lazily invalidated entries: O(n log n) for long pieces.
   * When `boundsOut` is given, the part starts (relative to off, plus the end) are pushed to it.
   */
  private mergeHeap(u: Uint16Array, off: number, n: number, boundsOut: number[] | null): number {
    const ranks = this.ranks;
    const next = new Int32Array(n + 1);
    const prev = new Int32Array(n + 1);
    const cur = new Int32Array(n + 1); // current rank of the pair starting at i
    const alive = new Uint8Array(n + 1);
    for (let i = 0; i <= n; i++) {
      next[i] = i + 1;
      prev[i] = i - 1;
      alive[i] = 1;
    }
    const heap = new MinHeap(n);
    const SHIFT = 4294967296;
    for (let i = 0; i < n - 1; i++) {
      const r = ranks.get(u, off + i, off + i + 2);
      cur[i] = r;
      if (r !== INF) heap.push(r * SHIFT + i);
    }
    cur[n - 1] = INF;
    let parts = n;
    while (heap.size > 0) {
      const key = heap.pop();
      const r = Math.floor(key / SHIFT);
      const i = key - r * SHIFT;
      if (alive[i] === 0 || cur[i] !== r) continue;
      const j = next[i]!; // part being absorbed
      const k = next[j]!; // start of the part after the merged one (or n)
      alive[j] = 0;
      next[i] = k;
      if (k <= n) prev[k] = i;
      parts--;
      // pair (i, k)
      if (k < n) {
        const nr = ranks.get(u, off + i, off + next[k]!);
        cur[i] = nr;
        if (nr !== INF) heap.push(nr * SHIFT + i);
      } else cur[i] = INF;
      // pair (prev, i)
      if (i > 0) {
        const p = prev[i]!;
        const pr = ranks.get(u, off + p, off + k);
        cur[p] = pr;
        if (pr !== INF) heap.push(pr * SHIFT + p);
      }
    }
    if (boundsOut) {
      for (let i = 0; i < n; i = next[i]!) boundsOut.push(i);
      boundsOut.push(n);
    }
    return parts;
  }
}

/** Binary min-heap of numbers (packed rank·2³² + position keys). */
class MinHeap {
  private a: Float64Array;
  size = 0;
  constructor(capacity: number) {
    this.a = new Float64Array(Math.max(16, capacity));
  }
  push(key: number): void {
    if (this.size === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    const a = this.a;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p]! <= key) break;
      a[i] = a[p]!;
      i = p;
    }
    a[i] = key;
  }
  pop(): number {
    const a = this.a;
    const top = a[0]!;
    const last = a[--this.size]!;
    const size = this.size;
    if (size > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= size) break;
        const r = l + 1;
        const c = r < size && a[r]! < a[l]! ? r : l;
        if (a[c]! >= last) break;
        a[i] = a[c]!;
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}
