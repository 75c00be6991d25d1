/**
 * Kernel benchmark: WASM vs plain TS on realistic sizes, plus the string → id hashing cost and
 * the end-to-end string helpers. `runKernelBench()` returns the "## Kernels" section of
 * bench/RESULTS.md (bench/run.ts writes the file).
 *
 * Method: seeded synthetic data; each case warms up (≥ `WARMUP` calls and ≥ `WARMUP_MS`), then
 * TS and WASM run interleaved and the median (and best) of `RUNS` timed runs is reported
 * (performance.now()). Speed-up = TS time ÷ WASM time (> 1 means WASM is faster).
 * WASM timings include copying inputs into linear memory and results out, as callers see them.
 *
 * Quick run: npx tsx -e "import('./bench/kernels.ts').then(async m => console.log(await m.runKernelBench()))"
 */
import { cpus } from 'node:os';
import { packShingles, packTermIds, simhashStrings, bm25Strings } from '../engine/kernels/hash.js';
import { embeddedKernelsBytes, ROUTING, routeKernels, tsKernels, WASM_MIN_LENGTH, type RoutedFunction } from '../engine/kernels/index.js';
import type { Kernels } from '../engine/kernels/types.js';
import { createWasmKernels, type WasmKernels } from '../engine/kernels/wasm-binding.js';

const WARMUP = 3;
const WARMUP_MS = 150;
const RUNS = 15;

/** Median and best (minimum) of the timed runs, in ms. */
interface Stat {
  median: number;
  min: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

let sink: unknown;

/**
 * Median wall times in ms of `a` and `b`, measured interleaved (a, b, a, b, …) so both see the
 * same machine load; results are kept alive so nothing is optimised away.
 */
function interleaved(fns: (() => unknown)[], runs = RUNS, warmup = WARMUP): Stat[] {
  // Warm up until V8 has had a chance to optimise both the JS and the WASM tier (Liftoff →
  // TurboFan tier-up): at least `warmup` calls and ~WARMUP_MS of work per function.
  for (const f of fns) {
    const t0 = performance.now();
    for (let i = 0; i < 2000 && (i < warmup || performance.now() - t0 < WARMUP_MS); i++) sink = f();
  }
  const t = fns.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) {
    fns.forEach((f, j) => {
      const t0 = performance.now();
      sink = f();
      t[j].push(performance.now() - t0);
    });
  }
  return t.map((xs) => ({ median: median(xs), min: Math.min(...xs) }));
}

/** Median and best wall time in ms of `fn`. */
function time(fn: () => unknown, runs = RUNS, warmup = WARMUP): Stat {
  return interleaved([fn], runs, warmup)[0];
}

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------- data ----------
const WORDS = (
  'error warning info debug request response timeout user session token cache miss hit ' +
  'retry connection refused database query row column index table file path status ok failed ' +
  'service worker queue message payload json value key id latency ms bytes sent received'
).split(' ');

function logLines(n: number, r: () => number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = 5 + Math.floor(r() * 5);
    const parts = [`2024-05-${String(1 + (i % 28)).padStart(2, '0')}T12:${String(i % 60).padStart(2, '0')}:00Z`];
    for (let j = 0; j < k; j++) parts.push(WORDS[Math.floor(r() * WORDS.length)]);
    if (r() < 0.3) parts.push(String(Math.floor(r() * 100000)));
    out.push(parts.join(' '));
  }
  return out;
}

interface Row {
  kernel: string;
  workload: string;
  unit: string;
  amount: number; // units per call
  ts: Stat;
  wasm: Stat;
  route?: RoutedFunction;
}

function fmtRate(amount: number, ms: number, unit: string): string {
  const perS = (amount / ms) * 1000;
  const v = perS >= 1e9 ? `${(perS / 1e9).toFixed(2)} G` : perS >= 1e6 ? `${(perS / 1e6).toFixed(2)} M` : perS >= 1e3 ? `${(perS / 1e3).toFixed(1)} k` : perS.toFixed(0) + ' ';
  return `${v}${unit}/s`;
}
const fmtMs = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

function timed(a: () => unknown, b: () => unknown, runs = RUNS, warmup = WARMUP): { ts: Stat; wasm: Stat } {
  const [ts, wasm] = interleaved([a, b], runs, warmup);
  return { ts, wasm };
}

/** Runs the kernel benchmark and returns a markdown section starting with "## Kernels". */
export async function runKernelBench(): Promise<string> {
  const module = await WebAssembly.compile(embeddedKernelsBytes());
  const instance = await WebAssembly.instantiate(module, {});
  const wasm: WasmKernels = createWasmKernels(instance);
  const ts: Kernels = tsKernels;
  const r = rng(0x5eed);
  const rows: Row[] = [];
  const add = (row: Row): void => void rows.push(row);

  // simhash: 10k items × 40 shingles
  {
    const n = 10_000;
    const per = 40;
    const shingles = new Uint32Array(n * per);
    for (let i = 0; i < shingles.length; i++) shingles[i] = (r() * 2 ** 32) >>> 0;
    const offsets = Uint32Array.from({ length: n + 1 }, (_, i) => i * per);
    add({ kernel: 'simhash', workload: '10k items × 40 shingles', unit: 'items', amount: n, ...timed(() => ts.simhash(shingles, offsets), () => wasm.simhash(shingles, offsets)), route: 'simhash' });
  }
  // hammingTo: 100k fingerprints
  {
    const n = 100_000;
    const fps = BigUint64Array.from({ length: n }, () => (BigInt((r() * 2 ** 32) >>> 0) << 32n) | BigInt((r() * 2 ** 32) >>> 0));
    add({ kernel: 'hammingTo', workload: '100k fingerprints', unit: 'fps', amount: n, ...timed(() => ts.hammingTo(fps, 0x0123456789abcdefn), () => wasm.hammingTo(fps, 0x0123456789abcdefn)), route: 'hammingTo' });
  }
  // groupNearDuplicates: 10k fingerprints around 1000 bases (≤ 3 flipped bits)
  {
    const n = 10_000;
    const bases = Array.from({ length: 1000 }, () => (BigInt((r() * 2 ** 32) >>> 0) << 32n) | BigInt((r() * 2 ** 32) >>> 0));
    const fps = BigUint64Array.from({ length: n }, () => {
      let fp = bases[Math.floor(r() * bases.length)];
      for (let f = Math.floor(r() * 4); f > 0; f--) fp ^= 1n << BigInt(Math.floor(r() * 64));
      return fp;
    });
    add({ kernel: 'groupNearDuplicates', workload: '10k fps, ~1000 groups, d = 3', unit: 'items', amount: n, ...timed(() => ts.groupNearDuplicates(fps, 3), () => wasm.groupNearDuplicates(fps, 3), 5, 1), route: 'groupNearDuplicates' });
  }
  // bm25: 10k docs × 30 terms, 6-term query
  {
    const n = 10_000;
    const per = 30;
    const terms = new Uint32Array(n * per);
    for (let i = 0; i < terms.length; i++) terms[i] = Math.floor(Math.pow(r(), 2) * 20_000); // skewed vocabulary
    const offsets = Uint32Array.from({ length: n + 1 }, (_, i) => i * per);
    const query = Uint32Array.from([3, 17, 250, 4000, 17, 19_999]);
    add({ kernel: 'bm25', workload: '10k docs × 30 terms, 6-term query', unit: 'docs', amount: n, ...timed(() => ts.bm25(terms, offsets, query), () => wasm.bm25(terms, offsets, query)), route: 'bm25' });
  }
  // fieldStats: 1M values
  {
    const n = 1_000_000;
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = i % 10_007 === 0 ? NaN : 100 + 15 * (r() + r() + r() - 1.5);
    add({ kernel: 'fieldStats', workload: '1M values (0.01% NaN)', unit: 'values', amount: n, ...timed(() => ts.fieldStats(v, 2), () => wasm.fieldStats(v, 2), 7, 2), route: 'fieldStats' });
  }
  // changePoints: 100k values, window 5, 2σ
  {
    const n = 100_000;
    const v = new Float64Array(n);
    let level = 0;
    for (let i = 0; i < n; i++) {
      if (i % 5000 === 0) level = r() * 10;
      v[i] = level + r();
    }
    add({ kernel: 'changePoints', workload: '100k values, window 5, 2σ', unit: 'values', amount: n, ...timed(() => ts.changePoints(v, 5, 2), () => wasm.changePoints(v, 5, 2)), route: 'changePoints' });
  }
  // kneedle: 10k points
  {
    const n = 10_000;
    const y = Float64Array.from({ length: n }, (_, i) => Math.log1p(i / 50) + r() * 0.01);
    add({ kernel: 'kneedle', workload: '10k points', unit: 'points', amount: n, ...timed(() => ts.kneedle(y), () => wasm.kneedle(y), 21, 5), route: 'kneedle' });
  }

  // Small inputs: fixed per-call cost (each timed run makes CALLS calls).
  const CALLS = 1000;
  const repeat = (f: () => unknown) => () => {
    for (let i = 0; i < CALLS; i++) sink = f();
  };
  const small: Row[] = [];
  {
    const n = 100;
    const v = Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 10 + (i > n / 2 ? 5 : 0));
    const y = Float64Array.from({ length: n }, (_, i) => Math.log1p(i));
    const shingles = Uint32Array.from({ length: n * 40 }, () => (r() * 2 ** 32) >>> 0);
    const offsets = Uint32Array.from({ length: n + 1 }, (_, i) => i * 40);
    const terms = Uint32Array.from({ length: n * 30 }, () => Math.floor(r() * 500));
    const toff = Uint32Array.from({ length: n + 1 }, (_, i) => i * 30);
    const q = Uint32Array.from([1, 2, 3, 4, 5]);
    const cases: [RoutedFunction, string, () => unknown, () => unknown][] = [
      ['fieldStats', '100 values', () => ts.fieldStats(v, 2), () => wasm.fieldStats(v, 2)],
      ['changePoints', '100 values', () => ts.changePoints(v, 5, 2), () => wasm.changePoints(v, 5, 2)],
      ['kneedle', '100 points', () => ts.kneedle(y), () => wasm.kneedle(y)],
      ['simhash', '100 items × 40 shingles', () => ts.simhash(shingles, offsets), () => wasm.simhash(shingles, offsets)],
      ['bm25', '100 docs × 30 terms', () => ts.bm25(terms, toff, q), () => wasm.bm25(terms, toff, q)],
    ];
    for (const [route, workload, a, b] of cases) {
      const [tsT, wasmT] = interleaved([repeat(a), repeat(b)], 9, 2);
      small.push({ kernel: route, workload, unit: 'calls', amount: CALLS, ts: tsT, wasm: wasmT, route });
    }
  }

  // Strings: hashing cost alone and end to end.
  const items = logLines(10_000, r); // ~45–70 chars each
  const chars = items.reduce((s, x) => s + x.length, 0);
  const query = 'timeout error user session 4242';
  const wasmNoText = routeKernels(wasm, { ...ROUTING, simhash: 'wasm', bm25: 'wasm', simhashTexts: 'ts', bm25Texts: 'ts' });
  const hashRows: { what: string; ms: Stat }[] = [];
  hashRows.push({ what: 'shingleHashes (TS): 10k log lines → u32 4-grams', ms: time(() => packShingles(items)) });
  hashRows.push({ what: 'termIds (TS): 10k log lines → u32 tokens', ms: time(() => packTermIds(items)) });
  interface E2E {
    helper: string;
    route: RoutedFunction;
    ms: Stat[]; // [TS hash + TS kernel, TS hash + WASM kernel, fused WASM]
  }
  const e2e: E2E[] = [
    {
      helper: 'simhashStrings (10k lines, 4-grams)',
      route: 'simhashTexts',
      ms: interleaved([() => simhashStrings(items, ts), () => simhashStrings(items, wasmNoText), () => simhashStrings(items, wasm)]),
    },
    {
      helper: 'bm25Strings (10k lines, 5-term query)',
      route: 'bm25Texts',
      ms: interleaved([() => bm25Strings(items, query, ts), () => bm25Strings(items, query, wasmNoText), () => bm25Strings(items, query, wasm)]),
    },
  ];
  // Routing of a fused path is decided against the alternative once WASM is loaded: TS hashing + WASM kernel.
  const e2eRows: Row[] = e2e.map((e) => ({ kernel: e.helper, workload: 'fused vs TS hash + WASM kernel', unit: 'items', amount: items.length, ts: e.ms[1], wasm: e.ms[2], route: e.route }));

  // ---------- report ----------
  const speedup = (row: Row): number => row.ts.median / row.wasm.median;
  const bestSpeedup = (row: Row): number => row.ts.min / row.wasm.min;
  /** WASM wins when both the median and the best-run ratio reach 1.1×; TS wins when both are below 1. */
  const verdict = (row: Row): 'wasm' | 'ts' | 'unclear' =>
    speedup(row) >= 1.1 && bestSpeedup(row) >= 1.1 ? 'wasm' : speedup(row) < 1 && bestSpeedup(row) < 1 ? 'ts' : 'unclear';
  const x = (v: number): string => `${v.toFixed(2)}×`;
  const lines: string[] = [];
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  lines.push('## Kernels', '');
  lines.push(
    `Node ${process.version} (${process.platform}/${process.arch}, ${cpus().length}× ${cpu}), ${new Date().toISOString().slice(0, 10)}. ` +
      `Median of ${RUNS} runs (more for the fastest cases, fewer for the slowest) after ≥ ${WARMUP} warm-up calls and ≥ ${WARMUP_MS} ms of warm-up per function, TS and WASM runs interleaved; seeded synthetic data. ` +
      'WASM times include copying inputs into linear memory and results out. Speed-up = TS time ÷ WASM time (median runs; "best" = ratio of the fastest runs, less sensitive to machine load).',
    '',
  );
  lines.push('| kernel | workload | TS ms | WASM ms | TS rate | WASM rate | speed-up | best | routed to |');
  lines.push('|---|---|---:|---:|---:|---:|---:|---:|---|');
  for (const row of rows) {
    lines.push(
      `| ${row.kernel} | ${row.workload} | ${fmtMs(row.ts.median)} | ${fmtMs(row.wasm.median)} | ${fmtRate(row.amount, row.ts.median, ' ' + row.unit)} | ` +
        `${fmtRate(row.amount, row.wasm.median, ' ' + row.unit)} | ${x(speedup(row))} | ${x(bestSpeedup(row))} | ${row.route ? ROUTING[row.route] + (WASM_MIN_LENGTH[row.route] && ROUTING[row.route] === 'wasm' ? ` (TS below ${WASM_MIN_LENGTH[row.route]})` : '') : '—'} |`,
    );
  }
  lines.push('', '### Small inputs (fixed cost per call)', '');
  lines.push(`µs per call, median of 9 runs of ${CALLS} calls. WASM_MIN_LENGTH in engine/kernels/index.ts sends WASM-routed calls below a size to TS.`, '');
  lines.push('| kernel | input | TS µs/call | WASM µs/call | speed-up | routed to |', '|---|---|---:|---:|---:|---|');
  for (const row of small) {
    const min = row.route ? WASM_MIN_LENGTH[row.route] : undefined;
    const routed = row.route ? ROUTING[row.route] + (min && ROUTING[row.route] === 'wasm' ? ` (TS below ${min})` : '') : '—';
    lines.push(`| ${row.kernel} | ${row.workload} | ${((row.ts.median * 1000) / CALLS).toFixed(2)} | ${((row.wasm.median * 1000) / CALLS).toFixed(2)} | ${x(speedup(row))} | ${routed} |`);
  }
  lines.push('', '### Strings → ids', '');
  lines.push(
    `10k synthetic log lines, ${(chars / 1e6).toFixed(2)} M UTF-16 code units (${(chars / items.length).toFixed(0)} per line). ` +
      'Hashing runs in TS for `shingleHashes` / `termIds` / `packShingles` / `packTermIds`; `simhashStrings` / `bm25Strings` hash inside WASM (fused path) when it is routed there.',
    '',
  );
  lines.push('| step | ms | throughput |', '|---|---:|---:|');
  for (const h of hashRows) lines.push(`| ${h.what} | ${fmtMs(h.ms.median)} | ${((chars * 2) / 1e6 / (h.ms.median / 1000)).toFixed(0)} MB/s (UTF-16) |`);
  lines.push(
    '',
    'End to end (strings in, results out). A = TS hashing + TS kernel (before initKernels); B = TS hashing + WASM kernel; ' +
      'C = fused WASM (strings lowercased in JS, UTF-16 code units copied into WASM, hashing + kernel in WASM).',
    '',
    '| helper | A ms | B ms | C ms | B vs A | C vs A | C vs B | C vs B best | fused path routed to |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
  );
  for (const e of e2e) {
    const [a, b, c] = e.ms;
    lines.push(
      `| ${e.helper} | ${fmtMs(a.median)} | ${fmtMs(b.median)} | ${fmtMs(c.median)} | ${x(a.median / b.median)} | ${x(a.median / c.median)} | ` +
        `${x(b.median / c.median)} | ${x(b.min / c.min)} | ${ROUTING[e.route]} |`,
    );
  }

  const all = [...rows, ...e2eRows];
  const notWins = all.filter((row) => verdict(row) !== 'wasm');
  // A routing is contradicted when TS is routed but every row of that function is a clear WASM
  // win, or WASM is routed but some row (not covered by WASM_MIN_LENGTH) is a clear TS win.
  const smallCovered = (row: Row): boolean => small.includes(row) && !!row.route && (WASM_MIN_LENGTH[row.route] ?? 0) > 100;
  const byRoute = new Map<RoutedFunction, Row[]>();
  for (const row of [...all, ...small]) if (row.route) byRoute.set(row.route, [...(byRoute.get(row.route) ?? []), row]);
  const mismatches = [...byRoute].filter(([route, rs]) =>
    ROUTING[route] === 'ts' ? rs.every((row) => verdict(row) === 'wasm') : rs.some((row) => !smallCovered(row) && verdict(row) === 'ts'),
  );
  lines.push('', '### Selection', '');
  lines.push(
    'engine/kernels/index.ts `ROUTING` (set from repeated runs, since one run on a shared machine is noisy) sends a function to TS ' +
      'where WASM ties or loses at the sizes compressors use; `getKernels()` then serves the TS function even after `initKernels()` ' +
      '(`backend` still reports `wasm`). Everything else runs in WASM, including the fused string paths of `simhashStrings` / ' +
      '`bm25Strings`, which were never clearly slower than TS hashing + the WASM kernel (≈ 1.05–1.4× faster on log-line-sized items). ' +
      '`WASM_MIN_LENGTH` keeps small fieldStats inputs on TS.',
    '',
  );
  const routedTs = (Object.keys(ROUTING) as RoutedFunction[]).filter((k) => ROUTING[k] === 'ts');
  lines.push(routedTs.length ? `Routed to TS: ${routedTs.map((k) => `\`${k}\``).join(', ')}.` : 'Routed to TS: none.');
  lines.push(
    notWins.length
      ? `Not a clear WASM win in this run: ${notWins.map((r) => `${r.route ?? r.kernel} (${x(speedup(r))} median, ${x(bestSpeedup(r))} best)`).join(', ')}.`
      : 'WASM wins every case in this run.',
  );
  lines.push(
    mismatches.length
      ? `This run contradicts ROUTING for: ${mismatches.map(([route]) => `${route} (routed ${ROUTING[route]})`).join(', ')}; re-run on a quiet machine before changing the table.`
      : 'This run does not contradict ROUTING (TS-routed functions have at least one size where WASM does not clearly win; WASM-routed ones never clearly lose outside WASM_MIN_LENGTH).',
  );
  lines.push('');
  return lines.join('\n');
}
