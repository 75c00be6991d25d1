import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ccrHash } from '../../engine/ccr/hash.js';
import type { CCREntry } from '../../engine/ccr/types.js';
import { ConfigurationError } from '../../engine/errors.js';
import { DEFAULT_CCR_TTL_MS, MemoryStore } from '../../sdk/ccr/memory-store.js';

const entry = (content: string): CCREntry => ({ hash: ccrHash(content), content, source: 'test' });

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('MemoryStore', () => {
  it('keeps the existing API: put/get, putSync/getSync, size', async () => {
    const s = new MemoryStore();
    const e = entry('hello');
    await s.put(e);
    expect(await s.get(e.hash)).toEqual(e);
    expect(s.getSync(e.hash)).toEqual(e);
    expect(s.getSync('0'.repeat(24))).toBeNull();
    s.putSync(entry('world'));
    expect(s.size).toBe(2);
    expect(s.ttlMs).toBe(DEFAULT_CCR_TTL_MS);
  });

  it('evicts the least recently used entry by count, and a get refreshes recency', () => {
    const s = new MemoryStore({ maxEntries: 3 });
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(entry);
    s.putSync(a);
    s.putSync(b);
    s.putSync(c);
    expect(s.getSync(a.hash)).not.toBeNull(); // a is now most recent; b is the LRU
    s.putSync(d);
    expect(s.getSync(b.hash)).toBeNull();
    expect(s.getWithStatusSync(b.hash)).toMatchObject({ status: 'gone', cause: 'evicted' });
    for (const e of [a, c, d]) expect(s.getSync(e.hash)).toEqual(e);
    expect(s.size).toBe(3);
  });

  it('evicts by content size and never evicts the entry just written', () => {
    const s = new MemoryStore({ maxChars: 10 });
    const a = entry('aaaa');
    const b = entry('bbbb');
    s.putSync(a);
    s.putSync(b);
    expect(s.chars).toBe(8);
    const c = entry('cccc');
    s.putSync(c); // 12 > 10: a (LRU) goes
    expect(s.getSync(a.hash)).toBeNull();
    expect(s.chars).toBe(8);
    const huge = entry('x'.repeat(50));
    s.putSync(huge); // alone over the cap: everything else goes, it stays
    expect(s.getSync(huge.hash)?.content).toBe(huge.content);
    expect(s.size).toBe(1);
    expect(s.chars).toBe(50);
  });

  it('re-putting the same hash replaces it without double-counting size', () => {
    const s = new MemoryStore({ maxChars: 100 });
    const a = entry('same');
    s.putSync(a);
    s.putSync(a);
    s.putSync({ ...a, source: 'other' });
    expect(s.size).toBe(1);
    expect(s.chars).toBe(4);
    expect(s.getSync(a.hash)?.source).toBe('other');
  });

  it('expires entries after the TTL (lazily on get), and reports them as expired, not unknown', () => {
    const c = clock();
    const s = new MemoryStore({ ttlMs: 1000, now: c.now });
    const a = entry('a');
    s.putSync(a);
    c.advance(999);
    expect(s.getSync(a.hash)).toEqual(a); // reads do not extend the TTL
    c.advance(1);
    expect(s.size).toBe(1); // still held until touched
    expect(s.getWithStatusSync(a.hash)).toMatchObject({ status: 'gone', cause: 'expired', ttlMs: 1000 });
    expect(s.size).toBe(0);
    expect(s.getSync(a.hash)).toBeNull();
    expect(s.getWithStatusSync(a.hash)).toMatchObject({ status: 'gone', cause: 'expired' });
    expect(s.getWithStatusSync(ccrHash('never'))).toEqual({ status: 'unknown' });
  });

  it('a re-put refreshes the TTL and clears the tombstone', async () => {
    const c = clock();
    const s = new MemoryStore({ ttlMs: 1000, now: c.now });
    const a = entry('a');
    s.putSync(a);
    c.advance(1500);
    expect(await s.get(a.hash)).toBeNull();
    s.putSync(a);
    c.advance(900);
    expect(await s.getWithStatus(a.hash)).toEqual({ status: 'found', entry: a });
  });

  it('drops expired entries first when eviction runs, sparing live ones', () => {
    const c = clock();
    const s = new MemoryStore({ ttlMs: 1000, maxEntries: 3, now: c.now });
    const [old1, old2, fresh, next] = ['o1', 'o2', 'f', 'n'].map(entry);
    s.putSync(old1);
    s.putSync(old2);
    c.advance(600);
    s.putSync(fresh);
    c.advance(600); // old1, old2 expired; fresh alive
    s.getSync(fresh.hash);
    s.putSync(next);
    expect(s.size).toBe(2);
    expect(s.getWithStatusSync(old1.hash)).toMatchObject({ status: 'gone', cause: 'expired' });
    expect(s.getSync(fresh.hash)).toEqual(fresh);
    expect(s.getSync(next.hash)).toEqual(next);
  });

  it('ttlMs 0 or Infinity never expires; purgeExpired drops expired entries eagerly', () => {
    const c = clock();
    const forever = new MemoryStore({ ttlMs: 0, now: c.now });
    forever.putSync(entry('x'));
    c.advance(1e12);
    expect(forever.getSync(ccrHash('x'))).not.toBeNull();
    const s = new MemoryStore({ ttlMs: 10, now: c.now });
    s.putSync(entry('y'));
    s.putSync(entry('z'));
    c.advance(10);
    expect(s.purgeExpired()).toBe(2);
    expect(s.size).toBe(0);
    expect(s.chars).toBe(0);
  });

  it('rejects negative or NaN limits (caller mistake)', () => {
    expect(() => new MemoryStore({ maxEntries: -1 })).toThrow(ConfigurationError);
    expect(() => new MemoryStore({ ttlMs: Number.NaN })).toThrow(ConfigurationError);
  });

  it('property: never exceeds its bounds (except for the one entry just written) and keeps the newest', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 30 }), { maxLength: 80 }), fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 60 }), (contents, maxEntries, maxChars) => {
        const s = new MemoryStore({ maxEntries, maxChars });
        for (const text of contents) {
          const e = entry(text);
          s.putSync(e);
          expect(s.getSync(e.hash)?.content).toBe(text);
          expect(s.size).toBeLessThanOrEqual(maxEntries);
          expect(s.chars <= maxChars || s.size === 1).toBe(true);
        }
      }),
    );
  });
});
