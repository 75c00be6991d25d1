/**
 * A cheap 30-bit key for strings: the length, the first and last 32 code units and 64 sampled
 * between them (every code unit of a string up to 160).
 *
 * Using a long string itself as a Map key makes V8 hash every character (about 5 ns per
 * character here: 12% of a BPE pass over the same text), which a memo pays on every miss. A
 * sampled key costs a constant ~100 ns; equal strings always get equal keys, and lookups confirm
 * with `===` (a pointer compare for the same object, else a memcmp that stops at the first
 * difference), so a collision can only cost time, never return another string's value.
 */
export function sampledKey(s: string): number {
  const n = s.length;
  let h = Math.imul(n ^ 0x2545f491, 0x9e3779b1);
  if (n <= 160) {
    for (let i = 0; i < n; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x85ebca6b) ^ (h >>> 15);
  } else {
    // The head and tail densely (ids, counters and appended lines sit there), the middle sampled.
    for (let i = 0; i < 32; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x85ebca6b) ^ (h >>> 15);
    const step = Math.floor((n - 64) / 64) + 1;
    for (let i = 32; i < n - 32; i += step) h = Math.imul(h ^ s.charCodeAt(i), 0x85ebca6b) ^ (h >>> 15);
    for (let i = n - 32; i < n; i++) h = Math.imul(h ^ s.charCodeAt(i), 0xc2b2ae35) ^ (h >>> 13);
  }
  // A small integer: V8 keeps it unboxed as a Map key.
  return h & 0x3fffffff;
}

interface Entry<V> {
  readonly key: number;
  readonly text: string;
  readonly value: V;
  /** What this entry retains, in UTF-16 units. */
  readonly chars: number;
  /** Recency list: older and newer neighbours. */
  prev: Entry<V> | null;
  next: Entry<V> | null;
}

/**
 * An LRU map from long strings to values, keyed by `sampledKey` and confirmed by equality.
 * Bounded by entry count and retained characters. Templated texts of equal length that differ
 * only between samples share a key; they still get exact LRU behaviour, and a lookup compares
 * against each of them (memcmp up to the first difference), so the worst case is bounded by
 * `maxEntries` comparisons — still far below counting the text.
 */
export class StringLru<V> {
  private readonly buckets = new Map<number, Entry<V>[]>();
  // A linked list, not an insertion-ordered Set: evicting through a Set iterator skips every
  // deleted slot before the first live one, which made evictions cost O(capacity).
  private oldest: Entry<V> | null = null;
  private newest: Entry<V> | null = null;
  private count = 0;
  private chars = 0;

  constructor(
    readonly maxEntries: number,
    readonly maxChars: number,
  ) {}

  get size(): number {
    return this.count;
  }

  get retainedChars(): number {
    return this.chars;
  }

  /** `key` = `sampledKey(text)` when the caller already has it (a miss followed by `set`). */
  get(text: string, key = sampledKey(text)): V | undefined {
    const list = this.buckets.get(key);
    if (list === undefined) return undefined;
    for (const e of list) {
      if (e.text === text) {
        this.unlink(e);
        this.append(e);
        return e.value;
      }
    }
    return undefined;
  }

  /** Insert or replace; `chars` is what the entry retains (default: the text's length). */
  set(text: string, value: V, chars = text.length, key = sampledKey(text)): void {
    const list = this.buckets.get(key);
    if (list !== undefined) {
      const existing = list.find((e) => e.text === text);
      if (existing) this.remove(existing);
    }
    const e: Entry<V> = { key, text, value, chars, prev: null, next: null };
    const bucket = this.buckets.get(key); // remove() drops emptied buckets
    if (bucket) bucket.push(e);
    else this.buckets.set(key, [e]);
    this.append(e);
    this.count++;
    this.chars += chars;
    while ((this.count > this.maxEntries || this.chars > this.maxChars) && this.oldest !== null) this.remove(this.oldest);
  }

  /** Remove and return the least recently used entry (callers that enforce their own bounds). */
  shiftOldest(): { text: string; value: V } | undefined {
    const e = this.oldest;
    if (e === null) return undefined;
    this.remove(e);
    return { text: e.text, value: e.value };
  }

  clear(): void {
    this.buckets.clear();
    this.oldest = this.newest = null;
    this.count = 0;
    this.chars = 0;
  }

  private append(e: Entry<V>): void {
    e.prev = this.newest;
    e.next = null;
    if (this.newest) this.newest.next = e;
    else this.oldest = e;
    this.newest = e;
  }

  private unlink(e: Entry<V>): void {
    if (e.prev) e.prev.next = e.next;
    else this.oldest = e.next;
    if (e.next) e.next.prev = e.prev;
    else this.newest = e.prev;
    e.prev = e.next = null;
  }

  private remove(e: Entry<V>): void {
    const list = this.buckets.get(e.key);
    if (list) {
      const i = list.indexOf(e);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.buckets.delete(e.key);
    }
    this.unlink(e);
    this.count--;
    this.chars -= e.chars;
  }
}
