import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CountMemo } from '../../engine/tokenizer/memo.js';
import { getTokenCounter } from '../../engine/tokenizer/index.js';

describe('CountMemo', () => {
  it('returns what the counter returns, for fresh strings and repeats', async () => {
    const exact = await getTokenCounter('gpt-4o', { memo: false });
    const memo = new CountMemo({ maxEntries: 16, minLength: 8 });
    const count = (s: string) => exact.countText(s);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: 'grapheme', minLength: 0, maxLength: 300 }), { maxLength: 40 }), async (texts) => {
        for (const t of [...texts, ...texts]) expect(memo.count((' ' + t).slice(1), count)).toBe(count(t));
      }),
      { numRuns: 40 },
    );
  });

  it('answers repeats of an equal string without counting again, and stays bounded', () => {
    const memo = new CountMemo({ maxEntries: 3 });
    let calls = 0;
    const fn = (s: string) => (calls++, s.length);
    const texts = ['a', 'b', 'c', 'd'].map((x) => x.repeat(100) + ' templated line 1');
    for (const t of texts) memo.count(t, fn);
    expect(calls).toBe(4);
    expect(memo.size).toBe(3);
    memo.count((' ' + texts[3]).slice(1), fn); // equal copy, another object
    expect(calls).toBe(4);
    memo.count(texts[0], fn); // evicted (oldest)
    expect(calls).toBe(5);
    memo.count('short', fn); // under minLength: always counted
    memo.count('short', fn);
    expect(calls).toBe(7);
  });
});
