/**
 * DiffCompressor: every changed line stays (unless a cap cuts whole hunks or files, which are
 * then listed), unchanged context is trimmed and hunks are split with recomputed headers so the
 * output still applies as a patch and reproduces the after-files; lockfiles are summarised;
 * combined diffs keep consistent headers; the reference fixtures' changed lines are all kept.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMarkers } from '../../engine/ccr/markers.js';
import { DEFAULT_DIFF_CONFIG, diffCompressor, isLockfile, parseDiff, validateDiffConfig } from '../../engine/transforms/diff/index.js';
import { MERGE_GAP } from '../../engine/transforms/diff/context.js';
import { ConfigurationError } from '../../engine/errors.js';
import { applyUnified } from '../fixtures/compressors/diff/apply.js';
import { bigDiffWithLockfile, combinedDiff, diffFixtures, gitLogP, mixedHeaders, prDiff, realisticPr, unifiedHunks, type DiffFixture } from '../fixtures/compressors/diff/generate.js';
import { binaryish, bpe, charCounter, contractProblems, inventedLines, linesOf, run } from '../fixtures/compressors/log/harness.js';

const fixtures = diffFixtures();

const before = (f: DiffFixture) => new Map(f.files.filter((p) => p.before.length > 0).map((p) => [p.path, p.before]));
const after = (f: DiffFixture) => new Map(f.files.filter((p) => p.after.length > 0).map((p) => [p.path, p.after]));

/** Recomputed hunk headers are the only lines allowed that are not input lines or notes. */
const isHunkHeader = (l: string) => /^@{2,} (?:-\d+(?:,\d+)? )+\+\d+(?:,\d+)? @{2,}/.test(l.replace(/\r$/, ''));

describe('DiffCompressor on realistic diffs', () => {
  for (const f of fixtures) {
    it(`${f.name}: changed lines kept, contract kept`, () => {
      const r = run(diffCompressor, { text: f.text, query: f.query }, undefined);
      expect(contractProblems(f.text, r)).toEqual([]);
      expect(inventedLines(f.text, r.out.output, isHunkHeader)).toEqual([]);
      const kept = new Set(linesOf(r.out.output));
      if (!f.capped) expect(f.changed.filter((l) => !kept.has(l))).toEqual([]);
      expect(f.important.filter((l) => !kept.has(l))).toEqual([]);
      if (r.out.changed) expect(parseMarkers(r.out.output)[0].unit).toBe('lines');
    });
  }

  it('the compressed patch applies and reproduces every after-file', () => {
    for (const f of fixtures) {
      if (f.capped || f.files.length === 0 || f.name.startsWith('renames')) continue;
      const r = run(diffCompressor, { text: f.text, query: f.query }, undefined);
      const orig = applyUnified(before(f), f.text);
      expect(orig.problems, `${f.name} (uncompressed)`).toEqual([]);
      const got = applyUnified(before(f), r.out.output);
      expect(got.problems, f.name).toEqual([]);
      expect(got.files, f.name).toEqual(after(f));
    }
  });

  it('trims context to contextLines and says so; split hunks get recomputed headers', () => {
    const f = prDiff(51, 6, 10);
    const r = run(diffCompressor, { text: f.text, query: '' }, undefined);
    const out = linesOf(r.out.output);
    // no run of more than 2·contextLines + merge gap unchanged lines inside a hunk
    let run0 = 0;
    let worst = 0;
    for (const l of out) {
      if (l.startsWith(' ') || l === '') run0++;
      else run0 = 0;
      worst = Math.max(worst, run0);
    }
    const C = DEFAULT_DIFF_CONFIG.contextLines;
    expect(C).toBe(1);
    expect(worst).toBeLessThanOrEqual(2 * C + MERGE_GAP);
    expect(out.filter((l) => l.startsWith('@@')).length).toBeGreaterThan(f.text.split('\n').filter((l) => l.startsWith('@@')).length);
    expect(parseMarkers(r.out.output)[0].note).toMatch(/unchanged lines beyond 1 of context/);
    expect(parseMarkers(r.out.output)[0].note).toMatch(/still applies as a patch/);
    expect(applyUnified(before(f), r.out.output).files).toEqual(after(f));
  });

  it('large diffs: lockfile summarised first, files and hunks capped with a summary, kept hunks still apply', () => {
    const f = bigDiffWithLockfile(52);
    const r = run(diffCompressor, { text: f.text, query: f.query }, undefined);
    const out = r.out.output;
    expect(out).toMatch(/^\[\.\.\. lockfile package-lock\.json: \d+ hunks, \+\d+ -\d+ lines omitted\]$/m);
    expect(out).not.toMatch(/"integrity": "sha512-/);
    expect(out).toMatch(/^\[\.\.\. \d+ more files omitted: /m);
    const files = new Set(parseDiff(linesOf(out)).files.map((x) => x.path));
    expect(files.size).toBeLessThanOrEqual(20);
    // the planted, query-relevant change survives the caps
    expect(linesOf(out)).toContain('+    const retryLimit = config.retryLimit ?? 5; // was 3: retries exhausted too early');
    const got = applyUnified(before(f), out);
    expect(got.problems).toEqual([]);
    expect(got.hunks).toBeGreaterThan(0);
    expect(isLockfile('a/b/yarn.lock')).toBe(true);
  });

  it('a lockfile named in the question is kept', () => {
    const f = bigDiffWithLockfile(53);
    const r = run(diffCompressor, { text: f.text, query: 'what changed in package-lock.json?' }, { maxChangedLines: 100_000, maxFiles: 100 });
    expect(r.out.output).not.toMatch(/lockfile package-lock\.json/);
  });

  it('combined diffs keep every changed line and consistent @@@ headers', () => {
    const f = combinedDiff(54, 8);
    const r = run(diffCompressor, { text: f.text, query: '' }, undefined);
    expect(r.out.changed).toBe(true);
    const kept = new Set(linesOf(r.out.output));
    expect(f.changed.filter((l) => !kept.has(l))).toEqual([]);
    const d = parseDiff(linesOf(r.out.output));
    expect(d.files).toHaveLength(1);
    expect(d.files[0].hunks.every((h) => h.valid && h.parents === 2)).toBe(true);
    expect(d.files[0].hunks.length).toBe(8);
  });

  it('git log -p keeps commit headers and messages', () => {
    const f = gitLogP(55, 4);
    const r = run(diffCompressor, { text: f.text, query: '' }, undefined);
    const kept = new Set(linesOf(r.out.output));
    expect(f.important.filter((l) => !kept.has(l))).toEqual([]);
  });

  it('binary patch data is cut and the output says it is an excerpt', () => {
    const f = mixedHeaders(56);
    const r = run(diffCompressor, { text: f.text, query: '' }, undefined);
    expect(r.out.output).toMatch(/^\[\.\.\. binary patch data omitted: \d+ lines\]$/m);
    expect(parseMarkers(r.out.output)[0].note).toMatch(/not an applicable patch/);
    for (const l of ['rename from scripts/old_name.sh', 'rename to scripts/new_name.sh', 'old mode 100644', 'new mode 100755', 'new file mode 100644', 'deleted file mode 100644']) {
      expect(linesOf(r.out.output)).toContain(l);
    }
  });

  it('passes small diffs and non-diffs through', () => {
    const small = fixtures.find((x) => x.name === 'small diff')!;
    expect(run(diffCompressor, { text: small.text, query: '' }, undefined).out).toMatchObject({ changed: false, output: small.text });
    const prose = Array.from({ length: 100 }, (_, i) => `line ${i} of plain text`).join('\n');
    expect(run(diffCompressor, { text: prose, query: '' }, undefined).out.changed).toBe(false);
  });

  it('is deterministic and idempotent', () => {
    for (const f of fixtures) {
      const a = run(diffCompressor, { text: f.text, query: f.query }, undefined);
      expect(run(diffCompressor, { text: f.text, query: f.query }, undefined).out.output).toBe(a.out.output);
      expect(run(diffCompressor, { text: a.out.output, query: f.query }, undefined).out).toMatchObject({ changed: false, output: a.out.output });
    }
  });

  it('validates config; a bad setting throws a ConfigurationError', () => {
    expect(validateDiffConfig({ contextLines: 3 })).toEqual([]);
    expect(validateDiffConfig({ contextLines: 'x' })).toHaveLength(1);
    expect(validateDiffConfig({ compactHeaders: false, maxTokens: 0, generatedLines: 5 })).toEqual([]);
    expect(validateDiffConfig({ compactHeaders: 'no', maxTokens: -1, budget: 1 })).toHaveLength(3);
    const text = prDiff(57, 8, 3).text;
    expect(() => run(diffCompressor, { text, query: '' }, { maxTokens: -5 })).toThrow(ConfigurationError);
    expect(() => run(diffCompressor, { text, query: '' }, { compactHeaders: 1 } as never)).toThrow(/compactHeaders must be a boolean/);
    expect(() => run(diffCompressor, { text, query: '' }, { contextLine: 1 } as never)).toThrow(/not a known setting/);
  });
});

/** Per path: added/deleted lines in the input, and in the output counting kept lines plus the notes' `+a -d`. */
function changeAccounting(input: string, output: string): { want: Map<string, string>; got: Map<string, string> } {
  const tally = (text: string, withNotes: boolean) => {
    const lines = linesOf(text);
    const d = parseDiff(lines);
    const m = new Map<string, [number, number]>();
    const add = (p: string, a: number, del: number) => {
      const v = m.get(p) ?? [0, 0];
      m.set(p, [v[0] + a, v[1] + del]);
    };
    for (const f of d.files) for (const h of f.hunks) add(f.path, h.added, h.deleted);
    if (withNotes) {
      for (const l of lines) {
        let n = /^\[\.\.\. \d+ hunks? omitted in (.+): \+(\d+) -(\d+) lines\]$/.exec(l) ?? /^\[\.\.\. (?:lockfile|generated file) (.+): \d+ hunks?, \+(\d+) -(\d+) lines omitted\]$/.exec(l);
        if (n) add(n[1], Number(n[2]), Number(n[3]));
        const files = /^\[\.\.\. \d+ more files? omitted: (.+)\]$/.exec(l);
        if (files) for (const part of files[1].split(', ')) if ((n = /^(.+) \+(\d+) -(\d+)$/.exec(part))) add(n[1], Number(n[2]), Number(n[3]));
      }
    }
    return new Map([...m].map(([k, [a, del]]) => [k, `+${a} -${del}`]));
  };
  return { want: tally(input, false), got: tally(output, true) };
}

describe('DiffCompressor: headers, generated files, the token budget', () => {
  it('compact headers: plain modifications lose their index and diff --git lines, other sections keep diff --git', () => {
    const f = mixedHeaders(58);
    const r = run(diffCompressor, { text: f.text, query: '' }, undefined);
    const out = linesOf(r.out.output);
    expect(out.filter((l) => l.startsWith('index ') && !l.startsWith('index 3f4a1b2..8c9d0e1'))).toEqual([]);
    // edited files: only the ---/+++ pair; new, deleted and renamed files keep their diff --git line
    for (const p of f.files.filter((x) => x.before.length > 0 && x.after.length > 0)) {
      expect(out).not.toContain(`diff --git a/${p.path} b/${p.path}`);
      expect(out).toContain(`--- a/${p.path}`);
      expect(out).toContain(`+++ b/${p.path}`);
    }
    for (const l of ['diff --git a/src/newModule.ts b/src/newModule.ts', 'diff --git a/src/legacy.ts b/src/legacy.ts', 'diff --git a/scripts/old_name.sh b/scripts/new_name.sh', 'diff --git a/assets/logo.png b/assets/logo.png']) {
      expect(out).toContain(l);
    }
    expect(parseMarkers(r.out.output)[0].note).toMatch(/\d+ index\/diff --git header lines/);
    // off: every header line stays
    const full = run(diffCompressor, { text: f.text, query: '' }, { compactHeaders: false });
    for (const l of linesOf(f.text).filter((x) => x.startsWith('diff --git ') || (x.startsWith('index ') && !x.startsWith('index 3f4a1b2')))) expect(linesOf(full.out.output)).toContain(l);
  });

  it('git apply takes the compressed patch and reproduces every after-file', (ctx) => {
    try {
      execFileSync('git', ['--version'], { stdio: 'ignore' });
    } catch {
      ctx.skip();
    }
    for (const f of [prDiff(59, 8, 3), prDiff(60, 6, 10), gitLogP(61, 4), realisticPr(62, 25)]) {
      const r = run(diffCompressor, { text: f.text, query: f.query }, undefined);
      const dir = mkdtempSync(join(tmpdir(), 'headroom-diff-'));
      try {
        execFileSync('git', ['init', '-q'], { cwd: dir });
        for (const p of f.files) {
          if (p.before.length === 0) continue;
          mkdirSync(dirname(join(dir, p.path)), { recursive: true });
          writeFileSync(join(dir, p.path), p.before.join('\n') + '\n');
        }
        writeFileSync(join(dir, 'change.patch'), r.out.output);
        execFileSync('git', ['apply', 'change.patch'], { cwd: dir, stdio: 'pipe' });
        // every file the output still has a section for now holds its after-state
        const kept = parseDiff(linesOf(r.out.output)).files.map((x) => x.path);
        expect(kept.length, f.name).toBeGreaterThan(0);
        for (const path of kept) {
          const p = f.files.find((x) => x.path === path)!;
          const partial = f.capped && parseDiff(linesOf(r.out.output)).files.find((x) => x.path === path)!.hunks.length < parseDiff(linesOf(f.text)).files.find((x) => x.path === path)!.hunks.length;
          if (!partial) expect(readFileSync(join(dir, path), 'utf8'), `${f.name}: ${path}`).toBe(p.after.join('\n') + '\n');
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it('a realistic 25-file PR: lockfile, minified bundle and snapshot summarised, the budget keeps the relevant hunk, every cut is listed', () => {
    const f = realisticPr(63, 25);
    const r = run(diffCompressor, { text: f.text, query: f.query }, undefined);
    expect(contractProblems(f.text, r)).toEqual([]);
    const out = r.out.output;
    expect(out).toMatch(/^\[\.\.\. lockfile package-lock\.json: \d+ hunks, \+\d+ -\d+ lines omitted\]$/m);
    expect(out).toMatch(/^\[\.\.\. generated file public\/vendor\/app\.min\.js: \d+ hunks?, \+\d+ -\d+ lines omitted\]$/m);
    expect(out).toMatch(/^\[\.\.\. generated file src\/components\/__snapshots__\/Invoice\.test\.tsx\.snap: \d+ hunks?, \+\d+ -\d+ lines omitted\]$/m);
    expect(linesOf(out)).toContain(f.important[0]);
    expect(parseMarkers(out)[0].note).toMatch(/hunks over the 4000-token budget/);
    const saved = 1 - bpe.countText(out) / bpe.countText(f.text);
    expect(saved).toBeGreaterThanOrEqual(0.6);
    // kept hunks and notes account for every added and deleted line of every file
    const a = changeAccounting(f.text, out);
    expect(a.got).toEqual(a.want);
    expect(applyUnified(before(f), out).problems).toEqual([]);
    // the budget counts what is written: the kept diff (without notes and marker) stays near it
    const body = linesOf(out).filter((l) => !l.startsWith('['));
    expect(bpe.countText(body.join('\n'))).toBeLessThanOrEqual(DEFAULT_DIFF_CONFIG.maxTokens * 1.1);
  });

  it('a generated file named in the question is kept; maxTokens 0 turns the budget off', () => {
    const f = realisticPr(64, 25);
    const named = run(diffCompressor, { text: f.text, query: 'why did Invoice.test.tsx.snap change?' }, { maxTokens: 0 });
    expect(named.out.output).not.toMatch(/generated file src\/components\/__snapshots__/);
    expect(named.out.output).toMatch(/generated file public\/vendor\/app\.min\.js/);
    const off = run(diffCompressor, { text: f.text, query: f.query }, { maxTokens: 0, maxFiles: 100 });
    const kept = new Set(linesOf(off.out.output));
    expect(f.changed.filter((l) => !kept.has(l))).toEqual([]);
  });

  it('small diffs keep every changed line under the default budget', () => {
    for (const f of [prDiff(65, 3, 3), prDiff(66, 8, 3), prDiff(67, 10, 3)]) {
      const r = run(diffCompressor, { text: f.text, query: '' }, undefined);
      const kept = new Set(linesOf(r.out.output));
      expect(f.changed.filter((l) => !kept.has(l)), f.name).toEqual([]);
    }
  });
});

describe('DiffCompressor against the reference fixtures', () => {
  const dir = new URL('../fixtures/headroom-parity/diff_compressor/', import.meta.url).pathname;
  const refs = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ f, ...(JSON.parse(readFileSync(join(dir, f), 'utf8')) as { input: string; output: { compressed: string } }) }));

  it('keeps every changed line the reference kept (default and minLines 1)', () => {
    for (const r of refs) {
      for (const cfg of [undefined, { minLines: 1 }]) {
        const res = run(diffCompressor, { text: r.input, query: '' }, cfg);
        expect(contractProblems(r.input, res)).toEqual([]);
        const ours = new Set(linesOf(res.out.output));
        const theirs = linesOf(r.output.compressed).filter((l) => /^[-+ ]?[-+]/.test(l) && !l.startsWith('--- ') && !l.startsWith('+++ ') && !l.startsWith('['));
        expect(theirs.filter((l) => !ours.has(l)), r.f).toEqual([]);
      }
    }
  });
});

describe('DiffCompressor on garbage', () => {
  it('binary-looking text, huge lines, malformed hunks, invalid surrogates: no throw, contract kept', () => {
    const malformed = ['diff --git a/x b/x', '--- a/x', '+++ b/x', '@@ -1,400 +1,400 @@', ...Array.from({ length: 80 }, (_, i) => (i % 9 ? ` ctx ${i}` : `-old ${i}`)), 'not a diff line', ...Array.from({ length: 40 }, (_, i) => `tail ${i}`)].join('\n');
    const inputs = [
      binaryish(3, 100_000),
      'diff --git a/x b/x\n' + 'y'.repeat(5_000_000),
      malformed,
      ['diff --git a/s b/s', '--- a/s', '+++ b/s', '@@ -1,60 +1,60 @@', ...Array.from({ length: 60 }, (_, i) => (i === 30 ? '-\ud800 lone' : ` \udc00 ${i}`)), '+\ud83d x'].join('\r\n'),
    ];
    for (const text of inputs) {
      const r = run(diffCompressor, { text, query: 'x' }, undefined, charCounter);
      expect(contractProblems(text, r, charCounter)).toEqual([]);
    }
    // a hunk whose body contradicts its header is kept verbatim
    const r = run(diffCompressor, { text: malformed, query: '' }, undefined, charCounter);
    if (r.out.changed) for (const l of malformed.split('\n').slice(0, 85)) expect(r.out.output.split('\n')).toContain(l);
  });
});

describe('DiffCompressor properties', () => {
  it('random multi-file diffs under a random budget: contract kept, every added/deleted line kept or counted in a note, kept hunks apply', () => {
    const line = fc.oneof(fc.constantFrom('', '}', '  return x;', '  // note'), fc.nat(500).map((i) => `  const v${i} = f(${i});`));
    const file = fc.tuple(fc.array(line, { minLength: 20, maxLength: 120 }), fc.array(fc.tuple(fc.nat(1000), fc.nat(4), fc.array(line, { maxLength: 6 })), { minLength: 1, maxLength: 6 }));
    fc.assert(
      fc.property(fc.array(file, { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 3 }), fc.boolean(), fc.string({ maxLength: 12 }), (spec, maxTokens, ctx, compactHeaders, query) => {
        const pairs = spec.map(([a, edits], k) => {
          const b = a.slice();
          for (const [at, del, ins] of edits) b.splice(at % (b.length + 1), del, ...ins);
          return { path: `src/f${k}.ts`, a, b };
        });
        const sections = pairs.flatMap((p) => {
          const body = unifiedHunks(p.a, p.b, 3);
          return body.length === 0 ? [] : [`diff --git a/${p.path} b/${p.path}`, 'index 111..222 100644', `--- a/${p.path}`, `+++ b/${p.path}`, ...body];
        });
        if (sections.length === 0) return;
        const text = sections.join('\n') + '\n';
        const r = run(diffCompressor, { text, query }, { minLines: 1, maxTokens, contextLines: ctx, compactHeaders }, charCounter);
        expect(contractProblems(text, r, charCounter)).toEqual([]);
        expect(inventedLines(text, r.out.output, isHunkHeader)).toEqual([]);
        const a = changeAccounting(text, r.out.output);
        expect(a.got).toEqual(a.want);
        const got = applyUnified(new Map(pairs.map((p) => [p.path, p.a])), r.out.output);
        expect(got.problems).toEqual([]);
        // files the output keeps whole are reproduced exactly
        const outFiles = parseDiff(linesOf(r.out.output)).files;
        const inFiles = parseDiff(linesOf(text)).files;
        for (const of of outFiles) {
          const inf = inFiles.find((x) => x.path === of.path)!;
          const keptChanges = of.hunks.reduce((s, h) => s + h.changed, 0);
          const allChanges = inf.hunks.reduce((s, h) => s + h.changed, 0);
          if (keptChanges === allChanges) expect(got.files.get(of.path)).toEqual(pairs.find((p) => p.path === of.path)!.b);
        }
        // idempotent
        if (r.out.changed) expect(run(diffCompressor, { text: r.out.output, query }, { minLines: 1, maxTokens, contextLines: ctx, compactHeaders }, charCounter).out).toMatchObject({ changed: false, output: r.out.output });
      }),
      { numRuns: 120, seed: 9 },
    );
  });

  it('random edits: every changed line kept, the output applies and reproduces the after-file', () => {
    const line = fc.oneof(fc.constantFrom('', '}', '  return x;', '  // note'), fc.nat(500).map((i) => `  const v${i} = f(${i});`));
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 30, maxLength: 200 }),
        fc.array(fc.tuple(fc.nat(1000), fc.nat(4), fc.array(line, { maxLength: 5 })), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 4 }),
        (a, edits, u, ctx) => {
          const b = a.slice();
          for (const [at, del, ins] of edits) b.splice(at % (b.length + 1), del, ...ins);
          const body = unifiedHunks(a, b, u);
          if (body.length === 0) return;
          const text = ['diff --git a/f.ts b/f.ts', 'index 111..222 100644', '--- a/f.ts', '+++ b/f.ts', ...body].join('\n') + '\n';
          const r = run(diffCompressor, { text, query: '' }, { minLines: 1, contextLines: ctx }, charCounter);
          expect(contractProblems(text, r, charCounter)).toEqual([]);
          const kept = new Set(linesOf(r.out.output));
          const changed = body.filter((l) => l.startsWith('+') || l.startsWith('-'));
          expect(changed.filter((l) => !kept.has(l))).toEqual([]);
          const got = applyUnified(new Map([['f.ts', a]]), r.out.output);
          expect(got.problems).toEqual([]);
          expect(got.files.get('f.ts')).toEqual(b);
        },
      ),
      { numRuns: 150, seed: 5 },
    );
  });
});
