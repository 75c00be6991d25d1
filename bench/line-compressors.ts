/**
 * Line-compressor bench: `runLineCompressorBench()` returns the "## Log, search and diff
 * compressors" markdown section.
 *
 *   npx tsx -e "import('./bench/line-compressors.ts').then(async m => console.log(await m.runLineCompressorBench()))"
 *
 * Per content type, on the generated fixtures of test/fixtures/compressors/ (seeded): original
 * and compressed tokens (o200k_base, exact BPE), savings, important lines kept (failures, errors,
 * tracebacks and summaries for logs; planted answers for search; changed lines for diffs), beside
 * the reference's documented savings. Speed: MB/s of one compress() call on a ≥ 1 MB input of
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
import { diffCompressor } from '../engine/transforms/diff/index.js';
import { logCompressor } from '../engine/transforms/log/index.js';
import { searchCompressor } from '../engine/transforms/search/index.js';
import { bigDiffWithLockfile, diffFixtures, prDiff } from '../test/fixtures/compressors/diff/generate.js';
import { cargoLog, logFixtures, pytestLog, serviceLog } from '../test/fixtures/compressors/log/generate.js';
import type { LineFixture } from '../test/fixtures/compressors/log/rng.js';
import { rgFlat, searchFixtures } from '../test/fixtures/compressors/search/generate.js';

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

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Min CPU time and median wall time of `runs` calls after `warm` calls. */
function timeBoth(fn: () => unknown, runs: number, warm: number): { cpu: number; wall: number } {
  for (let i = 0; i < warm; i++) fn();
  let cpu = Infinity;
  const walls: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c = cpuMs();
    const t = performance.now();
    fn();
    walls.push(performance.now() - t);
    cpu = Math.min(cpu, cpuMs() - c);
  }
  walls.sort((a, b) => a - b);
  return { cpu, wall: walls[Math.floor(walls.length / 2)] };
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
  const diffs = diffFixtures().map((f) => measure(diffCompressor, f, f.capped ? f.important : f.changed, counter));
  out.push('### Diffs (DiffCompressor)', '', ...table(diffs, 'diffs 60–80%'));
  out.push(
    'Diffs keep every changed line and 2 lines of context (the reference also keeps 2), so a `git diff` with its default 3 lines of context saves only about 10%: the 60–80% figure needs wider context (-U10: about 45% here) or the caps (the 40-file diff with a lockfile: about 90%). **The diff target is missed on ordinary diffs by design**: the remaining bytes are changed lines, which are never dropped.',
    '',
  );

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
    'Most reference fixtures are under 50 lines and pass through on both sides. Where the reference saves more: on the one lossy log fixture it keeps neither the head of the log nor the routine lines just before the error (we keep 3 head lines and 3 lines of context); on the four 177-line diffs the hunk headers claim 10/12 lines while the bodies hold 13/15, and the reference ignores the counts and trims the 3 extra trailing lines as context, where we follow the counts (those lines are outside the hunk, so they are kept verbatim as text). On the fifth diff it counts as changed (5d950a94, a 60-line commit message before the diff) it drops the last 2 lines with no marker at all (cache_key null); we leave that input unchanged. Every error, failure and changed line the reference kept, we keep (test/compressors/{log,diff}.test.ts).',
    '',
  );
  return out.join('\n');
}
