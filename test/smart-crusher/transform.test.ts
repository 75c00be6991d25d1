import { describe, expect, it } from 'vitest';
import { ccrHash } from '../../engine/ccr/hash.js';
import { parseMarkers } from '../../engine/ccr/markers.js';
import type { CCREntry } from '../../engine/ccr/types.js';
import { resolveConfig, type HeadroomConfig } from '../../engine/config.js';
import { ConfigurationError } from '../../engine/errors.js';
import type { Message, ToolResultBlock } from '../../engine/messages/types.js';
import type { PipelineContext } from '../../engine/pipeline/types.js';
import { isRetrieveTool, smartCrusher, validateToolProfiles } from '../../engine/transforms/smart-crusher/index.js';
import type { ToolProfile } from '../../engine/transforms/smart-crusher/config.js';
import { testModel } from '../helpers/fake-counter.js';
import { bpeCounter, decoded, items } from './helpers.js';

function ctxFor(opts: { config?: HeadroomConfig; toolProfiles?: Record<string, ToolProfile> } = {}) {
  const entries: CCREntry[] = [];
  const warnings: string[] = [];
  const ctx: PipelineContext = {
    model: testModel,
    counter: bpeCounter,
    tokenBudget: 1_000_000,
    config: resolveConfig(opts.config),
    ccr: { record: (e) => void entries.push(e) },
    toolProfiles: opts.toolProfiles,
    warn: (w) => void warnings.push(w),
  };
  return { ctx, entries, warnings };
}

const rows = (n: number, extra: (i: number) => Record<string, unknown> = () => ({})) =>
  JSON.stringify(
    Array.from({ length: n }, (_, i) => ({ id: i, name: `record ${i}`, city: ['Lyon', 'Oslo', 'Kyiv', 'Lima'][i % 4], amount: 100 + (i % 17), ...extra(i) })),
    null,
    2,
  );

const user = (text: string): Message => ({ role: 'user', blocks: [{ type: 'text', text }] });
const callMsg = (id: string, name: string): Message => ({ role: 'assistant', blocks: [{ type: 'tool_call', id, name, arguments: '{}' }] });
const resultMsg = (id: string, text: string, toolName?: string): Message => ({
  role: 'tool',
  blocks: [{ type: 'tool_result', toolCallId: id, ...(toolName ? { toolName } : {}), content: [{ type: 'text', text }] }],
});
const textOf = (m: Message) => ((m.blocks[0] as ToolResultBlock).content[0] as { text: string }).text;

describe('smart_crusher transform', () => {
  it('crushes JSON tool results, records the original first, reports items, leaves other messages as they were', () => {
    const payload = rows(1000);
    const msgs = [user('list the records'), callMsg('c1', 'db_query'), resultMsg('c1', payload), user('thanks')];
    const { ctx, entries } = ctxFor();
    const out = smartCrusher.apply(msgs, ctx);
    expect(out.messages[0]).toBe(msgs[0]);
    expect(out.messages[1]).toBe(msgs[1]);
    expect(out.messages[3]).toBe(msgs[3]);
    const text = textOf(out.messages[2]);
    expect(JSON.parse(text)).toBeInstanceOf(Array);
    expect(out.report.applied).toHaveLength(1);
    expect(out.report.applied[0]).toMatch(/^smart_crusher:items=1000->\d+$/);
    expect(entries).toHaveLength(1);
    expect(entries[0].content).toBe(payload);
    expect(parseMarkers(text).map((m) => m.hash)).toEqual([ccrHash(payload)]);
    expect(msgs[2].blocks).not.toBe(out.messages[2].blocks); // input untouched
    expect(textOf(msgs[2])).toBe(payload);
  });

  it('never crushes the retrieval tool, by its own name or a namespaced alias', () => {
    for (const name of ['headroom_retrieve', 'mcp__headroom__headroom_retrieve', 'headroom.headroom_retrieve', 'srv/headroom_retrieve']) {
      expect(isRetrieveTool(name)).toBe(true);
      const msgs = [user('q'), callMsg('c1', name), resultMsg('c1', rows(300))];
      const { ctx } = ctxFor();
      expect(smartCrusher.apply(msgs, ctx).messages).toBe(msgs);
      // toolName on the block wins when present
      const msgs2 = [user('q'), resultMsg('c9', rows(300), name)];
      expect(smartCrusher.apply(msgs2, ctx).messages).toBe(msgs2);
    }
    for (const name of ['my_headroom_retrieve', 'headroom_retrieve_v2', 'search']) expect(isRetrieveTool(name)).toBe(false);
  });

  it('honours toolProfiles: skip, and maxItems exactly (errors still kept)', () => {
    const payload = rows(500, (i) => (i === 250 ? { status: 'failed' } : {}));
    const msgs = [user('q'), callMsg('a', 'logs'), resultMsg('a', payload), callMsg('b', 'search'), resultMsg('b', payload)];
    const { ctx } = ctxFor({ toolProfiles: { logs: { skip: true }, search: { maxItems: 4 } } });
    const out = smartCrusher.apply(msgs, ctx);
    expect(out.messages[2]).toBe(msgs[2]);
    const kept = items(decoded(textOf(out.messages[4])) as unknown[]) as Array<{ id: number }>;
    expect(kept).toHaveLength(4); // max(maxItems, errors + anomalies)
    expect(kept.map((k) => k.id)).toContain(250);
    expect(validateToolProfiles({ x: { skip: 'yes', maxItems: 0 } })).toHaveLength(2);
    expect(validateToolProfiles(undefined)).toEqual([]);
  });

  it('uses the last user message BEFORE the result as the query, so later turns do not change it (prefix stability)', () => {
    const payload = JSON.stringify(
      Array.from({ length: 400 }, (_, i) => ({ id: i, title: i === 123 ? 'kubernetes autoscaling runbook' : `generic page ${i}`, body: `text ${i % 9}` })),
    );
    const history = [user('find the kubernetes autoscaling runbook'), callMsg('c1', 'search'), resultMsg('c1', payload)];
    const { ctx } = ctxFor();
    const first = smartCrusher.apply(history, ctx);
    const keptIds = (items(decoded(textOf(first.messages[2])) as unknown[]) as Array<{ id: number }>).map((k) => k.id);
    expect(keptIds).toContain(123);
    const later = [...history, user('now find the billing page instead'), callMsg('c2', 'search'), resultMsg('c2', payload)];
    const second = smartCrusher.apply(later, ctxFor().ctx);
    expect(textOf(second.messages[2])).toBe(textOf(first.messages[2]));
    expect(textOf(second.messages[5])).not.toBe(textOf(first.messages[2]));
    // Re-running on compressed output changes nothing.
    const third = smartCrusher.apply(second.messages, ctxFor().ctx);
    expect(third.messages).toBe(second.messages);
  });

  it('a user message that only carries tool results is not the query; text beside the result in the same message is not either', () => {
    const payload = JSON.stringify(Array.from({ length: 400 }, (_, i) => ({ id: i, title: i === 77 ? 'zebra migration notes' : `page ${i}`, body: `text ${i % 9}` })));
    const anthropicStyle: Message[] = [
      user('anything about zebra migration?'),
      { role: 'assistant', blocks: [{ type: 'tool_call', id: 't1', name: 'search', arguments: '{}' }] },
      { role: 'user', blocks: [{ type: 'tool_result', toolCallId: 't1', content: [{ type: 'text', text: payload }] }, { type: 'text', text: 'unrelated words here' }] },
    ];
    const out = smartCrusher.apply(anthropicStyle, ctxFor().ctx);
    const block = out.messages[2].blocks[0] as ToolResultBlock;
    const kept = items(decoded((block.content[0] as { text: string }).text) as unknown[]) as Array<{ id: number }>;
    expect(kept.map((k) => k.id)).toContain(77);
  });

  it('is switched off by config and validates its config section', () => {
    const msgs = [user('q'), callMsg('c1', 'x'), resultMsg('c1', rows(300))];
    const cfg = resolveConfig({ smartCrusher: { enabled: false } });
    expect(smartCrusher.isEnabled(cfg)).toBe(false);
    expect(smartCrusher.isEnabled(resolveConfig(undefined))).toBe(true);
    expect(resolveConfig(undefined).smartCrusher).toMatchObject({ minItemsToAnalyze: 5, minTokensToCrush: 200, varianceThreshold: 2, format: 'json', maxItemsAfterCrush: undefined });
    expect(() => resolveConfig({ smartCrusher: { minItemsToAnalyze: 'x', format: 'yaml', relevance: { threshold: 3 } } })).toThrow(ConfigurationError);
    try {
      resolveConfig({ smartCrusher: { minItemsToAnalyze: 'x', format: 'yaml', relevance: { threshold: 3 }, maxItemsAfterCrush: 2.5 } });
    } catch (e) {
      expect((e as ConfigurationError).details?.problems).toHaveLength(4);
    }
    const { ctx } = ctxFor({ config: { smartCrusher: { format: 'compact' } } });
    const out = smartCrusher.apply(msgs, ctx);
    expect(textOf(out.messages[2]).split('\n')[0]).toMatch(/^\[\d+\]\{/);
  });
});
