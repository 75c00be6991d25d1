import type { Message } from '../../engine/messages/types.js';
import { messageText } from '../../engine/messages/types.js';
import type { TokenCounter } from '../../engine/tokenizer/types.js';
import type { PipelineContext } from '../../engine/pipeline/types.js';
import { resolveConfig, type HeadroomConfig } from '../../engine/config.js';
import type { CCREntry } from '../../engine/ccr/types.js';
import type { ModelInfo } from '../../engine/models/types.js';

/** Deterministic counter for transform tests: one token per whitespace-separated word, +4 per message, +3 priming. */
export const wordCounter: TokenCounter = {
  model: 'test',
  encoding: null,
  exact: false,
  countText: (t) => (t.trim() === '' ? 0 : t.trim().split(/\s+/).length),
  countMessage(m: Message) {
    return 4 + this.countText(messageText(m));
  },
  countMessages(ms: ReadonlyArray<Message>) {
    return ms.reduce((n, m) => n + this.countMessage(m), 3);
  },
};

export const testModel: ModelInfo = {
  id: 'test',
  canonical: 'test',
  provider: 'openai',
  contextLimit: 1000,
  outputBuffer: 100,
  pricing: { input: 1, output: 1, cachedInput: 0.1 },
  tokenizer: 'estimate',
  match: 'exact',
};

export function testContext(opts: { budget?: number; config?: HeadroomConfig } = {}) {
  const entries: CCREntry[] = [];
  const warnings: string[] = [];
  const ctx: PipelineContext = {
    model: testModel,
    counter: wordCounter,
    tokenBudget: opts.budget ?? 900,
    config: resolveConfig(opts.config),
    ccr: { record: (e) => void entries.push(e) },
    warn: (w) => void warnings.push(w),
  };
  return { ctx, entries, warnings };
}

let n = 0;
export const sys = (text: string): Message => ({ role: 'system', blocks: [{ type: 'text', text }] });
export const user = (text: string): Message => ({ role: 'user', blocks: [{ type: 'text', text }] });
export const asst = (text: string): Message => ({ role: 'assistant', blocks: [{ type: 'text', text }] });
export const call = (...names: string[]): { msg: Message; ids: string[] } => {
  const ids = names.map(() => `call_${++n}`);
  return {
    msg: { role: 'assistant', blocks: names.map((name, i) => ({ type: 'tool_call' as const, id: ids[i], name, arguments: '{}' })) },
    ids,
  };
};
export const result = (id: string, text: string): Message => ({
  role: 'tool',
  blocks: [{ type: 'tool_result', toolCallId: id, content: [{ type: 'text', text }] }],
});
