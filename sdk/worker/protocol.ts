/**
 * The worker boundary, in one file: what the compression worker exposes (`WorkerApi`), the shapes
 * that cross (`Wire*`), and the one comlink transfer handler both sides register so a thrown
 * `HeadroomError` keeps its class, `code` and `details` across the hop (comlink's own handler keeps
 * only name, message and stack; STYLE 4).
 *
 * Costs that shaped the wire format (bench/RESULTS.md "Worker"): structured clone of a messages
 * array or a string is a memcpy-speed copy (≈ 17 ms for 10 MB of messages on the bench machine),
 * while JSON-encoding to a transferable ArrayBuffer costs ≈ 10× that. So messages and strings are
 * cloned; only bytes the caller already holds (`Uint8Array`/`ArrayBuffer` payloads) are
 * transferred, and only when the caller opts in (`transfer: true`, like fflate's `consume`).
 * On the way back, messages the engine left unchanged are sent as their input index
 * (`{ ref: i }`) and the client puts the caller's own objects there again, so unedited messages
 * stay the caller's objects (and byte-identical for provider prompt caches), as with in-thread
 * `compress()`, and are not copied back.
 */
import { transferHandlers, type TransferHandler } from 'comlink';
import type { CCRStore } from '../../engine/ccr/types.js';
import {
  CacheError,
  ConfigurationError,
  HeadroomAuthError,
  HeadroomCompressError,
  HeadroomConnectionError,
  HeadroomError,
  ProviderError,
  StorageError,
  TokenizationError,
  TransformError,
  ValidationError,
  type HeadroomErrorCode,
} from '../../engine/errors.js';
import type { CompressOptions, CompressResult } from '../../engine/options.js';
import type { RetrieveOptions, RetrieveOutcome } from '../ccr/retrieve.js';
import type { SimulateResult } from '../simulate.js';
import type { PayloadInfo } from './payload.js';

/** Bumped when a message shape changes; the client refuses a worker that speaks another version. */
export const PROTOCOL_VERSION = 1;

/** compress() options as they cross: everything but `store` (a store travels as its own comlink proxy argument). */
export type WireCompressOptions = Omit<CompressOptions, 'store'>;

/** retrieve() options as they cross (the store, if any, is read on the caller's side). */
export type WireRetrieveOptions = Omit<RetrieveOptions, 'store'>;

/** One output message: the index of an unchanged input message, or a new value. */
export type WireMessage = { readonly ref: number } | { readonly value: unknown };

/** A compress() result without its messages (those travel as `WireMessage`s). */
export type WireResult = Omit<CompressResult<unknown>, 'messages' | 'tools'>;

export interface WireCompressReply {
  readonly result: WireResult;
  readonly messages: WireMessage[];
  /** `'same'`: the caller's own `options.tools`; `'none'`: undefined; otherwise the new list. */
  readonly tools: { readonly kind: 'same' } | { readonly kind: 'none' } | { readonly kind: 'value'; readonly value: unknown[] | Record<string, unknown> };
  /** Time spent inside the worker, ms (the rest of a round trip is queueing and copying). */
  readonly workerMs: number;
}

/** A simulate() result as it crosses: without messages (sent as `WireMessage`s) and without `store` (it stays in the worker; the compressor's `retrieve` reads it). */
export type WireSimulateResult = Omit<SimulateResult<unknown>, 'messages' | 'tools' | 'store'>;

export interface WireSimulateReply {
  readonly result: WireSimulateResult;
  readonly messages: WireMessage[];
  readonly tools: WireCompressReply['tools'];
  readonly workerMs: number;
}

/** A raw payload: pasted text, a file's bytes (UTF-8), either a tool output or a messages JSON. */
export type WirePayload = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'bytes'; readonly bytes: Uint8Array };

export interface WirePayloadReply {
  readonly input: PayloadInfo;
  readonly result: CompressResult<unknown>;
  readonly workerMs: number;
}

export interface WireSimulatePayloadReply {
  readonly input: PayloadInfo;
  readonly result: Omit<SimulateResult<unknown>, 'store'>;
  readonly workerMs: number;
}

export interface WorkerInit {
  readonly protocol: number;
}

export interface WorkerHello {
  readonly protocol: number;
  readonly runtime: 'node' | 'browser';
  /** What the worker stores originals in when the caller passes no store: 'indexeddb' or 'memory'. */
  readonly defaultStore: 'indexeddb' | 'memory';
}

/**
 * What `sdk/worker/worker.ts` exposes. A `store` argument is a comlink proxy of the caller's
 * `CCRStore`: the worker writes originals through it, so they land where the caller reads them.
 */
export interface WorkerApi {
  init(init: WorkerInit): Promise<WorkerHello>;
  compress(messages: unknown[], options: WireCompressOptions, store?: CCRStore): Promise<WireCompressReply>;
  compressPayload(payload: WirePayload, options: WireCompressOptions, store?: CCRStore): Promise<WirePayloadReply>;
  /** simulate(), keeping originals where compress() would (so the compressor's retrieve resolves its markers). */
  simulate(messages: unknown[], options: WireCompressOptions, store?: CCRStore): Promise<WireSimulateReply>;
  simulatePayload(payload: WirePayload, options: WireCompressOptions, store?: CCRStore): Promise<WireSimulatePayloadReply>;
  /** Looks in the worker's default store (the caller reads its own stores itself). */
  retrieve(hash: string, options: WireRetrieveOptions): Promise<RetrieveOutcome>;
}

// --- errors across the boundary --------------------------------------------------------------

/** A HeadroomError as it crosses. */
export interface WireHeadroomError {
  readonly name: string;
  readonly message: string;
  readonly code: HeadroomErrorCode;
  readonly stack?: string;
  readonly details?: Record<string, unknown>;
  readonly statusCode?: number;
  readonly errorType?: string;
}

/** comlink's serialized throw: `{ isError: true, value }` for errors, `{ isError: false, value }` for other thrown values. */
type ThrownWire = { isError: true; value: unknown; headroom?: WireHeadroomError } | { isError: false; value: unknown };

type DetailsCtor = new (message: string, details?: Record<string, unknown>) => HeadroomError;
const SUBCLASSES: Readonly<Record<string, DetailsCtor>> = {
  ConfigurationError,
  ProviderError,
  StorageError,
  TokenizationError,
  CacheError,
  ValidationError,
  TransformError,
  HeadroomConnectionError,
  HeadroomAuthError,
};

/** `details` as far as structured clone can carry them (functions and class instances become strings). */
function cloneableDetails(details: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (details === undefined) return undefined;
  try {
    structuredClone(details);
    return details;
  } catch {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(details)) {
      try {
        structuredClone(v);
        out[k] = v;
      } catch {
        out[k] = v instanceof Error ? `${v.name}: ${v.message}` : String(v);
      }
    }
    return out;
  }
}

export function toWireError(err: HeadroomError): WireHeadroomError {
  const e = err as HeadroomError & { statusCode?: number; errorType?: string };
  return {
    name: e.name,
    message: e.message,
    code: e.code,
    ...(e.stack !== undefined ? { stack: e.stack } : {}),
    ...(e.details !== undefined ? { details: cloneableDetails(e.details) } : {}),
    ...(e.statusCode !== undefined ? { statusCode: e.statusCode } : {}),
    ...(e.errorType !== undefined ? { errorType: e.errorType } : {}),
  };
}

/** Rebuild the error with its own class (unknown names become a HeadroomError with the same code). */
export function fromWireError(w: WireHeadroomError): HeadroomError {
  let err: HeadroomError;
  const Sub = Object.prototype.hasOwnProperty.call(SUBCLASSES, w.name) ? SUBCLASSES[w.name] : undefined;
  if (Sub) err = new Sub(w.message, w.details);
  else if (w.name === 'HeadroomCompressError') err = new HeadroomCompressError(w.message, w.details, w.statusCode, w.errorType);
  else err = new HeadroomError(w.message, w.details, w.code);
  if (w.stack !== undefined) err.stack = w.stack;
  return err;
}

let registered = false;

/**
 * Replace comlink's `throw` handler with one that carries HeadroomErrors whole. Both sides must
 * call this (the worker before `expose()`, the client before its first call); other thrown
 * values go through comlink's original handler unchanged. Idempotent.
 */
export function registerErrorTransfer(): void {
  if (registered) return;
  const original = transferHandlers.get('throw') as TransferHandler<unknown, ThrownWire> | undefined;
  if (!original) return;
  registered = true;
  const handler: TransferHandler<unknown, ThrownWire> = {
    canHandle: (value: unknown): value is unknown => original.canHandle(value),
    serialize(thrown: unknown) {
      const value = (thrown as { value?: unknown }).value;
      if (value instanceof HeadroomError) return [{ isError: true, value: { message: value.message, name: value.name }, headroom: toWireError(value) }, []];
      return original.serialize(thrown);
    },
    deserialize(wire: ThrownWire) {
      if (wire.isError && wire.headroom) throw fromWireError(wire.headroom);
      return original.deserialize(wire);
    },
  };
  transferHandlers.set('throw', handler);
}

// --- messages across the boundary --------------------------------------------------------------

/** Worker side: send unchanged input messages back as their index. */
export function messagesToWire(input: ReadonlyArray<unknown>, output: ReadonlyArray<unknown>): WireMessage[] {
  const index = new Map<unknown, number>();
  input.forEach((m, i) => {
    if (typeof m === 'object' && m !== null && !index.has(m)) index.set(m, i);
  });
  return output.map((m) => {
    const i = typeof m === 'object' && m !== null ? index.get(m) : undefined;
    return i === undefined ? { value: m } : { ref: i };
  });
}

/** Client side: put the caller's own objects back where the worker sent an index. */
export function messagesFromWire<M>(input: ReadonlyArray<M>, wire: ReadonlyArray<WireMessage>): M[] {
  return wire.map((w) => ('ref' in w ? input[w.ref] : (w.value as M)));
}

/** Why a call's options cannot be cloned (functions, e.g. an importance hook), or null when they can. */
export function uncloneableReason(value: unknown): string | null {
  try {
    structuredClone(value);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
