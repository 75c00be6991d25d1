import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sampledKey, StringLru } from '../../engine/util/string-lru.js';

/** Reference model: a Map in recency order, bounded the same way. */
class ModelLru {
  readonly map = new Map<string, number>();
  constructor(readonly maxEntries: number, readonly maxChars: number) {}
  get(t: string) {
    const v = this.map.get(t);
    if (v !== undefined) {
      this.map.delete(t);
      this.map.set(t, v);
    }
    return v;
  }
  set(t: string, v: number) {
    this.map.delete(t);
    this.map.set(t, v);
    let chars = 0;
    for (const k of this.map.keys()) chars += k.length;
    while (this.map.size > this.maxEntries || chars > this.maxChars) {
      const oldest = this.map.keys().next().value as string;
      this.map.delete(oldest);
      chars -= oldest.length;
    }
  }
}

// Long strings that differ only at one position: most share a sampled key.
const base = 'x'.repeat(3000);
const variant = (i: number) => base.slice(0, 1000 + i) + 'y' + base.slice(1001 + i);

describe('sampledKey', () => {
  it('equal strings get equal keys, whatever object holds them', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 4000 }), (s) => {
        expect(sampledKey(s)).toBe(sampledKey((' ' + s).slice(1)));
      }),
    );
  });
  it('templated strings that differ near the start or end get different keys', () => {
    const body = 'The deployment pipeline promotes the build. '.repeat(20);
    const keys = new Set(Array.from({ length: 100 }, (_, i) => sampledKey(`Q ${String(i).padStart(3, '0')}: ${body}`)));
    expect(keys.size).toBe(100);
    const tails = new Set(Array.from({ length: 100 }, (_, i) => sampledKey(`${body} took ${String(i).padStart(3, '0')} ms`)));
    expect(tails.size).toBe(100);
  });
  it('distinguishes a changed tail and a changed length', () => {
    expect(sampledKey(base + 'a')).not.toBe(sampledKey(base + 'b'));
    expect(sampledKey(base)).not.toBe(sampledKey(base + 'x'));
  });
});

describe('StringLru', () => {
  it('agrees with a plain LRU map, also when keys collide', () => {
    const texts = [...Array.from({ length: 12 }, (_, i) => variant(i)), 'short', 'other', base];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: texts.length - 1 }), fc.integer()), { maxLength: 200 }),
        fc.integer({ min: 1, max: 10 }),
        (ops, maxEntries) => {
          const lru = new StringLru<number>(maxEntries, 1e9);
          const model = new ModelLru(maxEntries, 1e9);
          for (const [isSet, ti, v] of ops) {
            const t = (' ' + texts[ti]).slice(1); // a fresh string object each time
            if (isSet) {
              lru.set(t, v);
              model.set(t, v);
            } else expect(lru.get(t)).toBe(model.get(t));
            expect(lru.size).toBe(model.map.size);
          }
        },
      ),
    );
  });

  it('bounds retained characters, and never returns another string\'s value', () => {
    const lru = new StringLru<number>(100, 10_000);
    for (let i = 0; i < 12; i++) lru.set(variant(i), i);
    expect(lru.retainedChars).toBeLessThanOrEqual(10_000);
    for (let i = 0; i < 12; i++) {
      const v = lru.get(variant(i));
      if (v !== undefined) expect(v).toBe(i);
    }
    lru.clear();
    expect(lru.size).toBe(0);
    expect(lru.retainedChars).toBe(0);
  });
});
