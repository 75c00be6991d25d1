/**
 * compress() on a conversation with nothing to compress, against one tokenizer pass over
 * the same conversation (the least any counting SDK must do). The ratio is what the
 * pipeline costs on top of measuring.
 *
 * Counters memoise strings they have seen, so every run uses a conversation no counter has
 * seen before (a run number is woven into every message): both sides pay for real BPE work.
 */
import { compress } from '../sdk/index.js';
import { prepareModel } from '../sdk/compress.js';
import { DEFAULT_TRANSFORMS } from '../engine/compress.js';
import { resolveConfig } from '../engine/config.js';
import { memoizeCounter } from '../engine/pipeline/memo-counter.js';
import { runPipeline } from '../engine/pipeline/run.js';
import { getTokenCounter } from '../engine/tokenizer/index.js';
import { fromInternal, toInternal, tryToInternal } from '../engine/messages/index.js';
import { messageText } from '../engine/messages/types.js';
import { ms } from './timing.js';

function quietConversation(run: number): unknown[] {
  const prose = `The deployment pipeline promotes build ${run} from staging to production after the canary passes. `;
  const code = `export function retry${run}<T>(fn: () => Promise<T>, n = 3): Promise<T> {\n  return fn().catch((e) => (n > 0 ? retry${run}(fn, n - 1) : Promise.reject(e)));\n}\n`;
  const messages: unknown[] = [{ role: 'system', content: 'You are a careful coding assistant. Answer with code when useful.' }];
  for (let i = 0; i < 40; i++) {
    messages.push({ role: 'user', content: `Question ${i}.${run}: ${prose.repeat(6)}` });
    messages.push({ role: 'assistant', content: `Here is version ${run}.${i}:\n\n\`\`\`ts\n${code.repeat(8)}\`\`\`\n${prose.repeat(4)}` });
  }
  // As an agent holds them: parsed from JSON (flat strings; concatenated ones would make both
  // sides pay V8's flattening first).
  return JSON.parse(JSON.stringify(messages)) as unknown[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const RUNS = 31;

export async function runCompressOverheadBench(): Promise<string> {
  const model = 'gpt-4o';
  const tokenBudget = 1_000_000;
  const counter = await getTokenCounter(model, { memo: false });
  // A counter like compress()'s own (string memo on), for the breakdown.
  const memoCounter = await getTokenCounter(model);
  const prepared = await prepareModel({ model }, []);
  const config = resolveConfig(undefined);
  // Warm up code paths (not data): a few runs on throwaway conversations.
  for (let w = 0; w < 5; w++) await compress(quietConversation(-1 - w), { model, tokenBudget });

  const t: Record<'pass' | 'full' | 'next' | 'convert' | 'count' | 'pipeline' | 'write', number[]> = { pass: [], full: [], next: [], convert: [], count: [], pipeline: [], write: [] };
  let tokens = 0;
  let saved = 0;
  for (let run = 0; run < RUNS; run++) {
    // Tokenizer pass on conversation A_run, compress() on a different one B_run (same size);
    // the order alternates so neither side always runs right after the other's garbage.
    const a = quietConversation(1000 + run);
    const texts = toInternal(a).messages.map(messageText);
    const b = quietConversation(2000 + run);
    const pass = () => {
      const t0 = performance.now();
      tokens = 0;
      for (const x of texts) tokens += counter.countText(x);
      t.pass.push(performance.now() - t0);
    };
    if (run % 2 === 0) pass();
    let t0 = performance.now();
    const r = await compress(b, { model, tokenBudget });
    t.full.push(performance.now() - t0);
    saved = r.tokensSaved;
    if (run % 2 === 1) pass();

    // The next turn of an agent: the same history re-sent (fresh objects, as after JSON parsing) plus two messages.
    const next = [...structuredClone(b), { role: 'assistant', content: `Done ${run}.` }, { role: 'user', content: `Next ${run}?` }];
    t0 = performance.now();
    await compress(next, { model, tokenBudget });
    t.next.push(performance.now() - t0);

    // Where first sight goes, on a third fresh conversation: the engine's steps one by one.
    const c = quietConversation(3000 + run);
    t0 = performance.now();
    const read = tryToInternal(c)!;
    t.convert.push(performance.now() - t0);
    const perCall = memoizeCounter(memoCounter);
    t0 = performance.now();
    perCall.countMessages(read.messages);
    t.count.push(performance.now() - t0);
    t0 = performance.now();
    const out = runPipeline(read.messages, DEFAULT_TRANSFORMS, { model: prepared.info, counter: perCall, tokenBudget, config, toolProfiles: undefined, warn: () => {} }, {});
    t.pipeline.push(performance.now() - t0);
    t0 = performance.now();
    fromInternal(out.messages, read.format);
    perCall.countMessages(out.messages);
    t.write.push(performance.now() - t0);
  }
  const pass = median(t.pass);
  const full = median(t.full);
  const ratio = full / pass;
  const nextTurn = median(t.next);
  const row = (label: string, xs: number[]) => `| ${label} | ${ms(median(xs))} | ${(median(xs) / pass).toFixed(2)} |`;
  return [
    '## compress() overhead with nothing to compress',
    '',
    `81 OpenAI messages (prose and code), ${tokens.toLocaleString('en-US')} tokens (o200k_base), budget not reached; tokens saved: ${saved}. Every run uses conversations no counter has seen (no memo hits on either side), parsed from JSON as an agent holds them; median of ${RUNS}.`,
    '',
    '| measurement | median ms | ratio to one tokenizer pass |',
    '| --- | ---: | ---: |',
    `| one tokenizer pass (countText over every message, memo off) | ${ms(pass)} | 1.00 |`,
    `| compress() end to end, first sight of the conversation | ${ms(full)} | ${ratio.toFixed(2)} |`,
    row('&nbsp;&nbsp;of which: read the messages (format detection, internal form)', t.convert),
    row('&nbsp;&nbsp;count every message once (BPE + the memo that makes the next turn cheap)', t.count),
    row('&nbsp;&nbsp;the transforms (CacheAligner, ContentRouter decisions per block, IntelligentContext budget check)', t.pipeline),
    row('&nbsp;&nbsp;write back in the caller\'s format, count the result (identity hits)', t.write),
    `| compress() on the next turn (same history re-sent as new objects + 2 messages) | ${ms(nextTurn)} | ${(nextTurn / pass).toFixed(2)} |`,
    '',
    `First sight: compress() costs ${ratio.toFixed(2)} tokenizer passes, i.e. ${((ratio - 1) * 100).toFixed(0)}% of a pass on top of counting. The steps above add up to less than the end-to-end figure; the rest is the SDK around the engine (option checks, model and kernel lookups, awaits) and garbage collection of the call's own allocations. Each message is counted once per call (identity-memoised), so "before", the budget check and "after" share one pass.`,
    `Next turn (how agents call it: the whole history every turn): the counter remembers strings it has counted and the router remembers its decisions, so re-sent history costs ${(nextTurn / pass).toFixed(2)} of one tokenizer pass in total.`,
    '',
  ].join('\n');
}
