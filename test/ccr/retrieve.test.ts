import fc from 'fast-check';
import * as fake from 'fake-indexeddb';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ccrHash } from '../../engine/ccr/hash.js';
import type { CCREntry, CCRStore } from '../../engine/ccr/types.js';
import { createDefaultStore, drainStoreWarnings, getDefaultStore, setDefaultStore } from '../../sdk/ccr/default-store.js';
import { FileStore } from '../../sdk/ccr/file-store.js';
import { IndexedDBStore } from '../../sdk/ccr/idb-store.js';
import { MemoryStore } from '../../sdk/ccr/memory-store.js';
import { normalizeHash, retrieve, retrieveWithReason, splitOriginal, type RetrieveMatches } from '../../sdk/ccr/retrieve.js';
import { detectEnv, env } from '../../sdk/env.js';

const entry = (content: string, source = 'test'): CCREntry => ({ hash: ccrHash(content), content, source });

const INTERFACES = ['IDBCursor', 'IDBCursorWithValue', 'IDBDatabase', 'IDBFactory', 'IDBIndex', 'IDBKeyRange', 'IDBObjectStore', 'IDBOpenDBRequest', 'IDBRequest', 'IDBTransaction', 'IDBVersionChangeEvent'] as const;

let dir: string;
beforeAll(async () => {
  for (const name of INTERFACES) vi.stubGlobal(name, fake[name]);
  dir = await mkdtemp(join(tmpdir(), 'headroom-retrieve-'));
});
afterAll(async () => {
  vi.unstubAllGlobals();
  await rm(dir, { recursive: true, force: true });
});

describe('retrieve: byte-exact originals from every store', () => {
  it('property: after put, retrieve(ccrHash(x)) returns x exactly, in memory, IndexedDB and file stores', async () => {
    const stores: Array<[string, CCRStore]> = [
      ['memory', new MemoryStore({ maxEntries: 100_000 })],
      ['indexeddb', new IndexedDBStore({ indexedDB: new fake.IDBFactory(), maxEntries: 100_000 })],
      ['file', new FileStore({ dir, maxEntries: 100_000 })],
    ];
    const original = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.string({ unit: 'grapheme', maxLength: 80 }),
      fc.json(),
      fc.array(fc.record({ id: fc.nat(), msg: fc.string({ unit: 'binary' }) }), { maxLength: 20 }).map((a) => JSON.stringify(a, null, 2)),
    );
    await fc.assert(
      fc.asyncProperty(original, async (x) => {
        const e = entry(x, 'smart_crusher');
        for (const [, store] of stores) {
          await store.put(e);
          const got = await retrieve(e.hash, { store });
          expect(got).toEqual({ hash: e.hash, content: x });
        }
      }),
      { numRuns: 120 },
    );
    for (const [name, store] of stores) expect(drainStoreWarnings(store), name).toEqual([]);
  });

  it('a plain retrieve(hash) finds what was stored in the default store', async () => {
    const original = 'stored through the default store';
    await getDefaultStore().put(entry(original));
    expect(await retrieve(ccrHash(original))).toEqual({ hash: ccrHash(original), content: original });
  });
});

describe('retrieve with a query', () => {
  const items = Array.from({ length: 200 }, (_, i) => ({
    id: i,
    level: i % 50 === 7 ? 'error' : 'info',
    message: i % 50 === 7 ? `authentication failed for user u${i}` : `request ${i} served in ${i % 13} ms`,
  }));
  const json = JSON.stringify(items, null, 2);
  const store = new MemoryStore();

  it('ranks JSON array items by BM25 and returns the matches in original order as compact JSON', async () => {
    await store.put(entry(json));
    const r = (await retrieve(ccrHash(json), { store, query: 'authentication failed' })) as RetrieveMatches;
    expect(r.unit).toBe('items');
    expect(r.total).toBe(200);
    expect(r.matches.map((m) => m.index)).toEqual([7, 57, 107, 157]);
    expect(r.matches[0].text).toBe(JSON.stringify(items[7]));
    expect(r.matches.every((m) => m.score > 0)).toBe(true);
    expect(r.matched).toBe(4);
    expect(r.content).toBeUndefined();
    expect(r.query).toBe('authentication failed');
  });

  it('keeps the top maxMatches by score, then restores original order', async () => {
    const lines = ['alpha', 'beta gamma', 'gamma gamma gamma', 'delta', 'gamma', 'gamma gamma'].join('\n');
    await store.put(entry(lines));
    const r = (await retrieve(ccrHash(lines), { store, query: 'gamma', maxMatches: 2 })) as RetrieveMatches;
    expect(r.unit).toBe('lines');
    expect(r.matched).toBe(4);
    expect(r.matches).toHaveLength(2);
    const indices = r.matches.map((m) => m.index);
    expect(indices).toEqual([...indices].sort((a, b) => a - b));
    const all = (await retrieve(ccrHash(lines), { store, query: 'gamma' })) as RetrieveMatches;
    const best2 = [...all.matches].sort((a, b) => b.score - a.score).slice(0, 2).map((m) => m.index).sort((a, b) => a - b);
    expect(indices).toEqual(best2);
  });

  it('searches lines of plain text, with 0-based line numbers', async () => {
    const log = 'INFO boot\nWARN disk 91%\nERROR timeout talking to db\nINFO done\r\nERROR db connection refused';
    await store.put(entry(log));
    const r = (await retrieve(ccrHash(log), { store, query: 'db' })) as RetrieveMatches;
    expect(r.unit).toBe('lines');
    expect(r.total).toBe(5);
    expect(r.matches.map((m) => [m.index, m.text])).toEqual([
      [2, 'ERROR timeout talking to db'],
      [4, 'ERROR db connection refused'],
    ]);
  });

  it('searches the messages of dropped-context originals', async () => {
    const dropped = JSON.stringify([
      { role: 'user', content: 'set up the database migration' },
      { role: 'assistant', content: 'ok, running migrate' },
      { role: 'user', content: 'now deploy the frontend' },
    ]);
    await store.put(entry(dropped, 'rolling_window'));
    const r = (await retrieve(ccrHash(dropped), { store, query: 'database migration' })) as RetrieveMatches;
    expect(r.unit).toBe('messages');
    expect(r.matches.map((m) => m.index)).toEqual([0]);
    expect(JSON.parse(r.matches[0].text)).toEqual({ role: 'user', content: 'set up the database migration' });
  });

  it('returns the full original, saying so, when nothing matches (never an empty answer)', async () => {
    const r = (await retrieve(ccrHash(json), { store, query: 'kubernetes' })) as RetrieveMatches;
    expect(r.matches).toEqual([]);
    expect(r.matched).toBe(0);
    expect(r.content).toBe(json);
    expect(r.note).toMatch(/None of the 200 items matched.*full original/);
  });

  it('an empty or blank query means the whole original', async () => {
    expect(await retrieve(ccrHash(json), { store, query: '  ' })).toEqual({ hash: ccrHash(json), content: json });
  });

  it('splitOriginal: arrays to items (compact JSON), everything else to lines', () => {
    expect(splitOriginal('[1, {"a": 2}, "x"]')).toEqual({ unit: 'items', docs: ['1', '{"a":2}', '"x"'] });
    expect(splitOriginal('[not json')).toEqual({ unit: 'lines', docs: ['[not json'] });
    expect(splitOriginal('{"a":1}\n{"b":2}').unit).toBe('lines');
    expect(splitOriginal('[{"role":"user","content":"x"}]').unit).toBe('messages');
  });
});

describe('retrieveWithReason', () => {
  it('invalid_hash for anything that is not 24 hex; lenient with case, quotes and a hash= prefix', async () => {
    const store = new MemoryStore();
    for (const bad of ['', 'abc', 'z'.repeat(24), 'a'.repeat(25), '0123456789abcdef0123456g', 42 as unknown as string, undefined as unknown as string]) {
      const out = await retrieveWithReason(bad, { store });
      expect(out).toMatchObject({ ok: false, reason: 'invalid_hash' });
      if (!out.ok) expect(out.message).toMatch(/24 hex characters/);
      expect(await retrieve(bad, { store })).toBeNull();
    }
    const e = entry('found');
    await store.put(e);
    for (const ok of [e.hash.toUpperCase(), ` hash=${e.hash} `, `"${e.hash}"`, `HASH: ${e.hash}`]) {
      expect(await retrieve(ok, { store })).toEqual({ hash: e.hash, content: 'found' });
    }
    expect(normalizeHash(`hash=${e.hash}`)).toBe(e.hash);
  });

  it('unknown for a hash never stored; the message says it is no longer available and to re-run', async () => {
    const out = await retrieveWithReason(ccrHash('never'), { store: new MemoryStore() });
    expect(out).toMatchObject({ ok: false, reason: 'unknown', hash: ccrHash('never') });
    if (!out.ok) expect(out.message).toMatch(/no longer available.*Re-run the tool/);
  });

  it('expired for a hash whose TTL passed, and for an evicted one (with a different message)', async () => {
    let t = 0;
    const store = new MemoryStore({ ttlMs: 1000, maxEntries: 1, now: () => t });
    const a = entry('a');
    await store.put(a);
    t = 2000;
    const out = await retrieveWithReason(a.hash, { store });
    expect(out).toMatchObject({ ok: false, reason: 'expired' });
    if (!out.ok) expect(out.message).toMatch(/expired \(originals are kept 1 s\).*Re-run/);
    const b = entry('b');
    const c = entry('c');
    await store.put(b);
    await store.put(c);
    const ev = await retrieveWithReason(b.hash, { store });
    expect(ev).toMatchObject({ ok: false, reason: 'expired' });
    if (!ev.ok) expect(ev.message).toMatch(/evicted/);
  });

  it('store_error when the store throws; unknown for a plain CCRStore (no getWithStatus) returning null', async () => {
    const failing: CCRStore = {
      put: async () => undefined,
      get: async () => {
        throw new Error('disk on fire');
      },
    };
    const out = await retrieveWithReason(ccrHash('x'), { store: failing });
    expect(out).toMatchObject({ ok: false, reason: 'store_error' });
    if (!out.ok) expect(out.message).toMatch(/disk on fire/);
    expect(await retrieve(ccrHash('x'), { store: failing })).toBeNull();

    const map = new Map<string, CCREntry>();
    const plain: CCRStore = { put: async (e) => void map.set(e.hash, e), get: async (h) => map.get(h) ?? null };
    expect(await retrieveWithReason(ccrHash('y'), { store: plain })).toMatchObject({ ok: false, reason: 'unknown' });
    await plain.put(entry('y'));
    expect(await retrieveWithReason(ccrHash('y'), { store: plain })).toEqual({ ok: true, result: { hash: ccrHash('y'), content: 'y' } });
  });
});

describe('default store and env', () => {
  it('env is detected once and frozen; Node here', () => {
    expect(Object.isFrozen(env)).toBe(true);
    expect(env.isNode).toBe(true);
    expect(env.isWorker).toBe(false);
    expect(env.isBrowser).toBe(false);
  });

  it('detectEnv recognises browsers, workers and IndexedDB without touching anything that throws', () => {
    class WorkerGlobalScope {}
    const worker = Object.assign(new WorkerGlobalScope(), { WorkerGlobalScope, indexedDB: { open() {} } });
    expect(detectEnv(worker)).toEqual({ isNode: false, isBrowser: false, isWorker: true, hasIndexedDB: true });
    const page = { window: {}, document: {}, indexedDB: { open() {} } };
    expect(detectEnv(page)).toEqual({ isNode: false, isBrowser: true, isWorker: false, hasIndexedDB: true });
    const hostile = Object.defineProperty({ window: {}, document: {} }, 'indexedDB', {
      get() {
        throw new DOMException('denied', 'SecurityError');
      },
    });
    expect(detectEnv(hostile).hasIndexedDB).toBe(false);
  });

  it('createDefaultStore: IndexedDB in browsers and workers that have it, memory in Node and elsewhere', () => {
    const base = { isNode: false, isBrowser: false, isWorker: false, hasIndexedDB: false };
    expect(createDefaultStore({ ...base, isBrowser: true, hasIndexedDB: true })).toBeInstanceOf(IndexedDBStore);
    expect(createDefaultStore({ ...base, isWorker: true, hasIndexedDB: true })).toBeInstanceOf(IndexedDBStore);
    expect(createDefaultStore({ ...base, isBrowser: true })).toBeInstanceOf(MemoryStore);
    expect(createDefaultStore({ ...base, isNode: true, hasIndexedDB: true })).toBeInstanceOf(MemoryStore);
    expect(createDefaultStore(env)).toBeInstanceOf(MemoryStore);
  });

  it('setDefaultStore swaps the store retrieve() reads; drainStoreWarnings tolerates stores without warnings', async () => {
    const before = getDefaultStore();
    const mine = new MemoryStore();
    setDefaultStore(mine);
    try {
      await mine.put(entry('mine'));
      expect(await retrieve(ccrHash('mine'))).toEqual({ hash: ccrHash('mine'), content: 'mine' });
      expect(drainStoreWarnings(mine)).toEqual([]);
    } finally {
      setDefaultStore(before);
    }
  });
});
