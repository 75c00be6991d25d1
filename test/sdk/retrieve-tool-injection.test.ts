import { describe, expect, it } from 'vitest';
import { compress, handleRetrieveToolCall, retrieve } from '../../sdk/index.js';
import { parseMarkers } from '../../engine/ccr/markers.js';

const words = (n: number, w: string) => Array.from({ length: n }, (_, i) => `${w}${i % 10}`).join(' ');

function loop(steps: number): any[] {
  const ms: any[] = [{ role: 'user', content: 'Investigate.' }];
  for (let i = 0; i < steps; i++) {
    const id = `call_${i}`;
    ms.push({ role: 'assistant', content: null, tool_calls: [{ id, type: 'function', function: { name: 'grep', arguments: '{}' } }] });
    ms.push({ role: 'tool', tool_call_id: id, content: words(300, `line${i}_`) });
  }
  ms.push({ role: 'assistant', content: 'Done looking.' });
  return ms;
}

const userTool = { type: 'function', function: { name: 'grep', parameters: { type: 'object', properties: {} } } };

describe('headroom_retrieve injection', () => {
  it('adds the tool when markers are emitted, and the model can resolve them', async () => {
    const r = await compress(loop(20), { tokenBudget: 2500, tools: [userTool] });
    expect(r.ccrHashes.length).toBeGreaterThan(0);
    const names = (r.tools as any[]).map((t) => t.function.name);
    expect(names).toEqual(['grep', 'headroom_retrieve']);
    // The model calls the tool with the hash from the marker; the handler returns the original.
    const text = (r.messages as any[]).map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n');
    const [marker] = parseMarkers(text);
    const reply = await handleRetrieveToolCall({ id: 'c1', type: 'function', function: { name: 'headroom_retrieve', arguments: JSON.stringify({ hash: marker.hash }) } });
    const original = await retrieve(marker.hash);
    expect(original && 'content' in original ? original.content : null).toBeTruthy();
    expect((reply as any).content).toContain('line0_');
  });

  it('leaves tools untouched without markers, and can be switched off', async () => {
    const tools = [userTool];
    const r = await compress(loop(2), { tools });
    expect(r.tools).toBe(tools);
    const off = await compress(loop(20), { tokenBudget: 2500, tools, injectRetrieveTool: false });
    expect(off.ccrHashes.length).toBeGreaterThan(0);
    expect(off.tools).toBe(tools);
  });

  it('is sticky: markers already in the history keep the tool in the list', async () => {
    const first = await compress(loop(20), { tokenBudget: 2500 });
    const next = await compress([...first.messages, { role: 'user', content: 'And now?' }], { tools: [userTool] });
    expect((next.tools as any[]).map((t) => t.function.name)).toContain('headroom_retrieve');
  });

  it('uses the Anthropic shape for Anthropic messages', async () => {
    const ms: any[] = [{ role: 'user', content: 'go' }];
    for (let i = 0; i < 15; i++) {
      ms.push({ role: 'assistant', content: [{ type: 'tool_use', id: `t${i}`, name: 'grep', input: {} }] });
      ms.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: `t${i}`, content: words(300, 'x') }] });
    }
    ms.push({ role: 'assistant', content: [{ type: 'text', text: 'ok' }] });
    const r = await compress(ms, { model: 'claude-sonnet-4-5', tokenBudget: 2500, tools: [{ name: 'grep', input_schema: { type: 'object' } }] });
    expect(r.format).toBe('anthropic');
    expect((r.tools as any[])[1]).toMatchObject({ name: 'headroom_retrieve', input_schema: { type: 'object' } });
  });
});
