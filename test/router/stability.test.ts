/** Stable across turns, idempotent, and the cross-turn cache never changes a result. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Message } from '../../engine/messages/types.js';
import type { Transform } from '../../engine/pipeline/types.js';
import { createContentRouter, RouterCache, type RoutingDecision } from '../../engine/transforms/router/index.js';
import { asst, callMsg, lineStub, resultMsg, resultText, routerCtx, stubMap, stubRouter, sys, user } from './helpers.js';
import * as S from './samples.js';

/** Default config: the code sample is under the code threshold and passes through (compressed code, see the last test of the first block). */
const CONFIG = {};

const contents: Array<[string, string, unknown]> = [
  ['json', S.jsonRows(400), {}],
  ['log', S.timestampedLog(400), { command: 'kubectl logs api' }],
  ['pytest', S.pytestLog(600), { command: 'pytest -q' }],
  ['search', S.searchResults(20, 8), { command: 'rg -n processPayment' }],
  ['diff', S.gitDiff(6, 3), { command: 'git diff' }],
  ['html', S.htmlPage(30), { url: 'https://example.com/rate-limits' }],
  ['text', S.prose(20), {}],
  ['code', S.pythonCode.repeat(4), { path: 'orders.py' }],
  ['mixed', S.markdownWithFences(), { path: 'NOTES.md' }],
];

function run(router: Transform, msgs: ReadonlyArray<Message>) {
  const { ctx, entries, warnings } = routerCtx({ config: CONFIG });
  const out = router.apply(msgs, ctx);
  return { out, entries, warnings, decisions: out.report.details!.decisions as RoutingDecision[] };
}

describe('stable across turns', () => {
  for (const [label, content, args] of contents) {
    it(`${label}: earlier tool output is byte-identical after more turns, whatever the new question`, () => {
      for (const cache of [null, new RouterCache()]) {
        const router = stubRouter(stubMap(), cache);
        const turn1 = [sys('You are an agent.'), user('summarise it'), callMsg('a', 'tool', args), resultMsg('a', content)];
        const r1 = run(router, turn1);
        if (label !== 'code') expect(resultText(r1.out.messages[3])).not.toBe(content);
        // The next turn asks something the kept lines would answer differently, with analysis intent.
        const turn2 = [...turn1, asst('Done.'), user('fix the error in payment-svc for order ord_777 and review the handler'), callMsg('b', 'tool', args), resultMsg('b', S.prose(15))];
        const r2 = run(router, turn2);
        expect(resultText(r2.out.messages[3])).toBe(resultText(r1.out.messages[3]));
        // And the turn after, re-sending the compressed history as the caller got it.
        const turn3 = [...r2.out.messages, asst('Fixed.'), user('thanks')];
        const r3 = run(router, turn3);
        expect(resultText(r3.out.messages[3])).toBe(resultText(r1.out.messages[3]));
        expect(r3.out.report.applied).toEqual([]);
      }
    });
  }

  it('with enableCode, analysis intent un-compresses code on purpose (the one documented exception to stability)', () => {
    const code = S.pythonCode.repeat(4);
    const cfg = { router: { enableCode: true, minTokens: { code: 50 } } };
    const router = stubRouter();
    // Not in the last four messages (recent code is protected).
    const turn1 = [user('load it'), callMsg('a', 'read_file', { path: 'orders.py' }), resultMsg('a', code), asst('ok'), user('go on'), asst('ok'), user('go on')];
    const a = router.apply(turn1, routerCtx({ config: cfg }).ctx);
    expect(resultText(a.messages[2])).not.toBe(code);
    const b = router.apply([...turn1, asst('ok'), user('now review it')], routerCtx({ config: cfg }).ctx);
    expect(resultText(b.messages[2])).toBe(code);
  });

  it('the query is the one current when the output arrived, never a later one', () => {
    const log = S.timestampedLog(1000);
    const router = stubRouter();
    const early = run(router, [user('anything about card_declined?'), callMsg('a', 'logs'), resultMsg('a', log)]);
    const kept = resultText(early.out.messages[2]);
    expect(kept).toContain('card_declined');
    const later = run(router, [user('anything about card_declined?'), callMsg('a', 'logs'), resultMsg('a', log), asst('yes'), user('and slow upstream?')]);
    expect(resultText(later.out.messages[2])).toBe(kept);
    expect(resultText(later.out.messages[2])).not.toContain('slow upstream latency_ms=897');
  });

  it('same input, same output, byte for byte; compressing the output changes nothing', () => {
    const msgs: Message[] = [sys('s'), user('summarise')];
    contents.forEach(([, c, args], i) => msgs.push(callMsg(`c${i}`, 'tool', args), resultMsg(`c${i}`, c)));
    const a = run(stubRouter(), msgs);
    const b = run(stubRouter(), msgs);
    expect(JSON.stringify(a.out.messages)).toBe(JSON.stringify(b.out.messages));
    expect(a.decisions).toEqual(b.decisions);
    expect(a.entries).toEqual(b.entries);
    const again = run(stubRouter(), a.out.messages);
    expect(again.out.messages).toBe(a.out.messages);
    expect(again.out.report.applied).toEqual([]);
  });
});

describe('the cross-turn cache', () => {
  it('hits on re-sent history, returns the same bytes and replays the CCR originals', () => {
    const cache = new RouterCache();
    const router = stubRouter(stubMap(), cache);
    const msgs = [user('summarise'), callMsg('a', 'tool', { command: 'kubectl logs' }), resultMsg('a', S.timestampedLog(400)), callMsg('b', 'db'), resultMsg('b', S.jsonRows(300))];
    const first = run(router, msgs);
    expect(first.out.report.details!.cache).toEqual({ hits: 0, misses: 2 });
    // Fresh objects, as after JSON parsing on the next request.
    const again = run(router, structuredClone(msgs) as Message[]);
    expect(again.out.report.details!.cache).toEqual({ hits: 2, misses: 0 });
    expect(again.out.messages).toEqual(first.out.messages);
    expect(again.entries).toEqual(first.entries);
    expect(again.decisions).toEqual(first.decisions);
    expect(again.out.report.applied).toEqual(first.out.report.applied);
  });

  it('misses when anything that could change the result differs: query, tool call, config, compressors', () => {
    const cache = new RouterCache();
    const log = S.timestampedLog(400);
    const router = stubRouter(stubMap(), cache);
    const base = [user('summarise'), callMsg('a', 'logs'), resultMsg('a', log)];
    run(router, base);
    const hitsOf = (r: ReturnType<typeof run>) => (r.out.report.details!.cache as { hits: number }).hits;
    expect(hitsOf(run(router, base))).toBe(1);
    expect(hitsOf(run(router, [user('card_declined'), callMsg('a', 'logs'), resultMsg('a', log)]))).toBe(0);
    expect(hitsOf(run(router, [user('summarise'), callMsg('a', 'other'), resultMsg('a', log)]))).toBe(0);
    const { ctx } = routerCtx({ config: { router: { minTokens: { log: 10 } } } });
    expect((router.apply(base, ctx).report.details!.cache as { hits: number }).hits).toBe(0);
    // Another set of compressors sharing the cache never sees these results.
    const other = stubRouter({ log: { compressor: lineStub('log2') } }, cache);
    const o = run(other, base);
    expect(hitsOf(o)).toBe(0);
    expect(o.out.report.applied[0]).toMatch(/^log2:/);
  });

  it('keys only code by the code gates: other outputs hit when a block leaves the recent window or the question turns to analysis', () => {
    const cache = new RouterCache();
    const router = stubRouter(stubMap(), cache);
    const log = S.timestampedLog(400);
    const code = S.pythonCode.repeat(12);
    const turn1 = [user('summarise'), callMsg('a', 'logs'), resultMsg('a', log), callMsg('b', 'read_file', { path: 'orders.py' }), resultMsg('b', code)];
    const first = run(router, turn1);
    const codeDecision = (r: ReturnType<typeof run>) => r.decisions.find((d) => d.messageIndex === 4)!;
    expect(codeDecision(first).reason).toMatch(/recent code/);
    // Four more messages: both results leave the recent window; the latest question asks to review.
    const turn2 = [...structuredClone(turn1), asst('ok'), user('go on'), asst('ok'), user('please review the handler')] as Message[];
    const second = run(router, turn2);
    expect(resultText(second.out.messages[2])).toBe(resultText(first.out.messages[2]));
    expect(codeDecision(second).reason).toMatch(/analysis|intent/i);
    const counts = second.out.report.details!.cache as { hits: number; misses: number };
    expect(counts.hits).toBe(1); // the log
    expect(counts.misses).toBe(1); // the code, under other gates
  });

  it('is bounded (LRU by entries and characters)', () => {
    const cache = new RouterCache({ maxEntries: 3, maxChars: 10_000_000 });
    const router = stubRouter(stubMap(), cache);
    for (let i = 0; i < 10; i++) run(router, [user('summarise'), callMsg('a', 'logs'), resultMsg('a', S.timestampedLog(300 + i))]);
    expect(cache.size).toBeLessThanOrEqual(3);
    const small = new RouterCache({ maxChars: 100_000 });
    const r2 = stubRouter(stubMap(), small);
    for (let i = 0; i < 10; i++) run(r2, [user('summarise'), callMsg('a', 'logs'), resultMsg('a', S.timestampedLog(200 + i))]);
    expect(small.retainedChars).toBeLessThanOrEqual(100_000);
    small.clear();
    expect(small.size).toBe(0);
  });

  it('never changes a result (property over generated conversations and follow-up turns)', () => {
    const pool = contents.map(([, c]) => c).concat([S.jsonRows(30), S.prose(2), S.searchResults(3, 3), 'ok', '']);
    const queries = ['summarise', 'fix the payment error', 'card_declined?', 'review handler_2', ''];
    const cache = new RouterCache();
    const cached = stubRouter(stubMap(), cache);
    const fresh = stubRouter(stubMap(), null);
    fc.assert(
      fc.property(
        fc.array(fc.record({ q: fc.constantFrom(...queries), outs: fc.array(fc.nat(pool.length - 1), { minLength: 1, maxLength: 3 }), tool: fc.constantFrom('bash', 'read_file', 'grep', 'db') }), { minLength: 1, maxLength: 4 }),
        (turns) => {
          const msgs: Message[] = [sys('agent')];
          let n = 0;
          for (const t of turns) {
            msgs.push(user(t.q));
            for (const o of t.outs) {
              const id = `c${n++}`;
              msgs.push(callMsg(id, t.tool, { path: 'x.txt' }), resultMsg(id, pool[o]));
            }
          }
          const a = run(cached, msgs);
          const b = run(fresh, msgs);
          expect(a.out.messages).toEqual(b.out.messages);
          expect(a.entries).toEqual(b.entries);
          expect(a.decisions).toEqual(b.decisions);
          // Prefix stability: the same history plus a new turn leaves every earlier message as it was.
          const more = [...msgs, asst('next'), user('debug the error now'), callMsg('z', 'bash'), resultMsg('z', S.timestampedLog(300))];
          const c = run(cached, more);
          expect(c.out.messages.slice(0, msgs.length)).toEqual(a.out.messages);
        },
      ),
      { numRuns: 40 },
    );
    expect(cache.hits).toBeGreaterThan(0);
  });

  it('the default router uses a shared bounded cache; createContentRouter({ cache: null }) has none', () => {
    const r = createContentRouter({ cache: null });
    const { ctx } = routerCtx();
    const out = r.apply([user('q'), callMsg('a', 'db'), resultMsg('a', S.jsonRows(300))], ctx);
    expect(out.report.details!.cache).toEqual({ hits: 0, misses: 0 });
  });
});
