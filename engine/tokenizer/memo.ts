/**
 * Memo for `countText` on large strings: an LRU keyed by the string's content.
 *
 * Agents count the same big tool outputs many times (before/after each transform, per budget
 * check, and the whole history again every turn). A hit costs a sampled-key lookup and one
 * equality check (a pointer compare for the same string object, a memcmp for an equal copy);
 * a miss costs the lookup alone, not a hash of the whole text (see engine/util/string-lru.ts),
 * against ~20 ms per MB for BPE counting. Strings under
 * `minLength` are not memoized (counting them is cheaper than the bookkeeping); total retained
 * characters are capped so the memo cannot pin much memory.
 */

import { sampledKey, StringLru } from '../util/string-lru.js';

export interface MemoOptions {
  /** Max memoized strings (default 4096: a long agent history re-sent each turn stays memoized). */
  readonly maxEntries?: number;
  /** Strings shorter than this are counted directly (default 64 chars: below that, counting costs about what a lookup does). */
  readonly minLength?: number;
  /** Cap on the total length of memoized strings (default 16M chars ≈ 32 MB if not otherwise referenced). */
  readonly maxTotalChars?: number;
}

export class CountMemo {
  private readonly lru: StringLru<number>;
  readonly maxEntries: number;
  readonly minLength: number;
  readonly maxTotalChars: number;
  hits = 0;
  misses = 0;

  constructor(opts: MemoOptions = {}) {
    this.maxEntries = opts.maxEntries ?? 4096;
    this.minLength = opts.minLength ?? 64;
    this.maxTotalChars = opts.maxTotalChars ?? 16_000_000;
    this.lru = new StringLru<number>(this.maxEntries, this.maxTotalChars);
  }

  /** Count via `fn`, memoizing large strings. */
  count(text: string, fn: (s: string) => number): number {
    if (text.length < this.minLength || text.length > this.maxTotalChars) return fn(text);
    const key = sampledKey(text);
    const hit = this.lru.get(text, key);
    if (hit !== undefined) {
      this.hits++;
      return hit;
    }
    this.misses++;
    const n = fn(text);
    this.lru.set(text, n, text.length, key);
    return n;
  }

  clear(): void {
    this.lru.clear();
  }

  get size(): number {
    return this.lru.size;
  }
}
