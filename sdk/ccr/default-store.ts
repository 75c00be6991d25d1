import type { CCRStore } from '../../engine/ccr/types.js';
import { MemoryStore } from './memory-store.js';

let store: CCRStore | undefined;

/** The process-wide store `compress()` uses when no `options.store` is given. */
export function getDefaultStore(): CCRStore {
  store ??= new MemoryStore();
  return store;
}

/** Replace the process-wide default store (e.g. with a persistent backend). */
export function setDefaultStore(next: CCRStore): void {
  store = next;
}
