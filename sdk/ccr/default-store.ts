import type { CCRStore } from '../../engine/ccr/types.js';
import { env, type Env } from '../env.js';
import { IndexedDBStore } from './idb-store.js';
import { MemoryStore } from './memory-store.js';
import type { WarningSource } from './retrieve.js';

let store: CCRStore | undefined;

/**
 * The store a runtime gets by default: IndexedDB in browsers and workers (pages, Web Workers,
 * MV3 extension pages and service workers) when `indexedDB` exists, so originals survive reloads;
 * memory in Node and everywhere else.
 */
export function createDefaultStore(e: Env = env): CCRStore {
  return e.hasIndexedDB && !e.isNode && (e.isBrowser || e.isWorker) ? new IndexedDBStore() : new MemoryStore();
}

/** The process-wide store `compress()` and `retrieve()` use when no `options.store` is given. */
export function getDefaultStore(): CCRStore {
  store ??= createDefaultStore();
  return store;
}

/** Replace the process-wide default store (e.g. with a FileStore in a Node process that restarts). */
export function setDefaultStore(next: CCRStore): void {
  store = next;
}

/** Warnings a store queued (e.g. IndexedDB fell back to memory), cleared; [] for stores that queue none. */
export function drainStoreWarnings(s: CCRStore): string[] {
  const drain = (s as Partial<WarningSource>).drainWarnings;
  if (typeof drain !== 'function') return [];
  try {
    const out = drain.call(s);
    return Array.isArray(out) ? out.filter((w): w is string => typeof w === 'string') : [];
  } catch {
    return [];
  }
}
