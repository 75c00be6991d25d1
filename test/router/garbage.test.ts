/** No throw on garbage: binary-looking strings, 5 MB single lines, mixed line endings, invalid surrogates. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentRouter, detectContent, splitMixed, type RoutingDecision } from '../../engine/transforms/router/index.js';
import { callMsg, resultMsg, resultText, routerCtx, stubRouter, user } from './helpers.js';
import * as S from './samples.js';

function binaryish(n: number, seed = 7): string {
  let x = seed;
  let s = '';
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    s += String.fromCharCode(x % 256);
  }
  return s;
}

const garbage: Array<[string, () => string]> = [
  ['binary-looking bytes', () => binaryish(200_000)],
  ['5 MB single line', () => 'a1,'.repeat(1_700_000)],
  ['5 MB single line of brackets', () => '['.repeat(2_500_000) + ']'.repeat(2_500_000)],
  ['5 MB JSON-looking but broken', () => '[' + '{"a":1},'.repeat(600_000) + '{"a":'],
  ['mixed line endings', () => S.timestampedLog(300).replace(/\n/g, (_, i: number) => (i % 3 === 0 ? '\r\n' : i % 3 === 1 ? '\r' : '\n'))],
  ['invalid surrogates', () => ('\ud800 lone high \udfff lone low ' + S.prose(2)).repeat(200)],
  ['NUL and control characters', () => '\u0000\u0001\u0002\u001b[31mERROR\u001b[0m\n'.repeat(5000)],
  ['unclosed fences everywhere', () => '```x\n'.repeat(20_000)],
  ['deep JSON nesting', () => '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000)],
  ['markers with bad hashes', () => '[headroom: 3 lines omitted. Retrieve: hash=zzzz]\n'.repeat(1000)],
];

describe('no throw on garbage', () => {
  for (const [label, make] of garbage) {
    it(label, () => {
      const text = make();
      expect(() => detectContent(text)).not.toThrow();
      expect(() => splitMixed(text)).not.toThrow();
      for (const router of [stubRouter(), contentRouter]) {
        const msgs = [user('what is this?'), callMsg('a', 'bash', { command: 'cat blob' }), resultMsg('a', text)];
        const { ctx } = routerCtx();
        const out = router.apply(msgs, ctx);
        const ds = out.report.details!.decisions as RoutingDecision[];
        expect(ds.length).toBeGreaterThanOrEqual(2);
        // Whatever happened, the block is either untouched or a smaller text.
        const got = resultText(out.messages[2]);
        expect(typeof got).toBe('string');
        if (got !== text) expect(got.length).toBeLessThan(text.length);
      }
    });
  }

  it('arbitrary strings and tool arguments (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 3000, unit: 'binary' }), fc.string({ maxLength: 200 }), fc.string({ maxLength: 30 }), (text, args, name) => {
        expect(() => detectContent(text, { toolName: name, toolArgs: args })).not.toThrow();
        const msgs = [user(args), callMsg('a', name, args), resultMsg('a', text)];
        expect(() => stubRouter().apply(msgs, routerCtx().ctx)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
