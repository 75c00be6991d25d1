import fc from 'fast-check';
import * as fake from 'fake-indexeddb';
import { deleteDB, openDB } from 'idb';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { ccrHash } from '../../engine/ccr/hash.js';
import type { CCREntry } from '../../engine/ccr/types.js';
import { CCR_DB_VERSION, IndexedDBStore, type CCRDBSchema, type StoredEntry } from '../../sdk/ccr/idb-store.js';

/**
 * idb recognises IDB objects with `instanceof` against the global interfaces (IDBRequest,
 * IDBDatabase...), so those are stubbed for each test and restored after it. The `indexedDB`
 * factory itself is not made global (except where a test inspects the database with idb's own
 * openDB): each test passes a fresh `new IDBFactory()` through the store's `indexedDB` option,
 * which also proves the store opens the factory it was given.
 */
const INTERFACES = [
  'IDBCursor',
  'IDBCursorWithValue',
  'IDBDatabase',
  'IDBFactory',
  'IDBIndex',
  'IDBKeyRange',
  'IDBObjectStore',
  'IDBOpenDBRequest',
  'IDBRequest',
  'IDBTransaction',
  'IDBVersionChangeEvent',
] as const;

beforeEach(() => {
  for (const name of INTERFACES) vi.stubGlobal(name, fake[name]);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

const entry = (content: string, source = 'test'): CCREntry => ({ hash: ccrHash(content), content, source });

function clock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

function freshFactory(): IDBFactory {
  return new fake.IDBFactory();
}

function quotaError(): DOMException {
  return new DOMException('The quota has been exceeded.', 'QuotaExceededError');
}

describe('IndexedDBStore', () => {
  it('importing the module and constructing a store touches no IndexedDB global', () => {
    expect((globalThis as { indexedDB?: unknown }).indexedDB).toBeUndefined();
    expect(() => new IndexedDBStore()).not.toThrow();
  });

  it('round-trips unicode byte-exact: emoji, CJK, combining marks, NUL, lone surrogates', async () => {
    const s = new IndexedDBStore({ indexedDB: freshFactory() });
    const originals = ['plain', '👩‍💻🚀 emoji', '中文字符 日本語 한국어', 'e\u0301 combining', 'nul\u0000byte', 'lone \ud800 high', 'lone \udc00 low', '\udfff\ud800 reversed pair', '\r\n\t mixed\u2028line'];
    for (const o of originals) await s.put(entry(o));
    for (const o of originals) {
      const got = await s.get(ccrHash(o));
      expect(got?.content).toBe(o);
      expect(got?.content.length).toBe(o.length);
    }
    expect(s.drainWarnings()).toEqual([]);
    expect(s.fallbackSize).toBe(0);
    s.close();
  });

  it('keeps source and JSON-safe meta; meta that cannot be cloned does not fail the write', async () => {
    const s = new IndexedDBStore({ indexedDB: freshFactory() });
    const a: CCREntry = { hash: ccrHash('a'), content: 'a', source: 'smart_crusher', meta: { items: 3, tool: 'search' } };
    const b: CCREntry = { hash: ccrHash('b'), content: 'b', source: 'x', meta: { fn: () => 1, n: 1 } as Record<string, unknown> };
    await s.put(a);
    await s.put(b);
    expect(await s.get(a.hash)).toEqual(a);
    expect(await s.get(b.hash)).toEqual({ hash: b.hash, content: 'b', source: 'x', meta: { n: 1 } });
    expect(s.drainWarnings()).toEqual([]);
  });

  it('persists across store instances (a page reload) on the same database', async () => {
    const idb = freshFactory();
    const first = new IndexedDBStore({ indexedDB: idb });
    await first.put(entry('survives reloads'));
    first.close();
    const second = new IndexedDBStore({ indexedDB: idb });
    expect((await second.get(ccrHash('survives reloads')))?.content).toBe('survives reloads');
    second.close();
  });

  it('expires by TTL, reporting expired (even after the record is gone) rather than unknown', async () => {
    const c = clock();
    const s = new IndexedDBStore({ indexedDB: freshFactory(), ttlMs: 60_000, now: c.now });
    const a = entry('short-lived');
    await s.put(a);
    c.advance(59_999);
    expect(await s.get(a.hash)).toEqual(a);
    c.advance(1);
    expect(await s.getWithStatus(a.hash)).toMatchObject({ status: 'gone', cause: 'expired', ttlMs: 60_000 });
    expect(await s.get(a.hash)).toBeNull();
    expect(await s.getWithStatus(a.hash)).toMatchObject({ status: 'gone', cause: 'expired' });
    expect(await s.getWithStatus(ccrHash('never stored'))).toEqual({ status: 'unknown' });
    // A re-put brings it back with a fresh TTL.
    await s.put(a);
    expect(await s.getWithStatus(a.hash)).toEqual({ status: 'found', entry: a });
  });

  it('evicts oldest-first (createdAt index) by entry count and by size; purges expired entries on write', async () => {
    const c = clock();
    const idb = freshFactory();
    vi.stubGlobal('indexedDB', idb); // for inspecting the database with idb's openDB at the end
    const s = new IndexedDBStore({ indexedDB: idb, maxEntries: 3, maxChars: 1000, ttlMs: 10_000, now: c.now });
    const es = ['one', 'two', 'three', 'four', 'five'].map((x) => entry(x));
    for (const e of es) {
      await s.put(e);
      c.advance(10);
    }
    expect(await s.get(es[0].hash)).toBeNull();
    expect(await s.getWithStatus(es[1].hash)).toMatchObject({ status: 'gone', cause: 'evicted' });
    for (const e of es.slice(2)) expect((await s.get(e.hash))?.content).toBe(e.content);

    // Size: a 600-char entry then a 500-char one exceed 1000 chars, so older entries go.
    const big = entry('b'.repeat(600));
    await s.put(big);
    c.advance(10);
    const big2 = entry('c'.repeat(500));
    await s.put(big2);
    expect(await s.get(big.hash)).toBeNull();
    expect((await s.get(big2.hash))?.content).toBe(big2.content);

    // Expired entries are purged by the next write even when within bounds.
    c.advance(20_000);
    const late = entry('late');
    await s.put(late);
    s.close();
    const db = await openDB<CCRDBSchema>('headroom-ccr', CCR_DB_VERSION);
    expect((await db.getAllKeys('entries')).sort()).toEqual([late.hash]);
    expect(await db.get('meta', 'totals')).toEqual({ key: 'totals', count: 1, chars: 4 });
    db.close();
  }, 20_000);

  it('never evicts the entry being written even if it alone exceeds maxChars', async () => {
    const s = new IndexedDBStore({ indexedDB: freshFactory(), maxChars: 10 });
    const huge = entry('h'.repeat(100));
    await s.put(entry('small'));
    await s.put(huge);
    expect((await s.get(huge.hash))?.content).toBe(huge.content);
    expect(await s.get(ccrHash('small'))).toBeNull();
  });

  it('upgrades a v1 database (entries only) to v2: index, createdAt/chars backfill, totals; old entries stay retrievable', async () => {
    const idb = freshFactory();
    vi.stubGlobal('indexedDB', idb); // idb's own openDB uses the global; used here to build the v1 layout
    const v1 = await openDB('headroom-ccr', 1, {
      upgrade(db) {
        db.createObjectStore('entries', { keyPath: 'hash' });
      },
    });
    const old = entry('stored by v1 😀 \ud800');
    await v1.put('entries', { hash: old.hash, content: old.content, source: old.source });
    await v1.put('entries', { hash: 'bad', content: 42 }); // malformed: dropped by the migration
    v1.close();

    const c = clock();
    const s = new IndexedDBStore({ indexedDB: idb, now: c.now, ttlMs: 1000 });
    expect(await s.get(old.hash)).toEqual(old);
    s.close();

    const db = await openDB<CCRDBSchema>('headroom-ccr');
    expect(db.version).toBe(2);
    expect([...db.objectStoreNames].sort()).toEqual(['entries', 'meta', 'tombstones']);
    const tx = db.transaction('entries');
    expect([...tx.store.indexNames]).toEqual(['by-createdAt']);
    const rec = (await db.get('entries', old.hash)) as StoredEntry;
    expect(rec).toMatchObject({ createdAt: c.now(), chars: old.content.length });
    expect(await db.get('entries', 'bad')).toBeUndefined();
    expect(await db.get('meta', 'totals')).toEqual({ key: 'totals', count: 1, chars: old.content.length });
    db.close();

    // Backfilled entries get a full TTL from the upgrade.
    c.advance(1000);
    const again = new IndexedDBStore({ indexedDB: idb, now: c.now, ttlMs: 1000 });
    expect(await again.getWithStatus(old.hash)).toMatchObject({ status: 'gone', cause: 'expired' });
    again.close();
    await deleteDB('headroom-ccr');
  });

  it('falls back to memory with a warning when no IndexedDB exists, and still returns the original', async () => {
    const seen: string[] = [];
    const s = new IndexedDBStore({ onWarning: (w) => seen.push(w) }); // no option, no global
    const a = entry('kept in memory');
    await s.put(a);
    await s.put(entry('another'));
    expect(await s.get(a.hash)).toEqual(a);
    expect(await s.getWithStatus(ccrHash('nope'))).toEqual({ status: 'unknown' });
    expect(seen).toHaveLength(2);
    expect(seen[0]).toMatch(/IndexedDB is not available here/);
    const drained = s.drainWarnings();
    expect(drained).toHaveLength(1); // aggregated per cause
    expect(drained[0]).toMatch(/not available.*2 originals kept in memory/);
    expect(drained[0]).toContain(a.hash);
    expect(s.drainWarnings()).toEqual([]);
  });

  it('falls back to memory when the factory throws on open', async () => {
    const broken = { open: () => { throw new DOMException('denied', 'SecurityError'); } } as unknown as IDBFactory;
    const s = new IndexedDBStore({ indexedDB: broken });
    const a = entry('x');
    await s.put(a);
    expect(await s.get(a.hash)).toEqual(a);
    expect(s.drainWarnings().join('\n')).toMatch(/SecurityError/);
  });

  it('quota exceeded on every attempt: the write goes to memory with a warning and stays retrievable', async () => {
    const s = new IndexedDBStore({ indexedDB: freshFactory() });
    await s.put(entry('before'));
    vi.spyOn(fake.IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw quotaError();
    });
    const a = entry('over quota');
    await s.put(a);
    vi.restoreAllMocks();
    expect(await s.get(a.hash)).toEqual(a);
    expect(s.fallbackSize).toBe(1);
    const [w] = s.drainWarnings();
    expect(w).toMatch(/quota/i);
    expect(w).toContain(a.hash);
  });

  it('quota exceeded once: evicts the oldest entries to make room, then stores in IndexedDB', async () => {
    const c = clock();
    const s = new IndexedDBStore({ indexedDB: freshFactory(), now: c.now });
    const olds = ['old-1', 'old-2', 'old-3', 'old-4'].map((x) => entry(x));
    for (const e of olds) {
      await s.put(e);
      c.advance(1);
    }
    const realPut = fake.IDBObjectStore.prototype.put;
    let failures = 1;
    vi.spyOn(fake.IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'entries' && failures-- > 0) throw quotaError();
      return realPut.apply(this, args);
    });
    const a = entry('needs room');
    await s.put(a);
    vi.restoreAllMocks();
    expect(s.fallbackSize).toBe(0);
    expect(s.drainWarnings()).toEqual([]);
    expect(await s.get(a.hash)).toEqual(a);
    expect(await s.getWithStatus(olds[0].hash)).toMatchObject({ status: 'gone', cause: 'evicted' });
    expect((await s.get(olds[3].hash))?.content).toBe('old-4');
  });

  it('a write rejected by the transaction (e.g. QuotaExceededError on commit) also falls back', async () => {
    const s = new IndexedDBStore({ indexedDB: freshFactory() });
    await s.put(entry('warm up'));
    vi.spyOn(fake.IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('Data cannot be cloned', 'DataCloneError');
    });
    const a = entry('x');
    await s.put(a);
    vi.restoreAllMocks();
    expect(await s.get(a.hash)).toEqual(a);
    expect(s.drainWarnings()[0]).toMatch(/write failed \(DataCloneError/);
  });

  it('blocked by an older connection in another tab: writes fall back at once; once unblocked, IndexedDB is used', async () => {
    const idb = freshFactory();
    vi.stubGlobal('indexedDB', idb);
    // "Another tab" holds v1 open and ignores versionchange, so our v2 upgrade is blocked.
    const other = await openDB('headroom-ccr', 1, {
      upgrade(db) {
        db.createObjectStore('entries', { keyPath: 'hash' });
      },
    });
    const seen: string[] = [];
    const s = new IndexedDBStore({ indexedDB: idb, onWarning: (w) => seen.push(w) });
    const a = entry('while blocked');
    await s.put(a);
    expect(s.fallbackSize).toBe(1);
    expect(await s.get(a.hash)).toEqual(a); // from memory
    const b = entry('still blocked');
    await s.put(b); // falls back at once instead of waiting for the pending open
    expect(s.fallbackSize).toBe(2);
    expect(seen.every((w) => /blocked/.test(w))).toBe(true);
    expect(s.drainWarnings()[0]).toMatch(/blocked.*version 1.*2 originals kept in memory/);

    // Reading something not in memory while blocked is a store error (we cannot know).
    await expect(s.getWithStatus(ccrHash('elsewhere'))).rejects.toThrow(/blocked/);

    other.close();
    // Wait for the state, not for time: reads stop failing once the upgrade has gone through.
    for (let i = 0; ; i++) {
      try {
        await s.getWithStatus(ccrHash('elsewhere'));
        break;
      } catch (e) {
        if (i > 10_000) throw e;
        await new Promise((r) => setImmediate(r));
      }
    }
    const c = entry('after unblock');
    await s.put(c);
    expect(s.fallbackSize).toBe(2);
    expect(s.drainWarnings()).toEqual([]);
    expect(await s.get(c.hash)).toEqual(c);
    expect(await s.get(a.hash)).toEqual(a); // memory copy still served
    s.close();
  });

  it('closes its connection on `blocking` so a newer version can open; its later writes fall back with a warning', async () => {
    const idb = freshFactory();
    vi.stubGlobal('indexedDB', idb);
    const s = new IndexedDBStore({ indexedDB: idb });
    await s.put(entry('v2 data'));
    const newer = await openDB('headroom-ccr', 3, {
      blocked() {
        throw new Error('should not be blocked: the store closes on blocking');
      },
    });
    expect(newer.version).toBe(3);
    newer.close();
    const a = entry('after upgrade elsewhere');
    await s.put(a);
    expect(await s.get(a.hash)).toEqual(a);
    expect(s.drainWarnings()[0]).toMatch(/VersionError/);
  });

  it('reopens after the browser terminates the connection abnormally (`terminated`)', async () => {
    const idb = freshFactory();
    const opened: IDBOpenDBRequest[] = [];
    const realOpen = idb.open.bind(idb);
    vi.spyOn(idb, 'open').mockImplementation((name: string, version?: number) => {
      const req = realOpen(name, version);
      opened.push(req);
      return req;
    });
    const s = new IndexedDBStore({ indexedDB: idb });
    await s.put(entry('before'));
    expect(opened).toHaveLength(1);
    fake.forceCloseDatabase(opened[0].result as unknown as typeof fake.IDBDatabase);
    const a = entry('after termination');
    await s.put(a);
    expect(opened).toHaveLength(2); // reopened rather than writing to a dead connection
    expect(s.fallbackSize).toBe(0);
    expect(s.drainWarnings()).toEqual([]);
    expect(await s.get(a.hash)).toEqual(a);
    expect((await s.get(ccrHash('before')))?.content).toBe('before');
  });

  it('gives up waiting for a database that never opens (openTimeoutMs) and uses memory', async () => {
    const hanging = { open: () => new fake.IDBOpenDBRequest() } as unknown as IDBFactory;
    const s = new IndexedDBStore({ indexedDB: hanging, openTimeoutMs: 30 });
    const a = entry('x');
    await s.put(a);
    expect(await s.get(a.hash)).toEqual(a);
    expect(s.drainWarnings()[0]).toMatch(/did not open within 30 ms/);
  });

  it('property: any string round-trips byte-exact', async () => {
    const s = new IndexedDBStore({ indexedDB: freshFactory(), maxEntries: 100_000 });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 50 }), fc.json()), async (text) => {
        const e = entry(text);
        await s.put(e);
        expect((await s.get(e.hash))?.content).toBe(text);
      }),
      { numRuns: 150 },
    );
    expect(s.fallbackSize).toBe(0);
  });

  it('types: the schema names stores, keys and indexes', () => {
    expectTypeOf<CCRDBSchema['entries']['key']>().toEqualTypeOf<string>();
    expectTypeOf<CCRDBSchema['entries']['indexes']['by-createdAt']>().toEqualTypeOf<number>();
    expectTypeOf<StoredEntry['content']>().toEqualTypeOf<string>();
  });
});
