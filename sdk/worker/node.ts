/**
 * Node built-ins for the worker client and the worker, reached through `process.getBuiltinModule`
 * (Node ≥ 20.16) as sdk/env-model-limits.ts does, so no bundler ever sees a `node:` import and a
 * browser build stays free of them. Callers ask only after `env.isNode` said yes.
 */
import type * as WorkerThreads from 'node:worker_threads';

interface NodeLikeProcess {
  getBuiltinModule?: (id: string) => unknown;
}

/** `node:worker_threads`, or undefined outside Node (or on a Node without getBuiltinModule). */
export function workerThreads(): typeof WorkerThreads | undefined {
  const p = (globalThis as { process?: NodeLikeProcess }).process;
  const mod = typeof p?.getBuiltinModule === 'function' ? (p.getBuiltinModule('node:worker_threads') as typeof WorkerThreads | undefined) : undefined;
  return mod && typeof mod.Worker === 'function' ? mod : undefined;
}
