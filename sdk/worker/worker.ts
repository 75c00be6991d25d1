/**
 * The compression worker: a module Web Worker in browsers, a `worker_threads` worker in Node,
 * one file for both (loaded by sdk/worker/client.ts as `new URL('./worker.js', import.meta.url)`).
 *
 * `expose()` runs synchronously at module evaluation, before any await, so no call is lost
 * while the engine warms up (comlink #665); the BPE ranks and WASM kernels load on the first
 * compress, as in-thread. Originals go to this realm's default store (IndexedDB in a browser
 * worker: the same database the page reads; memory in a Node worker: `retrieve` comes here),
 * or through the caller's store when the call passes one.
 */
import { expose, releaseProxy } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { CCRStore } from '../../engine/ccr/types.js';
import { getDefaultStore } from '../ccr/default-store.js';
import { IndexedDBStore } from '../ccr/idb-store.js';
import { retrieveWithReason } from '../ccr/retrieve.js';
import { compress } from '../compress.js';
import { simulate } from '../simulate.js';
import { env } from '../env.js';
import { workerThreads } from './node.js';
import { decodePayload, parsePayload, payloadOptions } from './payload.js';
import {
  PROTOCOL_VERSION,
  messagesToWire,
  registerErrorTransfer,
  type WireCompressOptions,
  type WireCompressReply,
  type WirePayload,
  type WirePayloadReply,
  type WireSimulatePayloadReply,
  type WireSimulateReply,
  type WorkerApi,
  type WorkerHello,
  type WorkerInit,
} from './protocol.js';

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

/** The caller's store, through its comlink proxy; released after the call. */
async function withStore<T>(remote: CCRStore | undefined, run: (store: CCRStore | undefined) => Promise<T>): Promise<T> {
  if (!remote) return run(undefined);
  // Only put and get cross: optional extras (getWithStatus, drainWarnings) would look present on a proxy.
  const store: CCRStore = { put: (entry) => remote.put(entry), get: (hash) => remote.get(hash) };
  try {
    return await run(store);
  } finally {
    const release = (remote as unknown as Record<typeof releaseProxy, (() => void) | undefined>)[releaseProxy];
    if (typeof release === 'function') release();
  }
}

function withoutStore(options: WireCompressOptions, store: CCRStore | undefined) {
  return store ? { ...options, store } : options;
}

const api: WorkerApi = {
  async init(init: WorkerInit): Promise<WorkerHello> {
    void init;
    return {
      protocol: PROTOCOL_VERSION,
      runtime: env.isNode ? 'node' : 'browser',
      defaultStore: getDefaultStore() instanceof IndexedDBStore ? 'indexeddb' : 'memory',
    };
  },

  async compress(messages: unknown[], options: WireCompressOptions, remoteStore?: CCRStore): Promise<WireCompressReply> {
    const t0 = now();
    return withStore(remoteStore, async (store) => {
      const r = await compress(messages, withoutStore(options, store));
      const { messages: out, tools, ...result } = r;
      return {
        result,
        messages: messagesToWire(messages, out),
        tools: tools === undefined ? { kind: 'none' } : tools === options.tools ? { kind: 'same' } : { kind: 'value', value: tools },
        workerMs: now() - t0,
      };
    });
  },

  async compressPayload(payload: WirePayload, options: WireCompressOptions, remoteStore?: CCRStore): Promise<WirePayloadReply> {
    const t0 = now();
    const text = payload.kind === 'text' ? payload.text : decodePayload(payload.bytes);
    const { messages, info } = parsePayload(text);
    const model = options.model ?? info.model;
    return withStore(remoteStore, async (store) => {
      const result = await compress(messages, withoutStore(payloadOptions(info, model !== undefined ? { ...options, model } : options), store));
      return { input: info, result, workerMs: now() - t0 };
    });
  },

  async simulate(messages: unknown[], options: WireCompressOptions, remoteStore?: CCRStore): Promise<WireSimulateReply> {
    const t0 = now();
    return withStore(remoteStore, async (store) => {
      const r = await simulate(messages, { ...options, store: store ?? getDefaultStore() });
      const { messages: out, tools, store: _store, ...result } = r;
      void _store;
      return {
        result,
        messages: messagesToWire(messages, out),
        tools: tools === undefined ? { kind: 'none' } : tools === options.tools ? { kind: 'same' } : { kind: 'value', value: tools },
        workerMs: now() - t0,
      };
    });
  },

  async simulatePayload(payload: WirePayload, options: WireCompressOptions, remoteStore?: CCRStore): Promise<WireSimulatePayloadReply> {
    const t0 = now();
    const text = payload.kind === 'text' ? payload.text : decodePayload(payload.bytes);
    const { messages, info } = parsePayload(text);
    const model = options.model ?? info.model;
    return withStore(remoteStore, async (store) => {
      const r = await simulate(messages, payloadOptions(info, { ...options, ...(model !== undefined ? { model } : {}), store: store ?? getDefaultStore() }));
      const { store: _store, ...result } = r;
      void _store;
      return { input: info, result, workerMs: now() - t0 };
    });
  },

  async retrieve(hash, options) {
    return retrieveWithReason(hash, options);
  },
};

registerErrorTransfer();
if (env.isNode) {
  const parentPort = workerThreads()?.parentPort;
  if (parentPort) expose(api, nodeEndpoint(parentPort));
} else {
  expose(api);
}
