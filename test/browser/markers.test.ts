/** Marker spans in the compressed view (the playground's markers.ts, over the built library's parseMarkers). */
import { describe, expect, it } from 'vitest';
import { lastFullHash, markerSpans, segments } from '../../playground/src/lib/markers.js';

describe('playground marker spans', () => {
  it('finds both marker shapes and cuts a line into text and marker segments', () => {
    const hash = '0123456789abcdef01234567';
    const text = `before [headroom: 14 messages omitted (old turns). Retrieve: hash=${hash}] after`;
    const [t] = markerSpans(text);
    expect(t).toMatchObject({ hash, count: 14, unit: 'messages', kind: 'text' });
    expect(text.slice(t.start, t.end)).toBe(`[headroom: 14 messages omitted (old turns). Retrieve: hash=${hash}]`);
    expect(segments(text, [t], text.length).map((s) => s.text).join('')).toBe(text);

    const json = `  "_headroom": "47 items omitted. Retrieve: hash=${hash}"`;
    const [j] = markerSpans(json);
    expect(j).toMatchObject({ kind: 'json', count: 47, unit: 'items' });
    expect(json.slice(j.start, j.end)).toBe(`"_headroom": "47 items omitted. Retrieve: hash=${hash}"`);
    expect(markerSpans('no markers [headroom: nope]')).toEqual([]);
  });

  it('resolves code refs to the full marker above them, on the same line or an earlier one', () => {
    const hash = 'fedcba9876543210fedcba98';
    const lines = [
      'def a():',
      `    ...  # [headroom: 12 lines omitted. Retrieve: hash=${hash}]`,
      'def b():',
      '    ...  # [headroom: 3 lines omitted]',
    ];
    let carry: string | undefined;
    const inherited = lines.map((l) => {
      const before = carry;
      carry = lastFullHash(l, carry);
      return before;
    });
    expect(inherited).toEqual([undefined, undefined, hash, hash]);
    const [ref] = markerSpans(lines[3], inherited[3]);
    expect(ref).toMatchObject({ hash, count: 3, unit: 'lines', kind: 'text' });
    expect(lines[3].slice(ref.start, ref.end)).toBe('[headroom: 3 lines omitted]');
    // Without a full marker above, a ref is plain text.
    expect(markerSpans(lines[3])).toEqual([]);
    // Both on one line.
    const one = `${lines[1]} ${lines[3]}`;
    expect(markerSpans(one).map((m) => [m.hash, m.count])).toEqual([[hash, 12], [hash, 3]]);
  });
});
