/**
 * CCR (compress, cache, retrieve): the contract between lossy transforms and the store of
 * originals. Transforms never write to a store directly: they hand an entry to
 * `CCRSink.record()` BEFORE they emit the marker that names it; the SDK persists every
 * recorded entry before `compress()` returns, so no caller ever sees a marker whose
 * original is not stored.
 */

export interface CCREntry {
  /** Content hash (see `ccrHash`). */
  readonly hash: string;
  /** The exact original text, byte for byte. */
  readonly content: string;
  /** What produced it, e.g. 'rolling_window'. */
  readonly source: string;
  /** Free-form facts for retrieval UIs (counts, tool name...). */
  readonly meta?: Readonly<Record<string, unknown>>;
}

export interface CCRSink {
  record(entry: CCREntry): void;
}

/** What a store must do. Backends (memory, IndexedDB, file) live in sdk/. */
export interface CCRStore {
  put(entry: CCREntry): Promise<void>;
  get(hash: string): Promise<CCREntry | null>;
}
