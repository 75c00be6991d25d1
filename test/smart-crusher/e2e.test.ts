/** Realistic tool outputs through the public compress() end to end (OpenAI and Anthropic formats). */
import { describe, expect, it } from 'vitest';
import { compress, MemoryStore, parseMarkers, retrieve } from '../../sdk/index.js';
import { canon, decoded, items } from './helpers.js';
import { apiResponses, dbRows, hostMetrics, logLines, metricSeries, searchResults, type Payload } from './payloads.js';

function dig(doc: unknown, like: unknown): unknown[] {
  if (Array.isArray(like)) return doc as unknown[];
  const o = like as Record<string, unknown>;
  const key = Object.keys(o).find((k) => Array.isArray(o[k]))!;
  return (doc as Record<string, unknown[]>)[key];
}

function openaiConversation(p: Payload, pretty = true) {
  const text = pretty ? JSON.stringify(p.doc, null, 2) : JSON.stringify(p.doc);
  const messages = [
    { role: 'system', content: 'You are an SRE agent. Use the tools.' },
    { role: 'user', content: 'Something is off since this morning; look at the data.' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'fetch_data', arguments: '{"limit":1000}' } }] },
    { role: 'tool', tool_call_id: 'call_1', content: text },
  ];
  return { messages, text };
}

describe('compress() end to end with SmartCrusher', () => {
  const cases: Array<[string, Payload]> = [
    ['search results with scores', searchResults(1000)],
    ['API responses', apiResponses(1000)],
    ['DB rows', dbRows(1000)],
    ['log lines', logLines(1000)],
    ['metrics (numbers)', metricSeries(1000)],
    ['metrics time series (objects)', hostMetrics(600)],
  ];
  for (const [label, p] of cases) {
    it(`${label}: fewer tokens, valid JSON, every important item kept, original retrievable byte-exact`, async () => {
      const store = new MemoryStore();
      const { messages, text } = openaiConversation(p);
      const r = await compress(messages, { model: 'gpt-4o', store });
      expect(r.transformsApplied.some((t) => /^smart_crusher:items=\d+->\d+$/.test(t))).toBe(true);
      expect(r.tokensAfter).toBeLessThan(r.tokensBefore * 0.5);
      const out = (r.messages[3] as { content: string }).content;
      const data = decoded(out);
      const arr = dig(data, p.doc);
      const kept = new Set(items(arr).map(canon));
      for (const i of p.important) expect(kept.has(canon(p.items[i])), `${label} item ${i}`).toBe(true);
      const hashes = parseMarkers(out).map((m) => m.hash);
      expect(hashes.length).toBe(1);
      expect(r.ccrHashes).toContain(hashes[0]);
      const got = await retrieve(hashes[0], { store });
      expect(got && 'content' in got ? got.content : null).toBe(text);
      expect(r.messages[0]).toBe(messages[0]);
      expect(r.messages[1]).toBe(messages[1]);
    });
  }

  it('1,000 search results: ≥ 90% token savings on the tool output, all important items kept', async () => {
    const p = searchResults(1000);
    const { messages } = openaiConversation(p);
    const r = await compress(messages, { model: 'gpt-4o', store: new MemoryStore() });
    expect(r.savingsPercent).toBeGreaterThanOrEqual(90);
  });

  it('Anthropic format, toolProfiles and the retrieve tool are respected', async () => {
    const p = dbRows(500);
    const text = JSON.stringify(p.doc);
    const messages = [
      { role: 'user', content: 'audit the accounts' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'tu_1', name: 'sql', input: { q: 'select *' } }, { type: 'tool_use', id: 'tu_2', name: 'mcp__headroom__headroom_retrieve', input: { hash: 'x' } }] },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'tu_1', content: text },
          { type: 'tool_result', tool_use_id: 'tu_2', content: text },
        ],
      },
    ];
    const r = await compress(messages, { model: 'claude-sonnet-4-5', store: new MemoryStore(), toolProfiles: { sql: { maxItems: 3 } } });
    const blocks = (r.messages[2] as { content: Array<{ content: string }> }).content;
    expect(blocks[1].content).toBe(text);
    const kept = items(decoded(blocks[0].content) as unknown[]);
    expect(kept.length).toBe(Math.max(3, p.important.length));
    const skipped = await compress(messages, { model: 'claude-sonnet-4-5', store: new MemoryStore(), toolProfiles: { sql: { skip: true } } });
    expect((skipped.messages[2] as { content: Array<{ content: string }> }).content[0].content).toBe(text);
  });

  it('prefix stability: compressing the history, then the history plus a turn, leaves the earlier tool output byte-identical', async () => {
    const { messages } = openaiConversation(searchResults(800));
    const a = await compress(messages, { model: 'gpt-4o', store: new MemoryStore() });
    const more = [...messages, { role: 'assistant', content: 'Found a timeout.' }, { role: 'user', content: 'now check the payments service' }];
    const b = await compress(more, { model: 'gpt-4o', store: new MemoryStore() });
    expect((b.messages[3] as { content: string }).content).toBe((a.messages[3] as { content: string }).content);
    const c = await compress(b.messages, { model: 'gpt-4o', store: new MemoryStore() });
    expect((c.messages[3] as { content: string }).content).toBe((a.messages[3] as { content: string }).content);
    expect(c.transformsApplied.filter((t) => t.startsWith('smart_crusher'))).toEqual([]);
  });

  it('config.smartCrusher is validated and applied (compact format)', async () => {
    const { messages } = openaiConversation(searchResults(300));
    await expect(compress(messages, { config: { smartCrusher: { format: 'xml' as never } } })).rejects.toThrow(/smartCrusher\.format/);
    const r = await compress(messages, { model: 'gpt-4o', store: new MemoryStore(), config: { smartCrusher: { format: 'compact' } } });
    expect((r.messages[3] as { content: string }).content).toMatch(/^\{.*"results":"@t1".*\}\n@t1\[\d+\]\{/);
  });
});
