/**
 * `npm run simulate [-- file|-] [--model M] [--budget N] [--json]`
 * Compresses the bundled sample conversations (or a file / stdin) and prints what it saves.
 * A file may be a messages array, `{ "messages": [...], "model"?: ... }`, or raw text (treated
 * as one tool output in a minimal conversation).
 */
import { readFileSync } from 'node:fs';
import { compress, resolveModel } from '../sdk/index.js';
import { estimateCostUSD } from '../engine/models/index.js';
import { samples, type Sample } from '../bench/samples.js';

interface Args {
  file?: string;
  model?: string;
  budget?: number;
  json: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { json: false };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i];
    if (v === '--model') a.model = argv[++i];
    else if (v === '--budget') a.budget = Number(argv[++i]);
    else if (v === '--json') a.json = true;
    else if (v === '--help' || v === '-h') {
      console.log('usage: npm run simulate -- [file|-] [--model M] [--budget N] [--json]');
      process.exit(0);
    } else a.file = v;
  }
  return a;
}

function fromFile(path: string, args: Args): Sample {
  const text = path === '-' ? readFileSync(0, 'utf8') : readFileSync(path, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const obj = parsed as { messages?: unknown[]; model?: string } | undefined;
  const messages = Array.isArray(parsed)
    ? parsed
    : Array.isArray(obj?.messages)
      ? obj.messages
      : [
          { role: 'user', content: 'Here is the tool output.' },
          { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'tool', arguments: '{}' } }] },
          { role: 'tool', tool_call_id: 'call_1', content: text },
        ];
  return { name: path, description: 'from ' + (path === '-' ? 'stdin' : path), model: args.model ?? obj?.model ?? 'gpt-4o', messages };
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** `smart_crusher:items=40->16` ×24 → `smart_crusher ×24 (items 960→455)`; other labels as they are. */
function summarizeTransforms(labels: string[]): string {
  const groups = new Map<string, { n: number; from: number; to: number; plain: string[] }>();
  for (const l of labels) {
    const [name, detail = ''] = l.split(':');
    const g = groups.get(name) ?? { n: 0, from: 0, to: 0, plain: [] };
    g.n++;
    const m = /items=(\d+)->(\d+)/.exec(detail);
    if (m) {
      g.from += Number(m[1]);
      g.to += Number(m[2]);
    } else g.plain.push(l);
    groups.set(name, g);
  }
  return [...groups.entries()]
    .map(([name, g]) => (g.from > 0 ? `${name} ×${g.n} (items ${fmt(g.from)}→${fmt(g.to)})` : g.plain.join(', ')))
    .join(', ');
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  let list: Sample[];
  try {
    list = args.file ? [fromFile(args.file, args)] : samples();
  } catch (e) {
    console.error(`simulate: cannot read ${args.file}: ${(e as Error).message}`);
    process.exit(2);
  }
  const rows = [];
  for (const s of list) {
    const r = await compress(s.messages, { model: args.model ?? s.model, tokenBudget: args.budget ?? s.tokenBudget });
    rows.push({ sample: s.name, description: s.description, result: r });
  }
  if (args.json) {
    console.log(JSON.stringify(rows.map(({ sample, result }) => ({ sample, ...result, messages: undefined })), null, 2));
    return;
  }
  console.log('headroom-wasm simulate — what compress() does to each conversation\n');
  for (const { sample, description, result: r } of rows) {
    const { info } = resolveModel(r.model.id);
    const before = estimateCostUSD(info, { input: r.tokensBefore });
    const after = estimateCostUSD(info, { input: r.tokensAfter });
    console.log(`${sample}  (${description})`);
    console.log(`  model            ${r.model.id} → ${r.model.canonical} [${r.model.provider}], tokens ${r.tokenCounting}`);
    console.log(`  tokens           ${fmt(r.tokensBefore)} → ${fmt(r.tokensAfter)}  (${r.savingsPercent.toFixed(1)}% saved, budget ${fmt(r.tokenBudget)}, fits: ${r.fitsBudget})`);
    console.log(`  input cost       $${before.toFixed(4)} → $${after.toFixed(4)} per request; $${((before - after) * 1000).toFixed(2)} saved per 1,000 requests at $${info.pricing.input}/1M`);
    console.log(`  transforms       ${summarizeTransforms(r.transformsApplied) || '(none)'}`);
    console.log(`  stable prefix    ${r.stablePrefixHash ?? '(no system prompt)'}`);
    if (r.ccrHashes.length) console.log(`  retrievable      ${r.ccrHashes.length} original(s), e.g. retrieve('${r.ccrHashes[0]}')`);
    for (const w of r.warnings) console.log(`  warning          ${w}`);
    console.log('');
  }
}

main().catch((e) => {
  console.error(`simulate: ${(e as Error).stack ?? e}`);
  process.exit(1);
});
