import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { balancedEnd, mixedIndicators, splitMixed, type Segment } from '../../engine/transforms/router/index.js';
import * as S from './samples.js';

const join = (text: string, segs: ReadonlyArray<Segment>) => segs.map((s) => text.slice(s.start, s.end)).join('');

function expectPartition(text: string, segs: ReadonlyArray<Segment>) {
  let at = 0;
  for (const s of segs) {
    expect(s.start).toBe(at);
    expect(s.end).toBeGreaterThanOrEqual(s.start);
    at = s.end;
  }
  expect(at).toBe(text.length);
  expect(join(text, segs)).toBe(text);
}

describe('splitMixed', () => {
  it('markdown with fences: fenced contents with their info strings, delimiters verbatim, prose between', () => {
    const md = S.markdownWithFences();
    const segs = splitMixed(md)!;
    expectPartition(md, segs);
    const fences = segs.filter((s) => s.kind === 'fence');
    expect(fences.map((s) => s.info)).toEqual(['log', 'python', 'json']);
    expect(md.slice(fences[1].start, fences[1].end)).toBe(S.pythonCode.trimEnd() + '\n');
    for (const v of segs.filter((s) => s.kind === 'verbatim')) expect(md.slice(v.start, v.end)).toMatch(/^```\w*\n?$/);
    expect(mixedIndicators(md).count).toBeGreaterThanOrEqual(2);
  });

  it('prose with an embedded JSON array: the array is its own part', () => {
    const t = S.proseWithJson();
    const segs = splitMixed(t)!;
    expectPartition(t, segs);
    expect(segs.map((s) => s.kind)).toEqual(['text', 'json', 'text']);
    const json = segs[1];
    expect(Array.isArray(JSON.parse(t.slice(json.start, json.end)))).toBe(true);
  });

  it('a JSON value that ends mid-line leaves the rest of the line to the prose', () => {
    const arr = JSON.stringify(Array.from({ length: 10 }, (_, i) => ({ id: i })));
    const t = `Intro line\n${arr} trailing words\nlast line`;
    const segs = splitMixed(t)!;
    expectPartition(t, segs);
    expect(segs.find((s) => s.kind === 'json')).toMatchObject({ start: 11, end: 11 + arr.length });
  });

  it('runs of 3+ search hits are a part; fewer stay prose', () => {
    const hits = ['src/a.ts:1:foo()', 'src/a.ts:9:foo(1)', 'lib/b.py:3:foo = 1'].join('\n');
    const t = `Matches:\n${hits}\nDone. Also src/c.ts:4:x\nthe end`;
    const segs = splitMixed(t)!;
    expectPartition(t, segs);
    expect(segs.filter((s) => s.kind === 'search').map((s) => t.slice(s.start, s.end))).toEqual([hits]);
  });

  it('returns null when nothing structured is found, and honours its options', () => {
    expect(splitMixed(S.prose(5))).toBeNull();
    expect(splitMixed('```\nunclosed fence\nmore')).toBeNull();
    expect(splitMixed(S.proseWithJson(), { json: false })).toBeNull();
    expect(splitMixed(S.markdownWithFences(), { fences: false, json: false, search: false })).toBeNull();
  });

  it('tilde fences, longer closing fences, CRLF line endings', () => {
    const t = 'Intro\r\n~~~~text\r\nbody line\r\n~~~~~\r\nOutro\r\n';
    const segs = splitMixed(t)!;
    expectPartition(t, segs);
    expect(segs.map((s) => s.kind)).toEqual(['text', 'verbatim', 'fence', 'verbatim', 'text']);
    expect(t.slice(segs[2].start, segs[2].end)).toBe('body line\r\n');
  });

  it('partitions any input exactly and never throws', () => {
    const pieces = fc.constantFrom('```', '```json\n', '~~~', '[', ']', '{', '}', '"', '\\', '\n', '\r\n', 'src/a.ts:3:x', ' ', 'word', '[{"a":1},{"a":2}]', '{"k":"v"}', ':', '\ud800', '😀');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 60 }), fc.string({ maxLength: 40 }), (parts, extra) => {
        const text = parts.join('') + extra;
        const segs = splitMixed(text);
        if (segs) expectPartition(text, segs);
      }),
      { numRuns: 400 },
    );
  });

  it('stays linear on unbalanced brackets and unclosed fences', () => {
    const opens = Array.from({ length: 50_000 }, () => '[ {').join('\n');
    expect(splitMixed(opens)).toBeNull();
    const fences = Array.from({ length: 50_000 }, (_, i) => (i % 2 ? 'text' : '````')).join('\n');
    // Every opener closes at the next ```` line: many small parts, still one pass.
    const segs = splitMixed(fences);
    expect(segs).not.toBeNull();
    expectPartition(fences, segs!);
  });
});

describe('balancedEnd', () => {
  it('ignores brackets inside strings and escapes', () => {
    const t = '[{"a":"]}\\"["},{"b":[1,2]}] tail';
    expect(balancedEnd(t, 0)).toBe(t.indexOf(' tail'));
    expect(balancedEnd('[1,2', 0)).toBe(-1);
    expect(balancedEnd(']', 0)).toBe(-1);
  });
});
