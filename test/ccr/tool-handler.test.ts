import { describe, expect, expectTypeOf, it } from 'vitest';
import { ccrHash } from '../../engine/ccr/hash.js';
import type { CCREntry, CCRStore } from '../../engine/ccr/types.js';
import { MemoryStore } from '../../sdk/ccr/memory-store.js';
import { handleRetrieveToolCall, type AnthropicToolResult, type OpenAIToolMessage } from '../../sdk/ccr/tool-handler.js';

const entry = (content: string, source = 'test'): CCREntry => ({ hash: ccrHash(content), content, source });

const original = JSON.stringify(
  Array.from({ length: 30 }, (_, i) => ({ id: i, status: i === 12 ? 'failed' : 'ok', note: i === 12 ? 'payment gateway timeout' : `row ${i}` })),
);
const H = ccrHash(original);
const store = new MemoryStore();
await store.put(entry(original));

const unknownHash = ccrHash('never stored');

describe('handleRetrieveToolCall: each provider shape', () => {
  it('OpenAI chat tool call → {role:"tool", tool_call_id, content}', async () => {
    const call = { id: 'call_1', type: 'function' as const, function: { name: 'headroom_retrieve', arguments: JSON.stringify({ hash: H }) } };
    const out = await handleRetrieveToolCall(call, store);
    expect(out).toEqual({ role: 'tool', tool_call_id: 'call_1', content: original });
    expectTypeOf(out).toEqualTypeOf<OpenAIToolMessage | null>();
  });

  it('OpenAI Responses function_call → function_call_output', async () => {
    const out = await handleRetrieveToolCall({ type: 'function_call', call_id: 'fc_1', name: 'headroom_retrieve', arguments: `{"hash":"${H}"}` }, store);
    expect(out).toEqual({ type: 'function_call_output', call_id: 'fc_1', output: original });
  });

  it('Anthropic tool_use → tool_result block', async () => {
    const out = await handleRetrieveToolCall({ type: 'tool_use', id: 'toolu_1', name: 'mcp__headroom__headroom_retrieve', input: { hash: H } }, store);
    expect(out).toEqual({ type: 'tool_result', tool_use_id: 'toolu_1', content: original });
    expectTypeOf(out).toEqualTypeOf<AnthropicToolResult | null>();
  });

  it('Gemini functionCall (bare or as a part) → functionResponse with the call id when present', async () => {
    expect(await handleRetrieveToolCall({ name: 'headroom_retrieve', args: { hash: H } }, store)).toEqual({ functionResponse: { name: 'headroom_retrieve', response: { output: original } } });
    expect(await handleRetrieveToolCall({ functionCall: { id: 'g1', name: 'headroom_retrieve', args: { hash: H } } }, store)).toEqual({
      functionResponse: { id: 'g1', name: 'headroom_retrieve', response: { output: original } },
    });
  });

  it('Vercel AI SDK v5 (input) → tool-result with output {type:"text"}; v4 (args) → result', async () => {
    expect(await handleRetrieveToolCall({ type: 'tool-call', toolCallId: 'v1', toolName: 'headroom_retrieve', input: { hash: H } }, store)).toEqual({
      type: 'tool-result',
      toolCallId: 'v1',
      toolName: 'headroom_retrieve',
      output: { type: 'text', value: original },
    });
    expect(await handleRetrieveToolCall({ type: 'tool-call', toolCallId: 'v2', toolName: 'headroom_retrieve', args: { hash: H } }, store)).toEqual({
      type: 'tool-result',
      toolCallId: 'v2',
      toolName: 'headroom_retrieve',
      result: original,
    });
  });

  it('with a query: the matching items as text, with their positions', async () => {
    const out = (await handleRetrieveToolCall({ type: 'tool_use', id: 't', name: 'headroom_retrieve', input: { hash: H, query: 'gateway timeout' } }, store)) as AnthropicToolResult;
    const lines = out.content.split('\n');
    expect(lines[0]).toMatch(/query "gateway timeout": 1 matching item out of 30/);
    expect(lines[1]).toBe(`[12] ${JSON.stringify({ id: 12, status: 'failed', note: 'payment gateway timeout' })}`);
    expect(out.is_error).toBeUndefined();
  });

  it('with a query that matches nothing: says so and returns the full original', async () => {
    const out = (await handleRetrieveToolCall({ id: 'c', type: 'function', function: { name: 'headroom_retrieve', arguments: JSON.stringify({ hash: H, query: 'kubernetes' }) } }, store)) as OpenAIToolMessage;
    expect(out.content).toMatch(/^No items of hash=.* matched the query "kubernetes", so here is the full original \(30 items\):\n\n/);
    expect(out.content.endsWith(original)).toBe(true);
  });
});

describe('handleRetrieveToolCall: failures become error results, never throws', () => {
  it('unknown and expired hashes: the content is no longer available, re-run the tool', async () => {
    const a = (await handleRetrieveToolCall({ type: 'tool_use', id: 'x', name: 'headroom_retrieve', input: { hash: unknownHash } }, store)) as AnthropicToolResult;
    expect(a.is_error).toBe(true);
    expect(a.content).toMatch(/^Error: .*no longer available.*Re-run the tool/);

    let t = 0;
    const ttl = new MemoryStore({ ttlMs: 60_000, now: () => t });
    await ttl.put(entry('old'));
    t = 120_000;
    const g = await handleRetrieveToolCall({ name: 'headroom_retrieve', args: { hash: ccrHash('old') } }, ttl);
    expect(g).toEqual({ functionResponse: { name: 'headroom_retrieve', response: { error: expect.stringMatching(/expired \(originals are kept 1 min\).*no longer available/) } } });

    const v = await handleRetrieveToolCall({ toolCallId: 'v', toolName: 'headroom_retrieve', input: { hash: unknownHash } }, store);
    expect(v).toMatchObject({ output: { type: 'error-text', value: expect.stringMatching(/^Error: /) } });
    const v4 = await handleRetrieveToolCall({ toolCallId: 'v', toolName: 'headroom_retrieve', args: { hash: unknownHash } }, store);
    expect(v4).toMatchObject({ isError: true, result: expect.stringMatching(/^Error: /) });
  });

  it('malformed calls: bad JSON, non-object arguments, missing or empty hash, invalid hash', async () => {
    const openai = (args: string) => handleRetrieveToolCall({ id: 'c', type: 'function', function: { name: 'headroom_retrieve', arguments: args } }, store);
    expect((await openai('{"hash": '))?.content).toMatch(/^Error: the headroom_retrieve arguments are not valid JSON/);
    expect((await openai('[1,2]'))?.content).toMatch(/must be a JSON object/);
    expect((await openai(''))?.content).toMatch(/needs a "hash" argument/);
    expect((await openai('{"hash": ""}'))?.content).toMatch(/needs a "hash" argument/);
    expect((await openai('{"hash": 123}'))?.content).toMatch(/needs a "hash" argument/);
    expect((await openai('{"hash": "abc"}'))?.content).toMatch(/^Error: "abc" is not a Headroom hash/);
    const anth = (await handleRetrieveToolCall({ type: 'tool_use', id: 'i', name: 'headroom_retrieve', input: 42 }, store)) as AnthropicToolResult;
    expect(anth).toMatchObject({ is_error: true, content: expect.stringMatching(/must be an object/) });
    const anthText = (await handleRetrieveToolCall({ type: 'tool_use', id: 'i', name: 'headroom_retrieve', input: 'nope' }, store)) as AnthropicToolResult;
    expect(anthText).toMatchObject({ is_error: true, content: expect.stringMatching(/not valid JSON/) });
    expect(await handleRetrieveToolCall({ name: 'headroom_retrieve' }, store)).toEqual({ functionResponse: { name: 'headroom_retrieve', response: { error: expect.stringMatching(/needs a "hash"/) } } });
  });

  it('a throwing store becomes an error result', async () => {
    const broken: CCRStore = {
      put: async () => undefined,
      get: async () => {
        throw new Error('boom');
      },
    };
    const out = await handleRetrieveToolCall({ type: 'tool_use', id: 'b', name: 'headroom_retrieve', input: { hash: H } }, broken);
    expect(out).toMatchObject({ is_error: true, content: expect.stringMatching(/boom/) });
  });

  it('returns null for calls that are not retrieve calls, and for non-calls', async () => {
    expect(await handleRetrieveToolCall({ id: 'c', type: 'function', function: { name: 'search', arguments: '{}' } }, store)).toBeNull();
    expect(await handleRetrieveToolCall({ type: 'tool_use', id: 'i', name: 'my_headroom_retrieve', input: { hash: H } }, store)).toBeNull();
    expect(await handleRetrieveToolCall({ toolCallId: 'v', toolName: 'weather', input: {} }, store)).toBeNull();
    for (const junk of [null, undefined, 42, 'headroom_retrieve', [], {}, { type: 'text', text: 'hi' }]) expect(await handleRetrieveToolCall(junk, store)).toBeNull();
  });

  it('uses the default store when none is given', async () => {
    const { getDefaultStore } = await import('../../sdk/ccr/default-store.js');
    await getDefaultStore().put(entry('in the default store'));
    expect(await handleRetrieveToolCall({ type: 'tool_use', id: 'd', name: 'headroom_retrieve', input: { hash: ccrHash('in the default store') } })).toEqual({
      type: 'tool_result',
      tool_use_id: 'd',
      content: 'in the default store',
    });
  });
});
