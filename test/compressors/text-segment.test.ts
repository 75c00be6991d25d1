/**
 * Segmentation for the TextCompressor: sentence boundaries (abbreviations, initials, decimals,
 * versions, URLs, code spans, CJK full stops, line structure), block structure (headings,
 * lists, tables, fences), the tag protector, and the invariants every segmentation keeps.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_SEGMENT, protectedRanges, segmentText, type Segment } from '../../engine/transforms/text/index.js';

const seg = (text: string) => segmentText(text, protectedRanges(text));
const texts = (text: string) => seg(text).map((s) => text.slice(s.start, s.end));

/** The text outside segments is whitespace only, and segments are ordered and disjoint. */
function invariantProblems(text: string, segs: readonly Segment[]): string[] {
  const p: string[] = [];
  let pos = 0;
  for (const s of segs) {
    if (s.start < pos) p.push(`overlap at ${s.start}`);
    if (s.end <= s.start) p.push(`empty segment at ${s.start}`);
    if (text.slice(pos, s.start).trim() !== '' && /\S/.test(text.slice(pos, s.start).replace(/[\u00a0\u3000\v]/g, ' '))) p.push(`non-space gap before ${s.start}`);
    pos = s.end;
  }
  if (/\S/.test(text.slice(pos).replace(/[\u00a0\u3000\v]/g, ' '))) p.push('non-space tail');
  return p;
}

describe('sentence boundaries', () => {
  it('splits after . ! ? followed by a capital, keeping closing quotes and brackets', () => {
    expect(texts('First one. Second one! Third? "Quoted." (Bracketed.) Last.')).toEqual(['First one.', 'Second one!', 'Third?', '"Quoted."', '(Bracketed.)', 'Last.']);
  });

  it('does not split after abbreviations, initials or before lowercase', () => {
    expect(texts('Dr. Okoye met Prof. Lee, e.g. at 5 p.m. on Fig. 3. J. R. R. Tolkien wrote it. Approx. five were there.')).toEqual([
      'Dr. Okoye met Prof. Lee, e.g. at 5 p.m. on Fig. 3.',
      'J. R. R. Tolkien wrote it.',
      'Approx. five were there.',
    ]);
    expect(texts('It costs approx. ten dollars. Next sentence.')).toEqual(['It costs approx. ten dollars.', 'Next sentence.']);
  });

  it('keeps decimals, versions, IPs, URLs, paths and ellipses inside sentences', () => {
    expect(texts('Pi is 3.14 and v2.8.0 is out. See https://example.com/a.b?x=1. The file is src/main.ts... Then more.')).toEqual([
      'Pi is 3.14 and v2.8.0 is out.',
      'See https://example.com/a.b?x=1.',
      'The file is src/main.ts...',
      'Then more.',
    ]);
    expect(texts('Host 10.0.0.42 failed. Retry later.')).toEqual(['Host 10.0.0.42 failed.', 'Retry later.']);
  });

  it('never splits inside code spans', () => {
    expect(texts('Call `a. B()` first. Then go.')).toEqual(['Call `a. B()` first.', 'Then go.']);
  });

  it('splits CJK text after 。！？ without spaces', () => {
    expect(texts('第一句。第二句！第三句？最后')).toEqual(['第一句。', '第二句！', '第三句？', '最后']);
  });

  it('ends sentences at line breaks that start a new capitalised line, but joins soft-wrapped lines', () => {
    expect(texts('ERROR connection refused\nThe module validated tokens\nwhile wrapping, this line\ncontinues here.')).toEqual([
      'ERROR connection refused',
      'The module validated tokens\nwhile wrapping, this line\ncontinues here.',
    ]);
  });

  it('cuts segments longer than MAX_SEGMENT at whitespace', () => {
    const long = 'word '.repeat(1000);
    const s = seg(long);
    expect(s.length).toBeGreaterThan(3);
    for (const x of s) expect(x.end - x.start).toBeLessThanOrEqual(MAX_SEGMENT);
    expect(invariantProblems(long, s)).toEqual([]);
  });
});

describe('block structure', () => {
  it('finds headings, list items, table rows, fences and rules', () => {
    const doc = [
      '# Title',
      '',
      'Intro sentence one. Intro two.',
      '',
      'Setext heading',
      '==============',
      '',
      '- item one. Still item one',
      '  continued here.',
      '- item two',
      '',
      '| a | b |',
      '| --- | --- |',
      '| 1 | 2 |',
      '',
      '```js',
      'const x = 1. // no split in code',
      '```',
      '',
      '---',
      '',
      'Steps to reproduce:',
      '',
      'INSTALLATION',
      '',
      'Done.',
    ].join('\n');
    const s = seg(doc);
    const kinds = s.map((x) => [x.kind, doc.slice(x.start, x.end)]);
    expect(kinds).toEqual([
      ['heading', '# Title'],
      ['sentence', 'Intro sentence one.'],
      ['sentence', 'Intro two.'],
      ['heading', 'Setext heading\n=============='],
      ['item', '- item one.'],
      ['sentence', 'Still item one\n  continued here.'],
      ['item', '- item two'],
      ['row', '| a | b |\n| --- | --- |'],
      ['row', '| 1 | 2 |'],
      ['code', '```js\nconst x = 1. // no split in code\n```'],
      ['rule', '---'],
      ['heading', 'Steps to reproduce:'],
      ['heading', 'INSTALLATION'],
      ['sentence', 'Done.'],
    ]);
    expect(s[7].table).toBe(s[8].table);
    expect(s[1].lead).toBe(true);
    expect(s[2].lead).toBe(false);
    expect(invariantProblems(doc, s)).toEqual([]);
  });

  it('handles \\r\\n and lone \\r line endings', () => {
    const doc = 'Line one is here.\r\nLine two is here.\rLine three.\r\n\r\n# Head\r\nLast one.';
    const s = seg(doc);
    expect(s.map((x) => doc.slice(x.start, x.end))).toEqual(['Line one is here.', 'Line two is here.', 'Line three.', '# Head', 'Last one.']);
    expect(invariantProblems(doc, s)).toEqual([]);
  });
});

describe('tag protector', () => {
  it('protects non-HTML tag spans and nothing else', () => {
    const t = 'a <system-reminder>x. Y.</system-reminder> b <div>not. Protected.</div> <headroom:tool_digest sha256="ab"/> List<String> <thinking a="1>2">z</thinking>';
    const r = protectedRanges(t).map(([s, e]) => t.slice(s, e));
    expect(r).toEqual(['<system-reminder>x. Y.</system-reminder>', '<headroom:tool_digest sha256="ab"/>', '<thinking a="1>2">z</thinking>']);
  });

  it('merges nested spans, ignores unmatched closes, protects unclosed custom tags only', () => {
    const t = '<outer-x><inner>a</inner></outer-x> </stray> <open-custom attr="v"> text <plain> more';
    expect(protectedRanges(t).map(([s, e]) => t.slice(s, e))).toEqual(['<outer-x><inner>a</inner></outer-x>', '<open-custom attr="v">']);
  });

  it('keeps a multi-line protected span as one segment and never splits an inline one', () => {
    const doc = 'Before text here.\n<system-reminder>\nDo not edit vendor/. Run only the tests.\n\nSecond paragraph.\n</system-reminder>\nAfter. And <thinking>one. Two.</thinking> end.';
    const s = seg(doc);
    const out = s.map((x) => [x.kind, x.protected, doc.slice(x.start, x.end)]);
    expect(out).toEqual([
      ['sentence', false, 'Before text here.'],
      ['protected', true, '<system-reminder>\nDo not edit vendor/. Run only the tests.\n\nSecond paragraph.\n</system-reminder>'],
      ['sentence', false, 'After.'],
      ['sentence', true, 'And <thinking>one. Two.</thinking> end.'],
    ]);
  });
});

describe('invariants (property)', () => {
  it('segments are ordered, disjoint, non-empty and cover every non-space character', () => {
    const pieces = ['Word', 'word', ' ', '. ', '! ', '? ', '\n', '\n\n', '\r\n', '- ', '# ', '| a |', '```', '`', '<thinking>', '</thinking>', '<x-y/>', 'e.g. ', '3.14', '。', 'Dr. ', '> ', '---', '\t', '\u00a0'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 300 }), (parts) => {
        const t = parts.join('');
        expect(invariantProblems(t, seg(t))).toEqual([]);
      }),
      { numRuns: 400 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 500 }), (t) => {
        expect(invariantProblems(t, seg(t))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
