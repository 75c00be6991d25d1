/**
 * The short marker form (a ref): `[headroom: 3 lines omitted]` names the original of the nearest
 * full text marker before it, and parseMarkers resolves it to that hash. Old forms keep parsing
 * exactly as before.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ccrHash } from '../../engine/ccr/hash.js';
import { formatMarkerRef, formatTextMarker, jsonSentinel, parseMarkers, parseTextMarkers } from '../../engine/ccr/markers.js';

const a = ccrHash('a');
const b = ccrHash('b');

describe('marker refs', () => {
  it('format: the count, the unit and an optional note, no hash', () => {
    expect(formatMarkerRef({ count: 3, unit: 'lines' })).toBe('[headroom: 3 lines omitted]');
    expect(formatMarkerRef({ count: 1, unit: 'items', note: 'x (y) [z]' })).toBe('[headroom: 1 items omitted (x y z)]');
  });

  it('resolve to the hash of the nearest full text marker before them', () => {
    const ref = formatMarkerRef({ count: 3, unit: 'lines' });
    const text = `${formatTextMarker({ count: 10, unit: 'lines', hash: a })}\n${ref}\n${ref}\n${formatTextMarker({ count: 2, unit: 'lines', hash: b })}\n${ref}`;
    const found = parseMarkers(text);
    expect(found.map((m) => [m.hash, m.ref === true])).toEqual([
      [a, false],
      [a, true],
      [a, true],
      [b, false],
      [b, true],
    ]);
    expect(found[1]).toEqual({ kind: 'text', count: 3, unit: 'lines', hash: a, ref: true });
    expect(found[0]).not.toHaveProperty('ref');
    expect(parseTextMarkers(text)).toHaveLength(5);
  });

  it('a ref with no full text marker before it is not a marker', () => {
    const ref = formatMarkerRef({ count: 3, unit: 'lines' });
    expect(parseMarkers(ref)).toEqual([]);
    expect(parseMarkers(`${ref} ${formatTextMarker({ count: 1, unit: 'lines', hash: b })}`).map((m) => m.hash)).toEqual([b]);
    // A JSON sentinel does not anchor refs (they are a text-marker shorthand).
    expect(parseMarkers(`${JSON.stringify([jsonSentinel({ count: 1, unit: 'items', hash: a })])} ${ref}`).map((m) => m.kind)).toEqual(['json']);
  });

  it('a line parsed on its own resolves through the document it came from', () => {
    const doc = `def f():\n    ...  # ${formatTextMarker({ count: 9, unit: 'lines', hash: a })}\n\ndef g():\n    ...  # ${formatMarkerRef({ count: 4, unit: 'lines' })}\n`;
    const lines = doc.split('\n');
    const offset = lines.slice(0, 4).join('\n').length + 1;
    expect(parseMarkers(lines[4])).toEqual([]);
    expect(parseMarkers(lines[4], { text: doc, offset })).toEqual([{ kind: 'text', count: 4, unit: 'lines', hash: a, ref: true }]);
    // Only markers before the line count.
    expect(parseMarkers(lines[4], { text: doc, offset: 0 })).toEqual([]);
  });

  it('look-alikes stay ignored', () => {
    const text = `${formatTextMarker({ count: 1, unit: 'lines', hash: a })} [headroom: 3 lines omitted. Retrieve: hash=abc] [headroom: lines omitted] [headroom: 3 lines omitted.]`;
    expect(parseMarkers(text).map((m) => m.hash)).toEqual([a]);
  });

  it('old forms parse as before with refs mixed in, and every ref resolves to the full marker before it (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            shape: fc.constantFrom('text', 'json', 'ref'),
            count: fc.nat(100_000),
            unit: fc.constantFrom('items', 'lines', 'messages', 'matches'),
            note: fc.option(fc.string({ maxLength: 30 }), { nil: undefined }),
            seed: fc.string({ maxLength: 8 }),
          }),
          { maxLength: 10 },
        ),
        fc.string({ maxLength: 20 }),
        (items, filler) => {
          const parts: string[] = [];
          const expected: Array<{ kind: string; count: number; unit: string; hash: string; ref: boolean }> = [];
          let last: string | undefined;
          for (const it of items) {
            const hash = ccrHash(it.seed);
            const m = { count: it.count, unit: it.unit, hash, note: it.note };
            if (it.shape === 'text') parts.push(formatTextMarker(m));
            else if (it.shape === 'json') parts.push(JSON.stringify([jsonSentinel(m)]));
            else parts.push(formatMarkerRef(m));
            if (it.shape === 'text') last = hash;
            if (it.shape !== 'ref') expected.push({ kind: it.shape, count: it.count, unit: it.unit, hash, ref: false });
            else if (last !== undefined) expected.push({ kind: 'text', count: it.count, unit: it.unit, hash: last, ref: true });
          }
          const text = parts.join(` ${filler.replace(/headroom/g, '')} `);
          const got = parseMarkers(text).map((m) => ({ kind: m.kind, count: m.count, unit: m.unit, hash: m.hash, ref: m.ref === true }));
          expect(got).toEqual(expected);
        },
      ),
    );
  });
});
