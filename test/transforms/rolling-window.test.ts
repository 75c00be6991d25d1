import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rollingWindow, serializeDropped } from '../../engine/transforms/rolling-window.js';
import { buildUnits, isUserTurnStart, turnStarts } from '../../engine/transforms/units.js';
import { parseTextMarkers } from '../../engine/ccr/markers.js';
import { ccrHash } from '../../engine/ccr/hash.js';
import type { Message } from '../../engine/messages/types.js';
import { asst, call, result, sys, testContext, user, wordCounter } from '../helpers/fake-counter.js';

const words = (n: number, w = 'word') => Array.from({ length: n }, () => w).join(' ');

/** Every tool call has its results and every result its call. */
function orphans(ms: ReadonlyArray<Message>): string[] {
  const calls = new Set<string>();
  const results = new Set<string>();
  for (const m of ms)
    for (const b of m.blocks) {
      if (b.type === 'tool_call') calls.add(b.id);
      if (b.type === 'tool_result') results.add(b.toolCallId);
    }
  return [...[...calls].filter((c) => !results.has(c)), ...[...results].filter((r) => !calls.has(r))];
}

/** A random but well-formed agent conversation. */
const conversation = fc
  .array(
    fc.oneof(
      fc.record({ kind: fc.constant('user' as const), n: fc.integer({ min: 1, max: 40 }) }),
      fc.record({ kind: fc.constant('asst' as const), n: fc.integer({ min: 1, max: 40 }) }),
      fc.record({ kind: fc.constant('tools' as const), calls: fc.integer({ min: 1, max: 3 }), n: fc.integer({ min: 1, max: 200 }) }),
    ),
    { minLength: 1, maxLength: 30 },
  )
  .map((steps) => {
    const ms: Message[] = [sys('You are an agent. ' + words(10))];
    for (const s of steps) {
      if (s.kind === 'user') ms.push(user(words(s.n, 'ask')));
      else if (s.kind === 'asst') ms.push(asst(words(s.n, 'say')));
      else {
        const c = call(...Array.from({ length: s.calls }, (_, i) => `tool${i}`));
        ms.push(c.msg);
        for (const id of c.ids) ms.push(result(id, words(s.n, 'out')));
      }
    }
    return ms;
  });

describe('buildUnits', () => {
  it('binds a parallel tool call to all of its results', () => {
    const c = call('a', 'b');
    const ms = [user('q'), c.msg, result(c.ids[0], 'x'), result(c.ids[1], 'y'), asst('done')];
    expect(buildUnits(ms).map((u) => u.indices)).toEqual([[0], [1, 2, 3], [4]]);
  });
});

describe('rollingWindow', () => {
  it('does nothing under budget', () => {
    const { ctx } = testContext({ budget: 10_000 });
    const ms = [sys('s'), user('q'), asst('a')];
    const out = rollingWindow.apply(ms, ctx);
    expect(out.messages).toBe(ms);
    expect(out.report.applied).toEqual([]);
  });

  it('drops the oldest units first, keeps system and the last 2 turns, and marks the drop', () => {
    const c = call('search');
    const ms = [
      sys('system prompt'),
      user(words(50, 'old')),
      c.msg,
      result(c.ids[0], words(300, 'big')),
      asst(words(50, 'old')),
      user('second question'),
      asst('second answer'),
      user('third question'),
      asst('third answer'),
    ];
    const { ctx, entries } = testContext({ budget: 120 });
    const out = rollingWindow.apply(ms, ctx);
    expect(orphans(out.messages)).toEqual([]);
    expect(out.messages[0]).toBe(ms[0]);
    expect(out.messages.slice(-4)).toEqual(ms.slice(-4));
    expect(wordCounter.countMessages(out.messages)).toBeLessThanOrEqual(120);
    const marker = out.messages[1];
    expect(marker.role).toBe('user');
    expect(isUserTurnStart(marker)).toBe(false);
    const [m] = parseTextMarkers((marker.blocks[0] as { text: string }).text);
    expect(m.unit).toBe('messages');
    expect(entries).toHaveLength(1);
    expect(entries[0].hash).toBe(m.hash);
    expect(ccrHash(entries[0].content)).toBe(m.hash);
    const droppedCount = ms.length - (out.messages.length - 1);
    expect(m.count).toBe(droppedCount);
    expect(entries[0].content).toBe(serializeDropped(ms.slice(1, 1 + droppedCount)));
  });

  it('warns and keeps everything when only protected messages remain', () => {
    const { ctx, warnings } = testContext({ budget: 10 });
    const ms = [sys(words(100)), user('q'), asst('a')];
    const out = rollingWindow.apply(ms, ctx);
    expect(out.messages).toBe(ms);
    expect(out.report.details?.fits).toBe(false);
    expect(warnings[0]).toMatch(/protected/);
  });

  it('property: never orphans, keeps protected messages, fits when it says so, drops are retrievable', () => {
    fc.assert(
      fc.property(conversation, fc.integer({ min: 20, max: 3000 }), fc.integer({ min: 0, max: 4 }), (ms, budget, keepLastTurns) => {
        const { ctx, entries } = testContext({ budget, config: { rollingWindow: { keepLastTurns } } });
        const out = rollingWindow.apply(ms, ctx);
        expect(orphans(out.messages)).toEqual([]);
        // System messages always survive, in place at the head.
        expect(out.messages.filter((m) => m.role === 'system')).toEqual(ms.filter((m) => m.role === 'system'));
        const fits = out.report.details?.fits as boolean;
        if (fits) expect(wordCounter.countMessages(out.messages)).toBeLessThanOrEqual(budget);
        // Kept messages are the originals in original order, plus at most one marker.
        const kept = out.messages.filter((m) => ms.includes(m));
        expect(kept).toEqual(ms.filter((m) => kept.includes(m)));
        const markers = out.messages.filter((m) => !ms.includes(m));
        expect(markers.length).toBeLessThanOrEqual(1);
        if (markers.length === 1) {
          const [mk] = parseTextMarkers((markers[0].blocks[0] as { text: string }).text);
          const dropped = ms.filter((m) => !kept.includes(m));
          expect(entries.map((e) => e.hash)).toEqual([mk.hash]);
          expect(entries[0].content).toBe(serializeDropped(dropped));
          expect(mk.count).toBe(dropped.length);
        } else expect(entries).toEqual([]);
        // The last keepLastTurns turns are intact, and so is the latest user message.
        const starts = turnStarts(ms);
        if (keepLastTurns > 0) {
          const tail = ms.slice(starts.length >= keepLastTurns ? starts[starts.length - keepLastTurns] : 0);
          expect(out.messages.slice(-tail.length)).toEqual(tail);
          const lastUser = [...ms].reverse().find(isUserTurnStart);
          if (lastUser) expect(out.messages).toContain(lastUser);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('rollingWindow in an agent loop', () => {
  it('counts agent steps as turns, so old tool exchanges can go while the task stays', () => {
    const ms: Message[] = [sys('agent'), user('Investigate the outage.')];
    for (let i = 0; i < 10; i++) {
      const c = call('search');
      ms.push(c.msg, result(c.ids[0], words(100, 'log')));
    }
    ms.push(asst('Found it.'));
    const { ctx } = testContext({ budget: 400 });
    const out = rollingWindow.apply(ms, ctx);
    expect(out.report.details?.fits).toBe(true);
    expect(out.messages).toContain(ms[1]);
    expect(out.messages.slice(-3)).toEqual(ms.slice(-3));
    expect(orphans(out.messages)).toEqual([]);
  });
});
