import type { CCREntry, CCRStore } from '../../engine/ccr/types.js';

export interface MemoryStoreOptions {
  /** Most entries kept; least recently used go first. Default 1000. */
  maxEntries?: number;
  /** Most UTF-16 code units of content kept (≈ 2 bytes each). Default 32M (≈ 64 MB). */
  maxChars?: number;
}

/**
 * In-memory CCR store with LRU eviction by entry count and content size.
 * Map iteration order is insertion order, so re-inserting on access makes it an LRU.
 */
export class MemoryStore implements CCRStore {
  readonly #entries = new Map<string, CCREntry>();
  readonly #maxEntries: number;
  readonly #maxChars: number;
  #chars = 0;

  constructor(opts: MemoryStoreOptions = {}) {
    this.#maxEntries = opts.maxEntries ?? 1000;
    this.#maxChars = opts.maxChars ?? 32 * 1024 * 1024;
  }

  get size(): number {
    return this.#entries.size;
  }

  putSync(entry: CCREntry): void {
    const old = this.#entries.get(entry.hash);
    if (old) {
      this.#chars -= old.content.length;
      this.#entries.delete(entry.hash);
    }
    this.#entries.set(entry.hash, entry);
    this.#chars += entry.content.length;
    // Never evict the entry just written, even if it alone exceeds the size cap.
    for (const [hash, e] of this.#entries) {
      if (this.#entries.size <= this.#maxEntries && this.#chars <= this.#maxChars) break;
      if (hash === entry.hash) continue;
      this.#entries.delete(hash);
      this.#chars -= e.content.length;
    }
  }

  getSync(hash: string): CCREntry | null {
    const e = this.#entries.get(hash);
    if (!e) return null;
    this.#entries.delete(hash);
    this.#entries.set(hash, e);
    return e;
  }

  async put(entry: CCREntry): Promise<void> {
    this.putSync(entry);
  }

  async get(hash: string): Promise<CCREntry | null> {
    return this.getSync(hash);
  }
}
