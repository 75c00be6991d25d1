import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { intelligentContext } from '../../engine/transforms/intelligent-context/transform.js';
import { isSalient, salientTokens } from '../../engine/transforms/intelligent-context/score.js';
import type { IntelligentContextDetails } from '../../engine/transforms/intelligent-context/transform.js';
import { serializeDropped } from '../../engine/transforms/rolling-window.js';
import { isUserTurnStart, turnStarts } from '../../engine/transforms/units.js';
import { parseTextMarkers } from '../../engine/ccr/markers.js';
import { ccrHash } from '../../engine/ccr/hash.js';
import { resolveConfig, type HeadroomConfig } from '../../engine/config.js';
import { ConfigurationError } from '../../engine/errors.js';
import type { Message } from '../../engine/messages/types.js';
import { asst, call, result, sys, testContext, user, wordCounter } from '../helpers/fake-counter.js';

const words = (n: number, w = 'word') => Array.from({ length: n }, () => w).join(' ');
/** Varied filler so density and similarity are not degenerate. */
const prose = (n: number, seed: string) => Array.from({ length: n }, (_, i) => `${seed}${i % 7}`).join(' ');

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

/** Tool results directly follow the message with their calls (no marker or other message in between). */
function resultsFollowCalls(ms: ReadonlyArray<Message>): boolean {
  for (let i = 0; i < ms.length; i++) {
    const ids = ms[i].blocks.flatMap((b) => (b.type === 'tool_call' ? [b.id] : []));
    if (ids.length === 0) continue;
    const pending = new Set(ids);
    for (let j = i + 1; j < ms.length && pending.size > 0; j++) {
      const res = ms[j].blocks.filter((b) => b.type === 'tool_result');
      if (res.length === 0) return false;
      for (const b of res) if (b.type === 'tool_result') pending.delete(b.toolCallId);
    }
    if (pending.size > 0) return false;
  }
  return true;
}

const details = (out: { report: { details?: Readonly<Record<string, unknown>> } }) => out.report.details as unknown as IntelligentContextDetails;
const markerOf = (ms: ReadonlyArray<Message>, original: ReadonlyArray<Message>) => ms.filter((m) => !original.includes(m));

/** A random but well-formed agent conversation, with some error results and cross references. */
const conversation = fc
  .array(
    fc.oneof(
      fc.record({ kind: fc.constant('user' as const), n: fc.integer({ min: 1, max: 40 }) }),
      fc.record({ kind: fc.constant('asst' as const), n: fc.integer({ min: 1, max: 40 }), ref: fc.integer({ min: 0, max: 30 }) }),
      fc.record({
        kind: fc.constant('tools' as const),
        calls: fc.integer({ min: 1, max: 3 }),
        n: fc.integer({ min: 1, max: 200 }),
        error: fc.boolean(),
      }),
    ),
    { minLength: 1, maxLength: 30 },
  )
  .map((steps) => {
    const ms: Message[] = [sys('You are an agent. ' + words(10))];
    let file = 0;
    for (const s of steps) {
      if (s.kind === 'user') ms.push(user(prose(s.n, 'ask')));
      else if (s.kind === 'asst') ms.push(asst(`${prose(s.n, 'say')} see src/mod${s.ref % Math.max(1, file)}.ts`));
      else {
        const c = call(...Array.from({ length: s.calls }, (_, i) => `tool${i}`));
        ms.push(c.msg);
        for (const id of c.ids) ms.push(result(id, `src/mod${file++}.ts ${prose(s.n, 'out')}${s.error ? ' Error: connection refused' : ''}`));
      }
    }
    return ms;
  });

describe('intelligentContext', () => {
  it('does nothing under budget', () => {
    const { ctx, entries } = testContext({ budget: 10_000 });
    const ms = [sys('s'), user('q'), asst('a')];
    const out = intelligentContext.apply(ms, ctx);
    expect(out.messages).toBe(ms);
    expect(out.report.applied).toEqual([]);
    expect(entries).toEqual([]);
  });

  it('drops to fit, keeps system and the last turns, and leaves one retrievable marker', () => {
    const c = call('search');
    const ms = [
      sys('system prompt'),
      user(prose(50, 'old')),
      c.msg,
      result(c.ids[0], prose(300, 'big')),
      asst(prose(50, 'old')),
      user('second question'),
      asst('second answer'),
      user('third question'),
      asst('third answer'),
    ];
    const { ctx, entries } = testContext({ budget: 120 });
    const out = intelligentContext.apply(ms, ctx);
    const d = details(out);
    expect(d.fits).toBe(true);
    expect(wordCounter.countMessages(out.messages)).toBeLessThanOrEqual(120);
    expect(orphans(out.messages)).toEqual([]);
    expect(out.messages[0]).toBe(ms[0]);
    for (let k = 1; k <= 4; k++) expect(out.messages[out.messages.length - k]).toBe(ms[ms.length - k]);
    const [marker] = markerOf(out.messages, ms);
    expect(isUserTurnStart(marker)).toBe(false);
    const [m] = parseTextMarkers((marker.blocks[0] as { text: string }).text);
    expect(m.unit).toBe('messages');
    expect(entries).toHaveLength(1);
    expect(entries[0].hash).toBe(m.hash);
    expect(entries[0].source).toBe('intelligent_context');
    expect(ccrHash(entries[0].content)).toBe(m.hash);
    const dropped = ms.filter((x) => !out.messages.includes(x));
    expect(m.count).toBe(dropped.length);
    expect(d.dropped).toBe(dropped.length);
    expect(entries[0].content).toBe(serializeDropped(dropped));
    expect(out.report.applied).toEqual([`intelligent_context:dropped=${dropped.length}`, `intelligent_context:cache_invalidated=${d.cache.invalidatedTokens}`]);
  });

  it('drops only what the budget forces: the big tool result goes, the small turns stay', () => {
    const c = call('search');
    const ms = [
      sys('system prompt'),
      user('first question about the parser'),
      asst('first answer about the parser'),
      c.msg,
      result(c.ids[0], prose(400, 'noise')),
      asst('tool said nothing useful'),
      user('final question'),
    ];
    const { ctx } = testContext({ budget: 120 });
    const out = intelligentContext.apply(ms, ctx);
    expect(details(out).fits).toBe(true);
    // Only the tool unit had to go.
    expect(ms.filter((m) => !out.messages.includes(m))).toEqual([c.msg, ms[4]]);
  });

  it('warns and keeps everything when only protected messages remain', () => {
    const { ctx, warnings } = testContext({ budget: 10 });
    const ms = [sys(words(100)), user('q'), asst('a')];
    const out = intelligentContext.apply(ms, ctx);
    expect(out.messages).toBe(ms);
    expect(out.report.details?.fits).toBe(false);
    expect(warnings[0]).toMatch(/protected/);
  });

  it('property: fits when it says so, keeps system and last-N turns as the same objects, never orphans, drops are retrievable, deterministic', () => {
    fc.assert(
      fc.property(conversation, fc.integer({ min: 20, max: 3000 }), fc.integer({ min: 0, max: 4 }), (ms, budget, keepLastTurns) => {
        const config: HeadroomConfig = { intelligentContext: { keepLastTurns } };
        const { ctx, entries } = testContext({ budget, config });
        const out = intelligentContext.apply(ms, ctx);
        expect(orphans(out.messages)).toEqual([]);
        expect(resultsFollowCalls(out.messages)).toBe(true);
        // System messages always survive as the same objects, in place.
        const sysOut = out.messages.filter((m) => m.role === 'system');
        const sysIn = ms.filter((m) => m.role === 'system');
        expect(sysOut.length).toBe(sysIn.length);
        sysOut.forEach((m, i) => expect(m).toBe(sysIn[i]));
        const fits = out.report.details?.fits as boolean;
        if (fits) expect(wordCounter.countMessages(out.messages)).toBeLessThanOrEqual(budget);
        else expect(wordCounter.countMessages(ms)).toBeGreaterThan(budget);
        // Kept messages are the originals in original order, plus at most one marker.
        const kept = out.messages.filter((m) => ms.includes(m));
        expect(kept).toEqual(ms.filter((m) => kept.includes(m)));
        const markers = markerOf(out.messages, ms);
        expect(markers.length).toBeLessThanOrEqual(1);
        if (markers.length === 1) {
          const [mk] = parseTextMarkers((markers[0].blocks[0] as { text: string }).text);
          const dropped = ms.filter((m) => !kept.includes(m));
          expect(entries.map((e) => e.hash)).toEqual([mk.hash]);
          expect(ccrHash(entries[0].content)).toBe(mk.hash);
          expect(entries[0].content).toBe(serializeDropped(dropped));
          // Byte-exact: the recorded entry gives back exactly the dropped messages.
          expect(JSON.parse(entries[0].content)).toEqual(dropped.map((m) => ({ role: m.role, blocks: m.blocks })));
          expect(mk.count).toBe(dropped.length);
          // Only when the budget forced it.
          expect(wordCounter.countMessages(ms)).toBeGreaterThan(budget);
          // The marker sits where the first dropped message was.
          const firstDropped = ms.indexOf(dropped[0]);
          const keptBefore = ms.slice(0, firstDropped).filter((m) => kept.includes(m)).length;
          expect(out.messages.indexOf(markers[0])).toBe(keptBefore);
        } else expect(entries).toEqual([]);
        // The last keepLastTurns turns are intact (same objects), and so is the latest user message.
        const starts = turnStarts(ms);
        if (keepLastTurns > 0) {
          const tail = ms.slice(starts.length >= keepLastTurns ? starts[starts.length - keepLastTurns] : 0);
          const outTail = out.messages.slice(-tail.length);
          tail.forEach((m, i) => expect(outTail[i]).toBe(m));
          const lastUser = [...ms].reverse().find(isUserTurnStart);
          if (lastUser) expect(out.messages).toContain(lastUser);
        }
        // Deterministic: same input, same output and same hash.
        const again = testContext({ budget, config });
        const out2 = intelligentContext.apply(ms, again.ctx);
        expect(JSON.stringify(out2.messages)).toBe(JSON.stringify(out.messages));
        expect(again.entries).toEqual(entries);
        // Idempotent: its own output (earlier marker included) passes through unchanged.
        const third = intelligentContext.apply(out.messages, testContext({ budget, config }).ctx);
        expect(third.messages).toEqual(out.messages);
        expect(third.report.applied).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('intelligentContext scoring', () => {
  it('finds the ids, paths and names a later message could refer to', () => {
    const s = salientTokens('See src/auth/login.ts, order ORD-88121 and retry_policy in fetchOrders; run `render` with the word 12345678 or 42.');
    for (const t of ['src/auth/login.ts', 'login.ts', 'ord-88121', 'retry_policy', 'fetchorders', 'render', '12345678']) expect(s.has(t), t).toBe(true);
    for (const t of ['see', 'order', 'the', 'word', '42', 'with']) expect(s.has(t), t).toBe(false);
    expect(isSalient('config.yaml')).toBe(true);
    expect(isSalient('e.g')).toBe(false);
  });

  /** sys, task, [old unit A], [newer unit B], filler turns, protected tail. */
  function twoCandidates(aText: string, bText: string, tail: Message[] = []) {
    const a = call('run_tests');
    const b = call('run_tests');
    const ms: Message[] = [
      sys('agent'),
      user('Fix the checkout service.'),
      a.msg,
      result(a.ids[0], aText),
      b.msg,
      result(b.ids[0], bText),
      ...tail,
      asst('Working on it.'),
      user('Continue.'),
    ];
    return { ms, a: [a.msg, ms[3]], b: [b.msg, ms[5]] };
  }

  it('an old error-bearing tool result outlives a newer bland one', () => {
    const { ms, a, b } = twoCandidates(
      `${prose(100, 'line')}\nFAILED test_checkout: AssertionError: expected 200 got 500\nTraceback in payments module`,
      `${prose(100, 'line')}\nall good here`,
    );
    const total = wordCounter.countMessages(ms);
    const { ctx } = testContext({ budget: total - 50 });
    const out = intelligentContext.apply(ms, ctx);
    expect(details(out).fits).toBe(true);
    for (const m of a) expect(out.messages).toContain(m);
    for (const m of b) expect(out.messages).not.toContain(m);
    const units = details(out).units;
    expect(units.find((u) => u.indices.includes(3))!.factors.errorIndicator).toBeGreaterThan(0);
    expect(units.find((u) => u.indices.includes(5))!.factors.errorIndicator).toBe(0);
  });

  it('a tool flagged isError outlives a bland one', () => {
    const a = call('fetch');
    const b = call('fetch');
    const ms: Message[] = [
      sys('agent'),
      user('Get the data.'),
      a.msg,
      { role: 'tool', blocks: [{ type: 'tool_result', toolCallId: a.ids[0], isError: true, content: [{ type: 'text', text: prose(80, 'x') }] }] },
      b.msg,
      result(b.ids[0], prose(80, 'y')),
      asst('ok'),
      user('next'),
    ];
    const { ctx } = testContext({ budget: wordCounter.countMessages(ms) - 40 });
    const out = intelligentContext.apply(ms, ctx);
    expect(out.messages).toContain(ms[3]);
    expect(out.messages).not.toContain(ms[5]);
  });

  it('a unit referenced later outlives an unreferenced one', () => {
    const { ms, a, b } = twoCandidates(
      `src/payments/retry_policy.ts ${prose(100, 'alpha')}`,
      `src/catalog/list_view.ts ${prose(100, 'beta')}`,
      [asst('The bug is in retry_policy.ts: the backoff never resets.'), user('Why does src/payments/retry_policy.ts reset nothing?')],
    );
    const { ctx } = testContext({ budget: wordCounter.countMessages(ms) - 50, config: { intelligentContext: { keepLastTurns: 1 } } });
    const out = intelligentContext.apply(ms, ctx);
    expect(details(out).fits).toBe(true);
    for (const m of a) expect(out.messages).toContain(m);
    for (const m of b) expect(out.messages).not.toContain(m);
    const ua = details(out).units.find((u) => u.indices.includes(3))!;
    expect(ua.references).toBeGreaterThanOrEqual(1);
    expect(ua.factors.forwardReference).toBeGreaterThan(0);
  });

  it('forward references count any later message, including user messages', () => {
    const { ms } = twoCandidates(`order ORD-88121 ${prose(100, 'alpha')}`, `order ORD-55555 ${prose(100, 'beta')}`, [
      user('What happened to ORD-88121?'),
      asst('Checking.'),
    ]);
    const { ctx } = testContext({ budget: wordCounter.countMessages(ms) - 50, config: { intelligentContext: { keepLastTurns: 1 } } });
    const out = intelligentContext.apply(ms, ctx);
    expect(out.messages).toContain(ms[3]);
    expect(out.messages).not.toContain(ms[5]);
  });

  it('respects a custom importance hook', () => {
    const { ms, a, b } = twoCandidates(`${prose(100, 'alpha')} KEEPME`, `${prose(100, 'beta')}`);
    const seen: number[][] = [];
    const config: HeadroomConfig = {
      intelligentContext: {
        scoringWeights: { toinImportance: 10 },
        importance: (u) => {
          seen.push([...u.indices]);
          expect(u.messages.length).toBe(u.indices.length);
          expect(u.tokens).toBeGreaterThan(0);
          expect(u.toolNames).toEqual(['run_tests']);
          return u.text.includes('KEEPME') ? 1 : 0;
        },
      },
    };
    const { ctx } = testContext({ budget: wordCounter.countMessages(ms) - 50, config });
    const out = intelligentContext.apply(ms, ctx);
    expect(seen.length).toBeGreaterThan(0);
    for (const m of a) expect(out.messages).toContain(m);
    for (const m of b) expect(out.messages).not.toContain(m);
    expect(details(out).units.find((u) => u.indices.includes(3))!.factors.toinImportance).toBe(1);

    // The opposite verdict drops the other one.
    const flipped: HeadroomConfig = { intelligentContext: { scoringWeights: { toinImportance: 10 }, importance: (u) => (u.text.includes('KEEPME') ? 0 : 1) } };
    const out2 = intelligentContext.apply(ms, testContext({ budget: wordCounter.countMessages(ms) - 50, config: flipped }).ctx);
    for (const m of a) expect(out2.messages).not.toContain(m);
    for (const m of b) expect(out2.messages).toContain(m);
  });

  it('a throwing or non-numeric hook falls back to 0.5 with one warning', () => {
    const { ms } = twoCandidates(prose(100, 'alpha'), prose(100, 'beta'));
    const bad: HeadroomConfig = { intelligentContext: { importance: () => { throw new Error('model offline'); } } };
    const { ctx, warnings } = testContext({ budget: wordCounter.countMessages(ms) - 50, config: bad });
    const out = intelligentContext.apply(ms, ctx);
    expect(details(out).fits).toBe(true);
    expect(warnings.filter((w) => /importance/.test(w))).toHaveLength(1);
    const nan: HeadroomConfig = { intelligentContext: { importance: () => Number.NaN } };
    const t = testContext({ budget: wordCounter.countMessages(ms) - 50, config: nan });
    intelligentContext.apply(ms, t.ctx);
    expect(t.warnings.filter((w) => /importance/.test(w))).toHaveLength(1);
  });

  it('on a tie, drops the most recent droppable unit (less of the cached prefix is lost)', () => {
    const c1 = call('read');
    const c2 = call('read');
    const same = prose(100, 'same');
    const ms: Message[] = [
      sys('agent'),
      user('Task.'),
      c1.msg,
      result(c1.ids[0], same),
      c2.msg,
      result(c2.ids[0], same),
      asst('ok'),
      user('next'),
    ];
    const config: HeadroomConfig = { intelligentContext: { scoringWeights: { recency: 0 } } };
    const { ctx } = testContext({ budget: wordCounter.countMessages(ms) - 50, config });
    const out = intelligentContext.apply(ms, ctx);
    expect(out.messages).toContain(ms[3]);
    expect(out.messages).not.toContain(ms[5]);
    const d = details(out);
    expect(d.cache.firstDroppedIndex).toBe(4);
    expect(d.cache.preservedPrefixTokens).toBe([0, 1, 2, 3].reduce((s, i) => s + wordCounter.countMessage(ms[i]), 0));
  });

  it('useImportanceScoring: false drops oldest first', () => {
    const { ms, a, b } = twoCandidates(`${prose(100, 'alpha')} Error: boom`, prose(100, 'beta'));
    const { ctx } = testContext({ budget: wordCounter.countMessages(ms) - 50, config: { intelligentContext: { useImportanceScoring: false } } });
    const out = intelligentContext.apply(ms, ctx);
    for (const m of a) expect(out.messages).not.toContain(m);
    for (const m of b) expect(out.messages).toContain(m);
  });
});

describe('intelligentContext marker, cache report and fallback', () => {
  it('uses an assistant marker between two user-role messages, a user marker otherwise', () => {
    const ms: Message[] = [sys('s'), user('first'), asst(prose(200, 'long')), user('second'), asst('answer'), user('third')];
    const { ctx } = testContext({ budget: 60, config: { intelligentContext: { keepLastTurns: 2 } } });
    const out = intelligentContext.apply(ms, ctx);
    const d = details(out);
    expect(out.messages).not.toContain(ms[2]);
    expect(d.markerRole).toBe('assistant');
    expect(out.messages[d.markerIndex].role).toBe('assistant');
    // user, assistant(marker), user: no consecutive user turns.
    expect(out.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user', 'assistant', 'user']);
    // A later run under a budget it cannot meet keeps the earlier (assistant-role) marker.
    const again = intelligentContext.apply(out.messages, testContext({ budget: 5, config: { intelligentContext: { keepLastTurns: 1 } } }).ctx);
    expect(again.messages).toContain(out.messages[d.markerIndex]);

    const c = call('x');
    const ms2: Message[] = [sys('s'), user('task'), c.msg, result(c.ids[0], prose(200, 'long')), asst('done'), user('next')];
    const out2 = intelligentContext.apply(ms2, testContext({ budget: 40 }).ctx);
    expect(details(out2).markerRole).toBe('user');
  });

  it('reports what the drop cost the prompt cache', () => {
    const c = call('search');
    const ms: Message[] = [
      sys(prose(30, 'rules')),
      user('Investigate.'),
      c.msg,
      result(c.ids[0], prose(300, 'log')),
      asst(prose(20, 'found')),
      user('Fix it.'),
      asst('Patched.'),
      user('Ship it?'),
    ];
    const { ctx } = testContext({ budget: 150 });
    const out = intelligentContext.apply(ms, ctx);
    const d = details(out);
    const t = (i: number) => wordCounter.countMessage(ms[i]);
    expect(d.cache.firstDroppedIndex).toBe(2);
    expect(d.cache.cacheableEnd).toBe(6);
    expect(d.cache.preservedPrefixTokens).toBe(t(0) + t(1));
    expect(d.cache.invalidatedTokens).toBe(t(2) + t(3) + t(4) + t(5));
    const markerTokens = wordCounter.countMessage(out.messages[d.markerIndex]);
    const keptAfter = [2, 3, 4, 5].filter((i) => out.messages.includes(ms[i])).reduce((s, i) => s + t(i), 0);
    expect(d.cache.reprocessedTokens).toBe(keptAfter + markerTokens);
    // testModel: input $1/M, cached $0.10/M, provider openai (no write premium).
    expect(d.cache.extraCostUSD).toBeCloseTo((d.cache.reprocessedTokens * 0.9) / 1e6, 12);
  });

  it('falls back to RollingWindow when disabled', () => {
    const c = call('search');
    const ms = [sys('s'), user(prose(50, 'old')), c.msg, result(c.ids[0], prose(300, 'big')), user('q2'), asst('a2'), user('q3')];
    const { ctx } = testContext({ budget: 60, config: { intelligentContext: { enabled: false } } });
    const out = intelligentContext.apply(ms, ctx);
    expect(out.report.name).toBe('rolling_window');
    expect(intelligentContext.isEnabled(resolveConfig({ intelligentContext: { enabled: false }, rollingWindow: { enabled: false } }))).toBe(false);
    expect(intelligentContext.isEnabled(resolveConfig({ rollingWindow: { enabled: false } }))).toBe(true);
  });

  it('takes keepLastTurns from rollingWindow when only that is set', () => {
    expect(resolveConfig({ rollingWindow: { keepLastTurns: 5 } }).intelligentContext.keepLastTurns).toBe(5);
    expect(resolveConfig({ rollingWindow: { keepLastTurns: 5 }, intelligentContext: { keepLastTurns: 1 } }).intelligentContext.keepLastTurns).toBe(1);
    expect(resolveConfig({}).intelligentContext.keepLastTurns).toBe(2);
  });

  it('rejects invalid configuration, listing every problem', () => {
    const bad = [
      { enabled: 'yes' },
      { keepSystem: false },
      { keepLastTurns: -1 },
      { recencyDecayRate: -0.1 },
      { tieTolerance: 2 },
      { similarityWindow: 0 },
      { scoringWeights: { recency: -1 } },
      { scoringWeights: { nope: 1 } },
      { scoringWeights: { recency: 0, semanticSimilarity: 0, toinImportance: 0, errorIndicator: 0, forwardReference: 0, tokenDensity: 0 } },
      { importance: 'high' },
      'nope',
    ];
    for (const intelligentContext of bad) {
      expect(() => resolveConfig({ intelligentContext })).toThrow(ConfigurationError);
    }
    try {
      resolveConfig({ intelligentContext: { enabled: 1, tieTolerance: -1 } });
    } catch (e) {
      expect((e as Error).message).toMatch(/enabled/);
      expect((e as Error).message).toMatch(/tieTolerance/);
    }
  });
});
