/**
 * SmartCrusher bench: token savings against lossless baselines (minified JSON, TOON) with
 * important-item recall, compress() speed against one gpt-tokenizer encode of the same input,
 * scaling from 1,000 to 10,000 items, and the reference's recorded outputs.
 *
 * Payloads are generated (test/smart-crusher/payloads.ts, seeded); "important" items are the
 * planted errors and anomalies, which must all survive. Inputs are pretty-printed JSON (indent 2),
 * as many tools return it; token counts are o200k_base (gpt-tokenizer).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encode as toonEncode } from '@toon-format/toon';
import { countTokens, encode } from 'gpt-tokenizer';
import { initKernels } from '../engine/kernels/index.js';
import type { TokenCounter } from '../engine/tokenizer/types.js';
import { crushJson, decodeCompact, expandLossless, type SmartCrusherOptions } from '../engine/transforms/smart-crusher/index.js';
import { compress, MemoryStore } from '../sdk/index.js';
import { PAYLOADS, searchResults, type Payload } from '../test/smart-crusher/payloads.js';
import { ms } from './timing.js';

/** Headroom's documented SDK median for compressing 1,000 items (docs/benchmarks). */
const HEADROOM_SDK_MEDIAN_MS_1000 = 2012;
const QUERY = 'what went wrong in the last hour?';

function memoCounter(): TokenCounter {
  const memo = new Map<string, number>();
  const count = (t: string) => {
    let n = memo.get(t);
    if (n === undefined) {
      n = countTokens(t);
      if (t.length > 4096) memo.set(t, n);
    }
    return n;
  };
  return { model: 'gpt-4o', encoding: 'o200k_base', exact: true, countText: count, countMessage: () => 0, countMessages: () => 0 };
}

function canon(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canon((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The item array inside a document shaped like `p.doc`. */
function itemArray(doc: unknown, like: unknown): unknown[] {
  if (Array.isArray(like)) return doc as unknown[];
  const key = Object.keys(like as object).find((k) => Array.isArray((like as Record<string, unknown>)[k]))!;
  return (doc as Record<string, unknown[]>)[key];
}

function recall(p: Payload, data: unknown): number {
  if (p.important.length === 0) return 1;
  const kept = new Set(itemArray(data, p.doc).map(canon));
  return p.important.filter((i) => kept.has(canon(p.items[i]))).length / p.important.length;
}

const pct = (after: number, before: number) => `${((1 - after / before) * 100).toFixed(1)}%`;
const recallPct = (r: number) => `${(r * 100).toFixed(0)}%`;

interface SavingsRow {
  name: string;
  n: number;
  pretty: number;
  minified: number;
  toon: number;
  json: number;
  compact: number;
  recallJson: number;
  recallCompact: number;
  important: number;
  kept: string;
}

function savingsRow(make: (n: number) => Payload, n: number): SavingsRow {
  const p = make(n);
  const counter = memoCounter();
  const pretty = JSON.stringify(p.doc, null, 2);
  const minified = JSON.stringify(p.doc);
  const crush = (options: SmartCrusherOptions) => crushJson(pretty, options, { counter, query: QUERY, ccr: { record() {} } });
  const j = crush({});
  const c = crush({ format: 'compact' });
  return {
    name: p.name,
    n,
    pretty: counter.countText(pretty),
    minified: counter.countText(minified),
    toon: counter.countText(toonEncode(p.doc)),
    json: j.tokensAfter,
    compact: c.tokensAfter,
    recallJson: recall(p, JSON.parse(expandLossless(j.output) ?? 'null')),
    recallCompact: recall(p, JSON.parse(expandLossless(decodeCompact(c.output)) ?? 'null')),
    important: p.important.length,
    kept: `${j.itemsAfter}/${j.itemsBefore}`,
  };
}

/** The lossless stage alone (nothing may be dropped): minify + constant fields + runs, and compact tables. */
function losslessRow(make: (n: number) => Payload, n: number): string {
  const p = make(n);
  const counter = memoCounter();
  const pretty = JSON.stringify(p.doc, null, 2);
  const base = counter.countText(pretty);
  const all = { maxItemsAfterCrush: 1_000_000_000 };
  const j = crushJson(pretty, all, { counter, ccr: { record() {} } });
  const c = crushJson(pretty, { ...all, format: 'compact' }, { counter, ccr: { record() {} } });
  const same = (out: string, compact: boolean) => {
    const json = compact ? decodeCompact(out) : out;
    return canon(JSON.parse(expandLossless(json) ?? 'null')) === canon(p.doc);
  };
  return `| ${p.name} | ${n.toLocaleString('en-US')} | ${pct(counter.countText(JSON.stringify(p.doc)), base)} | ${pct(counter.countText(toonEncode(p.doc)), base)} | ${pct(j.tokensAfter, base)} (${j.strategies.join('+') || 'unchanged'}) | ${pct(c.tokensAfter, base)} | ${same(j.output, false) && same(c.output, true) ? 'yes' : '**no**'} |`;
}

function conversation(text: string): unknown[] {
  return [
    { role: 'system', content: 'You are an SRE agent. Use the tools to investigate.' },
    { role: 'user', content: QUERY },
    { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'search', arguments: '{"limit":1000}' } }] },
    { role: 'tool', tool_call_id: 'call_1', content: text },
  ];
}

/** A distinct text per run, so no layer (the token counter's memo included) answers from a cache. */
function variant(n: number, v: number): string {
  const p = searchResults(n);
  (p.doc as { query: string }).query = `guides, run ${v}`;
  return JSON.stringify(p.doc, null, 2);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Interleaved medians of one gpt-tokenizer encode and one compress() per distinct input. */
async function speed(n: number, runs: number): Promise<{ encode: number; compress: number; crush: number; tokens: number; savings: number }> {
  const store = new MemoryStore({ maxEntries: 4 });
  // Warm-up (JIT, ranks, kernels).
  for (let v = 0; v < 2; v++) {
    const t = variant(n, v);
    encode(t);
    await compress(conversation(t), { model: 'gpt-4o', store });
  }
  const enc: number[] = [];
  const cmp: number[] = [];
  const cr: number[] = [];
  let tokens = 0;
  let savings = 0;
  const counter = memoCounter();
  for (let v = 2; v < runs + 2; v++) {
    const t = variant(n, v);
    let t0 = performance.now();
    tokens = encode(t).length;
    enc.push(performance.now() - t0);
    t0 = performance.now();
    const r = await compress(conversation(t), { model: 'gpt-4o', store });
    cmp.push(performance.now() - t0);
    savings = r.savingsPercent;
    counter.countText(t);
    t0 = performance.now();
    crushJson(t, {}, { counter, query: QUERY, ccr: { record() {} } });
    cr.push(performance.now() - t0);
  }
  return { encode: median(enc), compress: median(cmp), crush: median(cr), tokens, savings };
}

interface Fixture {
  label: string;
  input: { content: string; query: string };
  output: { compressed: string; strategy: string };
}

function parityRows(): string[] {
  const dir = fileURLToPath(new URL('../test/fixtures/headroom-parity/smart_crusher/', import.meta.url));
  const rows: string[] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.json')).sort()) {
    const fx = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Fixture;
    const counter = memoCounter();
    const r = crushJson(fx.input.content, {}, { counter, query: fx.input.query || undefined, ccr: { record() {} } });
    const before = counter.countText(fx.input.content);
    const ref = counter.countText(fx.output.compressed);
    rows.push(
      `| ${fx.label} | ${before} | ${ref} (${pct(ref, before)}) | ${r.tokensAfter} (${pct(r.tokensAfter, before)}) | \`${fx.output.strategy.replace(/\|/g, '/')}\` | ${r.strategies.join(', ') || 'passthrough'} |`,
    );
  }
  return rows;
}

export async function runSmartCrusherBench(): Promise<string> {
  await initKernels();
  const sizes = [100, 1_000, 10_000];
  const rows: SavingsRow[] = [];
  for (const make of PAYLOADS) for (const n of sizes) rows.push(savingsRow(make, n));

  const s1k = await speed(1_000, 15);
  const s10k = await speed(10_000, 7);
  const ratio = s1k.compress / s1k.encode;
  const scaling = s10k.compress / s1k.compress;
  const search1k = rows.find((r) => r.name === 'search results' && r.n === 1_000)!;
  const searchSavings = 1 - search1k.json / search1k.pretty;
  const allRecall = rows.every((r) => r.recallJson === 1 && r.recallCompact === 1);
  const ok = (b: boolean) => (b ? 'met' : '**missed**');

  const out: string[] = [
    '## SmartCrusher',
    '',
    `Generated payloads (test/smart-crusher/payloads.ts, seeded), pretty-printed JSON input, o200k_base tokens (gpt-tokenizer). Query for relevance: "${QUERY}". "Important" items are the planted errors and anomalies; recall is the share of them present in the output. Minified JSON and TOON are lossless baselines; SmartCrusher's default output is valid JSON (kept items + one \`{"_headroom": …}\` sentinel per crushed array, the original retrievable by hash), compact is the opt-in schema-plus-rows format.`,
    '',
    '| payload | items | pretty tokens | minified | TOON | SmartCrusher json | SmartCrusher compact | kept (json) | important | recall json / compact |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.n.toLocaleString('en-US')} | ${r.pretty.toLocaleString('en-US')} | ${pct(r.minified, r.pretty)} | ${pct(r.toon, r.pretty)} | ${pct(r.json, r.pretty)} | ${pct(r.compact, r.pretty)} | ${r.kept} | ${r.important} | ${recallPct(r.recallJson)} / ${recallPct(r.recallCompact)} |`,
    ),
    '',
    'Savings are relative to the pretty-printed input.',
    '',
    'The lossless stage alone (`maxItemsAfterCrush` set beyond the item count, so nothing is dropped): SmartCrusher JSON = minify + constant-field factoring + runs of identical items, each kept only when decode-and-compare proves it exact; compact = schema line + rows (constant columns in the schema). "Round-trips" decodes both outputs and compares with the input data.',
    '',
    '| payload | items | minified | TOON | SmartCrusher json (lossless) | SmartCrusher compact (lossless) | round-trips |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...PAYLOADS.map((make) => losslessRow(make, 1_000)),
    '',
    '### Speed',
    '',
    `compress() on an OpenAI conversation whose tool result is ${sizes[1].toLocaleString('en-US')} search results (${s1k.tokens.toLocaleString('en-US')} tokens pretty-printed), against one gpt-tokenizer \`encode\` of the same tool output; interleaved runs, each on a distinct input (so the token counter's memo never answers), medians.`,
    '',
    '| measurement | items | median ms | ratio to one encode |',
    '| --- | ---: | ---: | ---: |',
    `| gpt-tokenizer encode | 1,000 | ${ms(s1k.encode)} | 1.00 |`,
    `| compress() end to end (read, count, the default transforms incl. SmartCrusher, write back, CCR store) | 1,000 | ${ms(s1k.compress)} | ${ratio.toFixed(2)} |`,
    `| crushJson alone (tokens of the input already known) | 1,000 | ${ms(s1k.crush)} | ${(s1k.crush / s1k.encode).toFixed(2)} |`,
    `| gpt-tokenizer encode | 10,000 | ${ms(s10k.encode)} | 1.00 |`,
    `| compress() end to end | 10,000 | ${ms(s10k.compress)} | ${(s10k.compress / s10k.encode).toFixed(2)} |`,
    `| crushJson alone | 10,000 | ${ms(s10k.crush)} | ${(s10k.crush / s10k.encode).toFixed(2)} |`,
    '',
    `- compress() / encode on 1,000 items: **${ratio.toFixed(2)}** (target ≤ 2.0: ${ok(ratio <= 2)}). Headroom's documented SDK median for 1,000 items is ${HEADROOM_SDK_MEDIAN_MS_1000.toLocaleString('en-US')} ms; ours is ${ms(s1k.compress)} ms here, **${(HEADROOM_SDK_MEDIAN_MS_1000 / s1k.compress).toFixed(0)}× faster** (different machines and payloads: an order-of-magnitude comparison, not a controlled one).`,
    `- Scaling: the 10,000-item run takes **${scaling.toFixed(1)}×** the 1,000-item run (target ≤ 12×: ${ok(scaling <= 12)}); crushJson alone ${(s10k.crush / s1k.crush).toFixed(1)}×, and for comparison one gpt-tokenizer encode ${(s10k.encode / s1k.encode).toFixed(1)}× (10× the data: cache and GC effects make every stage somewhat super-linear on this machine).`,
    `- 1,000 search results, default format: **${(searchSavings * 100).toFixed(1)}%** token savings (target ≥ 90%: ${ok(searchSavings >= 0.9)}) with ${recallPct(search1k.recallJson)} of the important items kept; recall over every row: ${allRecall ? '100% everywhere' : '**below 100% somewhere (see table)**'}.`,
    `- compress() reported ${s1k.savings.toFixed(1)}% savings on the whole 1,000-item conversation.`,
    '',
    '### Reference fixtures',
    '',
    'The vendored Headroom parity fixtures (test/fixtures/headroom-parity/smart_crusher): tokens of the input, of the reference\'s recorded output and of ours (default options). The reference re-serialises Python-escaped unicode as raw UTF-8 and drops string/number items without a marker; ours always leaves a retrievable sentinel (about 25–35 tokens) where items were dropped, and passes content under 200 tokens through untouched.',
    '',
    '| fixture | input tokens | reference | ours | reference strategy | our strategies |',
    '| --- | ---: | ---: | ---: | --- | --- |',
    ...parityRows(),
    '',
  ];
  return out.join('\n');
}
