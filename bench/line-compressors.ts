/**
 * Line-compressor bench: `runLineCompressorBench()` returns the "## Log, search and diff
 * compressors" markdown section.
 *
 *   npx tsx -e "import('./bench/line-compressors.ts').then(async m => console.log(await m.runLineCompressorBench()))"
 *
 * Per content type, on the generated fixtures of test/fixtures/compressors/ (seeded): original
 * and compressed tokens (o200k_base, exact BPE), savings, important lines kept (failures, errors,
 * tracebacks and summaries for logs; planted answers for search; changed lines for diffs), beside
 * the reference's documented savings; search savings by output size; where a diff's tokens go,
 * what each diff setting saves, and savings by diff size with and without the token budget. Speed: MB/s of one compress() call on a ≥ 1 MB input of
 * each type, median of 9 after warm-up, with the token counter's memo already holding the
 * input's count (the router counted it first) and, second column, with memoization off (the
 * compressor counts the whole input itself). Then the reference's own recorded fixtures: our
 * savings against theirs on the same inputs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initKernels } from '../engine/kernels/index.js';
import { getTokenCounter } from '../engine/tokenizer/index.js';
import type { TokenCounter } from '../engine/tokenizer/types.js';
import type { ContentCompressor } from '../engine/transforms/compressor.js';
import { diffCompressor, type DiffCompressorConfig } from '../engine/transforms/diff/index.js';
import { logCompressor } from '../engine/transforms/log/index.js';
import { searchCompressor } from '../engine/transforms/search/index.js';
import { bigDiffWithLockfile, diffFixtures, prDiff, type DiffFixture } from '../test/fixtures/compressors/diff/generate.js';
import { cargoLog, logFixtures, pytestLog, serviceLog } from '../test/fixtures/compressors/log/generate.js';
import type { LineFixture } from '../test/fixtures/compressors/log/rng.js';
import { rgFlat, searchFixtures } from '../test/fixtures/compressors/search/generate.js';
import { timeBoth } from './timing.js';

const pct = (after: number, before: number) => `${((1 - after / before) * 100).toFixed(1)}%`;
const lines = (t: string) => new Set(t.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)));

interface Row {
  name: string;
  before: number;
  after: number;
  kept: number;
  important: number;
}

function measure<C>(c: ContentCompressor<C>, f: LineFixture, must: readonly string[], counter: TokenCounter): Row {
  const out = c.compress({ text: f.text, query: f.query }, { counter, ccr: { record() {} } }, undefined as C);
  const have = lines(out.output);
  return { name: f.name, before: counter.countText(f.text), after: counter.countText(out.output), kept: must.filter((l) => have.has(l)).length, important: must.length };
}

function table(rows: Row[], reference: string): string[] {
  const out = ['| fixture | original tokens | compressed tokens | savings | important lines kept |', '| --- | ---: | ---: | ---: | ---: |'];
  let b = 0;
  let a = 0;
  for (const r of rows) {
    out.push(`| ${r.name} | ${r.before} | ${r.after} | ${pct(r.after, r.before)} | ${r.kept}/${r.important} |`);
    b += r.before;
    a += r.after;
  }
  out.push(`| **all** | ${b} | ${a} | **${pct(a, b)}** | ${rows.reduce((s, r) => s + r.kept, 0)}/${rows.reduce((s, r) => s + r.important, 0)} |`);
  out.push('', `Reference (documented): ${reference}.`, '');
  return out;
}

type DiffRow = Row & { changed: [number, number] };

/** Changed lines of the fixture (code files only, for the realistic PR) found verbatim in the output. */
function changedKept(f: DiffFixture, counter: TokenCounter, config?: DiffCompressorConfig): [number, number] {
  const out = diffCompressor.compress({ text: f.text, query: f.query }, { counter, ccr: { record() {} } }, config);
  const have = lines(out.output);
  return [f.changed.filter((l) => have.has(l)).length, f.changed.length];
}

function diffTable(rows: DiffRow[], reference: string): string[] {
  const out = ['| fixture | original tokens | compressed tokens | savings | important lines kept | changed lines kept |', '| --- | ---: | ---: | ---: | ---: | ---: |'];
  let b = 0;
  let a = 0;
  for (const r of rows) {
    out.push(`| ${r.name} | ${r.before} | ${r.after} | ${pct(r.after, r.before)} | ${r.kept}/${r.important} | ${r.changed[0]}/${r.changed[1]} |`);
    b += r.before;
    a += r.after;
  }
  out.push(`| **all** | ${b} | ${a} | **${pct(a, b)}** | ${rows.reduce((s, r) => s + r.kept, 0)}/${rows.reduce((s, r) => s + r.important, 0)} | ${rows.reduce((s, r) => s + r.changed[0], 0)}/${rows.reduce((s, r) => s + r.changed[1], 0)} |`);
  out.push(
    '',
    `Reference (documented): ${reference}. "Important lines kept": the changed lines, or for the capped fixtures (the realistic PR and the 40-file diff) the planted change that answers the question; "changed lines kept": every \`+\`/\`-\` line of the code files (lockfile, bundle and snapshot lines not counted), found verbatim in the output.`,
    '',
  );
  return out;
}

/** Where the tokens of an ordinary `git diff` go, and what each step saves on the 8-file PR. */
function diffAnatomy(counter: TokenCounter): string[] {
  const f = prDiff(31, 8, 3);
  const parts = { 'file headers': 0, 'hunk headers': 0, 'changed lines': 0, context: 0 };
  for (const l of f.text.split('\n')) {
    const t = counter.countText(l + '\n');
    if (/^(?:diff |index |--- |\+\+\+ )/.test(l)) parts['file headers'] += t;
    else if (l.startsWith('@@')) parts['hunk headers'] += t;
    else if (l.startsWith('+') || l.startsWith('-')) parts['changed lines'] += t;
    else parts.context += t;
  }
  const total = counter.countText(f.text);
  const run = (c: DiffCompressorConfig) => counter.countText(diffCompressor.compress({ text: f.text, query: f.query }, { counter, ccr: { record() {} } }, c).output);
  const steps: Array<[string, DiffCompressorConfig]> = [
    ['2 lines of context (the reference; our previous default)', { contextLines: 2, compactHeaders: false }],
    ['1 line of context', { contextLines: 1, compactHeaders: false }],
    ['1 line of context + compact headers (**default**)', {}],
    ['0 lines of context + compact headers', { contextLines: 0 }],
  ];
  const out = ['#### Where an ordinary diff\'s tokens go (PR 8 files -U3)', ''];
  out.push(`| part | tokens | share |`, '| --- | ---: | ---: |');
  for (const [k, v] of Object.entries(parts)) out.push(`| ${k} | ${v} | ${pct(total - v, total)} |`);
  out.push('', '| setting | compressed tokens | savings | changed lines kept |', '| --- | ---: | ---: | ---: |');
  for (const [name, c] of steps) {
    const k = changedKept(f, counter, c);
    out.push(`| ${name} | ${run(c)} | ${pct(run(c), total)} | ${k[0]}/${k[1]} |`);
  }
  const floor = parts['changed lines'] + parts['hunk headers'];
  out.push(
    '',
    `The changed lines alone are ${pct(total - parts['changed lines'], total)} of this diff and the hunk headers ${pct(total - parts['hunk headers'], total)}: with every changed line and a readable, applicable hunk structure kept, no setting can save more than about ${pct(floor, total)} here, whatever the context and file headers cost.`,
    '',
  );
  return out;
}

/** Savings and changed lines kept by diff size: code-only PRs (-U3) of growing file counts, 3 seeds each. */
function diffBySize(counter: TokenCounter): string[] {
  const out = ['#### By diff size: the token budget (maxTokens, default 4000)', ''];
  out.push('| files | original tokens (mean) | savings, maxTokens 0 | changed lines kept | savings, maxTokens 4000 | changed lines kept |', '| ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const n of [4, 8, 12, 16, 20, 25, 30, 40, 60]) {
    let before = 0;
    const after = [0, 0];
    const kept = [
      [0, 0],
      [0, 0],
    ];
    for (let s = 0; s < 3; s++) {
      const f = prDiff(700 + s, n, 3);
      before += counter.countText(f.text);
      [{ maxTokens: 0 }, {}].forEach((c, i) => {
        after[i] += counter.countText(diffCompressor.compress({ text: f.text, query: f.query }, { counter, ccr: { record() {} } }, c).output);
        const k = changedKept(f, counter, c);
        kept[i][0] += k[0];
        kept[i][1] += k[1];
      });
    }
    const share = (k: number[]) => `${((100 * k[0]) / k[1]).toFixed(0)}%`;
    out.push(`| ${n} | ${Math.round(before / 3)} | ${pct(after[0], before)} | ${share(kept[0])} | ${pct(after[1], before)} | ${share(kept[1])} |`);
  }
  out.push(
    '',
    'With maxTokens 0, an ordinary -U3 diff of up to 20 files saves about a third (context beyond 1 line, `index` lines and redundant `diff --git` lines) and keeps every changed line; past 20 files maxFiles cuts whole files (the least-changed ones, listed with their +/- counts). With every change kept, dropping all context (contextLines 0) reaches about 49% and the floor is about 55% (anatomy above), still short of 60%: the reference\'s 60–80% is only reachable on ordinary diffs by cutting changes, which is what the budget does. A diff whose kept form fits 4000 tokens (here up to 12 files, about 5,000 tokens) keeps every changed line; beyond, hunks are picked by the question\'s words, then each file\'s best hunk, then score (smaller first among equals), and every cut hunk or file is listed with its +/- counts (the marker\'s original has them all). Budgets of 2000, 3000, 3500, 4000, 5000 and 6000 were measured on these PRs and on the realistic 10–60-file PRs: 4000 is the smallest that keeps every change of the 12-file PRs; with it, diffs from about 12,000 tokens (30 files) land at 60–80% and go past 80% from about 24,000 tokens (60 files). **In between the target is missed**: at 16–25 files (6,500–10,000 tokens) the budget already cuts 5–30% of the changed lines and the savings are 37–56%.',
    '',
  );
  return out;
}

/** Search savings by output size (rg -n, about 12 matches per file, 3 seeds each). */
function searchBySize(counter: TokenCounter): string[] {
  const out = ['#### By output size', '', '| matches | files | original tokens (mean) | kept matches (mean) | savings |', '| ---: | ---: | ---: | ---: | ---: |'];
  for (const m of [20, 40, 80, 150, 300, 1000]) {
    let before = 0;
    let after = 0;
    let kept = 0;
    const files = Math.max(3, Math.round(m / 12));
    for (let s = 0; s < 3; s++) {
      const f = rgFlat(800 + s, m, files);
      const o = searchCompressor.compress({ text: f.text, query: f.query }, { counter, ccr: { record() {} } }, undefined);
      before += counter.countText(f.text);
      after += counter.countText(o.output);
      kept += o.changed ? Number(/kept (\d+) of/.exec(o.output)?.[1] ?? m) : m;
    }
    out.push(`| ${m} | ${files} | ${Math.round(before / 3)} | ${(kept / 3).toFixed(0)} | ${pct(after, before)} |`);
  }
  out.push(
    '',
    'The 150-match fixture saved 73.4% before this change: the coverage budget was 2·√matches (25 of 150 on top of the 2 planted answers) and each per-file note repeated the path (`[... 34 more matches in src/utils/workerService.ts]`, 14 tokens; 12 notes were a fifth of the output). The budget is now ⌈1.25·√matches⌉ between minMatches (10) and maxMatches (30) — 150 → 16, 400 → 25, 576 and up → 30 — spent on the first match of each file (best-scored files first), then last matches, then the best-scored rest; matches with the question\'s rare words are kept on top of it; and the note reads `[... 34 more matches in this file]` right after that file\'s last kept line (10 tokens). Every fixture from 150 matches up saves at least 80% with every planted answer kept (the 150-match one narrowly: 81.3%, and 80.9% on average over the three seeds above). **Below about 150 matches the target is missed** (74% at 80 matches, 61% at 40): smaller outputs keep a larger share by design (the first match of every file and a 10-match floor). With few matches per file, not every file keeps its last match: the first match of every kept file comes first (at 150 matches in 12 files: 12 firsts, 4 lasts).',
    '',
  );
  return out;
}

/** A fixture grown until its text is at least 1 MB. */
function atLeastMB(make: (k: number) => LineFixture, k0: number): LineFixture {
  let k = k0;
  let f = make(k);
  while (f.text.length < 1_000_000) {
    k = Math.ceil(k * Math.max(1.1, (1_050_000 / f.text.length) * 1.02));
    f = make(k);
  }
  return f;
}

interface SpeedRow {
  name: string;
  mb: number;
  /** Min CPU ms (process.cpuUsage) and median wall ms, input count memoized. */
  warmCpu: number;
  warmWall: number;
  /** The same with memoization off (the compressor counts the whole input). */
  coldCpu: number;
  ratio: string;
}



function speed<C>(name: string, c: ContentCompressor<C>, f: LineFixture, warm: TokenCounter, cold: TokenCounter): SpeedRow {
  const deps = (counter: TokenCounter) => ({ counter, ccr: { record() {} } });
  warm.countText(f.text);
  const w = timeBoth(() => c.compress({ text: f.text, query: f.query }, deps(warm), undefined as C), 15, 3);
  const k = timeBoth(() => c.compress({ text: f.text, query: f.query }, deps(cold), undefined as C), 5, 1);
  const out = c.compress({ text: f.text, query: f.query }, deps(warm), undefined as C);
  return { name, mb: f.text.length / 1e6, warmCpu: w.cpu, warmWall: w.wall, coldCpu: k.cpu, ratio: pct(warm.countText(out.output), warm.countText(f.text)) };
}

interface RefFixture {
  input: string;
  output: { compressed: string };
}

function refRows(dir: string, c: ContentCompressor<undefined>, counter: TokenCounter): { n: number; lossy: number; before: number; ours: number; theirs: number; oursChanged: number } {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  let before = 0;
  let ours = 0;
  let theirs = 0;
  let lossy = 0;
  let oursChanged = 0;
  for (const f of files) {
    const j = JSON.parse(readFileSync(join(dir, f), 'utf8')) as RefFixture;
    const out = c.compress({ text: j.input, query: '' }, { counter, ccr: { record() {} } }, undefined);
    const b = counter.countText(j.input);
    const t = counter.countText(j.output.compressed);
    before += b;
    ours += counter.countText(out.output);
    theirs += t;
    if (j.output.compressed !== j.input) lossy++;
    if (out.changed) oursChanged++;
  }
  return { n: files.length, lossy, before, ours, theirs, oursChanged };
}

export async function runLineCompressorBench(): Promise<string> {
  await initKernels();
  const counter = await getTokenCounter('gpt-4o');
  const cold = await getTokenCounter('gpt-4o', { memo: false });
  const out: string[] = ['## Log, search and diff compressors', ''];
  out.push(
    'Generated fixtures (test/fixtures/compressors/, seeded), exact o200k_base counts. "Important lines kept": failures, errors, assertion messages, tracebacks and summaries (logs); the matches planted to answer the question (search); changed lines (diffs; the capped "big" diff keeps the listed files only by design).',
    '',
  );

  const logs = logFixtures().map((f) => measure(logCompressor, f, f.important, counter));
  const build = logs.filter((r) => !/^(npm|service)/.test(r.name));
  const shell = logs.filter((r) => /^(npm|service)/.test(r.name));
  out.push('### Build and test logs (LogCompressor)', '', ...table(build, 'build logs about 94% (85–95%)'));
  out.push('### Shell and service output (LogCompressor)', '', ...table(shell, 'shell output about 85%'));
  const searches = searchFixtures().map((f) => measure(searchCompressor, f, f.important, counter));
  out.push('### Search results (SearchCompressor)', '', ...table(searches, 'search results 80–95%'));
  out.push(...searchBySize(counter));
  const diffs = diffFixtures().map((f) => ({ ...measure(diffCompressor, f, f.capped ? f.important : f.changed, counter), changed: changedKept(f, counter) }));
  out.push('### Diffs (DiffCompressor)', '', ...diffTable(diffs, 'diffs 60–80%'));
  const row = (prefix: string) => diffs.find((r) => r.name.startsWith(prefix))!;
  const ordinary = ['PR 8 files', 'git log -p', 'PR 5 files, CRLF'].map((p) => pct(row(p).after, row(p).before));
  out.push(
    `**Where the 60–80% target is met, and where not.** Met on large diffs, where the caps and the 4000-token budget cut hunks: the realistic 25-file PR (lockfile, minified bundle, Jest snapshot summarised in one line each; ${row('realistic').changed[0]} of its ${row('realistic').changed[1]} changed code lines kept, the cut hunks listed) saves ${pct(row('realistic').after, row('realistic').before)}, the 40-file diff with a lockfile ${pct(row('big').after, row('big').before)} (beyond the range: the budget is absolute, so the larger the diff the larger the share cut; raise maxTokens to keep more). Both keep the change that answers the question. **Missed on ordinary diffs** (${ordinary.join(', ')} on the -U3 PR, \`git log -p\` and CRLF fixtures; ${pct(row('refactor').after, row('refactor').before)} with -U10): they keep every changed line, and changed lines plus hunk headers are nearly half of such a diff.`,
    '',
  );
  out.push(...diffAnatomy(counter), ...diffBySize(counter));

  // Speed on ≥ 1 MB inputs.
  const speeds: SpeedRow[] = [];
  speeds.push(speed('log: pytest', logCompressor, atLeastMB((k) => pytestLog(201, k, 3), 8000), counter, cold));
  speeds.push(speed('log: service log', logCompressor, atLeastMB((k) => serviceLog(202, k), 10000), counter, cold));
  speeds.push(speed('log: cargo build', logCompressor, atLeastMB((k) => cargoLog(203, k), 20000), counter, cold));
  speeds.push(speed('search: rg -n', searchCompressor, atLeastMB((k) => rgFlat(204, k, 400), 14000), counter, cold));
  speeds.push(speed('diff: PR -U3', diffCompressor, atLeastMB((k) => prDiff(205, k, 3), 100), counter, cold));
  const bigs = (k: number): LineFixture => {
    const parts = Array.from({ length: k }, (_, i) => bigDiffWithLockfile(206 + i));
    return { name: 'big', text: parts.map((p) => p.text).join(''), important: [], query: parts[0].query };
  };
  speeds.push(speed('diff: 40 files + lockfile, repeated', diffCompressor, atLeastMB(bigs, 2), counter, cold));
  out.push('### Speed (≥ 1 MB input, target ≥ 20 MB/s)', '');
  out.push(
    '| input | MB | CPU ms | **MB/s** | wall ms (median) | wall MB/s | CPU ms counting the input too | MB/s | savings |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  const rate = (mb: number, ms: number) => (mb / (ms / 1000)).toFixed(1);
  for (const s of speeds) {
    out.push(
      `| ${s.name} | ${s.mb.toFixed(2)} | ${s.warmCpu.toFixed(1)} | **${rate(s.mb, s.warmCpu)}** | ${s.warmWall.toFixed(1)} | ${rate(s.mb, s.warmWall)} | ${s.coldCpu.toFixed(1)} | ${rate(s.mb, s.coldCpu)} | ${s.ratio} |`,
    );
  }
  out.push(
    '',
    `The bold column is the claim: CPU time of one call (process.cpuUsage, best of 15 after warm-up), with the token counter already holding the input's count, as in the pipeline (the router counts each block before choosing a compressor; the counter memoizes large strings). Each call still hashes the whole input (SHA-256 for the CCR key) and counts its output. Wall time is reported too: it equals CPU time on an idle machine and was up to ${Math.max(...speeds.map((s) => s.warmWall / s.warmCpu)).toFixed(1)}× larger here (load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores while this ran). The last columns turn memoization off, so the call also runs BPE over the whole input (the counter's own speed, bench section "tokenizer").`,
    '',
  );

  // The reference's recorded fixtures.
  const base = fileURLToPath(new URL('../test/fixtures/headroom-parity/', import.meta.url));
  const lr = refRows(join(base, 'log_compressor'), logCompressor, counter);
  const dr = refRows(join(base, 'diff_compressor'), diffCompressor, counter);
  out.push('### Against the reference on its recorded fixtures', '');
  out.push('| set | fixtures | reference changed | we changed | original tokens | reference | ours |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [name, r] of [['log_compressor', lr], ['diff_compressor', dr]] as const) {
    out.push(`| ${name} | ${r.n} | ${r.lossy} | ${r.oursChanged} | ${r.before} | ${r.theirs} (${pct(r.theirs, r.before)}) | ${r.ours} (${pct(r.ours, r.before)}) |`);
  }
  out.push(
    '',
    'Most reference fixtures are under 50 lines and pass through on both sides. On the one lossy log fixture the reference saves a little more: it keeps neither the head of the log nor the routine lines just before the error (we keep 3 head lines and 3 lines of context). On the four 177-line diffs we now save more (about 950 tokens left of 1244, the reference about 990): our 1 line of context and compact file headers outweigh what the reference gains there by ignoring the hunk counts (the headers claim 10/12 lines while the bodies hold 13/15; it trims the 3 extra trailing lines as context, where we follow the counts and keep those lines verbatim as text outside the hunk). On the fifth diff it counts as changed (5d950a94, a 60-line commit message before the diff) it drops the last 2 lines with no marker at all (cache_key null); we leave that input unchanged. Every error, failure and changed line the reference kept, we keep (test/compressors/{log,diff}.test.ts).',
    '',
  );
  return out.join('\n');
}
