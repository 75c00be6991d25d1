import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alignText, cacheAligner, DYNAMIC_TAIL_HEADER } from '../../engine/transforms/cache-aligner.js';
import { resolveConfig } from '../../engine/config.js';
import type { Message, TextBlock } from '../../engine/messages/types.js';
import { asst, sys, testContext, user } from '../helpers/fake-counter.js';

const cfg = resolveConfig({}).cacheAligner;
const textOf = (m: Message) => (m.blocks[0] as TextBlock).text;

describe('alignText', () => {
  it('moves a dated sentence to the tail and keeps the rest byte-stable', () => {
    const a = alignText('You are helpful. Current date: 2025-04-06. Answer briefly.', cfg);
    const b = alignText('You are helpful. Current date: 2025-04-07. Answer briefly.', cfg);
    expect(a.stable).toBe(b.stable);
    expect(a.stable).toBe('You are helpful. Answer briefly.');
    expect(a.dynamic).toEqual(['Current date: 2025-04-06.']);
  });

  it('finds ISO datetimes, prose dates, times, UUIDs and session ids', () => {
    const prompt = [
      'You are a support agent.',
      'Today is Monday, January 6, 2025.',
      'Request started at 2025-01-06T10:15:30Z.',
      'Local time 10:15:30 UTC.',
      'Conversation 3fa85f64-5717-4562-b3fc-2c963f66afa6 is open.',
      'Session ID: sess_8f2k3j4h5g6f.',
      'Always be polite.',
    ].join('\n');
    const a = alignText(prompt, cfg);
    expect(a.stable).toBe('You are a support agent.\nAlways be polite.');
    expect(a.dynamic).toHaveLength(5);
    expect(new Set(a.labels)).toEqual(new Set(['prose_date', 'iso_datetime', 'time', 'uuid', 'labelled_id']));
  });

  it('applies user patterns', () => {
    const c = resolveConfig({ cacheAligner: { dynamicPatterns: ['build #\\d+'] } }).cacheAligner;
    const a = alignText('Deploy bot. You are on build #4411.', c);
    expect(a.stable).toBe('Deploy bot.');
    expect(a.dynamic).toEqual(['You are on build #4411.']);
  });

  it('normalizes whitespace: CRLF, trailing spaces, blank-line runs', () => {
    const a = alignText('Line one.   \r\nLine two.\r\n\r\n\r\n\r\nLine three.', cfg);
    expect(a.stable).toBe('Line one.\nLine two.\n\nLine three.');
  });

  it('leaves code fences alone', () => {
    const text = 'Format dates like:\n```\n2025-01-01\n```';
    expect(alignText(text, cfg).stable).toBe(text);
  });

  it('is idempotent on its own output', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.constantFrom('Be kind.', 'Today is 2024-12-15.', 'Id 3fa85f64-5717-4562-b3fc-2c963f66afa6 here.', 'Time: 10:11:12.', '', '   ', 'Use tools; cite sources.'),
            fc.string({ maxLength: 30 }),
          ),
          { maxLength: 12 },
        ),
        (lines) => {
          const once = alignText(lines.join('\n'), cfg);
          const rendered = once.dynamic.length ? `${once.stable}\n\n${DYNAMIC_TAIL_HEADER}\n${once.dynamic.join('\n')}` : once.stable;
          const twice = alignText(rendered, cfg);
          const rendered2 = twice.dynamic.length ? `${twice.stable}\n\n${DYNAMIC_TAIL_HEADER}\n${twice.dynamic.join('\n')}` : twice.stable;
          expect(rendered2).toBe(rendered);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('cacheAligner transform', () => {
  it('only touches system messages and reports a stable prefix hash', () => {
    const { ctx } = testContext();
    const u = user('Today is 2025-04-06, what is on my calendar?');
    const day1 = cacheAligner.apply([sys('You are helpful. Today is 2025-04-06.'), u, asst('Sure.')], ctx);
    const day2 = cacheAligner.apply([sys('You are helpful. Today is 2025-04-07.'), u, asst('Sure.')], ctx);
    expect(day1.messages[1]).toBe(u);
    expect(textOf(day1.messages[0])).toBe(`You are helpful.\n\n${DYNAMIC_TAIL_HEADER}\nToday is 2025-04-06.`);
    expect(day1.report.details?.prefixHash).toBe(day2.report.details?.prefixHash);
    expect(day1.report.applied).toEqual(['cache_align:moved=1']);
  });

  it('returns the same message objects when nothing changes', () => {
    const { ctx } = testContext();
    const input = [sys('Static prompt.'), user('hi')];
    const out = cacheAligner.apply(input, ctx);
    expect(out.messages[0]).toBe(input[0]);
    expect(out.report.applied).toEqual([]);
  });

  it('moves dynamic sentences of multi-block system prompts into the last text block', () => {
    const { ctx } = testContext();
    const m: Message = {
      role: 'system',
      blocks: [
        { type: 'text', text: 'Rules. Date: 2025-02-02.' },
        { type: 'opaque', kind: 'image' },
        { type: 'text', text: 'More rules.' },
      ],
    };
    const out = cacheAligner.apply([m], ctx).messages[0];
    expect((out.blocks[0] as TextBlock).text).toBe('Rules.');
    expect(out.blocks[1]).toBe(m.blocks[1]);
    expect((out.blocks[2] as TextBlock).text).toBe(`More rules.\n\n${DYNAMIC_TAIL_HEADER}\nDate: 2025-02-02.`);
  });
});
