/**
 * SearchCompressor: grep/ripgrep/ag output keeps the matches that answer the question, file
 * diversity and first/last hits, says what it left out per file and in all, outputs only
 * verbatim input lines (plus bracketed notes and the marker), keeps or counts unparseable
 * lines, and leaves small outputs alone.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMarkers } from '../../engine/ccr/markers.js';
import { CONTEXT, HEADING, MATCH, OTHER, SEPARATOR } from '../../engine/transforms/search/parse.js';
import { DEFAULT_SEARCH_CONFIG, parseSearch, searchCompressor, validateSearchConfig } from '../../engine/transforms/search/index.js';
import { coverageBudget } from '../../engine/transforms/search/select.js';
import { ConfigurationError } from '../../engine/errors.js';
import { binaryish, bpe, charCounter, contractProblems, inventedLines, linesOf, run } from '../fixtures/compressors/log/harness.js';
import { rgFlat, searchFixtures, smallGrep } from '../fixtures/compressors/search/generate.js';

const fixtures = searchFixtures();

/**
 * Each `[... N more matches in this file]` note sits right after a kept line of some file, and N
 * is that file's matches in the input minus its matches kept in the output. Returns the problems.
 */
function perFileNoteProblems(input: string, output: string): string[] {
  const src = parseSearch(linesOf(input));
  const total = new Map<string, number>();
  for (let i = 0; i < src.kind.length; i++) if (src.kind[i] === MATCH) total.set(src.files[src.file[i]], (total.get(src.files[src.file[i]]) ?? 0) + 1);
  const outLines = linesOf(output);
  const body: string[] = [];
  const bodyAt: number[] = []; // output line index → index in body (notes: the body line before)
  for (const l of outLines) {
    if (!l.startsWith('[')) body.push(l);
    bodyAt.push(body.length - 1);
  }
  const out = parseSearch(body);
  const kept = new Map<string, number>();
  for (let i = 0; i < out.kind.length; i++) if (out.kind[i] === MATCH) kept.set(out.files[out.file[i]], (kept.get(out.files[out.file[i]]) ?? 0) + 1);
  const problems: string[] = [];
  outLines.forEach((l, k) => {
    const m = /^\[\.\.\. (\d+) more match(?:es)? in this file\]$/.exec(l);
    if (!m) return;
    const prev = k > 0 && !outLines[k - 1].startsWith('[') ? bodyAt[k] : -1;
    const f = prev >= 0 ? out.file[prev] : -1;
    if (f < 0) return void problems.push(`note at output line ${k + 1} does not follow a line of a file`);
    const path = out.files[f];
    const want = (total.get(path) ?? 0) - (kept.get(path) ?? 0);
    if (Number(m[1]) !== want) problems.push(`${path}: note says ${m[1]} more, ${want} were left out`);
  });
  return problems;
}

/** Kept matches plus the counts in the per-file and omitted-files notes. */
function accountedMatches(output: string): { kept: number; noted: number; filesNoted: number } {
  const parsedOut = parseSearch(linesOf(output).filter((l) => !l.startsWith('[')));
  let kept = 0;
  for (let i = 0; i < parsedOut.kind.length; i++) if (parsedOut.kind[i] === MATCH) kept++;
  let noted = 0;
  let filesNoted = 0;
  for (const l of output.split('\n')) {
    const m = /^\[\.\.\. (\d+) more match(?:es)? in /.exec(l);
    if (m) noted += Number(m[1]);
    const f = /^\[\.\.\. (\d+) more files? with (\d+) match(?:es)? omitted/.exec(l);
    if (f) {
      filesNoted += Number(f[1]);
      noted += Number(f[2]);
    }
  }
  return { kept, noted, filesNoted };
}

describe('SearchCompressor on realistic search output', () => {
  for (const f of fixtures) {
    it(`${f.name}: planted answers kept, verbatim lines only, marker resolves`, () => {
      const r = run(searchCompressor, { text: f.text, query: f.query }, undefined);
      expect(contractProblems(f.text, r)).toEqual([]);
      const kept = new Set(linesOf(r.out.output));
      expect(f.important.filter((l) => !kept.has(l))).toEqual([]);
      expect(inventedLines(f.text, r.out.output)).toEqual([]);
      if (f.matches >= 10) {
        expect(r.out.changed).toBe(true);
        const [m] = parseMarkers(r.out.output);
        expect(m.unit).toBe('matches');
        const a = accountedMatches(r.out.output);
        expect(a.kept + a.noted).toBe(f.matches);
        expect(m.count).toBe(a.noted);
        expect(perFileNoteProblems(f.text, r.out.output)).toEqual([]);
      } else expect(r.out).toMatchObject({ changed: false, output: f.text });
    });
  }

  it('saves at least 80% (the low end of the documented 80–95%) on every fixture of 150 matches or more', () => {
    for (const f of fixtures) {
      if (f.matches < 150) continue;
      const r = run(searchCompressor, { text: f.text, query: f.query }, undefined);
      const saved = 1 - bpe.countText(r.out.output) / bpe.countText(f.text);
      expect(saved, f.name).toBeGreaterThanOrEqual(0.8);
    }
  });

  it('the coverage budget grows as 1.25·√matches between minMatches and maxMatches', () => {
    expect(coverageBudget(40, DEFAULT_SEARCH_CONFIG)).toBe(10);
    expect(coverageBudget(150, DEFAULT_SEARCH_CONFIG)).toBe(16);
    expect(coverageBudget(400, DEFAULT_SEARCH_CONFIG)).toBe(25);
    expect(coverageBudget(10_000, DEFAULT_SEARCH_CONFIG)).toBe(30);
    // first match of every file before any file's last one: 150 matches in 12 files keep all 12 files
    const f = searchFixtures().find((x) => x.name === 'rg -n flat 150 matches')!;
    const r = run(searchCompressor, { text: f.text, query: f.query }, undefined);
    expect(new Set(parseSearch(linesOf(r.out.output).filter((l) => !l.startsWith('['))).files).size).toBe(parseSearch(linesOf(f.text)).files.length);
  });

  it('keeps file diversity: the first match of the best files, and first and last hits', () => {
    const f = rgFlat(41, 1000, 60);
    const r = run(searchCompressor, { text: f.text, query: '' }, undefined);
    const p = parseSearch(linesOf(f.text));
    const out = parseSearch(linesOf(r.out.output).filter((l) => !l.startsWith('[')));
    const keptFiles = new Set(out.files);
    expect(keptFiles.size).toBeGreaterThanOrEqual(15);
    // every kept file shows its first match
    for (const file of keptFiles) {
      const id = p.files.indexOf(file);
      const first = linesOf(f.text).find((_, i) => p.kind[i] === MATCH && p.file[i] === id);
      expect(linesOf(r.out.output)).toContain(first);
    }
    // files with nothing kept are listed
    expect(r.out.output).toMatch(/\[\.\.\. \d+ more files with \d+ matches omitted: /);
  });

  it('small outputs pass through untouched (agents rely on exact grep/ls output)', () => {
    const f = smallGrep(3);
    const r = run(searchCompressor, { text: f.text, query: f.query }, undefined);
    expect(r.out).toMatchObject({ changed: false, output: f.text });
    expect(r.entries).toHaveLength(0);
  });

  it('is deterministic and idempotent', () => {
    for (const f of fixtures) {
      const a = run(searchCompressor, { text: f.text, query: f.query }, undefined);
      expect(run(searchCompressor, { text: f.text, query: f.query }, undefined).out.output).toBe(a.out.output);
      const again = run(searchCompressor, { text: a.out.output, query: f.query }, undefined);
      expect(again.out).toMatchObject({ changed: false, output: a.out.output });
    }
  });

  it('unparseable lines are kept, or counted when there are many', () => {
    const base = rgFlat(42, 200, 20).text.split('\n');
    const few = base.slice();
    few.splice(10, 0, 'Binary file dist/app.wasm matches', 'rg: ./secret: Permission denied (os error 13)');
    const r1 = run(searchCompressor, { text: few.join('\n'), query: '' }, undefined);
    expect(linesOf(r1.out.output)).toEqual(expect.arrayContaining(['Binary file dist/app.wasm matches', 'rg: ./secret: Permission denied (os error 13)']));
    const many = base.slice();
    for (let k = 0; k < 30; k++) many.splice(5 + k * 6, 0, `rg: ./private/dir${k}: Permission denied (os error 13)`);
    const r2 = run(searchCompressor, { text: many.join('\n'), query: '' }, { maxOtherLines: 4 });
    expect(linesOf(r2.out.output).filter((l) => l.startsWith('rg: '))).toHaveLength(4);
    expect(r2.out.output).toContain('[... 26 unparsed lines omitted]');
    expect(parseMarkers(r2.out.output)[0].note).toContain('26 unparsed lines');
  });

  it('passes through text that is mostly not search results', () => {
    const text = Array.from({ length: 40 }, (_, i) => (i % 3 ? `plain prose line number ${i} without any structure` : `src/a.ts:${i}:x`)).join('\n');
    expect(run(searchCompressor, { text, query: '' }, undefined).out.changed).toBe(false);
  });

  it('validates config; a bad setting throws a ConfigurationError', () => {
    expect(validateSearchConfig({ maxMatches: 10 })).toEqual([]);
    expect(validateSearchConfig({ maxMatches: 0 })).toHaveLength(1);
    const text = rgFlat(43, 100, 10).text;
    expect(() => run(searchCompressor, { text, query: '' }, { maxMatches: 0 })).toThrow(ConfigurationError);
    expect(() => run(searchCompressor, { text, query: '' }, { maxMatches: 1.5 } as never)).toThrow(/maxMatches must be an integer/);
    expect(() => run(searchCompressor, { text, query: '' }, { budget: 3 } as never)).toThrow(/not a known setting/);
    expect(run(searchCompressor, { text, query: '' }, { maxMatches: 12 }).out.changed).toBe(true);
  });
});

describe('parseSearch', () => {
  it('reads matches, context lines, separators, vimgrep columns, drive letters and headings', () => {
    const lines = [
      'src/a-2-b.ts:12:const x = 1;',
      'src/a-2-b.ts-13-const y = "10:30:00";',
      '--',
      'C:\\work\\app\\main.ts:7:3:import x',
      'src/heading.ts',
      '14:  matched row',
      '15-  context row',
      '',
      'lib/c.py:99:def f(): return "a:1:b"',
      'not a result line',
    ];
    const p = parseSearch(lines);
    expect([...p.kind]).toEqual([MATCH, CONTEXT, SEPARATOR, MATCH, HEADING, MATCH, CONTEXT, 5, MATCH, OTHER]);
    expect(p.files).toEqual(['src/a-2-b.ts', 'C:\\work\\app\\main.ts', 'src/heading.ts', 'lib/c.py']);
    expect(lines[3].slice(p.contentAt[3])).toBe('import x');
    expect(lines[8].slice(p.contentAt[8])).toBe('def f(): return "a:1:b"');
  });
});

describe('SearchCompressor on garbage', () => {
  it('binary-looking text, huge lines, invalid surrogates, mixed line endings: no throw, contract kept', () => {
    const many = Array.from({ length: 200 }, (_, i) => `src/f${i % 7}.ts:${i}:line \ud800 ${i}${i % 2 ? '\r' : ''}`).join('\n');
    const inputs = [binaryish(2, 100_000), 'src/a.ts:1:' + 'x'.repeat(5_000_000), many, many + '\nsrc/big.ts:9:' + 'y'.repeat(3_000_000)];
    for (const text of inputs) {
      const r = run(searchCompressor, { text, query: 'line' }, undefined, charCounter);
      expect(contractProblems(text, r, charCounter)).toEqual([]);
      expect(inventedLines(text, r.out.output)).toEqual([]);
    }
  });
});

describe('SearchCompressor properties', () => {
  it('verbatim lines only; planted answers kept; counts add up', () => {
    const word = fc.constantFrom('alpha', 'beta', 'gamma', 'delta', 'cache', 'index', 'queue', 'worker', 'token');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(12), fc.nat(900), fc.array(word, { minLength: 1, maxLength: 6 }), fc.boolean()), { minLength: 12, maxLength: 300 }),
        fc.array(fc.nat(300), { minLength: 1, maxLength: 3 }),
        (rows, plants) => {
          const lines = rows.map(([f, n, ws, ctx]) => `src/${['a', 'b-1-c', 'd e', 'f'][f % 4]}${f}.ts${ctx ? '-' : ':'}${n}${ctx ? '-' : ':'}  ${ws.join(' ')}`);
          const want: string[] = [];
          for (const at of plants) {
            const l = `src/hot${at % 5}.ts:${at}:  refund ledger mismatch ${at}`;
            lines.splice(at % (lines.length + 1), 0, l);
            want.push(l);
          }
          const text = lines.join('\n');
          const r = run(searchCompressor, { text, query: 'refund ledger mismatch' }, undefined, charCounter);
          expect(contractProblems(text, r, charCounter)).toEqual([]);
          expect(inventedLines(text, r.out.output)).toEqual([]);
          const kept = new Set(linesOf(r.out.output));
          expect(want.filter((l) => !kept.has(l))).toEqual([]);
          if (r.out.changed) {
            const total = parseSearch(linesOf(text)).matches;
            const a = accountedMatches(r.out.output);
            expect(a.kept + a.noted).toBe(total);
            expect(perFileNoteProblems(text, r.out.output)).toEqual([]);
          }
        },
      ),
      { numRuns: 80, seed: 11 },
    );
  });
});
