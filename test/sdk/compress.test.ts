import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compress,
  ConfigurationError,
  getDefaultStore,
  HeadroomError,
  MemoryStore,
  TransformError,
  type CCRStore,
} from '../../sdk/index.js';
import { compressPrepared } from '../../engine/compress.js';
import { prepareModel } from '../../sdk/compress.js';
import type { Transform } from '../../engine/pipeline/types.js';
import { parseTextMarkers } from '../../engine/ccr/markers.js';

const words = (n: number, w: string) => Array.from({ length: n }, (_, i) => `${w}${i % 10}`).join(' ');

function agentConversation(steps: number, outWords = 400): any[] {
  const ms: any[] = [
    { role: 'system', content: 'You are an agent. Current date: 2026-11-20. Be precise.' },
    { role: 'user', content: 'Investigate the outage.' },
  ];
  for (let i = 0; i < steps; i++) {
    const id = `call_${i}`;
    ms.push({ role: 'assistant', content: null, tool_calls: [{ id, type: 'function', function: { name: 'search', arguments: `{"q":"${i}"}` } }] });
    ms.push({ role: 'tool', tool_call_id: id, content: words(outWords, 'log') });
  }
  ms.push({ role: 'user', content: 'Summarise.' });
  return ms;
}

describe('compress() contract', () => {
  it('returns the documented result shape with exact counts for OpenAI models', async () => {
    const messages = [
      { role: 'system', content: 'You are helpful.' },
      { role: 'user', content: 'Hello there' },
    ];
    const r = await compress(messages, { model: 'gpt-4o' });
    expect(r.messages).toEqual(messages);
    expect(r.messages[0]).toBe(messages[0]);
    expect(r.tokenCounting).toBe('exact');
    expect(r.tokensBefore).toBeGreaterThan(0);
    expect(r.tokensAfter).toBe(r.tokensBefore);
    expect(r.compressionRatio).toBe(1);
    expect(r.savingsPercent).toBe(0);
    expect(r.tokensSaved).toBe(0);
    expect(r.compressed).toBe(false);
    expect(r.format).toBe('openai');
    expect(r.ccrHashes).toEqual([]);
    expect(Array.isArray(r.warnings)).toBe(true);
    expect(r.model.canonical).toBe('gpt-4o');
  });

  it('moves dynamic content out of the system prompt, keeping user messages untouched', async () => {
    const user = { role: 'user', content: 'Today is 2026-11-20; what changed?' };
    const r1 = await compress([{ role: 'system', content: 'Rules. Today is 2026-11-20.' }, user]);
    const r2 = await compress([{ role: 'system', content: 'Rules. Today is 2026-11-21.' }, user]);
    expect(r1.messages[1]).toBe(user);
    expect((r1.messages[0] as any).content.startsWith('Rules.\n\n[Dynamic context]\nToday is 2026-11-20.')).toBe(true);
    expect(r1.stablePrefixHash).not.toBeNull();
    expect(r1.stablePrefixHash).toBe(r2.stablePrefixHash);
    expect(r1.transformsApplied).toContain('cache_align:moved=1');
    expect(r1.compressed).toBe(true);
  });

  it('fits the budget by dropping old tool exchanges, and every dropped message is retrievable', async () => {
    const messages = agentConversation(30);
    const r = await compress(messages, { model: 'gpt-4o', tokenBudget: 4000 });
    expect(r.fitsBudget).toBe(true);
    expect(r.tokensAfter).toBeLessThanOrEqual(4000);
    expect(r.transformsApplied.some((t) => /^(intelligent_context|rolling_window):dropped=/.test(t))).toBe(true);
    expect(r.ccrHashes).toHaveLength(1);
    const marker = (r.messages as any[]).find((m) => typeof m.content === 'string' && m.content.startsWith('[headroom:'));
    const [parsed] = parseTextMarkers(marker.content);
    expect(parsed.hash).toBe(r.ccrHashes[0]);
    const entry = await getDefaultStore().get(parsed.hash);
    const dropped = messages.filter((m) => m.role !== 'system' && !(r.messages as any[]).includes(m));
    expect(entry?.content).toBe(JSON.stringify(dropped));
    // Tool pairs stay whole.
    const calls = new Set((r.messages as any[]).flatMap((m) => (m.tool_calls ?? []).map((c: any) => c.id)));
    const results = new Set((r.messages as any[]).filter((m) => m.role === 'tool').map((m) => m.tool_call_id));
    expect([...results].sort()).toEqual([...calls].sort());
  });

  it('audit mode measures and returns the input unchanged', async () => {
    const messages = agentConversation(30);
    const r = await compress(messages, { mode: 'audit', tokenBudget: 1000 });
    expect(r.messages).toBe(messages);
    expect(r.tokensAfter).toBe(r.tokensBefore);
    expect(r.transformsApplied).toEqual([]);
    expect(r.fitsBudget).toBe(false);
  });

  it('is deterministic, idempotent and prefix-stable across turns', async () => {
    const history = agentConversation(6, 50);
    const a = await compress(history);
    const b = await compress(structuredClone(history));
    expect(JSON.stringify(a.messages)).toBe(JSON.stringify(b.messages));
    const again = await compress(a.messages);
    expect(JSON.stringify(again.messages)).toBe(JSON.stringify(a.messages));
    const next = await compress([...history, { role: 'assistant', content: 'Found it.' }, { role: 'user', content: 'Fix it.' }]);
    expect(JSON.stringify(next.messages.slice(0, a.messages.length))).toBe(JSON.stringify(a.messages));
  });

  it('rejects invalid options with ConfigurationError listing every problem', async () => {
    const bad = [
      { tokenBudget: -5 },
      { tokenBudget: 1.5 },
      { mode: 'simulate' },
      { model: '' },
      { format: 'cohere' },
      { strict: 'yes' },
      { store: {} },
      { config: { cacheAligner: { enabled: 'no' } } },
      { config: { rollingWindow: { keepLastTurns: -1 } } },
      { config: { rollingWindow: { keepSystem: false } } },
      { config: { cacheAligner: { dynamicPatterns: ['('] } } },
      { config: { nope: {} } },
      { toolProfiles: { grep: { maxItems: -1 } } },
      { toolProfiles: 'grep' },
    ];
    for (const options of bad) {
      await expect(compress([], options as any)).rejects.toBeInstanceOf(ConfigurationError);
    }
    const err = await compress([], { tokenBudget: 0, mode: 'x' } as any).catch((e) => e);
    expect(err).toBeInstanceOf(HeadroomError);
    expect(err.code).toBe('CONFIGURATION');
    expect(err.message).toMatch(/tokenBudget/);
    expect(err.message).toMatch(/mode/);
  });

  it('never throws on arbitrary input and passes unreadable input through', async () => {
    await fc.assert(
      fc.asyncProperty(fc.anything({ maxDepth: 4 }), async (input) => {
        const r = await compress(input as any);
        expect(r).toBeDefined();
        if (r.format === null) expect(r.messages).toBe(input);
      }),
      { numRuns: 300 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ role: fc.constantFrom('user', 'assistant', 'system', 'tool', 'weird'), content: fc.oneof(fc.string(), fc.anything({ maxDepth: 2 })) }, { requiredKeys: [] }), { maxLength: 8 }),
        async (input) => {
          const r = await compress(input as any, { tokenBudget: 50 });
          expect(r).toBeDefined();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a failing transform passes content through with a warning, or throws TransformError in strict mode', async () => {
    const boom: Transform = { name: 'boom', isEnabled: () => true, apply: () => { throw new Error('kaput'); } };
    const warnings: string[] = [];
    const prepared = await prepareModel({}, warnings);
    const messages = [{ role: 'user', content: 'hi' }];
    const run = compressPrepared(messages, {}, prepared, warnings, [boom]);
    expect(run.result.messages[0]).toBe(messages[0]);
    expect(run.result.warnings.join(' ')).toMatch(/boom failed.*kaput/);
    expect(() => compressPrepared(messages, { strict: true }, prepared, [], [boom])).toThrow(TransformError);
  });

  it('stores originals in a caller store, falling back to memory when it fails', async () => {
    const store = new MemoryStore();
    const r = await compress(agentConversation(30), { tokenBudget: 4000, store });
    expect(await store.get(r.ccrHashes[0])).not.toBeNull();

    const broken: CCRStore = { put: async () => { throw new Error('quota exceeded'); }, get: async () => null };
    const r2 = await compress(agentConversation(31), { tokenBudget: 4000, store: broken });
    expect(r2.warnings.join(' ')).toMatch(/quota exceeded/);
    expect(await getDefaultStore().get(r2.ccrHashes[0])).not.toBeNull();
  });

  it('estimates for Claude and unknown models, with a warning for unknown names', async () => {
    const claude = await compress([{ role: 'user', content: 'hello world' }], { model: 'claude-sonnet-4-5' });
    expect(claude.tokenCounting).toBe('estimate');
    expect(claude.model.provider).toBe('anthropic');
    const unknown = await compress([{ role: 'user', content: 'hello world' }], { model: 'totally-new-model-9' });
    expect(unknown.tokenCounting).toBe('estimate');
    expect(unknown.warnings.length).toBeGreaterThan(0);
  });
});

describe('model overrides', () => {
  it('merges HEADROOM_MODEL_LIMITS with option overrides field by field', async () => {
    const prev = process.env.HEADROOM_MODEL_LIMITS;
    process.env.HEADROOM_MODEL_LIMITS = JSON.stringify({ 'acme-llm': { contextLimit: 5000, outputBuffer: 1000 } });
    try {
      const r = await compress([{ role: 'user', content: 'hi' }], { model: 'acme-llm', modelOverrides: { 'acme-llm': { outputBuffer: 500 } } });
      expect(r.model.contextLimit).toBe(5000);
      expect(r.tokenBudget).toBe(4500);
    } finally {
      if (prev === undefined) delete process.env.HEADROOM_MODEL_LIMITS;
      else process.env.HEADROOM_MODEL_LIMITS = prev;
    }
  });
});
