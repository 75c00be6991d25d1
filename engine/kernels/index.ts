/**
 * Kernel selection. `getKernels()` answers synchronously: the plain-TS kernels until
 * `initKernels()` has loaded kernels.wasm, then a per-function mix chosen by measurement
 * (ROUTING below, numbers in bench/RESULTS.md "## Kernels").
 *
 * Loading uses only `WebAssembly`, `atob` (default embedded bytes) and `fetch` (only when the
 * caller passes a URL), so it works in Node 20, a module Worker and an MV3 extension page under
 * CSP `script-src 'self' 'wasm-unsafe-eval'`: no network by default, no eval, no blob: URLs.
 */
import { KERNELS_WASM_BASE64 } from '../../wasm/build/kernels-bytes.js';
import { ConfigurationError } from '../errors.js';
import type { TextKernels } from './hash.js';
import { tsKernels } from './ts/index.js';
import type { Kernels } from './types.js';
import { createWasmKernels, type WasmKernels } from './wasm-binding.js';

export { tsKernels };
export type { FieldStats, Bm25Params, Kernels } from './types.js';
export type { TextKernels } from './hash.js';

/** Functions that can be routed; the `*Texts` entries are the fused string paths of hash.ts. */
export type RoutedFunction = Exclude<keyof Kernels, 'backend'> | keyof TextKernels;

/**
 * Which implementation serves each function once WASM is loaded. Chosen from the medians of
 * bench/kernels.ts (Node 20, see bench/RESULTS.md); a function stays on TS where WASM did not
 * win by a clear margin (the copy into and out of linear memory is most of the cost there).
 */
export const ROUTING: Readonly<Record<RoutedFunction, 'wasm' | 'ts'>> = Object.freeze({
  simhash: 'wasm',
  hammingTo: 'wasm',
  groupNearDuplicates: 'wasm',
  bm25: 'wasm',
  fieldStats: 'wasm',
  changePoints: 'wasm',
  kneedle: 'wasm',
  simhashTexts: 'wasm',
  bm25Texts: 'wasm',
});

/** Anything initKernels accepts: a compiled module, the .wasm bytes, a URL to fetch, or a fetched Response. */
export type KernelsSource = WebAssembly.Module | BufferSource | URL | string | Response;

let active: Kernels = tsKernels;
let pending: Promise<Kernels> | null = null;

/** The active kernels: TS before initKernels() resolves, the routed WASM/TS mix afterwards. */
export function getKernels(): Kernels {
  return active;
}

/** Composes WASM and TS functions according to ROUTING. `backend` is 'wasm'. */
export function routeKernels(wasm: WasmKernels, routing: Readonly<Record<RoutedFunction, 'wasm' | 'ts'>> = ROUTING): Kernels {
  const pick = <K extends Exclude<keyof Kernels, 'backend'>>(name: K): Kernels[K] =>
    routing[name] === 'wasm' ? wasm[name] : tsKernels[name];
  const k: Kernels = {
    backend: 'wasm',
    simhash: pick('simhash'),
    hammingTo: pick('hammingTo'),
    groupNearDuplicates: pick('groupNearDuplicates'),
    bm25: pick('bm25'),
    fieldStats: pick('fieldStats'),
    changePoints: pick('changePoints'),
    kneedle: pick('kneedle'),
  };
  // The fused string paths are all-or-nothing per helper (hash.ts checks for both).
  if (routing.simhashTexts === 'wasm' && routing.bm25Texts === 'wasm') {
    return Object.freeze({ ...k, simhashTexts: wasm.simhashTexts, bm25Texts: wasm.bm25Texts });
  }
  return Object.freeze(k);
}

function decodeBase64(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The embedded kernels.wasm bytes (decoded from base64 on each call). */
export function embeddedKernelsBytes(): Uint8Array<ArrayBuffer> {
  return decodeBase64(KERNELS_WASM_BASE64);
}

async function compileResponse(res: Response): Promise<WebAssembly.Module> {
  if (!res.ok) throw new ConfigurationError(`initKernels: fetching kernels.wasm failed with HTTP ${res.status}`, { url: res.url, status: res.status });
  const type = res.headers.get('content-type') ?? '';
  if (typeof WebAssembly.compileStreaming === 'function' && type.split(';')[0].trim() === 'application/wasm') {
    const copy = res.clone();
    try {
      return await WebAssembly.compileStreaming(res);
    } catch {
      return WebAssembly.compile(await copy.arrayBuffer());
    }
  }
  return WebAssembly.compile(await res.arrayBuffer());
}

function isResponse(x: unknown): x is Response {
  return typeof Response !== 'undefined' && x instanceof Response;
}

async function toModule(source: KernelsSource | undefined): Promise<WebAssembly.Module> {
  if (source === undefined) return WebAssembly.compile(embeddedKernelsBytes());
  if (source instanceof WebAssembly.Module) return source;
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return WebAssembly.compile(source);
  if (isResponse(source)) return compileResponse(source);
  if (typeof source === 'string' || source instanceof URL) return compileResponse(await fetch(source));
  throw new ConfigurationError('initKernels: source must be a WebAssembly.Module, bytes, a URL or a Response');
}

function activate(module: WebAssembly.Module, instance: WebAssembly.Instance): Kernels {
  void module;
  active = routeKernels(createWasmKernels(instance));
  return active;
}

/**
 * Loads kernels.wasm once and makes getKernels() return the routed WASM kernels. Memoized: the
 * first call's source wins and every later call returns the same promise (after a failure the
 * next call retries). Default source: the bytes embedded in the package (no fetch).
 */
export function initKernels(source?: KernelsSource): Promise<Kernels> {
  if (pending) return pending;
  pending = (async () => {
    const module = await toModule(source);
    const instance = await WebAssembly.instantiate(module, {});
    return activate(module, instance);
  })();
  pending.catch(() => {
    pending = null;
  });
  return pending;
}

/**
 * Synchronous variant for Node and workers (browsers limit synchronous compilation on the main
 * thread). Also memoized; returns the already active WASM kernels if loaded.
 */
export function initKernelsSync(source?: WebAssembly.Module | BufferSource): Kernels {
  if (active !== tsKernels) return active;
  const module = source instanceof WebAssembly.Module ? source : new WebAssembly.Module(source ?? embeddedKernelsBytes());
  const k = activate(module, new WebAssembly.Instance(module, {}));
  pending = Promise.resolve(k);
  return k;
}
