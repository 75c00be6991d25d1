/**
 * Memo for `countText` on large strings: an LRU keyed by the string itself.
 *
 * Agents count the same big tool outputs many times (before/after each transform, per budget
 * check). A hit costs a hash lookup — O(1) for the same string object (V8 caches the hash),
 * one memcmp for an equal copy — against ~20 ms per MB for BPE counting. Strings under
 * `minLength` are not memoized (counting them is cheaper than the bookkeeping); total retained
 * characters are capped so the memo cannot pin much memory.
 */

export interface MemoOptions {
  /** Max memoized strings (default 256). */
  readonly maxEntries?: number;
  /** Strings shorter than this are counted directly (default 512 chars). */
  readonly minLength?: number;
  /** Cap on the total length of memoized strings (default 16M chars ≈ 32 MB if not otherwise referenced). */
  readonly maxTotalChars?: number;
}

export class CountMemo {
  private readonly map = new Map<string, number>();
  private total = 0;
  readonly maxEntries: number;
  readonly minLength: number;
  readonly maxTotalChars: number;
  hits = 0;
  misses = 0;

  constructor(opts: MemoOptions = {}) {
    this.maxEntries = opts.maxEntries ?? 256;
    this.minLength = opts.minLength ?? 512;
    this.maxTotalChars = opts.maxTotalChars ?? 16_000_000;
  }

  /** Count via `fn`, memoizing large strings. */
  count(text: string, fn: (s: string) => number): number {
    if (text.length < this.minLength || text.length > this.maxTotalChars) return fn(text);
    const map = this.map;
    const hit = map.get(text);
    if (hit !== undefined) {
      // refresh LRU position
      map.delete(text);
      map.set(text, hit);
      this.hits++;
      return hit;
    }
    this.misses++;
    const n = fn(text);
    map.set(text, n);
    this.total += text.length;
    while (map.size > this.maxEntries || this.total > this.maxTotalChars) {
      const oldest = map.keys().next().value as string;
      map.delete(oldest);
      this.total -= oldest.length;
    }
    return n;
  }

  clear(): void {
    this.map.clear();
    this.total = 0;
  }

  get size(): number {
    return this.map.size;
  }
}
