import type { CCREntry } from '../../engine/ccr/types.js';
import { ConfigurationError } from '../../engine/errors.js';
import type { CCRLookup, CCRStatusStore, GoneCause } from './retrieve.js';

/** Default lifetime of a stored original: 30 minutes, as in Headroom (`HEADROOM_CCR_TTL_SECONDS` 1800). */
export const DEFAULT_CCR_TTL_MS = 30 * 60 * 1000;

export interface MemoryStoreOptions {
  /** Most entries kept; least recently used go first. Default 1000. */
  maxEntries?: number;
  /** Most UTF-16 code units of content kept (≈ 2 bytes each). Default 32M (≈ 64 MB). */
  maxChars?: number;
  /**
   * Lifetime of an entry in ms, counted from its last `put` (reads do not extend it).
   * Default 30 min; `Infinity` or 0 keeps entries until evicted. Expiry is lazy: an expired
   * entry is dropped when it is read or when eviction runs.
   */
  ttlMs?: number;
  /** Clock in ms (tests inject one). Default `Date.now`. */
  now?: () => number;
}

/**
 * Remembers, for a bounded number of hashes, that an entry existed and why it went, so a
 * retrieval can say "expired" rather than "unknown". Oldest records are forgotten first.
 */
export class Tombstones {
  readonly #gone = new Map<string, { cause: GoneCause; at: number }>();
  readonly #max: number;

  constructor(max = 10_000) {
    this.#max = max;
  }

  add(hash: string, cause: GoneCause, at: number): void {
    this.#gone.delete(hash);
    this.#gone.set(hash, { cause, at });
    if (this.#gone.size > this.#max) {
      const oldest = this.#gone.keys().next();
      if (!oldest.done) this.#gone.delete(oldest.value);
    }
  }

  get(hash: string): { cause: GoneCause; at: number } | undefined {
    return this.#gone.get(hash);
  }

  delete(hash: string): void {
    this.#gone.delete(hash);
  }
}

interface Slot {
  readonly entry: CCREntry;
  readonly expiresAt: number;
}

function positiveOr(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new ConfigurationError(`MemoryStore: ${name} must be a non-negative number, got ${String(value)}`);
  }
  return value;
}

/**
 * In-memory CCR store: LRU eviction by entry count and by content size, and a TTL.
 * Map iteration order is insertion order, so re-inserting on access makes it an LRU.
 * The entry just written is never evicted, even if it alone exceeds the size cap, so a
 * `put` always makes its original retrievable.
 */
export class MemoryStore implements CCRStatusStore {
  readonly #slots = new Map<string, Slot>();
  readonly #gone = new Tombstones();
  readonly #maxEntries: number;
  readonly #maxChars: number;
  readonly #ttlMs: number;
  readonly #now: () => number;
  #chars = 0;

  constructor(opts: MemoryStoreOptions = {}) {
    this.#maxEntries = positiveOr(opts.maxEntries, 1000, 'maxEntries');
    this.#maxChars = positiveOr(opts.maxChars, 32 * 1024 * 1024, 'maxChars');
    const ttl = positiveOr(opts.ttlMs, DEFAULT_CCR_TTL_MS, 'ttlMs');
    this.#ttlMs = ttl === 0 ? Infinity : ttl;
    this.#now = opts.now ?? Date.now;
  }

  /** Lifetime of an entry in ms (`Infinity` when entries never expire). */
  get ttlMs(): number {
    return this.#ttlMs;
  }

  /** Entries held, including expired ones not yet dropped. */
  get size(): number {
    return this.#slots.size;
  }

  /** UTF-16 code units of content held. */
  get chars(): number {
    return this.#chars;
  }

  putSync(entry: CCREntry): void {
    const now = this.#now();
    this.#remove(entry.hash);
    this.#gone.delete(entry.hash);
    this.#slots.set(entry.hash, { entry, expiresAt: now + this.#ttlMs });
    this.#chars += entry.content.length;
    if (this.#slots.size > this.#maxEntries || this.#chars > this.#maxChars) this.#evict(entry.hash, now);
  }

  getSync(hash: string): CCREntry | null {
    const found = this.getWithStatusSync(hash);
    return found.status === 'found' ? found.entry : null;
  }

  getWithStatusSync(hash: string): CCRLookup {
    const slot = this.#slots.get(hash);
    if (!slot) {
      const gone = this.#gone.get(hash);
      return gone ? { status: 'gone', cause: gone.cause, at: gone.at, ttlMs: this.#ttlMs } : { status: 'unknown' };
    }
    const now = this.#now();
    if (slot.expiresAt <= now) {
      this.#remove(hash);
      this.#gone.add(hash, 'expired', now);
      return { status: 'gone', cause: 'expired', at: now, ttlMs: this.#ttlMs };
    }
    this.#slots.delete(hash);
    this.#slots.set(hash, slot);
    return { status: 'found', entry: slot.entry };
  }

  /** Drop one entry (no tombstone: a deliberate delete makes the hash unknown). */
  deleteSync(hash: string): boolean {
    this.#gone.delete(hash);
    return this.#remove(hash);
  }

  /** Drop every expired entry now (normally done lazily). Returns how many went. */
  purgeExpired(): number {
    const now = this.#now();
    let n = 0;
    for (const [hash, slot] of this.#slots) {
      if (slot.expiresAt <= now) {
        this.#remove(hash);
        this.#gone.add(hash, 'expired', now);
        n++;
      }
    }
    return n;
  }

  async put(entry: CCREntry): Promise<void> {
    this.putSync(entry);
  }

  async get(hash: string): Promise<CCREntry | null> {
    return this.getSync(hash);
  }

  async getWithStatus(hash: string): Promise<CCRLookup> {
    return this.getWithStatusSync(hash);
  }

  #remove(hash: string): boolean {
    const old = this.#slots.get(hash);
    if (!old) return false;
    this.#chars -= old.entry.content.length;
    this.#slots.delete(hash);
    return true;
  }

  #over(): boolean {
    return this.#slots.size > this.#maxEntries || this.#chars > this.#maxChars;
  }

  /** Expired entries first, then least recently used; never `keep` (the entry just written). */
  #evict(keep: string, now: number): void {
    for (const [hash, slot] of this.#slots) {
      if (hash !== keep && slot.expiresAt <= now) {
        this.#remove(hash);
        this.#gone.add(hash, 'expired', now);
      }
    }
    for (const hash of this.#slots.keys()) {
      if (!this.#over()) break;
      if (hash === keep) continue;
      this.#remove(hash);
      this.#gone.add(hash, 'evicted', now);
    }
  }
}
