import fc from 'fast-check';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ccrHash } from '../../engine/ccr/hash.js';
import type { CCREntry } from '../../engine/ccr/types.js';
import { StorageError } from '../../engine/errors.js';
import { FileStore } from '../../sdk/ccr/file-store.js';

const entry = (content: string, source = 'test'): CCREntry => ({ hash: ccrHash(content), content, source });

function clock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'headroom-ccr-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('FileStore', () => {
  it('round-trips across two store instances (a process restart), unicode and lone surrogates byte-exact', async () => {
    const originals = ['plain', '👩‍💻 emoji', '中文 日本語', 'lone \ud800 high', 'lone \udc00 low', '\u0000nul', 'x'.repeat(100_000)];
    const before = new FileStore({ dir: join(dir, 'nested', 'ccr') });
    for (const o of originals) await before.put({ ...entry(o), meta: { n: o.length } });
    const after = new FileStore({ dir: join(dir, 'nested', 'ccr') });
    for (const o of originals) {
      const got = await after.get(ccrHash(o));
      expect(got?.content).toBe(o);
      expect(got?.meta).toEqual({ n: o.length });
    }
  });

  it('writes one file per hash atomically (no temp files left) and overwrites on re-put', async () => {
    const s = new FileStore({ dir });
    const a = entry('a');
    await s.put(a);
    await s.put({ ...a, source: 'again' });
    const names = await readdir(dir);
    expect(names).toEqual([`${a.hash}.json`]);
    const rec = JSON.parse(await readFile(join(dir, names[0]), 'utf8'));
    expect(rec).toMatchObject({ v: 1, hash: a.hash, content: 'a', source: 'again' });
    expect((await s.get(a.hash))?.source).toBe('again');
  });

  it('expires by TTL from createdAt, across restarts, and tells expired from unknown', async () => {
    const c = clock();
    const s = new FileStore({ dir, ttlMs: 1000, now: c.now });
    const a = entry('short');
    await s.put(a);
    c.advance(999);
    expect(await s.get(a.hash)).toEqual(a);
    c.advance(1);
    const restarted = new FileStore({ dir, ttlMs: 1000, now: c.now });
    expect(await restarted.getWithStatus(a.hash)).toMatchObject({ status: 'gone', cause: 'expired', ttlMs: 1000 });
    expect(await readdir(dir)).toEqual([]); // removed on read
    expect(await restarted.getWithStatus(a.hash)).toMatchObject({ status: 'gone', cause: 'expired' });
    expect(await restarted.getWithStatus(ccrHash('never'))).toEqual({ status: 'unknown' });
  });

  it('evicts oldest-first by count and by bytes, never the file just written', async () => {
    const c = clock();
    const s = new FileStore({ dir, maxEntries: 3, now: c.now });
    const es = ['1', '2', '3', '4', '5'].map((x) => entry(x));
    for (const e of es) {
      await s.put(e);
      c.advance(10);
    }
    expect((await readdir(dir)).length).toBe(3);
    expect(await s.getWithStatus(es[0].hash)).toMatchObject({ status: 'gone', cause: 'evicted' });
    expect(await s.get(es[1].hash)).toBeNull();
    for (const e of es.slice(2)) expect(await s.get(e.hash)).toEqual(e);

    const bySize = new FileStore({ dir: join(dir, 'b'), maxBytes: 400, now: c.now });
    const small = entry('s'.repeat(50));
    await bySize.put(small);
    c.advance(10);
    const big = entry('b'.repeat(500)); // alone over the bound: kept, the older one goes
    await bySize.put(big);
    expect(await bySize.get(small.hash)).toBeNull();
    expect((await bySize.get(big.hash))?.content).toBe(big.content);
  });

  it('sweep() sees files written by another process, drops expired ones and stale temp files', async () => {
    const c = clock();
    const a = new FileStore({ dir, ttlMs: 10_000, now: c.now });
    const b = new FileStore({ dir, ttlMs: 10_000, maxEntries: 2, now: c.now });
    for (const x of ['p', 'q', 'r']) {
      await a.put(entry(x));
      c.advance(10);
    }
    await writeFile(join(dir, `${ccrHash('z')}.tmp-crashed`), 'partial');
    const old = new Date(c.now() - 2 * 60 * 60 * 1000);
    const { utimes } = await import('node:fs/promises');
    await utimes(join(dir, `${ccrHash('z')}.tmp-crashed`), old, old);
    const removed = await b.sweep();
    expect(removed).toBe(1); // over maxEntries 2: the oldest goes
    expect((await readdir(dir)).sort()).toEqual([`${ccrHash('q')}.json`, `${ccrHash('r')}.json`].sort());
    c.advance(20_000);
    await b.sweep();
    expect(await readdir(dir)).toEqual([]);
    expect(await b.getWithStatus(ccrHash('r'))).toMatchObject({ status: 'gone', cause: 'expired' });
  });

  it('rejects unsafe keys on put, treats them as unknown on get, and reports corrupt files as errors', async () => {
    const s = new FileStore({ dir });
    await expect(s.put({ hash: '../escape', content: 'x', source: 't' })).rejects.toBeInstanceOf(StorageError);
    expect(await s.getWithStatus('../etc/passwd')).toEqual({ status: 'unknown' });
    const h = ccrHash('corrupt');
    await writeFile(join(dir, `${h}.json`), '{"v":1,"hash":');
    await expect(s.getWithStatus(h)).rejects.toThrow(/corrupt/);
    expect(() => new FileStore({ dir: '' })).toThrow(StorageError);
  });

  it('sets the file mtime to the put time on its own clock', async () => {
    const c = clock(1_600_000_000_000);
    const s = new FileStore({ dir, now: c.now });
    const a = entry('m');
    await s.put(a);
    expect(Math.round((await stat(join(dir, `${a.hash}.json`))).mtimeMs)).toBe(1_600_000_000_000);
  });

  it('property: any string round-trips byte-exact through a fresh instance', async () => {
    const s = new FileStore({ dir, maxEntries: 100_000 });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 50 }), fc.json()), async (text) => {
        const e = entry(text);
        await s.put(e);
        expect((await new FileStore({ dir }).get(e.hash))?.content).toBe(text);
      }),
      { numRuns: 100 },
    );
  });
});
