import { describe, expect, it } from 'vitest';
import { Tiktoken } from 'js-tiktoken/lite';
import o200kRanks from 'js-tiktoken/ranks/o200k_base';
import cl100kRanks from 'js-tiktoken/ranks/cl100k_base';
import type { Message } from '../../engine/messages/types.js';
import { getTokenCounter, MESSAGE_OVERHEADS } from '../../engine/tokenizer/index.js';

// The example from OpenAI's "How to count tokens with tiktoken" cookbook.
const COOKBOOK = [
  { role: 'system', content: 'You are a helpful, pattern-following assistant that translates corporate jargon into plain English.' },
  { role: 'system', name: 'example_user', content: 'New synergies will help drive top-line growth.' },
  { role: 'system', name: 'example_assistant', content: 'Things working well together will increase revenue.' },
  { role: 'system', name: 'example_user', content: "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage." },
  { role: 'system', name: 'example_assistant', content: "Let's talk later when we're less busy about how to do better." },
  { role: 'user', content: "This late pivot means we don't have time to boil the ocean for the client deliverable." },
] as const;

const toMessages = (raw: ReadonlyArray<{ role: string; content: string; name?: string }>): Message[] =>
  raw.map((m) => ({ role: m.role as Message['role'], blocks: [{ type: 'text', text: m.content }], ...(m.name ? { name: m.name } : {}) }));

/** The cookbook's num_tokens_from_messages, with js-tiktoken. */
function cookbook(enc: Tiktoken, raw: ReadonlyArray<{ role: string; content: string; name?: string }>): number {
  let n = 0;
  for (const m of raw) {
    n += 3;
    for (const [k, v] of Object.entries(m)) {
      if (v === undefined) continue;
      n += enc.encode(v, [], []).length;
      if (k === 'name') n += 1;
    }
  }
  return n + 3;
}

describe('OpenAI message counting', () => {
  it('reproduces the cookbook: 129 prompt tokens for gpt-3.5-turbo-0613 / gpt-4-0613', async () => {
    for (const model of ['gpt-3.5-turbo-0613', 'gpt-4-0613']) {
      const c = await getTokenCounter(model);
      expect(c.countMessages(toMessages(COOKBOOK))).toBe(129);
    }
  });

  it('matches the cookbook algorithm on o200k models (124 for the example)', async () => {
    const enc = new Tiktoken(o200kRanks);
    for (const model of ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1']) {
      const c = await getTokenCounter(model);
      expect(c.countMessages(toMessages(COOKBOOK))).toBe(cookbook(enc, COOKBOOK));
      expect(c.countMessages(toMessages(COOKBOOK))).toBe(124);
    }
    const cl = new Tiktoken(cl100kRanks);
    const c4 = await getTokenCounter('gpt-4');
    const extra: Array<{ role: string; content: string; name?: string }> = [{ role: 'assistant', content: 'Sure — here is the plan:\n1. Audit\n2. Fix' }, { role: 'user', name: 'bob', content: '<|endoftext|> ok' }];
    expect(c4.countMessages(toMessages(extra))).toBe(cookbook(cl, extra));
  });

  it('countMessages = Σ countMessage + reply priming; empty → 0', async () => {
    const c = await getTokenCounter('gpt-4o');
    const msgs = toMessages(COOKBOOK);
    expect(c.countMessages(msgs)).toBe(msgs.reduce((a, m) => a + c.countMessage(m), 0) + MESSAGE_OVERHEADS.openai.replyPriming);
    expect(c.countMessages([])).toBe(0);
  });

  it('counts tool calls, tool results and opaque blocks', async () => {
    const c = await getTokenCounter('gpt-4o');
    const t = (s: string) => c.countText(s);
    const call: Message = {
      role: 'assistant',
      blocks: [{ type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
    };
    expect(c.countMessage(call)).toBe(3 + t('assistant') + 6 + t('get_weather') + t('{"city":"Paris"}'));
    const result: Message = {
      role: 'tool',
      blocks: [{ type: 'tool_result', toolCallId: 'call_1', content: [{ type: 'text', text: '18°C, cloudy' }] }],
    };
    expect(c.countMessage(result)).toBe(3 + t('tool') + t('18°C, cloudy'));
    // two results packed in one internal message: the second pays a frame
    const two: Message = { role: 'tool', blocks: [result.blocks[0]!, result.blocks[0]!] };
    expect(c.countMessage(two)).toBe(3 + t('tool') + 2 * t('18°C, cloudy') + 3 + t('tool'));
    const image: Message = {
      role: 'user',
      blocks: [
        { type: 'text', text: 'What is this?' },
        { type: 'opaque', kind: 'image_url', tokens: 255 },
        { type: 'opaque', kind: 'image' },
        { type: 'opaque', kind: 'reasoning', text: 'thinking about it' },
        { type: 'opaque', kind: 'file' },
      ],
    };
    expect(c.countMessage(image)).toBe(3 + t('user') + t('What is this?') + 255 + MESSAGE_OVERHEADS.openai.defaultImageTokens + t('thinking about it'));
  });
});

describe('Anthropic / Gemini message estimates', () => {
  it('apply their documented overheads', async () => {
    const msgs: Message[] = [
      { role: 'user', blocks: [{ type: 'text', text: 'Find the weather in Paris.' }] },
      { role: 'assistant', blocks: [{ type: 'tool_call', id: 't1', name: 'get_weather', arguments: '{"city":"Paris"}' }] },
      { role: 'user', blocks: [{ type: 'tool_result', toolCallId: 't1', content: [{ type: 'text', text: '18°C' }] }] },
    ];
    for (const [model, billing] of [
      ['claude-sonnet-4-5', 'anthropic'],
      ['gemini-2.5-flash', 'google'],
    ] as const) {
      const c = await getTokenCounter(model);
      const o = MESSAGE_OVERHEADS[billing];
      const t = (s: string) => c.countText(s);
      const expected =
        o.replyPriming +
        (o.perMessage + t('Find the weather in Paris.')) +
        (o.perMessage + o.perToolCall + t('get_weather') + t('{"city":"Paris"}')) +
        (o.perMessage + t('18°C') + o.perToolResult);
      expect(c.countMessages(msgs)).toBe(expected);
      expect(c.countMessage({ role: 'user', blocks: [{ type: 'opaque', kind: 'image' }] })).toBe(o.perMessage + o.defaultImageTokens);
    }
  });
});
