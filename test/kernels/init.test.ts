/**
 * Loading and selection: initKernels from bytes / Module / URL / Response, memoization,
 * no network for the default source, routing, and the platform-API discipline of engine/kernels.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

type IndexModule = typeof import('../../engine/kernels/index.js');

/** A fresh copy of engine/kernels/index.ts (module state: active kernels, memoized promise). */
async function freshIndex(): Promise<IndexModule> {
  vi.resetModules();
  return import('../../engine/kernels/index.js');
}

const root = join(import.meta.dirname, '..', '..');
const wasmFile = (): Uint8Array<ArrayBuffer> => new Uint8Array(readFileSync(join(root, 'wasm', 'build', 'kernels.wasm')));

describe('initKernels', () => {
  const realFetch = globalThis.fetch;
  beforeEach(() => {
    globalThis.fetch = (() => {
      throw new Error('network access in a kernels test');
    }) as typeof fetch;
  });
  afterEach(() => {
    globalThis.fetch = realFetch;
  });

  it('uses TS before init and the embedded bytes (no fetch) by default', async () => {
    const m = await freshIndex();
    expect(m.getKernels()).toBe(m.tsKernels);
    expect(m.getKernels().backend).toBe('ts');
    const k = await m.initKernels();
    expect(k.backend).toBe('wasm');
    expect(m.getKernels()).toBe(k);
    expect(k.kneedle(Float64Array.from([0, 5, 8, 9, 9.5, 10]))).toBe(m.tsKernels.kneedle(Float64Array.from([0, 5, 8, 9, 9.5, 10])));
  });

  it('embedded bytes equal wasm/build/kernels.wasm', async () => {
    const m = await freshIndex();
    expect(m.embeddedKernelsBytes()).toEqual(wasmFile());
  });

  it('loads from bytes (ArrayBuffer and view) and is memoized', async () => {
    const m = await freshIndex();
    const bytes = wasmFile();
    const p1 = m.initKernels(bytes);
    const p2 = m.initKernels(bytes.buffer as ArrayBuffer);
    expect(p2).toBe(p1);
    const k1 = await p1;
    expect(k1.backend).toBe('wasm');
    expect(await m.initKernels()).toBe(k1);
    expect(await m.initKernels(new WebAssembly.Module(bytes))).toBe(k1);
  });

  it('loads from a WebAssembly.Module', async () => {
    const m = await freshIndex();
    const k = await m.initKernels(new WebAssembly.Module(wasmFile()));
    expect(k.backend).toBe('wasm');
    expect(m.getKernels()).toBe(k);
  });

  it('loads from a URL with or without the application/wasm MIME type', async () => {
    for (const type of ['application/wasm', 'application/octet-stream']) {
      const m = await freshIndex();
      const calls: string[] = [];
      globalThis.fetch = (async (url: string | URL) => {
        calls.push(String(url));
        return new Response(wasmFile(), { headers: { 'content-type': type } });
      }) as typeof fetch;
      const k = await m.initKernels(new URL('https://example.invalid/kernels.wasm'));
      expect(k.backend).toBe('wasm');
      expect(calls).toEqual(['https://example.invalid/kernels.wasm']);
    }
  });

  it('loads from a Response', async () => {
    const m = await freshIndex();
    const k = await m.initKernels(new Response(wasmFile(), { headers: { 'content-type': 'application/wasm' } }));
    expect(k.backend).toBe('wasm');
  });

  it('a failed load rejects, keeps TS active and can be retried', async () => {
    const m = await freshIndex();
    await expect(m.initKernels(new Uint8Array([0, 1, 2, 3]))).rejects.toThrow();
    expect(m.getKernels().backend).toBe('ts');
    globalThis.fetch = (async () => new Response('nope', { status: 404 })) as unknown as typeof fetch;
    await expect(m.initKernels('https://example.invalid/missing.wasm')).rejects.toMatchObject({ code: 'CONFIGURATION' });
    expect((await m.initKernels()).backend).toBe('wasm');
  });

  it('initKernelsSync loads and shares the memo with initKernels', async () => {
    const m = await freshIndex();
    const k = m.initKernelsSync();
    expect(k.backend).toBe('wasm');
    expect(m.initKernelsSync()).toBe(k);
    expect(await m.initKernels()).toBe(k);
  });

  it('routes each function as ROUTING says', async () => {
    const m = await freshIndex();
    const k = await m.initKernels();
    const names = ['simhash', 'hammingTo', 'groupNearDuplicates', 'bm25', 'fieldStats', 'changePoints', 'kneedle'] as const;
    for (const name of names) {
      if (m.ROUTING[name] === 'ts') expect(k[name]).toBe(m.tsKernels[name]);
      else expect(k[name]).not.toBe(m.tsKernels[name]);
    }
    // fieldStats below/above WASM_MIN_LENGTH: same results either way.
    for (const n of [3, (m.WASM_MIN_LENGTH.fieldStats ?? 0) + 10]) {
      const v = Float64Array.from({ length: n }, (_, i) => (i * 7919) % 101);
      const a = k.fieldStats(v, 1);
      const b = m.tsKernels.fieldStats(v, 1);
      expect([a.count, a.mean, a.variance, a.min, a.max]).toEqual([b.count, b.mean, b.variance, b.min, b.max]);
      expect(a.zScores).toEqual(b.zScores);
      expect(a.outliers).toEqual(b.outliers);
    }
    expect('simhashTexts' in k).toBe(m.ROUTING.simhashTexts === 'wasm');
    expect('bm25Texts' in k).toBe(m.ROUTING.bm25Texts === 'wasm');
  });
});

describe('engine/kernels platform discipline', () => {
  it('touches no platform API besides WebAssembly, fetch (URL only) and atob', () => {
    const dir = join(root, 'engine', 'kernels');
    const files = [...readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f)), ...readdirSync(join(dir, 'ts')).map((f) => join(dir, 'ts', f))];
    for (const f of files) {
      const src = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      for (const banned of [/\bprocess\./, /\bwindow\./, /\bdocument\./, /\bself\./, /\bnode:/, /\brequire\(/, /\bimport\.meta\b/, /\bTextEncoder\b/, /\beval\b/, /\bnew Function\b/, /\bBuffer\b/]) {
        expect(banned.test(src), `${f} uses ${banned}`).toBe(false);
      }
    }
  });
});
