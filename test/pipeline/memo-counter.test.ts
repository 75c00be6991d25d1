import { describe, expect, it } from 'vitest';
import { memoizeCounter } from '../../engine/pipeline/memo-counter.js';
import { getTokenCounter } from '../../engine/tokenizer/index.js';
import { toInternal } from '../../engine/messages/index.js';

describe('memoizeCounter', () => {
  it('gives the same totals as the counter it wraps, for every billing style', async () => {
    const msgs = toInternal([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'What is 2+2?', name: 'ann' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'calc', arguments: '{"x":"2+2"}' } }] },
      { role: 'tool', tool_call_id: 'c', content: '4' },
    ]).messages;
    for (const model of ['gpt-4o', 'gpt-4', 'claude-sonnet-4-5', 'gemini-2.5-pro', 'mystery-model']) {
      const inner = await getTokenCounter(model);
      const memo = memoizeCounter(inner);
      expect(memo.countMessages(msgs), model).toBe(inner.countMessages(msgs));
      expect(memo.countMessages(msgs.slice(1)), model).toBe(inner.countMessages(msgs.slice(1)));
      expect(memo.countMessages([]), model).toBe(inner.countMessages([]));
    }
  });
});
