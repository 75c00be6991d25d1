/**
 * IndexedDB CCR store through idb (jakearchibald/idb): the default in browsers, Web Workers and
 * MV3 extensions. Originals survive page reloads and service-worker restarts for their TTL.
 *
 * Schema (typed by `CCRDBSchema`, STYLE 10), versioned with an `upgrade` callback:
 *   v1  `entries` (keyPath `hash`): `{ hash, content, source, meta? }`.
 *   v2  + index `by-createdAt` on entries, each entry gains `createdAt` and `chars`; `meta`
 *       (running totals, so size-bounded eviction needs no full scan); `tombstones` (which
 *       hashes expired or were evicted, so retrieval can tell "expired" from "unknown").
 *       Upgrading a v1 database backfills `createdAt` (= upgrade time: the age is unknown, so
 *       old entries get a full TTL) and `chars`, and computes the totals.
 *
 * Failure policy: nothing here loses the original of the write in hand. When IndexedDB is
 * unavailable, blocked by an older connection in another tab, slow to open, or over quota (after
 * one attempt to make room by evicting the oldest entries), the entry goes into an in-memory
 * fallback store *for that write* and a warning is queued (`drainWarnings()`, and `onWarning` at
 * once). Reads look in the fallback first, then in IndexedDB.
 *
 * The `indexedDB` global is touched lazily (on the first read or write, as idb itself does), so
 * importing this module in Node never throws.
 */
import { openDB, wrap, type DBSchema, type IDBPDatabase, type IDBPTransaction, type OpenDBCallbacks, type StoreNames } from 'idb';
import type { CCREntry } from '../../engine/ccr/types.js';
import { StorageError } from '../../engine/errors.js';
import { DEFAULT_CCR_TTL_MS, MemoryStore } from './memory-store.js';
import type { CCRLookup, CCRStatusStore, GoneCause, WarningSource } from './retrieve.js';

export const CCR_DB_NAME = 'headroom-ccr';
/** Current schema version (see the file header for the history). */
export const CCR_DB_VERSION = 2;

/** An entry as stored (v2). */
export interface StoredEntry {
  hash: string;
  content: string;
  source: string;
  meta?: Record<string, unknown>;
  /** ms since epoch of the last put. */
  createdAt: number;
  /** `content.length` (UTF-16 code units), kept so eviction can sum sizes from the index walk. */
  chars: number;
}

export interface StoreTotals {
  key: 'totals';
  count: number;
  chars: number;
}

export interface Tombstone {
  hash: string;
  cause: GoneCause;
  at: number;
}

export interface CCRDBSchema extends DBSchema {
  entries: { key: string; value: StoredEntry; indexes: { 'by-createdAt': number } };
  meta: { key: string; value: StoreTotals };
  tombstones: { key: string; value: Tombstone; indexes: { 'by-at': number } };
}

type DB = IDBPDatabase<CCRDBSchema>;
type UpgradeTx = IDBPTransaction<CCRDBSchema, StoreNames<CCRDBSchema>[], 'versionchange'>;

export interface IndexedDBStoreOptions {
  /** Database name. Default 'headroom-ccr'. */
  name?: string;
  /**
   * The IDBFactory to open the database with. Default: the global `indexedDB`, read on first
   * use. Note that idb recognises IDB objects with `instanceof` against the global `IDBRequest`,
   * `IDBDatabase`... interfaces, so those globals must exist (they do in every browser and worker).
   */
  indexedDB?: IDBFactory;
  /** Lifetime of an entry in ms from its last put. Default 30 min; `Infinity` or 0: no expiry. */
  ttlMs?: number;
  /** Most entries kept in the database; oldest (by createdAt) go first. Default 5000. */
  maxEntries?: number;
  /** Most UTF-16 code units of content kept (≈ 2 bytes each). Default 64M (≈ 128 MB). */
  maxChars?: number;
  /** Called with each warning as it happens (the same warnings also queue for `drainWarnings`). */
  onWarning?: (message: string) => void;
  /** How long a read or write waits for the database to open before using memory. Default 5000 ms. */
  openTimeoutMs?: number;
  /** Clock in ms (tests inject one). Default `Date.now`. */
  now?: () => number;
}

const MAX_TOMBSTONES = 10_000;
const MAX_WARNING_REASONS = 32;

function errorName(err: unknown): string {
  return typeof err === 'object' && err !== null && typeof (err as { name?: unknown }).name === 'string' ? (err as { name: string }).name : 'Error';
}

function describe(err: unknown): string {
  if (err instanceof StorageError) return err.message;
  const msg = err instanceof Error || (typeof err === 'object' && err !== null && 'message' in err) ? String((err as { message: unknown }).message) : String(err);
  const name = errorName(err);
  return msg && msg !== name ? `${name}: ${msg}` : name;
}

function isQuotaError(err: unknown): boolean {
  const name = errorName(err);
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || (err as { code?: unknown })?.code === 22;
}

/** Meta is free-form; keep only what survives JSON so a function or cycle cannot fail the write. */
function cloneMeta(meta: CCREntry['meta']): Record<string, unknown> | undefined {
  if (meta === undefined) return undefined;
  try {
    const json = JSON.stringify(meta);
    return json === undefined ? undefined : (JSON.parse(json) as Record<string, unknown>);
  } catch {
    return undefined;
  }
}

function toEntry(rec: StoredEntry): CCREntry {
  return rec.meta !== undefined ? { hash: rec.hash, content: rec.content, source: rec.source, meta: rec.meta } : { hash: rec.hash, content: rec.content, source: rec.source };
}

/** The schema migrations, one step per version. Exported for tests. */
export function upgradeSchema(db: DB, oldVersion: number, tx: UpgradeTx, now: number): void {
  if (oldVersion < 1) db.createObjectStore('entries', { keyPath: 'hash' });
  if (oldVersion < 2) {
    tx.objectStore('entries').createIndex('by-createdAt', 'createdAt');
    db.createObjectStore('meta', { keyPath: 'key' });
    db.createObjectStore('tombstones', { keyPath: 'hash' }).createIndex('by-at', 'at');
    // Requests keep the versionchange transaction alive; a failure aborts it and the open fails
    // (the store then falls back to memory), so there is nothing to catch here but the promise.
    backfillV2(tx, now).catch(() => undefined);
  }
}

async function backfillV2(tx: UpgradeTx, now: number): Promise<void> {
  let count = 0;
  let chars = 0;
  let cursor = await tx.objectStore('entries').openCursor();
  while (cursor) {
    const v = cursor.value as Partial<StoredEntry>;
    if (typeof v.hash !== 'string' || typeof v.content !== 'string') {
      await cursor.delete();
    } else {
      const rec: StoredEntry = {
        hash: v.hash,
        content: v.content,
        source: typeof v.source === 'string' ? v.source : 'unknown',
        createdAt: typeof v.createdAt === 'number' && Number.isFinite(v.createdAt) ? v.createdAt : now,
        chars: v.content.length,
      };
      if (v.meta !== undefined) rec.meta = v.meta;
      await cursor.update(rec);
      count++;
      chars += rec.chars;
    }
    cursor = await cursor.continue();
  }
  await tx.objectStore('meta').put({ key: 'totals', count, chars });
}

/** idb's `openDB`, against a given factory instead of the global `indexedDB`. */
function openWith(factory: IDBFactory, name: string, version: number, { upgrade, blocked, blocking, terminated }: OpenDBCallbacks<CCRDBSchema>): Promise<DB> {
  const request = factory.open(name, version);
  const opened = wrap(request) as unknown as Promise<DB>;
  if (upgrade) {
    request.addEventListener('upgradeneeded', (event) => {
      upgrade(wrap(request.result) as unknown as DB, event.oldVersion, event.newVersion, wrap(request.transaction as IDBTransaction) as unknown as UpgradeTx, event);
    });
  }
  if (blocked) {
    request.addEventListener('blocked', (event) => {
      const e = event as IDBVersionChangeEvent;
      blocked(e.oldVersion, e.newVersion, e);
    });
  }
  opened
    .then((db) => {
      if (terminated) db.addEventListener('close', () => terminated());
      if (blocking) db.addEventListener('versionchange', (event) => blocking(event.oldVersion, event.newVersion, event));
    })
    .catch(() => undefined);
  return opened;
}

interface PendingOpen {
  readonly promise: Promise<DB>;
  /** Rejects when the open reports `blocked`. */
  readonly blocked: Promise<never>;
}

export class IndexedDBStore implements CCRStatusStore, WarningSource {
  readonly #name: string;
  readonly #factory: IDBFactory | undefined;
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #maxChars: number;
  readonly #openTimeoutMs: number;
  readonly #now: () => number;
  readonly #onWarning: ((message: string) => void) | undefined;
  readonly #fallback: MemoryStore;
  readonly #warnings = new Map<string, { count: number; hashes: string[] }>();

  #db: DB | undefined;
  #pending: PendingOpen | undefined;
  /** Why the pending open cannot be used right now (blocked, or slower than openTimeoutMs). */
  #stuck: string | undefined;
  /** Set once when there is no IndexedDB here at all; every write then goes to memory. */
  #unavailable: string | undefined;

  constructor(opts: IndexedDBStoreOptions = {}) {
    this.#name = opts.name ?? CCR_DB_NAME;
    this.#factory = opts.indexedDB;
    const ttl = opts.ttlMs ?? DEFAULT_CCR_TTL_MS;
    this.#ttlMs = ttl === 0 ? Infinity : ttl;
    this.#maxEntries = opts.maxEntries ?? 5000;
    this.#maxChars = opts.maxChars ?? 64 * 1024 * 1024;
    this.#openTimeoutMs = opts.openTimeoutMs ?? 5000;
    this.#now = opts.now ?? Date.now;
    this.#onWarning = opts.onWarning;
    // Holds what IndexedDB could not take; generous count so one request's originals all fit.
    this.#fallback = new MemoryStore({ ttlMs: this.#ttlMs, maxEntries: 10_000, now: this.#now });
  }

  /** Lifetime of an entry in ms (`Infinity` when entries never expire). */
  get ttlMs(): number {
    return this.#ttlMs;
  }

  /** Entries currently held by the in-memory fallback (0 while IndexedDB works). */
  get fallbackSize(): number {
    return this.#fallback.size;
  }

  async put(entry: CCREntry): Promise<void> {
    let db: DB;
    try {
      db = await this.#connect();
    } catch (err) {
      this.#fallbackPut(entry, describe(err));
      return;
    }
    try {
      await this.#write(db, entry);
      return;
    } catch (err) {
      if (!isQuotaError(err)) {
        this.#fallbackPut(entry, `IndexedDB write failed (${describe(err)})`);
        return;
      }
    }
    // Over quota: make room by evicting the oldest entries, then try once more.
    try {
      await this.#shrink(db, entry.content.length);
      await this.#write(db, entry);
    } catch (err) {
      this.#fallbackPut(entry, `IndexedDB is over its storage quota (${describe(err)})`);
    }
  }

  async get(hash: string): Promise<CCREntry | null> {
    const found = await this.getWithStatus(hash);
    return found.status === 'found' ? found.entry : null;
  }

  async getWithStatus(hash: string): Promise<CCRLookup> {
    const mem = this.#fallback.getWithStatusSync(hash);
    if (mem.status === 'found') return mem;
    let db: DB;
    try {
      db = await this.#connect();
    } catch (err) {
      // No IndexedDB at all: memory is the whole store, so its answer is final.
      if (this.#unavailable !== undefined) return mem;
      throw new StorageError(`CCR IndexedDB store cannot be read: ${describe(err)}`, { hash });
    }
    try {
      const tx = db.transaction(['entries', 'tombstones'], 'readonly');
      const [rec, tomb] = await Promise.all([tx.objectStore('entries').get(hash), tx.objectStore('tombstones').get(hash), tx.done]);
      const now = this.#now();
      if (rec) {
        if (rec.createdAt + this.#ttlMs > now) return { status: 'found', entry: toEntry(rec) };
        await this.#expire(db, hash, now).catch(() => undefined);
        return { status: 'gone', cause: 'expired', at: now, ttlMs: this.#ttlMs };
      }
      if (tomb) return { status: 'gone', cause: tomb.cause, at: tomb.at, ttlMs: this.#ttlMs };
      return mem;
    } catch (err) {
      throw new StorageError(`CCR IndexedDB store read failed: ${describe(err)}`, { hash });
    }
  }

  /** Warnings since the last call (one line per cause), then clears them. compress() surfaces these. */
  drainWarnings(): string[] {
    const out: string[] = [];
    for (const [reason, { count, hashes }] of this.#warnings) {
      if (count === 0) {
        out.push(`CCR IndexedDB store: ${reason}`);
        continue;
      }
      const more = count > hashes.length ? `, +${count - hashes.length} more` : '';
      out.push(`CCR IndexedDB store: ${reason}; ${count} original${count === 1 ? '' : 's'} kept in memory instead, retrievable until this context unloads or the TTL passes (${hashes.join(', ')}${more})`);
    }
    this.#warnings.clear();
    return out;
  }

  /** Close the connection (a later read or write reopens it). */
  close(): void {
    const db = this.#db;
    this.#db = undefined;
    db?.close();
  }

  // --- internals ---------------------------------------------------------------------------

  #fallbackPut(entry: CCREntry, reason: string): void {
    this.#fallback.putSync(entry);
    this.#warn(reason, entry.hash);
  }

  #warn(reason: string, hash?: string): void {
    let w = this.#warnings.get(reason);
    if (!w) {
      if (this.#warnings.size >= MAX_WARNING_REASONS) {
        const oldest = this.#warnings.keys().next();
        if (!oldest.done) this.#warnings.delete(oldest.value);
      }
      w = { count: 0, hashes: [] };
      this.#warnings.set(reason, w);
    }
    if (hash !== undefined) {
      w.count++;
      if (w.hashes.length < 5) w.hashes.push(hash);
    }
    try {
      this.#onWarning?.(hash !== undefined ? `CCR IndexedDB store: ${reason}; original ${hash} kept in memory instead` : `CCR IndexedDB store: ${reason}`);
    } catch {
      // A throwing callback must not turn a saved write into a failed one.
    }
  }

  async #connect(): Promise<DB> {
    if (this.#db) return this.#db;
    if (this.#unavailable !== undefined) throw new StorageError(this.#unavailable);
    if (this.#pending && this.#stuck !== undefined) throw new StorageError(this.#stuck);
    const pending = this.#pending ?? this.#startOpen();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        if (this.#pending === pending) this.#stuck = `IndexedDB "${this.#name}" did not open within ${this.#openTimeoutMs} ms`;
        reject(new StorageError(this.#stuck ?? 'IndexedDB open timed out'));
      }, this.#openTimeoutMs);
    });
    try {
      return await Promise.race([pending.promise, pending.blocked, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  #startOpen(): PendingOpen {
    let conn: DB | undefined;
    let signalBlocked: (err: Error) => void = () => undefined;
    const blocked = new Promise<never>((_, reject) => {
      signalBlocked = reject;
    });
    blocked.catch(() => undefined);
    const callbacks: OpenDBCallbacks<CCRDBSchema> = {
      upgrade: (db, oldVersion, _newVersion, tx) => upgradeSchema(db, oldVersion, tx, this.#now()),
      blocked: (currentVersion) => {
        this.#stuck = `IndexedDB "${this.#name}" is blocked: another tab or worker keeps version ${currentVersion} open`;
        signalBlocked(new StorageError(this.#stuck));
      },
      // A newer version wants to open elsewhere: step aside (STYLE 10). The next read or write
      // reopens; if the database is now newer than this code, that fails and memory is used.
      blocking: () => {
        conn?.close();
        if (this.#db === conn) this.#db = undefined;
      },
      terminated: () => {
        if (this.#db === conn) this.#db = undefined;
      },
    };
    let promise: Promise<DB>;
    try {
      promise = this.#factory ? openWith(this.#factory, this.#name, CCR_DB_VERSION, callbacks) : openDB<CCRDBSchema>(this.#name, CCR_DB_VERSION, callbacks);
    } catch (err) {
      // ReferenceError (no indexedDB / IDB interfaces in this runtime) or SecurityError.
      this.#unavailable = `IndexedDB is not available here (${describe(err)})`;
      throw new StorageError(this.#unavailable);
    }
    const pending: PendingOpen = { promise, blocked };
    this.#pending = pending;
    promise.then(
      (db) => {
        conn = db;
        if (this.#pending === pending) {
          this.#pending = undefined;
          this.#stuck = undefined;
          this.#db = db;
        } else {
          db.close();
        }
      },
      () => {
        if (this.#pending === pending) {
          this.#pending = undefined;
          this.#stuck = undefined;
        }
      },
    );
    return pending;
  }

  /** Put one entry, then drop expired entries and evict oldest-first until within bounds. One transaction. */
  async #write(db: DB, entry: CCREntry): Promise<void> {
    const now = this.#now();
    const rec: StoredEntry = { hash: entry.hash, content: entry.content, source: entry.source, createdAt: now, chars: entry.content.length };
    const meta = cloneMeta(entry.meta);
    if (meta !== undefined) rec.meta = meta;

    const tx = db.transaction(['entries', 'meta', 'tombstones'], 'readwrite');
    const done = tx.done;
    done.catch(() => undefined);
    try {
      const entries = tx.objectStore('entries');
      const tombs = tx.objectStore('tombstones');
      const [old, totals] = await Promise.all([entries.get(entry.hash), tx.objectStore('meta').get('totals')]);
      let count = totals?.count ?? 0;
      let chars = totals?.chars ?? 0;
      if (old) {
        count--;
        chars -= old.chars;
      }
      await entries.put(rec);
      count++;
      chars += rec.chars;
      await tombs.delete(entry.hash);

      let gone = 0;
      let cursor = await entries.index('by-createdAt').openCursor();
      while (cursor) {
        const v = cursor.value;
        const expired = v.createdAt + this.#ttlMs <= now;
        const over = count > this.#maxEntries || chars > this.#maxChars;
        if (!expired && !over) break;
        if (v.hash !== entry.hash) {
          await cursor.delete();
          await tombs.put({ hash: v.hash, cause: expired ? 'expired' : 'evicted', at: now });
          count--;
          chars -= v.chars;
          gone++;
        }
        cursor = await cursor.continue();
      }
      await tx.objectStore('meta').put({ key: 'totals', count, chars });
      if (gone > 0) {
        let excess = (await tombs.count()) - MAX_TOMBSTONES;
        let old = excess > 0 ? await tombs.index('by-at').openCursor() : null;
        while (old && excess > 0) {
          await old.delete();
          excess--;
          old = await old.continue();
        }
      }
    } catch (err) {
      try {
        tx.abort();
      } catch {
        // already finished
      }
      await done.catch(() => undefined);
      throw err;
    }
    await done;
  }

  /** Evict the oldest entries until at least `need` chars, and at least a quarter of the content, are freed. */
  async #shrink(db: DB, need: number): Promise<void> {
    const now = this.#now();
    const tx = db.transaction(['entries', 'meta', 'tombstones'], 'readwrite');
    const totals = await tx.objectStore('meta').get('totals');
    let count = totals?.count ?? 0;
    let chars = totals?.chars ?? 0;
    const target = Math.max(need, Math.ceil(chars / 4));
    let freed = 0;
    let cursor = await tx.objectStore('entries').index('by-createdAt').openCursor();
    while (cursor && freed < target) {
      const v = cursor.value;
      await cursor.delete();
      await tx.objectStore('tombstones').put({ hash: v.hash, cause: 'evicted', at: now });
      freed += v.chars;
      count--;
      chars -= v.chars;
      cursor = await cursor.continue();
    }
    await tx.objectStore('meta').put({ key: 'totals', count: Math.max(0, count), chars: Math.max(0, chars) });
    await tx.done;
  }

  async #expire(db: DB, hash: string, now: number): Promise<void> {
    const tx = db.transaction(['entries', 'meta', 'tombstones'], 'readwrite');
    const [rec, totals] = await Promise.all([tx.objectStore('entries').get(hash), tx.objectStore('meta').get('totals')]);
    if (rec && rec.createdAt + this.#ttlMs <= now) {
      await tx.objectStore('entries').delete(hash);
      await tx.objectStore('tombstones').put({ hash, cause: 'expired', at: now });
      if (totals) await tx.objectStore('meta').put({ key: 'totals', count: Math.max(0, totals.count - 1), chars: Math.max(0, totals.chars - rec.chars) });
    }
    await tx.done;
  }
}
