/**
 * Capability detection, done once at import (STYLE 8). This is the only module in the package
 * that sniffs platform globals (`process`, `window`, `WorkerGlobalScope`, `indexedDB`); everything
 * else reads the frozen `env` object. Detection only reads properties of `globalThis`, so it never
 * throws, not even where touching `indexedDB` raises a SecurityError (sandboxed iframes, some
 * privacy modes).
 */

export interface Env {
  /** Node.js (or a Node-compatible runtime that sets `process.versions.node`), incl. worker_threads. */
  readonly isNode: boolean;
  /** A window with a document (a page or an extension page; false in workers). */
  readonly isBrowser: boolean;
  /** A Web Worker, shared worker or service worker (including an MV3 extension service worker). */
  readonly isWorker: boolean;
  /** `indexedDB` is present and usable as a factory. */
  readonly hasIndexedDB: boolean;
}

type Globals = Record<string, unknown>;

function read(g: Globals, key: string): unknown {
  try {
    return g[key];
  } catch {
    return undefined; // e.g. indexedDB in an opaque-origin iframe throws on access
  }
}

/** Detect the capabilities of a global scope; exported for tests, use `env` otherwise. */
export function detectEnv(scope: unknown = globalThis): Env {
  const g = (scope ?? {}) as Globals;
  const proc = read(g, 'process') as { versions?: { node?: unknown } } | undefined;
  const isNode = typeof proc === 'object' && proc !== null && typeof proc.versions?.node === 'string';
  const win = read(g, 'window');
  const doc = read(g, 'document');
  const isBrowser = typeof win === 'object' && win !== null && typeof doc === 'object' && doc !== null;
  const wgs = read(g, 'WorkerGlobalScope');
  let isWorker = false;
  if (typeof wgs === 'function') {
    try {
      isWorker = g instanceof (wgs as new () => unknown);
    } catch {
      isWorker = false;
    }
  }
  const idb = read(g, 'indexedDB') as { open?: unknown } | null | undefined;
  const hasIndexedDB = typeof idb === 'object' && idb !== null && typeof idb.open === 'function';
  return Object.freeze({ isNode, isBrowser, isWorker, hasIndexedDB });
}

/** The capabilities of the current runtime, detected once. */
export const env: Env = detectEnv(globalThis);
