/**
 * DiffCompressor: every changed line stays (unless a cap cuts whole hunks or files, which are
 * then listed), unchanged context is trimmed and hunks are split with recomputed headers so the
 * output still applies as a patch and reproduces the after-files; lockfiles are summarised;
 * combined diffs keep consistent headers; the reference fixtures' changed lines are all kept.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMarkers } from '../../engine/ccr/markers.js';
import { diffCompressor, isLockfile, parseDiff, validateDiffConfig } from '../../engine/transforms/diff/index.js';
import { applyUnified } from '../fixtures/compressors/diff/apply.js';
import { bigDiffWithLockfile, combinedDiff, diffFixtures, gitLogP, mixedHeaders, prDiff, unifiedHunks, type DiffFixture } from '../fixtures/compressors/diff/generate.js';
import { binaryish, charCounter, contractProblems, inventedLines, linesOf, run } from '../fixtures/compressors/log/harness.js';

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
    expect(worst).toBeLessThanOrEqual(2 * 2 + 3);
    expect(out.filter((l) => l.startsWith('@@')).length).toBeGreaterThan(f.text.split('\n').filter((l) => l.startsWith('@@')).length);
    expect(parseMarkers(r.out.output)[0].note).toMatch(/unchanged lines beyond 2 of context/);
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

  it('validates config', () => {
    expect(validateDiffConfig({ contextLines: 3 })).toEqual([]);
    expect(validateDiffConfig({ contextLines: 'x' })).toHaveLength(1);
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
