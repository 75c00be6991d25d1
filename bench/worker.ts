/**
 * Worker bench: what running compress() in a worker (createCompressor, worker_threads) costs
 * over running it in-thread, for 10 KB, 1 MB and 10 MB JSON tool outputs; what the copies cost
 * that the protocol chose (structured clone) against the alternative (JSON in a transferred
 * ArrayBuffer); and whether a second worker would help parallel calls on this machine.
 *
 * Runs against the built package (dist/, rebuilt here first), because the worker is
 * dist/sdk/worker/worker.js. Counters memoise what they have counted, so every timed call gets a
 * payload no counter has seen (a different seed per run); worker and in-thread runs alternate.
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type * as Lib from '../sdk/index.js';
import type * as Samples from '../sdk/cli/samples.js';
import { ms } from './timing.js';

const root = new URL('../', import.meta.url);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function buildLibrary(): void {
  const tsc = fileURLToPath(new URL('node_modules/typescript/bin/tsc', root));
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: fileURLToPath(root), stdio: 'inherit' });
}

interface Size {
  readonly label: string;
  readonly chars: number;
  readonly runs: number;
}

const SIZES: ReadonlyArray<Size> = [
  { label: '10 KB', chars: 10_000, runs: 21 },
  { label: '1 MB', chars: 1_000_000, runs: 7 },
  { label: '10 MB', chars: 10_000_000, runs: 3 },
];

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const v = await fn();
  return [performance.now() - t0, v];
}

/** Median ms of `fn` over `runs`. */
function copyCost(fn: () => unknown, runs: number): number {
  fn();
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    xs.push(performance.now() - t0);
  }
  return median(xs);
}

export async function runWorkerBench(): Promise<string> {
  buildLibrary();
  const lib: typeof Lib = await import(new URL('dist/sdk/index.js', root).href);
  const samples: typeof Samples = await import(new URL('dist/sdk/cli/samples.js', root).href);
  const model = 'gpt-4o';
  const conversation = (chars: number, seed: number) => lib.parsePayload(samples.largeJsonPayload(chars, seed)).messages;

  // Start-up: spawning a worker and its first call (module load, BPE ranks, WASM kernels).
  const cold = lib.createCompressor({ onWarning: () => {} });
  const [coldMs] = await timed(() => cold.compress(conversation(10_000, 1), { model }));
  cold.terminate();

  const compressor = lib.createCompressor({ onWarning: () => {} });
  await compressor.compress(conversation(10_000, 2), { model }); // warm the worker
  await lib.compress(conversation(10_000, 3), { model }); // and this thread

  const rows: string[] = [];
  const copies: string[] = [];
  let seed = 100;
  for (const size of SIZES) {
    const inThread: number[] = [];
    const viaWorker: number[] = [];
    const inWorker: number[] = [];
    const overhead: number[] = [];
    let tokens = 0;
    for (let r = 0; r < size.runs; r++) {
      const a = conversation(size.chars, seed++);
      const b = conversation(size.chars, seed++);
      const [wMs, wr] = await timed(() => compressor.compress(a, { model }));
      const [tMs, tr] = await timed(() => lib.compress(b, { model }));
      if (wr.warnings.some((w) => /in-thread/.test(w))) throw new Error(`worker bench: the call fell back in-thread (${wr.warnings.join('; ')})`);
      viaWorker.push(wMs);
      inThread.push(tMs);
      const last = compressor.status.lastCall;
      if (last) {
        inWorker.push(last.workerMs);
        overhead.push(last.overheadMs);
      }
      tokens = tr.tokensBefore;
    }
    const t = median(inThread);
    const w = median(viaWorker);
    const o = median(overhead);
    rows.push(`| ${size.label} | ${tokens.toLocaleString('en-US')} | ${ms(t)} | ${ms(w)} | ${ms(median(inWorker))} | ${ms(o)} | ${((o / median(inWorker)) * 100).toFixed(1)}% |`);

    // The copies: the request as the protocol sends it (structured clone), against JSON in a
    // transferred ArrayBuffer (encode + decode; the transfer itself is free).
    const msgs = conversation(size.chars, seed++);
    const text = JSON.stringify(msgs);
    const reps = size.chars >= 10_000_000 ? 5 : 15;
    const clone = copyCost(() => structuredClone(msgs), reps);
    const viaJson = copyCost(() => JSON.parse(new TextDecoder().decode(new TextEncoder().encode(JSON.stringify(msgs)))), reps);
    const bytes = new TextEncoder().encode(text);
    const cloneBytes = copyCost(() => structuredClone(bytes), reps);
    copies.push(`| ${size.label} | ${ms(clone)} | ${ms(viaJson)} | ${(viaJson / clone).toFixed(1)}× | ${ms(cloneBytes)} |`);
  }
  compressor.terminate();

  // A pool? Two compressors (two workers) against one, on the same two 1 MB calls at once.
  const one = lib.createCompressor({ onWarning: () => {} });
  const two = [lib.createCompressor({ onWarning: () => {} }), lib.createCompressor({ onWarning: () => {} })];
  await Promise.all([one, ...two].map((c, i) => c.compress(conversation(10_000, 900 + i), { model })));
  const oneMs: number[] = [];
  const twoMs: number[] = [];
  for (let r = 0; r < 5; r++) {
    const a = [conversation(1_000_000, seed++), conversation(1_000_000, seed++)];
    const b = [conversation(1_000_000, seed++), conversation(1_000_000, seed++)];
    oneMs.push((await timed(() => Promise.all(a.map((m) => one.compress(m, { model })))))[0]);
    twoMs.push((await timed(() => Promise.all(b.map((m, i) => two[i].compress(m, { model })))))[0]);
  }
  for (const c of [one, ...two]) c.terminate();
  const p1 = median(oneMs);
  const p2 = median(twoMs);

  return [
    '## Worker',
    '',
    `createCompressor() over worker_threads against compress() in-thread, on JSON tool outputs (an orders export wrapped as one tool result; SmartCrusher does the work). ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)} when the run started. Medians of alternating runs, each on a payload no counter has seen.`,
    '',
    '| payload | tokens | in-thread ms | worker round trip ms | inside the worker ms | overhead ms | overhead ÷ work |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    `Overhead = round trip − time inside the worker, per call (\`status.lastCall\`): the request copy, the hop and the reply copy; unchanged messages come back as references to the caller's objects, not copies. In-thread and round-trip times differ by more than that on a loaded machine (the caller's heap holds every payload of the run; the worker's does not). A new worker's first call (spawn, module load, BPE ranks, WASM kernels, 10 KB payload): ${ms(coldMs)} ms.`,
    '',
    'What the request copy costs each way, measured in-thread: structured clone (what the protocol sends) against JSON text in a transferable ArrayBuffer (stringify + encode, then decode + parse; moving the buffer is free). Bytes the caller already holds clone at memcpy speed, and `transfer: true` moves them instead.',
    '',
    '| payload | structured clone ms | JSON + ArrayBuffer ms | JSON ÷ clone | clone of the UTF-8 bytes ms |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...copies,
    '',
    'Would a pool help? Two 1 MB calls at once, on one worker (queued) and on two workers.',
    '',
    '| workers | wall ms |',
    '| ---: | ---: |',
    `| 1 | ${ms(p1)} |`,
    `| 2 | ${ms(p2)} |`,
    '',
    `Two workers: ${(p1 / p2).toFixed(2)}× the throughput of one on this machine. createCompressor() has one worker: a pool ships only where it measurably helps, and each worker costs its own start-up and memory.`,
    '',
  ].join('\n');
}
