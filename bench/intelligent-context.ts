/**
 * IntelligentContext against RollingWindow on generated agent conversations that exceed their
 * budget: what each keeps (tool results reporting errors, results a later message refers to),
 * what the drop costs the provider's prompt cache, and the time compress() takes with each.
 *
 * The conversations (seeded, deterministic): one task, then N tool steps; every 7th result
 * reports a failure, every 5th result names a file that the assistant brings up again near the
 * end. Budget: 40% of the conversation's tokens.
 */
import { compress, MemoryStore } from '../sdk/index.js';
import { resolveModel } from '../engine/models/index.js';
import { toInternal } from '../engine/messages/index.js';
import { getTokenCounter } from '../engine/tokenizer/index.js';
import { ms, time } from './timing.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = 'request worker queue cache shard replica index latency region build deploy config retry token window status timeout branch commit review'.split(' ');

interface Conversation {
  readonly messages: any[];
  /** Indices of tool results that report an error. */
  readonly errors: number[];
  /** Indices of tool results a later message refers to. */
  readonly referenced: number[];
}

function conversation(steps: number, seed: number): Conversation {
  const r = rng(seed);
  const text = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(r() * WORDS.length)]).join(' ');
  const messages: any[] = [
    { role: 'system', content: 'You are an SRE agent. Use the tools; cite the files and lines you rely on.' },
    { role: 'user', content: 'Checkout is failing for some users in eu-west-1. Find out why.' },
  ];
  const errors: number[] = [];
  const referenced: number[] = [];
  const files: string[] = [];
  for (let i = 0; i < steps; i++) {
    const id = `call_${i}`;
    messages.push({ role: 'assistant', content: null, tool_calls: [{ id, type: 'function', function: { name: i % 2 ? 'read_logs' : 'grep', arguments: JSON.stringify({ step: i }) } }] });
    let body = text(250);
    if (i % 7 === 3) {
      body += `\nERROR payment_gateway: upstream connect error, connection refused (attempt ${i})`;
      errors.push(messages.length);
    }
    if (i % 5 === 2) {
      const file = `services/checkout/handler_${i}.go`;
      body = `${file}:${40 + i}: ${body}`;
      files.push(file);
      referenced.push(messages.length);
    }
    messages.push({ role: 'tool', tool_call_id: id, content: body });
  }
  messages.push({ role: 'assistant', content: `Suspects so far: ${files.join(', ')}.` });
  messages.push({ role: 'user', content: 'Which one is it, and what is the fix?' });
  return { messages, errors, referenced };
}

interface Outcome {
  readonly tokensAfter: number;
  readonly dropped: number;
  readonly errorsKept: number;
  readonly referencedKept: number;
  /** Tokens of the previously cacheable prefix (before the last assistant message) at or after the first dropped position. */
  readonly invalidated: number;
  /** Of those, the ones still sent: re-read at the input price instead of the cached-input price. */
  readonly reprocessed: number;
  readonly ms: number;
}

async function measure(conv: Conversation, tokenBudget: number, enabled: boolean): Promise<Outcome> {
  const options = { model: 'gpt-4o', tokenBudget, config: { intelligentContext: { enabled } } };
  const run = () => compress(conv.messages, { ...options, store: new MemoryStore() });
  const r = await run();
  const out = r.messages as any[];
  const kept = new Set(out);
  const first = conv.messages.findIndex((m) => !kept.has(m));
  let lastAssistant = conv.messages.length - 1;
  while (lastAssistant >= 0 && conv.messages[lastAssistant].role !== 'assistant') lastAssistant--;
  const counter = await getTokenCounter('gpt-4o');
  const internal = toInternal(conv.messages).messages;
  let invalidated = 0;
  let reprocessed = 0;
  for (let i = Math.max(0, first); first >= 0 && i < lastAssistant; i++) {
    const t = counter.countMessage(internal[i]);
    invalidated += t;
    if (kept.has(conv.messages[i])) reprocessed += t;
  }
  const t = await time(run, 5, 1);
  return {
    tokensAfter: r.tokensAfter,
    dropped: conv.messages.filter((m) => !kept.has(m)).length,
    errorsKept: conv.errors.filter((i) => kept.has(conv.messages[i])).length,
    referencedKept: conv.referenced.filter((i) => kept.has(conv.messages[i])).length,
    invalidated,
    reprocessed,
    ms: t.medianMs,
  };
}

export async function runIntelligentContextBench(): Promise<string> {
  const price = resolveModel('gpt-4o').info.pricing;
  const lines = [
    '## IntelligentContext vs RollingWindow',
    '',
    'Generated agent conversations (one task, N tool steps of ~250 words; every 7th result reports an error, every 5th names a file the assistant mentions again at the end), budget 40% of the tokens, gpt-4o. "Cache lost" = tokens of the previously cacheable prefix (everything before the last assistant message) at or after the first dropped message; "re-read" = those still sent, billed at the input instead of the cached-input price on the request that drops ($ per 1,000 such requests).',
    '',
    '| steps | tokens | budget | strategy | after | dropped msgs | errors kept | referenced kept | cache lost (tokens) | re-read (tokens) | re-read ($/1k req) | ms | ms ratio |',
    '| ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const steps of [40, 200, 1000]) {
    const conv = conversation(steps, steps);
    const tokens = (await compress(conv.messages, { mode: 'audit' })).tokensBefore;
    const budget = Math.floor(tokens * 0.4);
    const rw = await measure(conv, budget, false);
    const ic = await measure(conv, budget, true);
    for (const [name, o] of [['RollingWindow', rw], ['IntelligentContext', ic]] as const) {
      const usd = ((o.reprocessed * (price.input - price.cachedInput)) / 1e6) * 1000;
      lines.push(
        `| ${steps} | ${tokens.toLocaleString('en-US')} | ${budget.toLocaleString('en-US')} | ${name} | ${o.tokensAfter.toLocaleString('en-US')} | ${o.dropped} | ${o.errorsKept}/${conv.errors.length} | ${o.referencedKept}/${conv.referenced.length} | ${o.invalidated.toLocaleString('en-US')} | ${o.reprocessed.toLocaleString('en-US')} | ${usd.toFixed(2)} | ${ms(o.ms)} | ${(o.ms / rw.ms).toFixed(2)} |`,
      );
    }
  }
  lines.push('');
  return lines.join('\n');
}
