/**
 * compress() on a conversation with nothing to compress, against one tokenizer pass over
 * the same conversation (the least any counting SDK must do). The ratio is what the
 * pipeline costs on top of measuring.
 */
import { compress } from '../sdk/index.js';
import { prepareModel } from '../sdk/compress.js';
import { toInternal } from '../engine/messages/index.js';
import { messageText } from '../engine/messages/types.js';
import { time, ms } from './timing.js';

function quietConversation(): unknown[] {
  const prose = 'The deployment pipeline promotes a build from staging to production after the canary passes. ';
  const code = 'export function retry<T>(fn: () => Promise<T>, n = 3): Promise<T> {\n  return fn().catch((e) => (n > 0 ? retry(fn, n - 1) : Promise.reject(e)));\n}\n';
  const messages: unknown[] = [{ role: 'system', content: 'You are a careful coding assistant. Answer with code when useful.' }];
  for (let i = 0; i < 40; i++) {
    messages.push({ role: 'user', content: `Question ${i}: ${prose.repeat(6)}` });
    messages.push({ role: 'assistant', content: `Here is a version:\n\n\`\`\`ts\n${code.repeat(8)}\`\`\`\n${prose.repeat(4)}` });
  }
  return messages;
}

export async function runCompressOverheadBench(): Promise<string> {
  const messages = quietConversation();
  const model = 'gpt-4o';
  const tokenBudget = 1_000_000;
  const warnings: string[] = [];
  const { counter } = await prepareModel({ model }, warnings);
  const internal = toInternal(messages).messages;
  const texts = internal.map(messageText);
  let tokens = 0;
  const pass = await time(() => {
    tokens = 0;
    for (const t of texts) tokens += counter.countText(t);
  }, 21);
  let saved = -1;
  const full = await time(async () => {
    const r = await compress(messages, { model, tokenBudget });
    saved = r.tokensSaved;
  }, 21);
  const ratio = full.medianMs / pass.medianMs;
  return [
    '## compress() overhead with nothing to compress',
    '',
    `${messages.length} OpenAI messages (prose and code), ${tokens.toLocaleString('en-US')} tokens (o200k_base), budget not reached; tokens saved: ${saved}.`,
    '',
    '| measurement | median ms | ratio to one tokenizer pass |',
    '| --- | ---: | ---: |',
    `| one tokenizer pass (countText over every message) | ${ms(pass.medianMs)} | 1.00 |`,
    `| compress() end to end (read, count, CacheAligner, RollingWindow check, write back, count) | ${ms(full.medianMs)} | ${ratio.toFixed(2)} |`,
    '',
    `Pipeline cost on top of counting: ${((ratio - 1) * 100).toFixed(1)}% of one tokenizer pass. Each message is counted once per call (identity-memoised), so "before", the budget check and "after" share one pass.`,
    '',
  ].join('\n');
}
