import { describe, expect, it } from 'vitest';
import { compress, getDefaultStore, MemoryStore, resolveModel, retrieve, simulate, ConfigurationError } from '../../sdk/index.js';
import { MIN_CACHEABLE_PREFIX } from '../../engine/simulate/cost.js';
import { BLOCK_KINDS } from '../../engine/simulate/blocks.js';

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v as object)) deepFreeze(x);
  }
  return v;
}

const words = (n: number, w: string) => Array.from({ length: n }, (_, i) => `${w}${i % 17}`).join(' ');

const rows = Array.from({ length: 40 }, (_, i) => ({ id: i + 1, name: `item-${i}`, status: i === 17 ? 'error' : 'ok', region: 'eu-west-1', latency_ms: 20 + (i % 5) }));

/** An OpenAI agent conversation with a long system prompt, JSON and log tool outputs. */
function agent(steps = 12): any[] {
  const ms: any[] = [
    { role: 'system', content: `You are a careful SRE agent. ${words(1500, 'rule')}` },
    { role: 'user', content: 'Why is checkout slow?' },
  ];
  for (let i = 0; i < steps; i++) {
    const id = `call_${i}`;
    ms.push({ role: 'assistant', content: null, tool_calls: [{ id, type: 'function', function: { name: i % 2 ? 'query' : 'logs', arguments: `{"step":${i}}` } }] });
    ms.push({ role: 'tool', tool_call_id: id, content: i % 2 ? JSON.stringify(rows, null, 2) : words(400, `line${i}x`) });
  }
  ms.push({ role: 'assistant', content: 'Looking at the results now.' });
  ms.push({ role: 'user', content: 'Summarise what you found.' });
  return ms;
}

describe('simulate()', () => {
  it('leaves the input untouched: a deep-frozen input works and equals its snapshot afterwards', async () => {
    const messages = agent();
    const snapshot = structuredClone(messages);
    deepFreeze(messages);
    const plan = await simulate(messages, { model: 'gpt-4o', tokenBudget: 6000 });
    expect(messages).toEqual(snapshot);
    expect(plan.tokensAfter).toBeLessThan(plan.tokensBefore);
  });

  it('matches compress() on the same input', async () => {
    const messages = agent();
    const options = { model: 'gpt-4o', tokenBudget: 6000 };
    const plan = await simulate(messages, options);
    const real = await compress(messages, { ...options, store: new MemoryStore() });
    expect(plan.tokensBefore).toBe(real.tokensBefore);
    expect(plan.tokensAfter).toBe(real.tokensAfter);
    expect(plan.tokensSaved).toBe(real.tokensSaved);
    expect(plan.savingsPercent).toBe(real.savingsPercent);
    expect(plan.transformsApplied).toEqual(real.transformsApplied);
    expect(plan.ccrHashes).toEqual(real.ccrHashes);
    expect(plan.fitsBudget).toBe(real.fitsBudget);
    expect(JSON.stringify(plan.messages)).toBe(JSON.stringify(real.messages));
    expect(plan.reports.map((r) => r.name)).toContain('cache_aligner');
    expect(plan.reports[plan.reports.length - 1].name).toBe('intelligent_context');
  });

  it('writes originals to a store of its own (not the default store), and markers resolve from it', async () => {
    const plan = await simulate(agent(), { model: 'gpt-4o', tokenBudget: 6000 });
    expect(plan.ccrHashes.length).toBeGreaterThan(0);
    expect(plan.store).not.toBe(getDefaultStore());
    for (const h of plan.ccrHashes) {
      expect(await getDefaultStore().get(h)).toBeNull();
      expect(await retrieve(h, { store: plan.store })).not.toBeNull();
    }
    const mine = new MemoryStore();
    const withStore = await simulate(agent(), { model: 'gpt-4o', tokenBudget: 6000, store: mine });
    expect(withStore.store).toBe(mine);
    expect(await mine.get(withStore.ccrHashes[0])).not.toBeNull();
  });

  it('reports the drop IntelligentContext made, with its cache cost', async () => {
    // A long chat: user and assistant prose, which no compressor touches, so only a drop can fit it.
    const chat: any[] = [{ role: 'system', content: 'You are a support agent.' }];
    for (let i = 0; i < 30; i++) {
      chat.push({ role: 'user', content: `Question ${i}: ${words(150, `q${i}w`)}` });
      chat.push({ role: 'assistant', content: `Answer ${i}: ${words(150, `a${i}w`)}` });
    }
    chat.push({ role: 'user', content: 'Thanks, one last thing?' });
    const plan = await simulate(chat, { model: 'gpt-4o', tokenBudget: 4000 });
    expect(plan.contextDrop).not.toBeNull();
    const d = plan.contextDrop!;
    expect(d.transform).toBe('intelligent_context');
    expect(d.dropped).toBeGreaterThan(0);
    expect(plan.ccrHashes).toContain(d.ccrHash);
    expect((plan.messages[d.markerIndex] as any).content).toContain(`hash=${d.ccrHash}`);
    expect(d.cache!.invalidatedTokens).toBeGreaterThan(0);
    expect(d.cache!.extraCostUSD).toBeGreaterThan(0);
    // The cached prefix after the drop ends at the marker at the latest.
    expect(plan.cost.after.cachedTokens).toBeLessThanOrEqual(d.cache!.preservedPrefixTokens + 50);
  });

  it('lists per-block decisions: the compressed JSON tool results', async () => {
    const plan = await simulate(agent(), { model: 'gpt-4o' });
    const json = plan.decisions.filter((d) => d.type === 'json' && (d.tokensAfter ?? Infinity) < (d.tokensBefore ?? 0));
    expect(json.length).toBeGreaterThan(0);
    for (const d of plan.decisions) expect(typeof d.transform).toBe('string');
  });

  it('breaks tokens down by block kind, adding up to the prompt total', async () => {
    const messages = [
      { role: 'system', content: 'Answer from the documents.' },
      { role: 'user', content: '[Document 1] The warranty lasts two years. [Document 2] Returns within 30 days.' },
      { role: 'user', content: 'How long is the warranty?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'lookup', arguments: '{"q":"warranty"}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'Two years from purchase.' },
      { role: 'assistant', content: 'Two years.' },
    ];
    const plan = await simulate(messages, { model: 'gpt-4o' });
    for (const b of [plan.breakdown.before, plan.breakdown.after]) {
      const sum = BLOCK_KINDS.reduce((s, k) => s + b.kinds[k].tokens, 0);
      expect(sum + b.replyPriming).toBe(b.total);
    }
    const k = plan.breakdown.before.kinds;
    expect(plan.breakdown.before.total).toBe(plan.tokensBefore);
    expect(k.rag.blocks).toBe(1);
    expect(k.user.blocks).toBe(1);
    expect(k.system.blocks).toBe(1);
    expect(k.tool_call.blocks).toBe(1);
    expect(k.tool_result.blocks).toBe(1);
    expect(k.assistant.blocks).toBe(1);
    for (const kind of BLOCK_KINDS) expect(k[kind].tokens).toBeGreaterThan(0);
  });

  it('prices input with the registry, the stable prefix at the cached-input price', async () => {
    const messages = agent(2);
    const plan = await simulate(messages, { model: 'gpt-4o' });
    const { info } = resolveModel('gpt-4o');
    expect(plan.cost.pricing).toEqual(info.pricing);
    const { before, after } = plan.cost;
    expect(before.inputTokens).toBe(plan.tokensBefore);
    expect(after.inputTokens).toBe(plan.tokensAfter);
    expect(before.listUSD).toBeCloseTo((plan.tokensBefore * info.pricing.input) / 1e6, 12);
    // History before the last assistant message was sent before: cacheable (system prompt > 1,024 tokens).
    expect(before.cachedTokens).toBeGreaterThanOrEqual(MIN_CACHEABLE_PREFIX);
    expect(before.cachedTokens).toBeLessThan(before.inputTokens);
    for (const c of [before, after]) {
      expect(c.usd).toBeCloseTo(((c.inputTokens - c.cachedTokens) * info.pricing.input + c.cachedTokens * info.pricing.cachedInput) / 1e6, 12);
    }
    expect(plan.cost.savedUSD).toBeCloseTo(before.usd - after.usd, 12);

    const claude = await simulate(messages, { model: 'claude-sonnet-4-5' });
    const c = resolveModel('claude-sonnet-4-5').info;
    expect(claude.cost.before.listUSD).toBeCloseTo((claude.tokensBefore * c.pricing.input) / 1e6, 12);
  });

  it('counts more of the prompt as cacheable once CacheAligner moves a per-request timestamp out of the way', async () => {
    const messages = [
      { role: 'system', content: `Current time: 14:03:22 UTC. ${words(1500, 'rule')}` },
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'hello' },
      { role: 'user', content: 'and?' },
    ];
    const plan = await simulate(messages, { model: 'gpt-4o' });
    expect(plan.cost.before.cachedTokens).toBe(0);
    expect(plan.cost.after.cachedTokens).toBeGreaterThanOrEqual(MIN_CACHEABLE_PREFIX);
    expect(plan.cost.after.usd).toBeLessThan(plan.cost.before.usd);
    expect(plan.waste.dynamicDateTokens).toBeGreaterThan(0);
    // A date changes once a day, not between the turns of a conversation: the history stays cacheable.
    const dated = await simulate([{ ...messages[0], content: `Current date: 2026-11-20. ${words(1500, 'rule')}` }, ...messages.slice(1)], { model: 'gpt-4o' });
    expect(dated.cost.before.cachedTokens).toBeGreaterThanOrEqual(MIN_CACHEABLE_PREFIX);
  });

  it('audit mode changes nothing and still reports waste and costs', async () => {
    const plan = await simulate(agent(), { mode: 'audit', tokenBudget: 1000 });
    expect(plan.tokensAfter).toBe(plan.tokensBefore);
    expect(plan.contextDrop).toBeNull();
    expect(plan.waste.jsonBloatTokens).toBeGreaterThan(0);
    expect(plan.cost.after.listUSD).toBe(plan.cost.before.listUSD);
  });

  it('validates options like compress()', async () => {
    await expect(simulate([], { tokenBudget: -1 } as any)).rejects.toBeInstanceOf(ConfigurationError);
    await expect(simulate([], { config: { intelligentContext: { tieTolerance: 5 } } })).rejects.toBeInstanceOf(ConfigurationError);
  });

  it('passes unreadable input through with a warning', async () => {
    const plan = await simulate([42, 'x'] as any[]);
    expect(plan.format).toBeNull();
    expect(plan.warnings.length).toBeGreaterThan(0);
    expect(plan.waste.totalTokens).toBe(0);
  });
});
