/**
 * createCompressor() over worker_threads, through the BUILT package (dist/: the worker is the
 * compiled dist/sdk/worker/worker.js, as consumers get it; `npm test` builds first).
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type * as Lib from '../../sdk/index.js';
import type * as Samples from '../../sdk/cli/samples.js';
import type * as Protocol from '../../sdk/worker/protocol.js';

const root = new URL('../../', import.meta.url);
let lib: typeof Lib;
let samples: typeof Samples;
let protocol: typeof Protocol;

beforeAll(async () => {
  lib = await import(new URL('dist/sdk/index.js', root).href);
  samples = await import(new URL('dist/sdk/cli/samples.js', root).href);
  protocol = await import(new URL('dist/sdk/worker/protocol.js', root).href);
});

function conversation(rows = 300): unknown[] {
  return [
    { role: 'system', content: 'You are an SRE agent. Today is 2026-11-20.' },
    { role: 'user', content: 'Which orders failed?' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'list_orders', arguments: '{}' } }] },
    { role: 'tool', tool_call_id: 'c1', content: JSON.stringify(samples.ordersJson(rows)) },
  ];
}

const quiet = () => ({ onWarning: vi.fn<(m: string) => void>() });

describe('createCompressor in Node (worker_threads)', () => {
  it('gives the same result as in-thread compress(), and unchanged messages are the caller’s own objects', async () => {
    const c = lib.createCompressor(quiet());
    try {
      const messages = conversation();
      const viaWorker = await c.compress(messages, { model: 'gpt-4o' });
      const inThread = await lib.compress(messages, { model: 'gpt-4o' });
      expect(c.status.mode).toBe('worker');
      expect(c.status.workers).toBe(1);
      expect(viaWorker.tokensBefore).toBe(inThread.tokensBefore);
      expect(viaWorker.tokensAfter).toBe(inThread.tokensAfter);
      expect(viaWorker.transformsApplied).toEqual(inThread.transformsApplied);
      expect(viaWorker.messages).toEqual(inThread.messages);
      expect(viaWorker.tokensAfter).toBeLessThan(viaWorker.tokensBefore / 5);
      // The user message was not edited: it is the caller's object, not a copy from the worker.
      expect(viaWorker.messages[1]).toBe(messages[1]);
      expect(viaWorker.messages[3]).not.toBe(messages[3]);
      expect(viaWorker.warnings).toEqual([]);
      const last = c.status.lastCall;
      expect(last?.label).toBe('compress');
      expect(last?.workerMs).toBeGreaterThan(0);
      expect(last?.totalMs).toBeGreaterThanOrEqual(last?.workerMs ?? Infinity);
    } finally {
      c.terminate();
    }
  });

  it('retrieves originals from the worker’s store (the worker owns it in Node)', async () => {
    const c = lib.createCompressor(quiet());
    try {
      const r = await c.compress(conversation(333), { model: 'gpt-4o' }); // not compressed in this thread by any other test
      expect(r.ccrHashes.length).toBeGreaterThan(0);
      const hash = r.ccrHashes[0];
      // Not in this thread's default store: only the worker has it...
      expect(await lib.retrieve(hash)).toBeNull();
      // ...and the compressor asks it.
      const original = await c.retrieve(hash);
      expect(original && 'content' in original ? JSON.parse(original.content as string).length : 0).toBeGreaterThan(100);
      const hits = await c.retrieve(hash, { query: 'card_declined' });
      expect(hits && 'matches' in hits ? hits.matches.length : 0).toBeGreaterThan(0);
      expect((await c.retrieveWithReason('0123456789abcdef01234567')).ok).toBe(false);
    } finally {
      c.terminate();
    }
  });

  it('writes through a caller’s store (a comlink proxy) when given one', async () => {
    const store = new lib.MemoryStore();
    const c = lib.createCompressor({ ...quiet(), store });
    try {
      const r = await c.compress(conversation(), { model: 'gpt-4o' });
      const hash = r.ccrHashes[0];
      expect(await store.get(hash)).not.toBeNull();
      expect(await c.retrieve(hash)).not.toBeNull();
    } finally {
      c.terminate();
    }
  });

  it('keeps error classes and codes across the boundary', async () => {
    const c = lib.createCompressor(quiet());
    try {
      // Thrown inside the worker: a forced format that cannot express the input.
      const err = await c.compress(conversation(), { format: 'gemini' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(lib.ProviderError);
      expect((err as Lib.HeadroomError).code).toBe('PROVIDER');
      // A caller mistake is caught before anything is sent.
      const bad = await c.compress(conversation(), { tokenBudget: -5 }).catch((e: unknown) => e);
      expect(bad).toBeInstanceOf(lib.ConfigurationError);
      expect(c.status.crashes).toBe(0);
    } finally {
      c.terminate();
    }
  });

  it('simulates in the worker: decisions, waste and cost, with markers the compressor resolves', async () => {
    const c = lib.createCompressor(quiet());
    try {
      const messages = conversation(250);
      const viaWorker = await c.simulate(messages, { model: 'gpt-4o' });
      const inThread = await lib.simulate(messages, { model: 'gpt-4o' });
      expect(viaWorker.tokensAfter).toBe(inThread.tokensAfter);
      expect(viaWorker.decisions).toEqual(inThread.decisions);
      expect(viaWorker.waste).toEqual(inThread.waste);
      expect(viaWorker.cost).toEqual(inThread.cost);
      expect('store' in viaWorker).toBe(false);
      expect(viaWorker.messages[1]).toBe(messages[1]);
      expect(await c.retrieve(viaWorker.ccrHashes[0])).not.toBeNull();
      const payload = await c.simulatePayload(JSON.stringify(samples.ordersJson(250)));
      expect(payload.result.decisions.length).toBeGreaterThan(0);
    } finally {
      c.terminate();
    }
  });

  it('round-trips every error class through the wire format', () => {
    const classes = [lib.ConfigurationError, lib.ProviderError, lib.StorageError, lib.TokenizationError, lib.CacheError, lib.ValidationError, lib.TransformError, lib.HeadroomConnectionError, lib.HeadroomAuthError];
    for (const C of classes) {
      const back = protocol.fromWireError(structuredClone(protocol.toWireError(new C('boom', { field: 'x', fn: () => 1 }))));
      expect(back).toBeInstanceOf(C);
      expect(back.code).toBe(new C('x').code);
      expect(back.details?.field).toBe('x');
    }
    const compressErr = protocol.fromWireError(protocol.toWireError(new lib.HeadroomCompressError('m', undefined, 503, 'overloaded')));
    expect(compressErr).toBeInstanceOf(lib.HeadroomCompressError);
    expect((compressErr as Lib.HeadroomCompressError).statusCode).toBe(503);
    const base = protocol.fromWireError(protocol.toWireError(new lib.HeadroomError('m', undefined, 'CACHE')));
    expect(base.code).toBe('CACHE');
  });

  it('compresses payloads (text, and bytes moved without a copy)', async () => {
    const c = lib.createCompressor(quiet());
    try {
      const text = JSON.stringify(samples.ordersJson(200));
      const fromText = await c.compressPayload(text, { model: 'gpt-4o' });
      expect(fromText.input.kind).toBe('tool-output');
      expect(fromText.input.contentType).toBe('json');
      const bytes = new TextEncoder().encode(text);
      const fromBytes = await c.compressPayload(bytes, { model: 'gpt-4o', transfer: true });
      expect(bytes.byteLength).toBe(0); // transferred: the caller's buffer is detached
      expect(fromBytes.result.tokensAfter).toBe(fromText.result.tokensAfter);
      const inThread = lib.parsePayload(text);
      const expected = await lib.compress(inThread.messages, { model: 'gpt-4o' });
      expect(fromText.result.tokensBefore).toBe(expected.tokensBefore);
      expect(fromText.result.tokensAfter).toBe(expected.tokensAfter);
    } finally {
      c.terminate();
    }
  });

  it('rejects at once on abort: queued calls never run, a running call rejects with the reason', async () => {
    const c = lib.createCompressor(quiet());
    try {
      const before = new AbortController();
      before.abort(new Error('not wanted'));
      await expect(c.compress(conversation(), { signal: before.signal })).rejects.toThrow('not wanted');
      expect(c.status.workers).toBe(0); // nothing was started for it

      const big = conversation(8_000);
      const ctl = new AbortController();
      const running = c.compress(big, { signal: ctl.signal });
      const queued = c.compress(big, { signal: ctl.signal });
      await Promise.resolve();
      ctl.abort();
      await expect(running).rejects.toMatchObject({ name: 'AbortError' });
      await expect(queued).rejects.toMatchObject({ name: 'AbortError' });
      // The compressor still works afterwards.
      const ok = await c.compress(conversation(), { model: 'gpt-4o' });
      expect(ok.compressed).toBe(true);
    } finally {
      c.terminate();
    }
  });

  it('times out with a TimeoutError', async () => {
    const c = lib.createCompressor({ ...quiet(), timeoutMs: 1 });
    try {
      await expect(c.compress(conversation(8_000))).rejects.toMatchObject({ name: 'TimeoutError' });
      const ok = await c.compress(conversation(), { timeoutMs: 60_000 });
      expect(ok.compressed).toBe(true);
    } finally {
      c.terminate();
    }
  });

  it('falls back in-thread, with a warning, when the worker cannot start', async () => {
    const onWarning = vi.fn<(m: string) => void>();
    const c = lib.createCompressor({ onWarning, workerUrl: new URL('dist/sdk/worker/no-such-worker.js', root) });
    try {
      const r = await c.compress(conversation(), { model: 'gpt-4o' });
      expect(r.compressed).toBe(true);
      expect(r.warnings.some((w) => /worker unavailable/.test(w))).toBe(true);
      expect(onWarning).toHaveBeenCalled();
      expect(c.status.mode).toBe('in-thread');
      // Originals of in-thread calls are retrievable through the compressor too.
      expect(await c.retrieve(r.ccrHashes[0])).not.toBeNull();
    } finally {
      c.terminate();
    }
  });

  it('never loses a request when the worker crashes: pending calls are retried in-thread', async () => {
    const onWarning = vi.fn<(m: string) => void>();
    const c = lib.createCompressor({ onWarning, workerUrl: new URL('./fixtures/crashing-worker.mjs', import.meta.url) });
    try {
      await c.compress(conversation(50)); // the worker is up
      const doomed = conversation(300);
      (doomed[1] as { content: string }).content = 'CRASH_ME: which orders failed?';
      const [crashed, queued] = await Promise.all([c.compress(doomed, { model: 'gpt-4o' }), c.compress(conversation(60))]);
      expect(crashed.compressed).toBe(true);
      expect(crashed.warnings.some((w) => /worker exited \(code 3\).*in-thread/.test(w))).toBe(true);
      expect(onWarning).toHaveBeenCalled();
      expect(c.status.crashes).toBe(1);
      // The call queued behind it went to a fresh worker.
      expect(queued.warnings).toEqual([]);
      expect(c.status.mode).toBe('worker');
      expect(c.status.workers).toBe(1);
    } finally {
      c.terminate();
    }
  });

  it('a transferred payload whose worker dies rejects clearly (its bytes are gone), a copied one falls back', async () => {
    const c = lib.createCompressor({ onWarning: () => {}, workerUrl: new URL('./fixtures/crashing-worker.mjs', import.meta.url) });
    try {
      const text = 'CRASH_ME ' + JSON.stringify(samples.ordersJson(100));
      const copied = await c.compressPayload(new TextEncoder().encode(text));
      expect(copied.result.warnings.some((w) => /in-thread/.test(w))).toBe(true);
      const moved = await c.compressPayload(new TextEncoder().encode(text), { transfer: true }).catch((e: unknown) => e);
      expect(moved).toBeInstanceOf(lib.HeadroomCompressError);
      expect(String((moved as Error).message)).toMatch(/transfer: false/);
    } finally {
      c.terminate();
    }
  });

  it('runs calls whose options cannot be cloned (functions) in-thread, with a warning', async () => {
    const c = lib.createCompressor(quiet());
    try {
      const r = await c.compress(conversation(), { tools: [{ type: 'function', function: { name: 'x' }, execute: () => 1 }] });
      expect(r.warnings.some((w) => /cannot be sent to a worker/.test(w))).toBe(true);
      expect(r.compressed).toBe(true);
    } finally {
      c.terminate();
    }
  });

  it('queues parallel calls for its worker; every one resolves', async () => {
    const c = lib.createCompressor(quiet());
    try {
      const results = await Promise.all([1, 2, 3, 4].map(() => c.compress(conversation(500))));
      expect(new Set(results.map((r) => r.tokensAfter)).size).toBe(1);
      expect(c.status.workers).toBe(1);
      for (const r of results) expect(await c.retrieve(r.ccrHashes[0])).not.toBeNull();
    } finally {
      c.terminate();
    }
  });

  it('worker: false runs in-thread with the same API and no warnings', async () => {
    const c = lib.createCompressor({ worker: false });
    const r = await c.compress(conversation());
    expect(r.warnings).toEqual([]);
    expect(c.status).toMatchObject({ mode: 'in-thread', workers: 0 });
    expect(await c.retrieve(r.ccrHashes[0])).not.toBeNull();
  });

  it('validates its own options', () => {
    expect(() => lib.createCompressor({ startTimeoutMs: 0 })).toThrow(lib.ConfigurationError);
    expect(() => lib.createCompressor({ timeoutMs: -1 })).toThrow(/timeoutMs/);
  });
});
