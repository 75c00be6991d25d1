/**
 * `createCompressor()`: the compress/retrieve API, run off the main thread.
 *
 * - **Where it runs.** Browsers: a module Web Worker (`new Worker(new URL('./worker.js',
 *   import.meta.url), { type: 'module' })`, the form bundlers recognise). Node: `worker_threads`
 *   with comlink's node adapter, the same worker module. Nowhere a worker is built from a string
 *   or a blob: URL, so it runs under a CSP of `script-src 'self' 'wasm-unsafe-eval'`.
 * - **Never a lost request.** A worker that cannot start (no `Worker`, a blocked or missing
 *   script), crashes (an uncaught error, `process.exit`, out of memory) or answers with an
 *   unserializable value has its pending calls rejected internally, and those calls run again
 *   in-thread, with a warning in `result.warnings` and through `onWarning`. After `maxRestarts`
 *   crashes the compressor stays in-thread.
 * - **Cancellation.** `signal` and `timeoutMs` settle the caller's promise at once (with
 *   `signal.reason`, or a `TimeoutError` DOMException). A call still queued never runs. A call
 *   already running cannot be interrupted inside the synchronous engine, so: when the worker's
 *   originals live somewhere shared (IndexedDB in a browser, or a store you passed) the worker
 *   is terminated and a fresh one starts with the next call; when the worker owns them (Node's
 *   in-memory default) it is left to finish, and terminated only if it has not finished
 *   `abandonGraceMs` later (a hung worker), with a warning, because its originals go with it.
 * - **CCR.** Browser: worker and page both use IndexedDB (same database), so `retrieve` reads the
 *   page's side and asks the worker only for what it could not find there. Node: the worker owns
 *   the in-memory store and `retrieve` goes through it (then the main thread's store, which holds
 *   originals of calls that fell back in-thread). With a `store` option, the worker writes
 *   through a comlink proxy of it and `retrieve` reads it directly.
 * - **Copies.** See protocol.ts: messages and strings are structured-cloned; unchanged messages
 *   come back as references to the caller's objects; byte payloads are transferred on request.
 * - **One worker.** Calls queue for it. A pool was measured and left out: on the shared 2-core
 *   bench machine two workers served parallel 1 MB calls no faster than one (0.77–1.01×,
 *   bench/RESULTS.md "Worker"), while each costs its own start-up (≈ 2 s) and memory. The
 *   scheduler keeps a list of slots, so a pool is a constant away if a machine shows a gain.
 */
import { proxy, transfer as transferable, wrap, type ProxyMarked, type Remote } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { CCRStore } from '../../engine/ccr/types.js';
import { validateOptions } from '../../engine/compress.js';
import { ConfigurationError, HeadroomCompressError, HeadroomError } from '../../engine/errors.js';
import type { CompressOptions, CompressResult } from '../../engine/options.js';
import { retrieveWithReason, type RetrieveOptions, type RetrieveOutcome, type RetrieveResult } from '../ccr/retrieve.js';
import { getDefaultStore } from '../ccr/default-store.js';
import { compress as compressInThread } from '../compress.js';
import { simulate as simulateInThread, type SimulateResult } from '../simulate.js';
import { env } from '../env.js';
import { workerThreads } from './node.js';
import { decodePayload, parsePayload, payloadOptions, type PayloadInfo } from './payload.js';
import {
  PROTOCOL_VERSION,
  messagesFromWire,
  registerErrorTransfer,
  uncloneableReason,
  type WireCompressOptions,
  type WireCompressReply,
  type WireMessage,
  type WirePayload,
  type WireSimulatePayloadReply,
  type WireSimulateReply,
  type WorkerApi,
  type WorkerHello,
} from './protocol.js';

/** Memory limits for a Node worker (see `worker_threads` `ResourceLimits`); ignored in browsers. */
export interface WorkerResourceLimits {
  maxOldGenerationSizeMb?: number;
  maxYoungGenerationSizeMb?: number;
  codeRangeSizeMb?: number;
  stackSizeMb?: number;
}

export interface CompressorOptions {
  /** Run in a worker. Default true; false runs everything in-thread with the same API. */
  worker?: boolean;
  /**
   * Where the worker script is, for hosts that serve it from elsewhere (an extension's
   * `chrome.runtime.getURL('worker.js')`). Default: `./worker.js` next to this module.
   */
  workerUrl?: string | URL;
  /** Default time limit for every call, ms. Default none. */
  timeoutMs?: number;
  /** Where originals go (and `retrieve` reads). Default: see the file header. */
  store?: CCRStore;
  /** Called with each warning (fallbacks, crashes). Default `console.warn`. */
  onWarning?: (message: string) => void;
  /** How long a new worker may take to answer its first message, ms. Default 15,000. */
  startTimeoutMs?: number;
  /** Crashes after which the compressor stays in-thread. Default 3. */
  maxRestarts?: number;
  /** Node: how long a worker that owns its store may keep running a cancelled call before it is treated as hung and terminated, ms. Default 30,000. */
  abandonGraceMs?: number;
  /** Node only: memory limits for each worker. */
  resourceLimits?: WorkerResourceLimits;
}

/** Per-call controls, accepted next to the usual options. */
export interface CallOptions {
  /** Abort the call: its promise rejects with `signal.reason`. */
  signal?: AbortSignal;
  /** Time limit for this call, ms (overrides the compressor's `timeoutMs`). Rejects with a `TimeoutError` DOMException. */
  timeoutMs?: number;
}

export type CompressorCompressOptions = CompressOptions & CallOptions;

export interface CompressPayloadOptions extends CompressorCompressOptions {
  /**
   * For a `Uint8Array`/`ArrayBuffer` payload: move its buffer to the worker instead of copying it
   * (10 MB: ≈ 3 ms instead of ≈ 37 ms on the bench machine). The caller's buffer is detached
   * (unusable) afterwards, so if the worker dies after taking it, the call cannot be retried
   * in-thread and rejects with a HeadroomCompressError. Default false.
   */
  transfer?: boolean;
}

export interface CompressPayloadResult {
  /** How the payload was read (a conversation, or a tool output wrapped as one). */
  readonly input: PayloadInfo;
  readonly result: CompressResult<unknown>;
}

/**
 * `simulate()`'s result without `store`: the originals stay where the compressor's `compress`
 * keeps them (the worker's store, or yours), so `compressor.retrieve` resolves its markers.
 */
export type CompressorSimulateResult<M = unknown> = Omit<SimulateResult<M>, 'store'>;

export interface SimulatePayloadResult {
  readonly input: PayloadInfo;
  readonly result: CompressorSimulateResult<unknown>;
}

export type CompressorRetrieveOptions = RetrieveOptions & CallOptions;

export interface CompressorStatus {
  /** `'worker'` while workers serve calls, `'in-thread'` once they are unavailable, disabled or off. */
  readonly mode: 'worker' | 'in-thread';
  readonly workers: number;
  readonly busy: number;
  readonly queued: number;
  readonly crashes: number;
  /** Why calls run in-thread, when they do. */
  readonly reason?: string;
  /**
   * The last call a worker answered: its wall time from sending to the result in hand, the time
   * the worker spent on it, and the difference (copies and the hop: the cost of the worker).
   */
  readonly lastCall?: { readonly label: string; readonly totalMs: number; readonly workerMs: number; readonly overheadMs: number };
}

export interface Compressor {
  /** `compress()`, in the worker. Unchanged messages in the result are the caller's own objects. */
  compress<M>(messages: M[], options?: CompressorCompressOptions): Promise<CompressResult<M>>;
  /** Read a payload (messages JSON or a raw tool output; see `parsePayload`) and compress it, parsing included, in the worker. */
  compressPayload(payload: string | Uint8Array | ArrayBuffer, options?: CompressPayloadOptions): Promise<CompressPayloadResult>;
  /** `simulate()` in the worker (decisions, waste signals, breakdown, cost); originals are kept as by `compress`. */
  simulate<M>(messages: M[], options?: CompressorCompressOptions): Promise<CompressorSimulateResult<M>>;
  /** `compressPayload`, as a simulation. */
  simulatePayload(payload: string | Uint8Array | ArrayBuffer, options?: CompressPayloadOptions): Promise<SimulatePayloadResult>;
  /** `retrieve()`, looking wherever this compressor's workers stored originals. */
  retrieve(hash: string, options?: CompressorRetrieveOptions): Promise<RetrieveResult | null>;
  retrieveWithReason(hash: string, options?: CompressorRetrieveOptions): Promise<RetrieveOutcome>;
  /** Stop the workers now; calls in progress reject with an AbortError. The compressor stays usable (a new worker starts on the next call). */
  terminate(): void;
  readonly status: CompressorStatus;
}

/** Workers per compressor (see the file header for why one). */
const POOL_SIZE = 1;

/** A worker that died under a call; internal: the call runs again in-thread. */
class WorkerDied extends Error {
  override name = 'WorkerDied';
}

interface SpawnedWorker {
  readonly remote: Remote<WorkerApi>;
  terminate(): void;
  /** Keep the process alive while a call is in flight (Node); no-op in browsers. */
  ref(): void;
  unref(): void;
}

interface Slot {
  readonly id: number;
  readonly worker: SpawnedWorker;
  /** Rejects with WorkerDied when the worker dies (never resolves). */
  readonly died: Promise<never>;
  ready: Promise<WorkerHello>;
  hello?: WorkerHello;
  job: Job | null;
  dead: boolean;
  /** Calls outside the queue (retrieve) in flight. */
  side: number;
  kill(reason: string | null): void;
}

interface Job {
  readonly label: string;
  readonly run: (remote: Remote<WorkerApi>) => Promise<unknown>;
  readonly fallback: (why: string) => Promise<unknown>;
  readonly settle: (outcome: { ok: true; value: unknown } | { ok: false; error: unknown }) => void;
  settled: boolean;
  slot?: Slot;
  abandonTimer?: ReturnType<typeof setTimeout>;
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

function describeError(err: unknown): string {
  if (err instanceof Error) return err.message ? `${err.name}: ${err.message}` : err.name;
  return String(err);
}

function isNamed(err: unknown, name: string): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === name;
}

function timeoutError(ms: number, what: string): Error {
  return new DOMException(`${what} timed out after ${ms} ms`, 'TimeoutError');
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}

function withResultWarning<T>(value: T, warning: string): T {
  const v = value as { warnings?: unknown; result?: { warnings?: unknown } };
  if (Array.isArray(v.warnings)) v.warnings.push(warning);
  else if (Array.isArray(v.result?.warnings)) v.result.warnings.push(warning);
  return value;
}

function splitCallOptions<O extends CallOptions & { transfer?: boolean }>(options: O | undefined): { call: CallOptions; rest: Omit<O, 'signal' | 'timeoutMs' | 'transfer'> } {
  const { signal, timeoutMs, transfer, ...rest } = (options ?? {}) as O;
  void transfer;
  const call: CallOptions = {};
  if (signal !== undefined) call.signal = signal;
  if (timeoutMs !== undefined) call.timeoutMs = timeoutMs;
  return { call, rest };
}

class WorkerCompressor implements Compressor {
  readonly #useWorker: boolean;
  readonly #workerUrl: string | URL | undefined;
  readonly #timeoutMs: number | undefined;
  readonly #store: CCRStore | undefined;
  readonly #warn: (message: string) => void;
  readonly #startTimeoutMs: number;
  readonly #maxRestarts: number;
  readonly #abandonGraceMs: number;
  readonly #resourceLimits: WorkerResourceLimits | undefined;

  #slots: Slot[] = [];
  #queue: Job[] = [];
  #nextId = 1;
  #crashes = 0;
  #everStarted = false;
  #disabled: string | undefined;
  #warned = new Set<string>();
  #lastCall: CompressorStatus['lastCall'];

  constructor(o: CompressorOptions) {
    const problems: string[] = [];
    for (const k of ['timeoutMs', 'startTimeoutMs', 'abandonGraceMs'] as const) {
      const v = o[k];
      if (v !== undefined && (typeof v !== 'number' || !(v > 0))) problems.push(`${k} must be a positive number of milliseconds (got ${String(v)})`);
    }
    if (o.maxRestarts !== undefined && (!Number.isInteger(o.maxRestarts) || o.maxRestarts < 0)) problems.push(`maxRestarts must be a non-negative integer (got ${String(o.maxRestarts)})`);
    if (o.store !== undefined && (typeof o.store?.put !== 'function' || typeof o.store?.get !== 'function')) problems.push('store must implement CCRStore (put(entry) and get(hash))');
    if (problems.length > 0) throw new ConfigurationError(`Invalid createCompressor() options: ${problems.join('; ')}`, { problems });

    this.#useWorker = o.worker ?? true;
    this.#workerUrl = o.workerUrl;
    this.#timeoutMs = o.timeoutMs;
    this.#store = o.store;
    this.#warn = o.onWarning ?? ((m) => console.warn(`headroom-wasm: ${m}`));
    this.#startTimeoutMs = o.startTimeoutMs ?? 15_000;
    this.#maxRestarts = o.maxRestarts ?? 3;
    this.#abandonGraceMs = o.abandonGraceMs ?? 30_000;
    this.#resourceLimits = o.resourceLimits;
    if (!this.#useWorker) this.#disabled = 'worker: false';
    registerErrorTransfer();
  }

  get status(): CompressorStatus {
    const live = this.#slots.filter((s) => !s.dead);
    return {
      mode: this.#disabled ? 'in-thread' : 'worker',
      workers: live.length,
      busy: live.filter((s) => s.job).length,
      queued: this.#queue.length,
      crashes: this.#crashes,
      ...(this.#disabled ? { reason: this.#disabled } : {}),
      ...(this.#lastCall ? { lastCall: this.#lastCall } : {}),
    };
  }

  // --- public API -------------------------------------------------------------------------

  compress<M>(messages: M[], options?: CompressorCompressOptions): Promise<CompressResult<M>> {
    return this.#messagesCall('compress', messages, options, (m, o) => compressInThread(m, o), (remote, m, wire, store) => remote.compress(m, wire, store));
  }

  simulate<M>(messages: M[], options?: CompressorCompressOptions): Promise<CompressorSimulateResult<M>> {
    return this.#messagesCall(
      'simulate',
      messages,
      options,
      async (m, o) => {
        const { store: _s, ...r } = await simulateInThread(m, { ...o, store: o.store ?? getDefaultStore() });
        void _s;
        return r;
      },
      (remote, m, wire, store) => remote.simulate(m, wire, store) as Promise<WireSimulateReply>,
    );
  }

  compressPayload(payload: string | Uint8Array | ArrayBuffer, options?: CompressPayloadOptions): Promise<CompressPayloadResult> {
    return this.#payloadCall(
      'compressPayload',
      payload,
      options,
      (m, o) => compressInThread(m, o),
      (remote, wp, wire, store) => remote.compressPayload(wp, wire, store),
    );
  }

  simulatePayload(payload: string | Uint8Array | ArrayBuffer, options?: CompressPayloadOptions): Promise<SimulatePayloadResult> {
    return this.#payloadCall(
      'simulatePayload',
      payload,
      options,
      async (m, o) => {
        const { store: _s, ...r } = await simulateInThread(m, { ...o, store: o.store ?? getDefaultStore() });
        void _s;
        return r;
      },
      (remote, wp, wire, store) => remote.simulatePayload(wp, wire, store) as Promise<WireSimulatePayloadReply>,
    );
  }

  /** compress/simulate: validate here, send the messages, put the caller's unchanged objects back. */
  async #messagesCall<M, R extends CompressResult<unknown>, W extends { result: object; messages: WireMessage[]; tools: WireCompressReply['tools']; workerMs: number }>(
    label: string,
    messages: M[],
    options: CompressorCompressOptions | undefined,
    local: (messages: M[], options: CompressOptions) => Promise<R>,
    remoteCall: (remote: Remote<WorkerApi>, messages: unknown[], wire: WireCompressOptions, store: (CCRStore & ProxyMarked) | undefined) => Promise<W>,
  ): Promise<Omit<R, 'messages'> & { messages: M[] }> {
    type Out = Omit<R, 'messages'> & { messages: M[] };
    const { call, rest } = splitCallOptions(options);
    const opts = validateOptions(rest) as CompressOptions; // caller mistakes throw here, in the caller's thread
    const store = opts.store ?? this.#store;
    const { store: _omit, ...wire } = opts;
    void _omit;
    const inThread = (why: string | null): Promise<Out> => local(messages, store ? { ...wire, store } : wire).then((r) => (why ? withResultWarning(r, why) : r) as unknown as Out);
    const blocked = Array.isArray(messages) ? uncloneableReason(wire) : 'messages is not an array';
    if (blocked !== null) return this.#direct(call, () => inThread(Array.isArray(messages) ? `options cannot be sent to a worker (${blocked}); ran in-thread` : null));
    return this.#submit<Out>(
      label,
      call,
      async (remote) => {
        const t0 = now();
        const reply = await remoteCall(remote, messages as unknown[], wire as WireCompressOptions, store ? proxy(store) : undefined);
        const out = messagesFromWire(messages, reply.messages);
        const tools = reply.tools.kind === 'same' ? wire.tools : reply.tools.kind === 'value' ? reply.tools.value : undefined;
        const result = { ...reply.result, messages: out } as unknown as Out & { tools?: unknown };
        if (tools !== undefined) result.tools = tools;
        this.#timing(label, t0, reply.workerMs);
        return result;
      },
      (why) => inThread(why),
    );
  }

  /** compressPayload/simulatePayload: the worker parses the payload too. */
  async #payloadCall<R extends CompressResult<unknown>>(
    label: string,
    payload: string | Uint8Array | ArrayBuffer,
    options: CompressPayloadOptions | undefined,
    local: (messages: unknown[], options: CompressOptions) => Promise<R>,
    remoteCall: (remote: Remote<WorkerApi>, payload: WirePayload, wire: WireCompressOptions, store: (CCRStore & ProxyMarked) | undefined) => Promise<{ input: PayloadInfo; result: object; workerMs: number }>,
  ): Promise<{ input: PayloadInfo; result: R }> {
    if (typeof payload !== 'string' && !(payload instanceof Uint8Array) && !(payload instanceof ArrayBuffer)) {
      throw new ConfigurationError(`${label}() takes a string, Uint8Array or ArrayBuffer`, { got: typeof payload });
    }
    const transfer = options?.transfer === true;
    const { call, rest } = splitCallOptions(options);
    const opts = validateOptions(rest) as CompressOptions;
    const store = opts.store ?? this.#store;
    const { store: _omit, ...wire } = opts;
    void _omit;
    const byteLength = typeof payload === 'string' ? 0 : payload.byteLength;
    const inThread = async (why: string | null): Promise<{ input: PayloadInfo; result: R }> => {
      if (typeof payload !== 'string' && payload.byteLength === 0 && byteLength > 0) {
        // The bytes were moved to a worker that then died: nothing is left here to retry with.
        throw new HeadroomCompressError(`${label}: the payload's buffer was transferred to a worker that failed (${why ?? 'unknown'}); it cannot be retried in-thread. Pass transfer: false to keep a copy for retries.`);
      }
      const text = typeof payload === 'string' ? payload : decodePayload(payload);
      const { messages, info } = parsePayload(text);
      const model = wire.model ?? info.model;
      const o: CompressOptions = payloadOptions(info, { ...wire, ...(model !== undefined ? { model } : {}), ...(store ? { store } : {}) });
      const result = await local(messages, o);
      if (why) result.warnings.push(why);
      return { input: info, result };
    };
    const blocked = uncloneableReason(wire);
    if (blocked !== null) return this.#direct(call, () => inThread(`options cannot be sent to a worker (${blocked}); ran in-thread`));
    return this.#submit(
      label,
      call,
      async (remote) => {
        let wp: WirePayload;
        if (typeof payload === 'string') wp = { kind: 'text', text: payload };
        else {
          const bytes = payload instanceof ArrayBuffer ? new Uint8Array(payload) : payload;
          wp = { kind: 'bytes', bytes };
          if (transfer) wp = transferable(wp, [bytes.buffer as ArrayBuffer]);
        }
        const t0 = now();
        const reply = await remoteCall(remote, wp, wire as WireCompressOptions, store ? proxy(store) : undefined);
        this.#timing(label, t0, reply.workerMs);
        return { input: reply.input, result: reply.result as R };
      },
      (why) => inThread(why),
    );
  }

  async retrieve(hash: string, options?: CompressorRetrieveOptions): Promise<RetrieveResult | null> {
    const out = await this.retrieveWithReason(hash, options);
    return out.ok ? out.result : null;
  }

  async retrieveWithReason(hash: string, options?: CompressorRetrieveOptions): Promise<RetrieveOutcome> {
    const { call, rest } = splitCallOptions(options);
    const store = rest.store ?? this.#store;
    const { store: _omit, ...wire } = rest;
    void _omit;
    const local = () => retrieveWithReason(hash, store ? { ...wire, store } : wire);
    if (store) return this.#direct(call, local);
    return this.#direct(call, async () => {
      // Browser: IndexedDB is shared, so this thread usually has it; the worker is asked for what
      // it kept elsewhere (its IndexedDB fell back to memory). Node: the worker owns the store.
      if (!env.isNode) {
        const mine = await local();
        if (mine.ok || mine.reason !== 'unknown') return mine;
        return (await this.#askWorkers(hash, wire)) ?? mine;
      }
      return (await this.#askWorkers(hash, wire)) ?? local();
    });
  }

  terminate(): void {
    const reason = new DOMException('The compressor was terminated', 'AbortError');
    for (const job of this.#queue.splice(0)) job.settle({ ok: false, error: reason });
    for (const slot of [...this.#slots]) {
      if (slot.job) slot.job.settle({ ok: false, error: reason });
      slot.kill(null);
    }
    this.#slots = [];
  }

  // --- scheduling -------------------------------------------------------------------------

  /** In-thread, with the same abort and timeout behaviour. */
  #direct<T>(call: CallOptions, run: () => Promise<T>): Promise<T> {
    const { signal } = call;
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const ms = call.timeoutMs ?? this.#timeoutMs;
    if (!signal && ms === undefined) return run();
    return new Promise<T>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = () => {
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        done();
        reject(abortReason(signal as AbortSignal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (ms !== undefined) timer = setTimeout(() => (done(), reject(timeoutError(ms, 'call'))), ms);
      run().then(
        (v) => (done(), resolve(v)),
        (e) => (done(), reject(e)),
      );
    });
  }

  #submit<T>(label: string, call: CallOptions, run: (remote: Remote<WorkerApi>) => Promise<T>, fallback: (why: string) => Promise<T>): Promise<T> {
    const { signal } = call;
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise<T>((resolve, reject) => {
      const ms = call.timeoutMs ?? this.#timeoutMs;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const job: Job = {
        label,
        run,
        fallback,
        settled: false,
        settle: (outcome) => {
          if (job.settled) return;
          job.settled = true;
          if (timer !== undefined) clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          if (outcome.ok) resolve(outcome.value as T);
          else reject(outcome.error);
        },
      };
      const cancel = (error: unknown) => {
        if (job.settled) return;
        job.settle({ ok: false, error });
        const i = this.#queue.indexOf(job);
        if (i >= 0) this.#queue.splice(i, 1); // never started: nothing else to do
        else if (job.slot && job.slot.job === job) this.#abandon(job.slot, job);
      };
      const onAbort = () => cancel(abortReason(signal as AbortSignal));
      signal?.addEventListener('abort', onAbort, { once: true });
      if (ms !== undefined) timer = setTimeout(() => cancel(timeoutError(ms, label)), ms);
      this.#queue.push(job);
      this.#pump();
    });
  }

  /** A running call was cancelled: stop its worker if nothing is lost by it, else let it finish (within the grace period). */
  #abandon(slot: Slot, job: Job): void {
    if (this.#store || !env.isNode) {
      slot.kill(null);
      this.#pump();
      return;
    }
    job.abandonTimer = setTimeout(() => {
      if (slot.job !== job || slot.dead) return;
      this.#warnOnce(`a worker kept running a cancelled ${job.label} for ${this.#abandonGraceMs} ms and was terminated; originals it held in memory are lost`, false);
      slot.kill(null);
      this.#pump();
    }, this.#abandonGraceMs);
  }

  #pump(): void {
    while (this.#queue.length > 0) {
      if (this.#disabled) {
        const why = this.#disabled;
        for (const job of this.#queue.splice(0)) this.#runFallback(job, why === 'worker: false' ? null : `worker unavailable (${why}); ran in-thread`);
        return;
      }
      let slot = this.#slots.find((s) => !s.dead && s.job === null);
      if (!slot && this.#slots.length < POOL_SIZE) slot = this.#spawn();
      if (!slot) {
        if (this.#disabled) continue; // it could not start: the loop's first branch runs the queue in-thread
        return; // all busy; #finish pumps again
      }
      const job = this.#queue.shift() as Job;
      this.#start(slot, job);
    }
  }

  #runFallback(job: Job, why: string | null): void {
    if (job.settled) return;
    if (why) this.#warnOnce(why, true);
    const label = why ?? '';
    job.fallback(label).then(
      (value) => job.settle({ ok: true, value }),
      (error) => job.settle({ ok: false, error }),
    );
  }

  #start(slot: Slot, job: Job): void {
    slot.job = job;
    job.slot = slot;
    slot.worker.ref();
    const work = slot.ready.then(() => job.run(slot.worker.remote));
    Promise.race([work, slot.died]).then(
      (value) => {
        this.#finish(slot, job);
        job.settle({ ok: true, value });
      },
      (err: unknown) => {
        this.#finish(slot, job);
        if (job.settled) return;
        if (err instanceof HeadroomError) {
          job.settle({ ok: false, error: err }); // the caller's mistake (or strict mode): same as in-thread
          return;
        }
        const why =
          err instanceof WorkerDied
            ? slot.hello
              ? `worker ${err.message}; ran in-thread`
              : `worker unavailable (${err.message}); ran in-thread`
            : isNamed(err, 'DataCloneError')
              ? `the call could not be sent to the worker (${describeError(err)}); ran in-thread`
              : `the worker failed (${describeError(err)}); ran in-thread`;
        this.#runFallback(job, why);
      },
    );
  }

  #finish(slot: Slot, job: Job): void {
    if (job.abandonTimer !== undefined) clearTimeout(job.abandonTimer);
    if (slot.job === job) slot.job = null;
    if (slot.job === null && slot.side === 0) slot.worker.unref();
    this.#pump();
  }

  #timing(label: string, t0: number, workerMs: number): void {
    const totalMs = now() - t0;
    this.#lastCall = { label, totalMs, workerMs, overheadMs: Math.max(0, totalMs - workerMs) };
  }

  #warnOnce(message: string, dedupe: boolean): void {
    if (dedupe && this.#warned.has(message)) return;
    this.#warned.add(message);
    try {
      this.#warn(message);
    } catch {
      // a throwing warning callback must not lose the call
    }
  }

  /** Ask live workers (Node: they own the originals). Null when none had it. */
  async #askWorkers(hash: string, options: Omit<RetrieveOptions, 'store'>): Promise<RetrieveOutcome | null> {
    let last: RetrieveOutcome | null = null;
    for (const slot of this.#slots) {
      if (slot.dead) continue;
      slot.side++;
      slot.worker.ref();
      try {
        const ask = (): Promise<RetrieveOutcome> => slot.worker.remote.retrieve(hash, options) as Promise<RetrieveOutcome>;
        const out: RetrieveOutcome = await Promise.race([slot.ready.then(ask), slot.died]);
        if (out.ok) return out;
        if (last === null || out.reason !== 'unknown') last = out;
      } catch {
        // a dead or failing worker has nothing to give
      } finally {
        slot.side--;
        if (slot.job === null && slot.side === 0 && !slot.dead) slot.worker.unref();
      }
    }
    return last && last.reason !== 'unknown' ? last : null;
  }

  // --- workers ----------------------------------------------------------------------------

  #spawn(): Slot | undefined {
    let dieNow: (reason: string) => void = () => {};
    const died = new Promise<never>((_, reject) => {
      dieNow = (reason) => reject(new WorkerDied(reason));
    });
    died.catch(() => {}); // observed through Promise.race; never an unhandled rejection
    let worker: SpawnedWorker;
    const id = this.#nextId++;
    let slot: Slot | undefined;
    const onDeath = (reason: string) => {
      if (!slot || slot.dead) return;
      slot.dead = true;
      this.#slots = this.#slots.filter((s) => s !== slot);
      dieNow(reason);
      if (slot.hello) {
        this.#crashes++;
        this.#warnOnce(`worker ${reason}`, false);
        if (this.#crashes > this.#maxRestarts) this.#disabled = `${this.#crashes} worker crashes, the last: ${reason}`;
      } else if (!this.#everStarted) {
        this.#disabled = reason;
      } else {
        this.#crashes++;
        if (this.#crashes > this.#maxRestarts) this.#disabled = `${this.#crashes} worker crashes, the last: ${reason}`;
      }
      queueMicrotask(() => this.#pump());
    };
    try {
      worker = env.isNode ? this.#spawnNode(onDeath) : this.#spawnBrowser(onDeath);
    } catch (err) {
      this.#disabled = `could not start a worker: ${describeError(err)}`;
      return undefined;
    }
    const s: Slot = {
      id,
      worker,
      died,
      ready: Promise.resolve({ protocol: PROTOCOL_VERSION, runtime: 'browser', defaultStore: 'memory' }),
      job: null,
      dead: false,
      side: 0,
      kill: (reason) => {
        if (s.dead) return;
        if (reason === null) {
          s.dead = true; // intentional: not a crash
          this.#slots = this.#slots.filter((x) => x !== s);
          dieNow('was terminated');
        } else onDeath(reason);
        try {
          worker.terminate();
        } catch {
          // already gone
        }
      },
    };
    slot = s;
    let startTimer: ReturnType<typeof setTimeout> | undefined;
    const hello = Promise.race([
      worker.remote.init({ protocol: PROTOCOL_VERSION }),
      died,
      new Promise<never>((_, reject) => {
        startTimer = setTimeout(() => reject(new WorkerDied(`did not start within ${this.#startTimeoutMs} ms`)), this.#startTimeoutMs);
      }),
    ]);
    s.ready = hello.then(
      (h) => {
        if (startTimer !== undefined) clearTimeout(startTimer);
        if (h.protocol !== PROTOCOL_VERSION) {
          const why = `speaks protocol ${h.protocol}, expected ${PROTOCOL_VERSION} (a stale worker.js?)`;
          s.kill(why);
          throw new WorkerDied(why);
        }
        s.hello = h;
        this.#everStarted = true;
        return h;
      },
      (err: unknown) => {
        if (startTimer !== undefined) clearTimeout(startTimer);
        const why = err instanceof WorkerDied ? err.message : `failed to start (${describeError(err)})`;
        s.kill(why);
        throw err instanceof WorkerDied ? err : new WorkerDied(why);
      },
    );
    s.ready.catch(() => {});
    this.#slots.push(s);
    return s;
  }

  #spawnBrowser(onDeath: (reason: string) => void): SpawnedWorker {
    if (typeof Worker !== 'function') throw new Error('this runtime has no Worker');
    // The literal `new Worker(new URL('./worker.js', import.meta.url), …)` is what bundlers look for.
    const w = this.#workerUrl
      ? new Worker(this.#workerUrl, { type: 'module', name: 'headroom-wasm' })
      : new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'headroom-wasm' });
    w.addEventListener('error', (e: ErrorEvent) => {
      e.preventDefault?.();
      onDeath(e.message ? `crashed (${e.message})` : 'failed to load (its script is missing, or blocked by the page\'s Content-Security-Policy)');
    });
    w.addEventListener('messageerror', () => onDeath('sent a message that could not be read'));
    return { remote: wrap<WorkerApi>(w), terminate: () => w.terminate(), ref: () => {}, unref: () => {} };
  }

  #spawnNode(onDeath: (reason: string) => void): SpawnedWorker {
    const wt = workerThreads();
    if (!wt) throw new Error('node:worker_threads is not available');
    // A variable, not a literal: browser bundlers would otherwise copy worker.js as a raw asset.
    const file = './worker.js';
    const url = this.#workerUrl ?? new URL(file, import.meta.url);
    const w = new wt.Worker(url, { name: 'headroom-wasm', ...(this.#resourceLimits ? { resourceLimits: this.#resourceLimits } : {}) });
    w.unref();
    w.on('error', (err: Error) => onDeath(`crashed (${describeError(err)})`));
    w.on('exit', (code: number) => onDeath(`exited (code ${code})`));
    return { remote: wrap<WorkerApi>(nodeEndpoint(w)), terminate: () => void w.terminate(), ref: () => w.ref(), unref: () => w.unref() };
  }
}

/**
 * A compressor with the `compress`/`retrieve` API that runs the engine off the main thread.
 *
 * @example
 * ```ts
 * import { createCompressor } from 'headroom-wasm';
 * const compressor = createCompressor({ worker: true, timeoutMs: 10_000 });
 * const result = await compressor.compress(messages, { model: 'gpt-4o', signal });
 * const original = await compressor.retrieve(result.ccrHashes[0]);
 * compressor.terminate();
 * ```
 */
export function createCompressor(options: CompressorOptions = {}): Compressor {
  return new WorkerCompressor(options);
}
