/**
 * File-backed CCR store for Node processes that restart (CLIs, dev servers, agents that crash
 * and resume): one directory, one file per hash, so a marker emitted before a restart still
 * resolves after it, for the TTL.
 *
 * - File `<dir>/<hash>.json` = `{"v":1,"hash","createdAt","source","meta"?,"content"}`. JSON
 *   escapes lone surrogates (`\udXXX`), so every JS string, not only well-formed Unicode,
 *   round-trips exactly; raw UTF-8 would turn them into U+FFFD.
 * - Writes are atomic: a temp file in the same directory, then `rename` over the target, so a
 *   reader or a crash never sees half a file.
 * - TTL from the stored `createdAt` (lazy: checked on read, swept on write). Size bound by entry
 *   count and bytes on disk, evicting oldest first (by mtime, which each put refreshes).
 * - `node:fs/promises` is imported inside the methods, so a browser bundle that never calls
 *   this store does not break.
 *
 * Several processes may share a directory: the bounds are enforced from an index this instance
 * rebuilds from the directory at most every `rescanMs`, so they can be exceeded briefly.
 * Expired-vs-evicted reasons for files already deleted are remembered in memory only.
 */
import type { CCREntry } from '../../engine/ccr/types.js';
import { StorageError } from '../../engine/errors.js';
import { DEFAULT_CCR_TTL_MS, Tombstones } from './memory-store.js';
import type { CCRLookup, CCRStatusStore } from './retrieve.js';

type Fs = typeof import('node:fs/promises');

let fsModule: Promise<Fs> | undefined;
function loadFs(): Promise<Fs> {
  fsModule ??= import('node:fs/promises');
  return fsModule;
}

export interface FileStoreOptions {
  /** Directory for the files; created on first write. */
  dir: string;
  /** Lifetime of an entry in ms from its last put. Default 30 min; `Infinity` or 0: no expiry. */
  ttlMs?: number;
  /** Most files kept. Default 10,000. */
  maxEntries?: number;
  /** Most bytes on disk. Default 256 MB. */
  maxBytes?: number;
  /** How often (ms) the directory is rescanned to see other processes' files. Default 60 s. */
  rescanMs?: number;
  /** Clock in ms (tests inject one). Default `Date.now`. */
  now?: () => number;
}

interface FileRecord {
  v: 1;
  hash: string;
  createdAt: number;
  source: string;
  meta?: Record<string, unknown>;
  content: string;
}

/** Keys become file names, so only these characters are accepted (ccrHash gives 24 hex). */
const SAFE_KEY = /^[A-Za-z0-9_-]{1,128}$/;
const SUFFIX = '.json';
const TMP_MARK = '.tmp-';
/** Temp files older than this are leftovers of a crashed write. */
const STALE_TMP_MS = 60 * 60 * 1000;

function code(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null ? ((err as { code?: string }).code ?? undefined) : undefined;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function serialize(entry: CCREntry, createdAt: number): string {
  const rec: FileRecord = { v: 1, hash: entry.hash, createdAt, source: entry.source, content: entry.content };
  if (entry.meta !== undefined) {
    try {
      const json = JSON.stringify(entry.meta);
      if (json !== undefined) rec.meta = JSON.parse(json) as Record<string, unknown>;
    } catch {
      // Meta that cannot be JSON (cycles, BigInt) is dropped; the original is what matters.
    }
  }
  return JSON.stringify(rec);
}

/** UTF-8 byte length of a well-formed string (JSON.stringify output always is). */
function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      n += 2; // a pair: 2 code units, 4 bytes
      i++;
    } else if (c >= 0x800) n += 2;
    else if (c >= 0x80) n += 1;
  }
  return n;
}

function parseRecord(text: string, hash: string): FileRecord | null {
  try {
    const rec = JSON.parse(text) as Partial<FileRecord>;
    if (rec && rec.v === 1 && rec.hash === hash && typeof rec.content === 'string' && typeof rec.createdAt === 'number' && typeof rec.source === 'string') return rec as FileRecord;
  } catch {
    // fall through
  }
  return null;
}

export class FileStore implements CCRStatusStore {
  readonly #dir: string;
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  readonly #rescanMs: number;
  readonly #now: () => number;
  readonly #gone = new Tombstones();
  /** hash → { bytes, mtime } for the files this instance knows of. */
  #index: Map<string, { bytes: number; mtime: number }> | undefined;
  #bytes = 0;
  #scannedAt = -Infinity;
  #ready: Promise<void> | undefined;
  #seq = 0;

  constructor(opts: FileStoreOptions) {
    if (!opts || typeof opts.dir !== 'string' || opts.dir === '') throw new StorageError('FileStore needs a directory: new FileStore({ dir })');
    this.#dir = opts.dir.replace(/[\\/]+$/, '') || opts.dir;
    const ttl = opts.ttlMs ?? DEFAULT_CCR_TTL_MS;
    this.#ttlMs = ttl === 0 ? Infinity : ttl;
    this.#maxEntries = opts.maxEntries ?? 10_000;
    this.#maxBytes = opts.maxBytes ?? 256 * 1024 * 1024;
    this.#rescanMs = opts.rescanMs ?? 60_000;
    this.#now = opts.now ?? Date.now;
  }

  get dir(): string {
    return this.#dir;
  }

  get ttlMs(): number {
    return this.#ttlMs;
  }

  #path(name: string): string {
    return `${this.#dir}/${name}`;
  }

  async put(entry: CCREntry): Promise<void> {
    if (!SAFE_KEY.test(entry.hash)) throw new StorageError(`FileStore: hash ${JSON.stringify(entry.hash).slice(0, 40)} is not a safe file name`, { hash: entry.hash });
    const fs = await loadFs();
    await this.#ensureDir(fs);
    const now = this.#now();
    const text = serialize(entry, now);
    const target = this.#path(entry.hash + SUFFIX);
    const tmp = this.#path(`${entry.hash}${TMP_MARK}${now.toString(36)}-${(this.#seq++).toString(36)}-${Math.random().toString(36).slice(2, 10)}`);
    try {
      await fs.writeFile(tmp, text, 'utf8');
      // mtime = put time on this store's clock, so TTL and oldest-first agree with createdAt.
      const t = now / 1000;
      await fs.utimes(tmp, t, t);
      await fs.rename(tmp, target);
    } catch (err) {
      await fs.rm(tmp, { force: true }).catch(() => undefined);
      throw new StorageError(`FileStore write failed: ${message(err)}`, { hash: entry.hash, dir: this.#dir });
    }
    this.#gone.delete(entry.hash);
    const index = await this.#loadIndex(fs, now);
    const old = index.get(entry.hash);
    if (old) this.#bytes -= old.bytes;
    const bytes = utf8Length(text);
    // Re-insert so iteration order follows recency; mtime is what eviction sorts by.
    index.delete(entry.hash);
    index.set(entry.hash, { bytes, mtime: now });
    this.#bytes += bytes;
    if (index.size > this.#maxEntries || this.#bytes > this.#maxBytes) await this.#evict(fs, entry.hash, now);
  }

  async get(hash: string): Promise<CCREntry | null> {
    const found = await this.getWithStatus(hash);
    return found.status === 'found' ? found.entry : null;
  }

  async getWithStatus(hash: string): Promise<CCRLookup> {
    if (!SAFE_KEY.test(hash)) return { status: 'unknown' };
    const fs = await loadFs();
    let text: string;
    try {
      text = await fs.readFile(this.#path(hash + SUFFIX), 'utf8');
    } catch (err) {
      if (code(err) === 'ENOENT' || code(err) === 'ENOTDIR') {
        const gone = this.#gone.get(hash);
        return gone ? { status: 'gone', cause: gone.cause, at: gone.at, ttlMs: this.#ttlMs } : { status: 'unknown' };
      }
      throw new StorageError(`FileStore read failed: ${message(err)}`, { hash, dir: this.#dir });
    }
    const rec = parseRecord(text, hash);
    if (!rec) throw new StorageError(`FileStore: the file for ${hash} is corrupt`, { hash, dir: this.#dir });
    const now = this.#now();
    if (rec.createdAt + this.#ttlMs <= now) {
      await this.#remove(fs, hash, 'expired', now);
      return { status: 'gone', cause: 'expired', at: now, ttlMs: this.#ttlMs };
    }
    const entry: CCREntry = rec.meta !== undefined ? { hash, content: rec.content, source: rec.source, meta: rec.meta } : { hash, content: rec.content, source: rec.source };
    return { status: 'found', entry };
  }

  /**
   * Rescan the directory now: drop expired files and stale temp files, then evict oldest-first
   * until within bounds. Runs on its own every `rescanMs` during writes. Returns files removed.
   */
  async sweep(): Promise<number> {
    const fs = await loadFs();
    const now = this.#now();
    const before = await this.#scan(fs, now);
    await this.#evict(fs, undefined, now);
    return before - (this.#index?.size ?? 0);
  }

  async #ensureDir(fs: Fs): Promise<void> {
    this.#ready ??= fs.mkdir(this.#dir, { recursive: true }).then(
      () => undefined,
      (err: unknown) => {
        this.#ready = undefined;
        throw new StorageError(`FileStore cannot create ${this.#dir}: ${message(err)}`, { dir: this.#dir });
      },
    );
    await this.#ready;
  }

  async #loadIndex(fs: Fs, now: number): Promise<Map<string, { bytes: number; mtime: number }>> {
    if (!this.#index || now - this.#scannedAt >= this.#rescanMs) await this.#scan(fs, now);
    return this.#index as Map<string, { bytes: number; mtime: number }>;
  }

  /** Rebuild the index from the directory, dropping expired files and stale temp files. Returns files seen. */
  async #scan(fs: Fs, now: number): Promise<number> {
    const index = new Map<string, { bytes: number; mtime: number }>();
    let bytes = 0;
    let seen = 0;
    let names: string[] = [];
    try {
      names = await fs.readdir(this.#dir);
    } catch (err) {
      if (code(err) !== 'ENOENT') throw new StorageError(`FileStore cannot list ${this.#dir}: ${message(err)}`, { dir: this.#dir });
    }
    const found: Array<{ hash: string; bytes: number; mtime: number }> = [];
    await Promise.all(
      names.map(async (name) => {
        const tmpAt = name.indexOf(TMP_MARK);
        try {
          if (tmpAt > 0) {
            const st = await fs.stat(this.#path(name));
            if (now - st.mtimeMs > STALE_TMP_MS) await fs.rm(this.#path(name), { force: true });
            return;
          }
          if (!name.endsWith(SUFFIX)) return;
          const hash = name.slice(0, -SUFFIX.length);
          if (!SAFE_KEY.test(hash)) return;
          const st = await fs.stat(this.#path(name));
          seen++;
          // mtime is the put time (each put rewrites the file); createdAt in the file agrees.
          if (st.mtimeMs + this.#ttlMs <= now) {
            await fs.rm(this.#path(name), { force: true });
            this.#gone.add(hash, 'expired', now);
            return;
          }
          found.push({ hash, bytes: st.size, mtime: st.mtimeMs });
        } catch {
          // Vanished between readdir and stat (another process): ignore.
        }
      }),
    );
    found.sort((a, b) => a.mtime - b.mtime || (a.hash < b.hash ? -1 : 1));
    for (const f of found) {
      index.set(f.hash, { bytes: f.bytes, mtime: f.mtime });
      bytes += f.bytes;
    }
    this.#index = index;
    this.#bytes = bytes;
    this.#scannedAt = now;
    return seen;
  }

  /** Evict oldest-first (never `keep`) until within bounds. */
  async #evict(fs: Fs, keep: string | undefined, now: number): Promise<void> {
    const index = await this.#loadIndex(fs, now);
    if (index.size <= this.#maxEntries && this.#bytes <= this.#maxBytes) return;
    const oldest = [...index.entries()].sort((a, b) => a[1].mtime - b[1].mtime);
    for (const [hash] of oldest) {
      if (index.size <= this.#maxEntries && this.#bytes <= this.#maxBytes) break;
      if (hash === keep) continue;
      await this.#remove(fs, hash, 'evicted', now);
    }
  }

  async #remove(fs: Fs, hash: string, cause: 'expired' | 'evicted', now: number): Promise<void> {
    await fs.rm(this.#path(hash + SUFFIX), { force: true }).catch(() => undefined);
    this.#gone.add(hash, cause, now);
    const known = this.#index?.get(hash);
    if (known) {
      this.#bytes -= known.bytes;
      this.#index?.delete(hash);
    }
  }
}
