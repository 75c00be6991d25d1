import { describe, expect, it } from 'vitest';
import { ConfigurationError, ProviderError } from '../../engine/errors.js';
import {
  type Block,
  detectFormat,
  fromInternal,
  isSynthesizedGeminiId,
  isUnedited,
  type Message,
  type MessageFormat,
  type TextBlock,
  toInternal,
  type ToolCallBlock,
  type ToolResultBlock,
  tryToInternal,
} from '../../engine/messages/index.js';
import { loadFixture } from '../fixtures/messages/helpers.js';

type R = Record<string, any>;

function read(file: string, format: MessageFormat) {
  const source = loadFixture(file) as R[];
  return { source, messages: toInternal(source, format).messages };
}

/** Replace message i's blocks via `f` (the way transforms edit). */
function withBlocks(messages: Message[], i: number, f: (blocks: Block[]) => Block[]): Message[] {
  return messages.map((m, k) => (k === i ? { ...m, blocks: f([...m.blocks]) } : m));
}

function setText(b: Block, text: string): Block {
  if (b.type === 'text') return { ...b, text };
  if (b.type === 'tool_result') return { ...b, content: [{ type: 'text', text }] };
  throw new Error(`no text in ${b.type}`);
}

function editBlock(messages: Message[], i: number, k: number, text: string): Message[] {
  return withBlocks(messages, i, (bs) => {
    bs[k] = setText(bs[k], text);
    return bs;
  });
}

function marker(text: string): Message {
  return { role: 'user', blocks: [{ type: 'text', text }] };
}

describe('openai', () => {
  const { source, messages } = read('openai-agent.json', 'openai');

  it('maps developer to system and writes it back as developer', () => {
    expect(messages[0].role).toBe('system');
    expect(messages[0].origin?.role).toBe('developer');
    const out = fromInternal(editBlock(messages, 0, 0, 'Be brief.'), 'openai') as R[];
    expect(out[0]).toEqual({ role: 'developer', content: 'Be brief.' });
    expect(out[1]).toBe(source[1]);
  });

  it('keeps text parts at their index and untouched parts as the same objects', () => {
    const out = fromInternal(editBlock(messages, 1, 1, 'cwd: /tmp'), 'openai') as R[];
    expect(out[1].content).toHaveLength(2);
    expect(out[1].content[0]).toBe(source[1].content[0]);
    expect(out[1].content[1]).toEqual({ type: 'text', text: 'cwd: /tmp' });
  });

  it('edits tool results as string or text parts, keeping tool_call_id', () => {
    expect(messages[4].role).toBe('tool');
    const r = messages[4].blocks[0] as ToolResultBlock;
    expect(r.toolCallId).toBe('call_9xQm1');
    expect(r.toolName).toBe('run_shell');
    let out = fromInternal(editBlock(messages, 4, 0, 'FAIL test/date.test.ts (1 of 14)'), 'openai') as R[];
    expect(out[4]).toEqual({ role: 'tool', tool_call_id: 'call_9xQm1', content: 'FAIL test/date.test.ts (1 of 14)' });
    const tr = messages[5].blocks[0] as ToolResultBlock;
    const edited = withBlocks(messages, 5, () => [{ ...tr, content: [tr.content[0], { type: 'text', text: '[steps elided]' }] }]);
    out = fromInternal(edited, 'openai') as R[];
    expect(out[5].content[0]).toBe(source[5].content[0]);
    expect(out[5].content[1]).toEqual({ type: 'text', text: '[steps elided]' });
    expect(Object.keys(out[5])).toEqual(Object.keys(source[5]));
  });

  it('keeps name, refusal and unknown fields on edited messages', () => {
    let out = fromInternal(editBlock(messages, 2, 0, 'Why does CI fail?'), 'openai') as R[];
    expect(out[2]).toEqual({ role: 'user', name: 'alice', content: 'Why does CI fail?' });
    expect(messages[2].name).toBe('alice');
    out = fromInternal(editBlock(messages, 6, 0, 'CI uses TZ=Europe/Berlin.'), 'openai') as R[];
    expect(out[6]).toEqual({ role: 'assistant', content: 'CI uses TZ=Europe/Berlin.', refusal: null, annotations: [] });
  });

  it('drops tool calls from an assistant message (and the key when none is left)', () => {
    let out = fromInternal(
      withBlocks(messages, 3, (bs) => bs.filter((b) => b.type !== 'tool_call' || b.id !== 'call_9xQm2')),
      'openai',
    ) as R[];
    expect(out[3].tool_calls).toEqual([source[3].tool_calls[0]]);
    expect(out[3].tool_calls[0]).toBe(source[3].tool_calls[0]);
    out = fromInternal(
      withBlocks(messages, 8, (bs) => bs.filter((b) => b.type !== 'tool_call')),
      'openai',
    ) as R[];
    expect(out[8]).toEqual({ role: 'assistant', content: 'Patching the formatter.' });
  });

  it('rewrites tool call arguments in place', () => {
    const out = fromInternal(
      withBlocks(messages, 3, (bs) => bs.map((b) => (b.type === 'tool_call' && b.id === 'call_9xQm1' ? { ...b, arguments: '{"cmd":"npm test"}' } : b))),
      'openai',
    ) as R[];
    expect(out[3].tool_calls[0]).toEqual({ id: 'call_9xQm1', type: 'function', function: { name: 'run_shell', arguments: '{"cmd":"npm test"}' } });
    expect(out[3].tool_calls[1]).toBe(source[3].tool_calls[1]);
  });

  it('builds canonical messages for messages a transform created', () => {
    const created: Message[] = [
      { role: 'system', blocks: [{ type: 'text', text: 'sys' }] },
      marker('[headroom: 4 messages dropped]'),
      { role: 'assistant', blocks: [{ type: 'tool_call', id: 'c1', name: 'f', arguments: '{}' }] },
      { role: 'tool', blocks: [{ type: 'tool_result', toolCallId: 'c1', content: [{ type: 'text', text: 'ok' }] }] },
      { role: 'assistant', blocks: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] },
    ];
    expect(fromInternal(created, 'openai')).toEqual([
      { role: 'system', content: 'sys' },
      { role: 'user', content: '[headroom: 4 messages dropped]' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'ok' },
      { role: 'assistant', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] },
    ]);
  });

  it('cannot put a tool result inside a user message', () => {
    const bad: Message[] = [{ role: 'user', blocks: [{ type: 'tool_result', toolCallId: 'x', content: [] }] }];
    expect(() => fromInternal(bad, 'openai')).toThrow(ProviderError);
  });

  it('pairs legacy function_call / function messages by name without writing ids', () => {
    const legacy = read('openai-legacy.json', 'openai');
    const call = legacy.messages[2].blocks[0] as ToolCallBlock;
    const result = legacy.messages[3].blocks[0] as ToolResultBlock;
    expect(result.toolCallId).toBe(call.id);
    expect(result.toolName).toBe('get_weather');
    const out = fromInternal(editBlock(legacy.messages, 3, 0, '{"temp_c":21}'), 'openai') as R[];
    expect(out[3]).toEqual({ role: 'function', name: 'get_weather', content: '{"temp_c":21}' });
    const out2 = fromInternal(
      withBlocks(legacy.messages, 4, (bs) => bs.map((b) => (b.type === 'tool_call' ? { ...b, arguments: '{"city":"Roma"}' } : b))),
      'openai',
    ) as R[];
    expect(out2[4]).toEqual({ role: 'assistant', content: null, function_call: { name: 'get_weather', arguments: '{"city":"Roma"}' } });
  });

  it('keeps unknown roles and fields', () => {
    const legacy = read('openai-legacy.json', 'openai');
    expect(legacy.messages[9].role).toBe('user');
    const out = fromInternal(editBlock(legacy.messages, 9, 0, 'shorter'), 'openai') as R[];
    expect(out[9]).toEqual({ role: 'ipython', content: 'shorter', x_trace: { span: 7 } });
    expect(out[9].x_trace).toBe(legacy.source[9].x_trace);
  });

  it('reads refusals, audio, files and custom tool calls', () => {
    const legacy = read('openai-legacy.json', 'openai');
    expect(legacy.messages[6].blocks).toMatchObject([{ type: 'opaque', kind: 'refusal', text: "I can't share the exact location of individuals." }]);
    expect(legacy.messages[7].blocks.map((b) => (b.type === 'opaque' ? b.kind : b.type))).toEqual(['audio', 'file']);
    expect(legacy.messages[10].blocks[1]).toEqual({ type: 'tool_call', id: 'ctc_1', name: 'sql', arguments: 'SELECT 1' });
    expect((legacy.messages[11].blocks[0] as ToolResultBlock).toolName).toBe('sql');
  });
});

describe('anthropic', () => {
  const { source, messages } = read('anthropic-agent.json', 'anthropic');

  it('keeps tool_result blocks inside user messages', () => {
    expect(messages).toHaveLength(source.length);
    expect(messages[2].role).toBe('user');
    expect(messages[2].blocks.map((b) => b.type)).toEqual(['tool_result', 'tool_result']);
    expect((messages[2].blocks[0] as ToolResultBlock).toolName).toBe('bash');
    expect((messages[4].blocks[0] as ToolResultBlock).isError).toBe(true);
  });

  it('edits a string tool_result as a string and leaves its sibling untouched', () => {
    const out = fromInternal(editBlock(messages, 2, 0, 'real 1m42s'), 'anthropic') as R[];
    expect(out[2].content[0]).toEqual({ type: 'tool_result', tool_use_id: 'toolu_01A', content: 'real 1m42s' });
    expect(out[2].content[1]).toBe(source[2].content[1]);
  });

  it('edits the text block of an array tool_result, keeping images and cache_control', () => {
    const tr = messages[2].blocks[1] as ToolResultBlock;
    const edited = withBlocks(messages, 2, (bs) => {
      bs[1] = { ...tr, content: [{ type: 'text', text: '{"compilerOptions":{…}}' }, tr.content[1]] };
      return bs;
    });
    const out = fromInternal(edited, 'anthropic') as R[];
    const part = out[2].content[1];
    expect(Object.keys(part)).toEqual(['type', 'tool_use_id', 'content', 'cache_control']);
    expect(part.cache_control).toBe(source[2].content[1].cache_control);
    expect(part.content[0]).toEqual({ type: 'text', text: '{"compilerOptions":{…}}' });
    expect(part.content[1]).toBe(source[2].content[1].content[1]);
  });

  it('keeps cache_control on edited text and thinking blocks as they were', () => {
    let out = fromInternal(editBlock(messages, 0, 0, '<summary/>'), 'anthropic') as R[];
    expect(out[0].content[0]).toEqual({ type: 'text', text: '<summary/>', cache_control: { type: 'ephemeral' } });
    expect(out[0].content[1]).toBe(source[0].content[1]);
    out = fromInternal(editBlock(messages, 1, 1, 'Measuring.'), 'anthropic') as R[];
    expect(out[1].content[0]).toBe(source[1].content[0]);
    expect(out[1].content[2]).toBe(source[1].content[2]);
    expect(messages[1].blocks[0]).toMatchObject({ type: 'opaque', kind: 'reasoning' });
    expect(messages[3].blocks[0]).toMatchObject({ type: 'opaque', kind: 'redacted_reasoning' });
  });

  it('turns edited tool_use arguments back into an input object', () => {
    const edit = (args: string) =>
      withBlocks(messages, 1, (bs) => bs.map((b) => (b.type === 'tool_call' && b.id === 'toolu_01A' ? { ...b, arguments: args } : b)));
    const out = fromInternal(edit('{"command":"npm run build"}'), 'anthropic') as R[];
    expect(out[1].content[2]).toEqual({ type: 'tool_use', id: 'toolu_01A', name: 'bash', input: { command: 'npm run build' } });
    expect(() => fromInternal(edit('{"command":'), 'anthropic')).toThrow(ProviderError);
  });

  it('writes created messages as user/assistant', () => {
    const out = fromInternal(
      [
        { role: 'system', blocks: [{ type: 'text', text: 'note' }] },
        { role: 'assistant', blocks: [{ type: 'tool_call', id: 't', name: 'f', arguments: '{"a":1}' }] },
        { role: 'tool', blocks: [{ type: 'tool_result', toolCallId: 't', isError: true, content: [{ type: 'text', text: 'x' }] }] },
      ],
      'anthropic',
    );
    expect(out).toEqual([
      { role: 'user', content: 'note' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'f', input: { a: 1 } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: 'x', is_error: true }] },
    ]);
  });

  it('accepts role system entries and empty tool results', () => {
    const sys = read('anthropic-system.json', 'anthropic');
    expect(sys.messages[0].role).toBe('system');
    expect(sys.messages[3].blocks[0]).toEqual({ type: 'tool_result', toolCallId: 'toolu_02', toolName: 'classify', content: [] });
    const out = fromInternal(editBlock(sys.messages, 0, 0, 'Be terse.'), 'anthropic') as R[];
    expect(out[0]).toEqual({ role: 'system', content: 'Be terse.' });
  });
});

describe('vercel', () => {
  const { source, messages } = read('vercel-v5.json', 'vercel');
  const result = (i: number, k: number) => messages[i].blocks[k] as ToolResultBlock;

  it('represents outputs as text', () => {
    expect(result(3, 0).content).toEqual([{ type: 'text', text: JSON.stringify(source[3].content[0].output.value) }]);
    expect(result(3, 1).content).toEqual([{ type: 'text', text: 'Tue–Sun 09:30–18:00, closed Mondays.' }]);
    expect(result(3, 2).content.map((b) => b.type)).toEqual(['text', 'opaque']);
    expect(result(3, 3)).toMatchObject({ isError: true, toolName: 'book', content: [{ type: 'text', text: 'Booking service unavailable' }] });
  });

  it('keeps json outputs json while the text is JSON, else makes them text', () => {
    let out = fromInternal(editBlock(messages, 3, 0, '{"city":"Lisbon","forecast":[]}'), 'vercel') as R[];
    expect(out[3].content[0].output).toEqual({ type: 'json', value: { city: 'Lisbon', forecast: [] } });
    expect(out[3].content[1]).toBe(source[3].content[1]);
    out = fromInternal(editBlock(messages, 3, 0, '{"city":"Lisbon", … 2 hours omitted}'), 'vercel') as R[];
    expect(out[3].content[0]).toEqual({
      type: 'tool-result',
      toolCallId: 'call_w1',
      toolName: 'weather',
      output: { type: 'text', value: '{"city":"Lisbon", … 2 hours omitted}' },
    });
  });

  it('edits text, error-text and content outputs in place', () => {
    let out = fromInternal(editBlock(messages, 3, 1, 'Tue–Sun'), 'vercel') as R[];
    expect(out[3].content[1].output).toEqual({ type: 'text', value: 'Tue–Sun' });
    out = fromInternal(editBlock(messages, 3, 3, 'unavailable'), 'vercel') as R[];
    expect(out[3].content[3]).toEqual({ ...source[3].content[3], output: { type: 'error-text', value: 'unavailable' } });
    const tr = result(3, 2);
    out = fromInternal(
      withBlocks(messages, 3, (bs) => {
        bs[2] = { ...tr, content: [{ type: 'text', text: 'Every 12 min.' }, tr.content[1]] };
        return bs;
      }),
      'vercel',
    ) as R[];
    expect(out[3].content[2].output.value[0]).toEqual({ type: 'text', text: 'Every 12 min.' });
    expect(out[3].content[2].output.value[1]).toBe(source[3].content[2].output.value[1]);
  });

  it('keeps providerOptions and system strings', () => {
    const out = fromInternal(editBlock(messages, 0, 0, 'You plan trips.'), 'vercel') as R[];
    expect(out[0]).toEqual({ role: 'system', content: 'You plan trips.', providerOptions: source[0].providerOptions });
    expect(out[0].providerOptions).toBe(source[0].providerOptions);
  });

  it('handles v4 results, args and experimental_content', () => {
    const v4 = read('vercel-v4.json', 'vercel');
    expect((v4.messages[2].blocks[3] as ToolCallBlock).arguments).toBe('{"state":"open"}');
    let out = fromInternal(editBlock(v4.messages, 3, 0, '[{"number":12}]'), 'vercel') as R[];
    expect(out[3].content[0].result).toEqual([{ number: 12 }]);
    out = fromInternal(editBlock(v4.messages, 3, 0, '2 issues: #12, #15'), 'vercel') as R[];
    expect(out[3].content[0].result).toBe('2 issues: #12, #15');
    out = fromInternal(editBlock(v4.messages, 3, 1, 'stars: 120'), 'vercel') as R[];
    expect(out[3].content[1]).toEqual({ type: 'tool-result', toolCallId: 'tc_2', toolName: 'repoInfo', result: 'stars: 120', isError: false });
    out = fromInternal(
      withBlocks(v4.messages, 4, (bs) => bs.map((b) => (b.type === 'tool_call' ? { ...b, arguments: '{"issue":15}' } : b))),
      'vercel',
    ) as R[];
    expect(out[4].content[0]).toEqual({ type: 'tool-call', toolCallId: 'tc_3', toolName: 'screenshot', args: { issue: 15 } });
    const shot = v4.messages[5].blocks[0] as ToolResultBlock;
    out = fromInternal(
      withBlocks(v4.messages, 5, () => [{ ...shot, content: [{ type: 'text', text: 'Issue 12' }, shot.content[1]] }]),
      'vercel',
    ) as R[];
    expect(out[5].content[0].experimental_content[0]).toEqual({ type: 'text', text: 'Issue 12' });
    expect(out[5].content[0].experimental_content[1]).toBe(v4.source[5].content[0].experimental_content[1]);
    expect(out[5].content[0].result).toBe(v4.source[5].content[0].result);
  });

  it('builds v5 shapes for created messages', () => {
    const out = fromInternal(
      [
        { role: 'system', blocks: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] },
        { role: 'assistant', blocks: [{ type: 'tool_call', id: 'c', name: 'f', arguments: '{"x":1}' }] },
        { role: 'tool', blocks: [{ type: 'tool_result', toolCallId: 'c', toolName: 'f', content: [{ type: 'text', text: 'done' }] }] },
      ],
      'vercel',
    );
    expect(out).toEqual([
      { role: 'system', content: 'a\nb' },
      { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'c', toolName: 'f', input: { x: 1 } }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c', toolName: 'f', output: { type: 'text', value: 'done' } }] },
    ]);
  });
});

describe('gemini', () => {
  const { source, messages } = read('gemini.json', 'gemini');
  const calls = messages[1].blocks.filter((b): b is ToolCallBlock => b.type === 'tool_call');
  const results = messages[2].blocks as ToolResultBlock[];

  it('synthesizes ids that pair calls and responses by name in order', () => {
    expect(calls.map((c) => c.id)).toEqual(['hr_gemini_1_1', 'hr_gemini_1_2', 'hr_gemini_1_3']);
    expect(calls.every((c) => isSynthesizedGeminiId(c.id))).toBe(true);
    expect(results.map((r) => r.toolCallId)).toEqual(['hr_gemini_1_1', 'hr_gemini_1_2', 'hr_gemini_1_3']);
    expect(messages[1].role).toBe('assistant');
    expect(messages[1].blocks[0]).toMatchObject({ type: 'opaque', kind: 'reasoning' });
  });

  it('pairs by explicit id regardless of order', () => {
    const r = messages[6].blocks as ToolResultBlock[];
    expect(r.map((b) => b.toolCallId)).toEqual(['fc-7a2', 'fc-7a1']);
  });

  it('represents responses as text: a lone string value unwrapped, else JSON', () => {
    expect(results[0].content).toEqual([{ type: 'text', text: 'Boston: 12°C, light rain, wind 20 km/h NE' }]);
    expect(results[1].content).toEqual([{ type: 'text', text: '{"temperature":22,"unit":"celsius","description":"Sunny"}' }]);
    expect(results[2].isError).toBe(true);
  });

  it('writes edited responses back without synthesized ids', () => {
    let out = fromInternal(editBlock(messages, 2, 0, 'Boston: 12°C, rain'), 'gemini') as R[];
    expect(out[2].parts[0]).toEqual({ functionResponse: { name: 'get_weather', response: { output: 'Boston: 12°C, rain' } } });
    expect(out[2].parts[1]).toBe(source[2].parts[1]);
    out = fromInternal(editBlock(messages, 2, 1, '{"temperature":22}'), 'gemini') as R[];
    expect(out[2].parts[1]).toEqual({ functionResponse: { name: 'get_weather', response: { temperature: 22 } } });
    out = fromInternal(editBlock(messages, 2, 1, 'Tokyo: sunny, 22°C'), 'gemini') as R[];
    expect(out[2].parts[1]).toEqual({ functionResponse: { name: 'get_weather', response: { output: 'Tokyo: sunny, 22°C' } } });
    out = fromInternal(editBlock(messages, 6, 1, 'Forecast: mild.'), 'gemini') as R[];
    expect(out[6].parts[1]).toEqual({ functionResponse: { id: 'fc-7a1', name: 'lookup', response: { result: 'Forecast: mild.' } } });
  });

  it('keeps thoughtSignature on edited function calls', () => {
    const out = fromInternal(
      withBlocks(messages, 1, (bs) => bs.map((b) => (b.type === 'tool_call' && b.id === 'hr_gemini_1_1' ? { ...b, arguments: '{"location":"Boston"}' } : b))),
      'gemini',
    ) as R[];
    expect(out[1].parts[1]).toEqual({ functionCall: { name: 'get_weather', args: { location: 'Boston' } }, thoughtSignature: 'Cp0BAVKhc7' });
    expect(out[1].parts[0]).toBe(source[1].parts[0]);
  });

  it('builds created messages with user/model roles and real ids only', () => {
    const out = fromInternal(
      [
        { role: 'system', blocks: [{ type: 'text', text: 'dropped' }] },
        { role: 'assistant', blocks: [{ type: 'tool_call', id: 'hr_gemini_9_0', name: 'f', arguments: '{}' }] },
        { role: 'tool', blocks: [{ type: 'tool_result', toolCallId: 'hr_gemini_9_0', toolName: 'f', content: [{ type: 'text', text: 'not json' }] }] },
        { role: 'assistant', blocks: [{ type: 'tool_call', id: 'real-1', name: 'g', arguments: '{"a":1}' }] },
      ],
      'gemini',
    );
    expect(out).toEqual([
      { role: 'user', parts: [{ text: 'dropped' }] },
      { role: 'model', parts: [{ functionCall: { name: 'f', args: {} } }] },
      { role: 'user', parts: [{ functionResponse: { name: 'f', response: { output: 'not json' } } }] },
      { role: 'model', parts: [{ functionCall: { name: 'g', args: { a: 1 }, id: 'real-1' } }] },
    ]);
  });

  it('reads the legacy function role', () => {
    const fr = read('gemini-function-role.json', 'gemini');
    expect(fr.messages[2].role).toBe('tool');
    expect((fr.messages[2].blocks[0] as ToolResultBlock).toolCallId).toBe((fr.messages[1].blocks[0] as ToolCallBlock).id);
  });
});

describe('detection and entry points', () => {
  it('treats plain role/content arrays as openai', () => {
    expect(detectFormat([{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }])).toBe('openai');
    expect(detectFormat([])).toBe('openai');
  });

  it('returns null for non-arrays and non-object entries', () => {
    for (const x of [null, undefined, 'x', 3, {}, { messages: [] }, [1], [{ role: 'user', content: 'x' }, null], [[]]]) {
      expect(detectFormat(x)).toBeNull();
      expect(tryToInternal(x)).toBeNull();
      expect(() => toInternal(x)).toThrow(ProviderError);
    }
  });

  it('picks the format with most evidence, and honours an explicit format', () => {
    const mixed = [
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'a', content: 'x' }, { type: 'text', text: 'y', cache_control: { type: 'ephemeral' } }] },
      { role: 'tool', tool_call_id: 'a', content: 'x' },
    ];
    expect(detectFormat(mixed)).toBe('anthropic');
    const conv = toInternal(mixed, 'openai');
    expect(conv.format).toBe('openai');
    expect(conv.messages[0].blocks.map((b) => b.type)).toEqual(['opaque', 'text']);
    expect(fromInternal(conv.messages, 'openai').every((m, i) => m === mixed[i])).toBe(true);
  });

  it('throws ProviderError for a forced format that cannot read the messages (a caller mistake)', () => {
    const openai = [{ role: 'user', content: 'hi' }];
    expect(() => toInternal(openai, 'gemini')).toThrow(ProviderError);
    expect(() => tryToInternal(openai, 'gemini')).toThrow(ProviderError);
    expect(tryToInternal('not an array', 'gemini')).toBeNull();
    expect(tryToInternal([{ role: 5, parts: [] }])).toBeNull();
    const gemini = [{ role: 'user', parts: [{ text: 'hi' }] }];
    expect(() => toInternal(gemini, 'anthropic')).toThrow(ProviderError);
    expect(toInternal(gemini).format).toBe('gemini');
  });

  it('rejects unknown format names as configuration errors', () => {
    expect(() => toInternal([], 'bedrock' as MessageFormat)).toThrow(ConfigurationError);
    expect(() => fromInternal([], 'bedrock' as MessageFormat)).toThrow(ConfigurationError);
  });

  it('marks read messages unedited and keeps opaque raw values', () => {
    const { messages } = read('anthropic-agent.json', 'anthropic');
    expect(messages.every(isUnedited)).toBe(true);
    const img = (messages[2].blocks[1] as ToolResultBlock).content[1];
    expect(img).toMatchObject({ type: 'opaque', kind: 'image', format: 'anthropic' });
  });

  it('moves an opaque block into a created message verbatim, but not across formats', () => {
    const { source, messages } = read('anthropic-agent.json', 'anthropic');
    const thinking = messages[1].blocks[0];
    const moved: Message = { role: 'assistant', blocks: [thinking, { type: 'text', text: 'hi' }] };
    const out = fromInternal([moved], 'anthropic') as R[];
    expect(out[0].content[0]).toBe(source[1].content[0]);
    expect(() => fromInternal([moved], 'openai')).toThrow(ProviderError);
  });

  it('inserting a marker keeps every other message identical', () => {
    const { source, messages } = read('openai-agent.json', 'openai');
    const out = fromInternal([messages[0], marker('[headroom: 5 messages dropped]'), ...messages.slice(6)], 'openai');
    expect(out[0]).toBe(source[0]);
    expect(out[1]).toEqual({ role: 'user', content: '[headroom: 5 messages dropped]' });
    out.slice(2).forEach((m, i) => expect(m).toBe(source[6 + i]));
  });

  it('text blocks stay TextBlocks', () => {
    const { messages } = read('vercel-v5.json', 'vercel');
    const t = messages[4].blocks[0] as TextBlock;
    expect(t).toEqual({ type: 'text', text: 'Start at Jerónimos at 09:30, then ride tram 28.' });
  });
});
