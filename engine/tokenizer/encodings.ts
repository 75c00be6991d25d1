/**
 * Lazy loading and caching of BPE encodings (one `BpeCore` per encoding per realm).
 *
 * Ranks come from `js-tiktoken/ranks/<encoding>` via a dynamic `import()`, so importing the
 * tokenizer never loads ~2 MB (o200k) / ~1 MB (cl100k) of rank data it does not use; bundlers
 * split each rank file into its own chunk. Hosts that cannot dynamic-import (MV3 service workers,
 * some sandboxes) import the rank module statically and pass it in:
 *
 *   import o200k from 'js-tiktoken/ranks/o200k_base';
 *   registerEncodingRanks('o200k_base', o200k);          // or getTokenCounter(model, { ranks: { o200k_base: o200k } })
 */

import { TokenizationError } from '../errors.js';
import { BpeCore, EXPECTED_RANK_COUNT, type BpeRanksData } from './bpe.js';
import type { EncodingName } from './types.js';

export type { BpeRanksData } from './bpe.js';

export const ENCODINGS: ReadonlyArray<EncodingName> = ['o200k_base', 'cl100k_base'];

const cores = new Map<EncodingName, BpeCore>();
const pending = new Map<EncodingName, Promise<BpeCore>>();

/** Milliseconds spent importing and building each loaded encoding (for the bench and diagnostics). */
export interface EncodingLoadTiming {
  readonly importMs: number;
  readonly buildMs: number;
  readonly source: 'import' | 'supplied';
}
const timings = new Map<EncodingName, EncodingLoadTiming>();

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

export function isEncodingName(x: unknown): x is EncodingName {
  return x === 'o200k_base' || x === 'cl100k_base';
}

/** True when `name`'s ranks are loaded and counting with it is synchronous. */
export function isEncodingLoaded(name: EncodingName): boolean {
  return cores.has(name);
}

/** Encodings currently loaded in this realm. */
export function loadedEncodings(): EncodingName[] {
  return [...cores.keys()];
}

export function encodingLoadTiming(name: EncodingName): EncodingLoadTiming | undefined {
  return timings.get(name);
}

/** The loaded core for `name`, if any. */
export function getLoadedEncoding(name: EncodingName): BpeCore | undefined {
  return cores.get(name);
}

function build(name: EncodingName, data: BpeRanksData, importMs: number, source: 'import' | 'supplied'): BpeCore {
  const t0 = now();
  let core: BpeCore;
  try {
    core = new BpeCore(name, data);
  } catch (err) {
    throw new TokenizationError(`Invalid rank data for ${name}: ${(err as Error).message}`, { encoding: name });
  }
  const expected = EXPECTED_RANK_COUNT[name];
  if (core.size !== expected) {
    throw new TokenizationError(
      `Rank data passed for ${name} has ${core.size} ranks, expected ${expected} — wrong encoding file?`,
      { encoding: name, ranks: core.size, expected },
    );
  }
  timings.set(name, { importMs, buildMs: now() - t0, source });
  return core;
}

/**
 * Use caller-supplied rank data (the default export of `js-tiktoken/ranks/<name>`) for `name`.
 * Synchronous. Throws `TokenizationError` when the data is malformed or belongs to another
 * encoding. A no-op when the encoding is already loaded.
 */
export function registerEncodingRanks(name: EncodingName, data: BpeRanksData): BpeCore {
  const existing = cores.get(name);
  if (existing) return existing;
  const core = build(name, data, 0, 'supplied');
  cores.set(name, core);
  return core;
}

async function importRanks(name: EncodingName): Promise<BpeRanksData> {
  // One literal import per encoding so bundlers emit one chunk each and only fetch what is used.
  switch (name) {
    case 'o200k_base':
      return (await import('js-tiktoken/ranks/o200k_base')).default;
    case 'cl100k_base':
      return (await import('js-tiktoken/ranks/cl100k_base')).default;
  }
}

/**
 * Load `name` (dynamic import of its ranks, once per realm; concurrent calls share one load).
 * Rejects with `TokenizationError` when the ranks cannot be imported or parsed; a failed load is
 * not cached, so a later call retries.
 */
export function loadEncoding(name: EncodingName): Promise<BpeCore> {
  const existing = cores.get(name);
  if (existing) return Promise.resolve(existing);
  const inflight = pending.get(name);
  if (inflight) return inflight;
  const p = (async () => {
    const t0 = now();
    let data: BpeRanksData;
    try {
      data = await importRanks(name);
    } catch (err) {
      throw new TokenizationError(`Could not load ${name} ranks: ${(err as Error)?.message ?? String(err)}`, {
        encoding: name,
      });
    }
    const core = build(name, data, now() - t0, 'import');
    cores.set(name, core);
    return core;
  })();
  pending.set(name, p);
  p.then(
    () => pending.delete(name),
    () => pending.delete(name),
  );
  return p;
}

/** Load several encodings (default: all). */
export async function preloadEncodings(names: ReadonlyArray<EncodingName> = ENCODINGS): Promise<void> {
  await Promise.all(names.map((n) => loadEncoding(n)));
}

/**
 * Forget a loaded encoding: frees its lookup tables (≈ 5 MB for o200k, 2.5 MB for cl100k) once
 * no counter references them. The imported rank module itself (≈ 4.6 / 2.2 MB of string) stays
 * in the module cache. Counters created earlier keep working; new counters load it again.
 */
export function unloadEncoding(name: EncodingName): void {
  cores.delete(name);
  timings.delete(name);
}
