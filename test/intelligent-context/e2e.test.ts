import { describe, expect, it } from 'vitest';
import { compress, MemoryStore, retrieve } from '../../sdk/index.js';
import { parseTextMarkers } from '../../engine/ccr/markers.js';

const words = (n: number, w: string) => Array.from({ length: n }, (_, i) => `${w}${i % 13}`).join(' ');

/**
 * OpenAI agent loop; step 3's output holds an error that a later message refers to. The bulk is
 * the assistant's own prose and the tool outputs are short, so compressors leave them alone and
 * only dropping can fit the budget.
 */
function openaiAgent(steps: number): any[] {
  const ms: any[] = [
    { role: 'system', content: 'You are an agent. Be precise.' },
    { role: 'user', content: 'Investigate the checkout outage.' },
  ];
  for (let i = 0; i < steps; i++) {
    const id = `call_${i}`;
    ms.push({ role: 'assistant', content: `Step ${i}: ${words(120, `think${i}x`)}`, tool_calls: [{ id, type: 'function', function: { name: 'search', arguments: `{"q":"step ${i}"}` } }] });
    const body = i === 3 ? `services/pay/gateway_client.go: ERROR connection refused to gw-7731 ${words(20, 'log')}` : words(25, `out${i}x`);
    ms.push({ role: 'tool', tool_call_id: id, content: body });
  }
  ms.push({ role: 'assistant', content: 'The gateway_client.go failure looks related.' });
  ms.push({ role: 'user', content: 'Summarise.' });
  return ms;
}

function anthropicAgent(steps: number): any[] {
  const ms: any[] = [{ role: 'user', content: 'Investigate the outage.' }];
  for (let i = 0; i < steps; i++) {
    const id = `toolu_${i}`;
    ms.push({ role: 'assistant', content: [{ type: 'text', text: `Step ${i}: ${words(120, `plan${i}x`)}` }, { type: 'tool_use', id, name: 'grep', input: { pattern: `p${i}` } }] });
    ms.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: words(25, `hit${i}x`) }] });
  }
  ms.push({ role: 'assistant', content: 'Done searching.' });
  ms.push({ role: 'user', content: 'What did you find?' });
  return ms;
}

function pairedOpenAI(ms: any[]): boolean {
  const calls = new Set(ms.flatMap((m) => (m.tool_calls ?? []).map((c: any) => c.id)));
  const results = new Set(ms.filter((m) => m.role === 'tool').map((m) => m.tool_call_id));
  return [...calls].every((c) => results.has(c)) && [...results].every((r) => calls.has(r));
}

describe('IntelligentContext through compress()', () => {
  it('is the default: drops to fit, and retrieve() gives back every dropped message byte-exact', async () => {
    const messages = openaiAgent(20);
    const store = new MemoryStore();
    const r = await compress(messages, { model: 'gpt-4o', tokenBudget: 3000, store });
    expect(r.fitsBudget).toBe(true);
    expect(r.tokensAfter).toBeLessThanOrEqual(3000);
    expect(r.transformsApplied.some((t) => t.startsWith('intelligent_context:dropped='))).toBe(true);
    expect(pairedOpenAI(r.messages as any[])).toBe(true);
    // System prompt and the protected tail are the caller's own objects.
    expect(r.messages[0]).toBe(messages[0]);
    expect(r.messages[r.messages.length - 1]).toBe(messages[messages.length - 1]);
    expect(r.messages[r.messages.length - 2]).toBe(messages[messages.length - 2]);
    const markers = (r.messages as any[]).filter((m) => typeof m.content === 'string' && parseTextMarkers(m.content).length > 0);
    expect(markers).toHaveLength(1);
    const [mk] = parseTextMarkers(markers[0].content);
    expect(r.ccrHashes).toContain(mk.hash);
    const dropped = messages.filter((m) => !(r.messages as any[]).includes(m));
    expect(mk.count).toBe(dropped.length);
    const got = await retrieve(mk.hash, { store });
    expect(got).not.toBeNull();
    expect((got as { content: string }).content).toBe(JSON.stringify(dropped));
    expect(JSON.parse((got as { content: string }).content)).toEqual(dropped);
    // headroom_retrieve offered so the model can use the marker.
    expect(JSON.stringify(r.tools)).toMatch(/headroom_retrieve/);
    // The error-bearing, referenced step outlives its bland neighbours.
    expect(r.messages).toContain(messages[2 + 3 * 2 + 1]);
  });

  it('is deterministic and idempotent', async () => {
    const messages = openaiAgent(20);
    const a = await compress(messages, { tokenBudget: 3000 });
    const b = await compress(structuredClone(messages), { tokenBudget: 3000 });
    expect(JSON.stringify(b.messages)).toBe(JSON.stringify(a.messages));
    const again = await compress(a.messages, { tokenBudget: 3000 });
    expect(JSON.stringify(again.messages)).toBe(JSON.stringify(a.messages));
    expect(again.transformsApplied.filter((t) => t.startsWith('intelligent_context'))).toEqual([]);
  });

  it('keeps Anthropic tool_use/tool_result pairs together and retrievable', async () => {
    const messages = anthropicAgent(15);
    const store = new MemoryStore();
    const r = await compress(messages, { model: 'claude-sonnet-4-5', tokenBudget: 2500, store });
    expect(r.format).toBe('anthropic');
    expect(r.fitsBudget).toBe(true);
    const out = r.messages as any[];
    for (let i = 0; i < out.length; i++) {
      const uses = Array.isArray(out[i].content) ? out[i].content.filter((b: any) => b.type === 'tool_use').map((b: any) => b.id) : [];
      if (uses.length === 0) continue;
      const next = out[i + 1];
      const answered = Array.isArray(next?.content) ? next.content.filter((b: any) => b.type === 'tool_result').map((b: any) => b.tool_use_id) : [];
      expect(answered).toEqual(uses);
    }
    const hash = r.ccrHashes[0];
    const got = await retrieve(hash, { store });
    const dropped = messages.filter((m) => !out.includes(m));
    expect((got as { content: string }).content).toBe(JSON.stringify(dropped));
  });

  it('falls back to RollingWindow with intelligentContext.enabled: false', async () => {
    const r = await compress(openaiAgent(20), { tokenBudget: 3000, config: { intelligentContext: { enabled: false } } });
    expect(r.transformsApplied.some((t) => t.startsWith('rolling_window:dropped='))).toBe(true);
    expect(r.transformsApplied.some((t) => t.startsWith('intelligent_context'))).toBe(false);
  });

  it('uses intelligentContext.outputBufferTokens for the default budget', async () => {
    const r = await compress([{ role: 'user', content: 'hi' }], { model: 'gpt-4o', config: { intelligentContext: { outputBufferTokens: 28_000 } } });
    expect(r.tokenBudget).toBe(100_000);
  });
});
