/** Marker spans in the compressed view (the playground's markers.ts, over the built library's parseMarkers). */
import { describe, expect, it } from 'vitest';
import { markerSpans, segments } from '../../playground/src/lib/markers.js';

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
});
