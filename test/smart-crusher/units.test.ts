import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getKernels, tsKernels } from '../../engine/kernels/index.js';
import { packTermIds } from '../../engine/kernels/hash.js';
import { computeOptimalK, coverageCurve, groupNearDuplicatesBanded } from '../../engine/transforms/smart-crusher/adaptive-k.js';
import { isErrorText, spansWithErrorWords } from '../../engine/transforms/smart-crusher/errors.js';
import { queryAnchors, queryTerms } from '../../engine/transforms/smart-crusher/relevance.js';
import { kSplit } from '../../engine/transforms/smart-crusher/select.js';
import './helpers.js';

describe('banded near-duplicate grouping', () => {
  it('gives exactly the kernel greedy grouping', () => {
    const fp = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
    fc.assert(
      fc.property(
        fc.array(fp, { minLength: 1, maxLength: 30 }),
        fc.array(fc.tuple(fc.nat(), fc.array(fc.nat({ max: 63 }), { maxLength: 6 })), { maxLength: 300 }),
        fc.constantFrom(0, 1, 2, 3, 5),
        (centres, noisy, d) => {
          // Cluster members: a centre with a few bits flipped, so many fall within d bits.
          const vals = [...centres, ...noisy.map(([c, bits]) => bits.reduce((v, b) => v ^ (1n << BigInt(b)), centres[c % centres.length]))];
          const fps = BigUint64Array.from(vals);
          expect(Array.from(groupNearDuplicatesBanded(fps, d))).toEqual(Array.from(tsKernels.groupNearDuplicates(fps, d)));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('adaptive K', () => {
  it('coverage curve counts distinct adjacent token pairs', () => {
    const c = coverageCurve(packTermIds(['a b c', 'a b c', 'c d', 'x']));
    expect(Array.from(c)).toEqual([2, 2, 3, 4]);
  });

  it('few distinct items give a small K; diverse items reach the cap; never above n', () => {
    const k = getKernels();
    expect(computeOptimalK(Array(50).fill('same heartbeat ok'), k, 3, 15).k).toBe(3);
    expect(computeOptimalK(Array.from({ length: 200 }, (_, i) => `item ${i} ${'xyz'.repeat(i % 7)} q${i * 31}`), k, 3, 15).k).toBe(15);
    expect(computeOptimalK(['a', 'b', 'c', 'd'], k, 3, 15).k).toBe(4);
    // A numeric series whose texts are short and similar is not collapsed to 3.
    expect(computeOptimalK(Array.from({ length: 50 }, (_, i) => `${(i * 1.5).toFixed(1)} host-${i % 3}`), k, 3, 15).k).toBeGreaterThan(3);
  });

  it('30/15 split rounds half to even, at least one each', () => {
    expect(kSplit(15, 'generic')).toEqual([4, 2]);
    expect(kSplit(1, 'generic')).toEqual([1, 0]);
    expect(kSplit(10, 'search')).toEqual([5, 1]);
  });
});

describe('error words and query terms', () => {
  it('recognises error wording by value, not by fragments', () => {
    for (const s of ['Connection timeout', 'ERR_CONNECTION_REFUSED', 'NullPointerException at Foo', 'request failed', 'FATAL: disk full', 'permission denied', 'ReadTimeout', 'segmentation fault'])
      expect(isErrorText(s), s).toBe(true);
    for (const s of ['no errors found', '0 failures', 'terrorist cell phone', 'timestamps', 'all good', 'errorless']) expect(isErrorText(s), s).toBe(false);
  });

  it('finds candidate spans with one pass', () => {
    const text = '["ok","boom: failed","fine","Exception x"]';
    const starts = [1, 6, 21, 28];
    const ends = [5, 20, 27, 41];
    expect(Array.from(spansWithErrorWords(text, starts, ends))).toEqual([0, 1, 0, 1]);
  });

  it('drops stop-words and keeps anchors', () => {
    expect(queryTerms('What is the status of the payments service?')).toEqual(['status', 'payments', 'service']);
    expect(queryAnchors('look at order 123456 and "blue widget" on api.example.com for bob@ex.org')).toEqual(
      expect.arrayContaining(['123456', 'blue widget', 'api.example.com', 'bob@ex.org']),
    );
  });
});
