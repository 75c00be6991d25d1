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
 * Which implementation serves each function once WASM is loaded, from repeated runs of
 * bench/kernels.ts (Node 20.20, 2 vCPU, shared machine; bench/RESULTS.md). WASM speed-ups
 * (TS ÷ WASM, medians): simhash ≈ 4.3–5.9×, hammingTo ≈ 4–6×, groupNearDuplicates ≈ 6.5–9×,
 * bm25 ≈ 2.5×, fieldStats ≈ 1.3–1.6× (1M values), changePoints ≈ 2.3–2.5× (100k values). A function stays on TS where WASM did not win
 * clearly, because copying in and out of linear memory eats the gain:
 *  - kneedle: ≈ 1.0× at 100–2000 points, 0.55× at 20 points, 1.0–2× (noisy) at 10k points.
 *    Knee curves have one point per item (tens to thousands), so TS: two trivial loops, no copy.
 * The fused string paths are compared with TS hashing + the WASM kernel (the alternative once
 * WASM is loaded):
 *  - simhashTexts (4-gram hashing + SimHash in WASM): ≈ 1.2–1.4× faster.
 *  - bm25Texts (tokenising + BM25 in WASM): ≈ 1.25× faster on log-line-sized documents
 *    (100–10k docs of ~10 words), ≈ 1.0× on 40-word documents, where the JS loop copying UTF-16
 *    into memory costs what WASM saves on tokenising. It never loses, so it stays on WASM.
 * Small inputs: see WASM_MIN_LENGTH.
 */
export const ROUTING: Readonly<Record<RoutedFunction, 'wasm' | 'ts'>> = Object.freeze({
  simhash: 'wasm',
  hammingTo: 'wasm',
  groupNearDuplicates: 'wasm',
  bm25: 'wasm',
  fieldStats: 'wasm',
  changePoints: 'wasm',
  kneedle: 'ts',
  simhashTexts: 'wasm',
  bm25Texts: 'wasm',
});

/**
 * Below these input lengths a WASM-routed function still runs in TS: the fixed cost of a WASM
 * call (scratch reset, allocation, view checks, copies; ≈ 0.5 µs) outweighs the gain on small
 * inputs. fieldStats: TS is faster up to ~100–200 values (0.7× at 20, 0.8× at 100 values,
 * WASM 1.8× at 500).
 */
export const WASM_MIN_LENGTH: Readonly<Partial<Record<RoutedFunction, number>>> = Object.freeze({
  fieldStats: 256,
});

/** Anything initKernels accepts: a compiled module, the .wasm bytes, a URL to fetch, or a fetched Response. */
export type KernelsSource = WebAssembly.Module | BufferSource | URL | string | Response;

let active: Kernels = tsKernels;
let pending: Promise<Kernels> | null = null;

/** The active kernels: TS before initKernels() resolves, the routed WASM/TS mix afterwards. */
export function getKernels(): Kernels {
  return active;
}

/** Composes WASM and TS functions according to ROUTING and WASM_MIN_LENGTH. `backend` is 'wasm'. */
export function routeKernels(
  wasm: WasmKernels,
  routing: Readonly<Record<RoutedFunction, 'wasm' | 'ts'>> = ROUTING,
  minLength: Readonly<Partial<Record<RoutedFunction, number>>> = WASM_MIN_LENGTH,
): Kernels {
  const pick = <K extends Exclude<keyof Kernels, 'backend'>>(name: K): Kernels[K] =>
    routing[name] === 'wasm' ? wasm[name] : tsKernels[name];
  const statsMin = minLength.fieldStats ?? 0;
  const fieldStats: Kernels['fieldStats'] =
    routing.fieldStats === 'wasm' && statsMin > 0
      ? (values, k) => (values.length < statsMin ? tsKernels.fieldStats(values, k) : wasm.fieldStats(values, k))
      : pick('fieldStats');
  const k: Kernels = {
    backend: 'wasm',
    simhash: pick('simhash'),
    hammingTo: pick('hammingTo'),
    groupNearDuplicates: pick('groupNearDuplicates'),
    bm25: pick('bm25'),
    fieldStats,
    changePoints: pick('changePoints'),
    kneedle: pick('kneedle'),
  };
  // Fused string paths are attached only when routed to WASM (hash.ts looks for them).
  const text: Partial<TextKernels> = {};
  if (routing.simhashTexts === 'wasm') text.simhashTexts = wasm.simhashTexts;
  if (routing.bm25Texts === 'wasm') text.bm25Texts = wasm.bm25Texts;
  return Object.freeze({ ...k, ...text });
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

function activate(instance: WebAssembly.Instance): Kernels {
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
    return activate(instance);
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
  const k = activate(new WebAssembly.Instance(module, {}));
  pending = Promise.resolve(k);
  return k;
}
