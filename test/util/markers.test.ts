import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTextMarker, jsonSentinel, parseMarkers } from '../../engine/ccr/markers.js';
import { ccrHash } from '../../engine/ccr/hash.js';

describe('markers', () => {
  it('round-trips text markers and JSON sentinels through one parser', () => {
    fc.assert(
      fc.property(
        fc.nat(1_000_000),
        fc.constantFrom('items', 'lines', 'messages', 'matches'),
        fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
        fc.string(),
        (count, unit, note, seed) => {
          const hash = ccrHash(seed);
          const t = formatTextMarker({ count, unit, hash, note });
          const j = JSON.stringify([1, jsonSentinel({ count, unit, hash, note }), 2]);
          const [pt] = parseMarkers(`before ${t} after`);
          const [pj] = parseMarkers(j);
          expect(pt).toMatchObject({ kind: 'text', count, unit, hash });
          expect(pj).toMatchObject({ kind: 'json', count, unit, hash });
          expect(JSON.parse(j)).toHaveLength(3);
        },
      ),
    );
  });
  it('finds several markers in order and ignores look-alikes', () => {
    const a = ccrHash('a'), b = ccrHash('b');
    const text = `${formatTextMarker({ count: 3, unit: 'lines', hash: a })} x [headroom: 3 lines omitted. Retrieve: hash=abc] ${JSON.stringify(jsonSentinel({ count: 9, unit: 'items', hash: b }))}`;
    expect(parseMarkers(text).map((m) => m.hash)).toEqual([a, b]);
  });
});
