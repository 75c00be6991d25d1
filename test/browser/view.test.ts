/**
 * The playground's side-by-side view, in Node (pure modules): the line diff, the rendering of
 * conversations, and the marker spans the page turns into buttons.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildRows, matchLines, type Alignment } from '../../playground/src/lib/diff.js';
import { renderMessages } from '../../playground/src/lib/render.js';

/** Checks an alignment: monotone, equal lines only, and the rows replay both sides exactly. */
function check(a: string[], b: string[]) {
  const info: { alignment?: Alignment } = {};
  const match = matchLines(a, b, info);
  let last = -1;
  let matched = 0;
  for (let i = 0; i < a.length; i++) {
    if (match[i] < 0) continue;
    expect(match[i]).toBeGreaterThan(last);
    expect(b[match[i]]).toBe(a[i]);
    last = match[i];
    matched++;
  }
  const rows = buildRows(a.length, b.length, match);
  const left: string[] = [];
  const right: string[] = [];
  for (let r = 0; r < rows.length; r++) {
    if (rows.left[r] >= 0) left.push(a[rows.left[r]]);
    if (rows.right[r] >= 0) right.push(b[rows.right[r]]);
    if (rows.kind[r] === 0) expect(a[rows.left[r]]).toBe(b[rows.right[r]]);
  }
  expect(left).toEqual(a);
  expect(right).toEqual(b);
  return { matched, rows, alignment: info.alignment };
}

/** Exact LCS length, for small inputs. */
function lcsLength(a: string[], b: string[]): number {
  const t = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) t[i][j] = a[i] === b[j] ? t[i + 1][j + 1] + 1 : Math.max(t[i + 1][j], t[i][j + 1]);
  return t[0][0];
}

describe('playground line diff', () => {
  it('is an exact LCS on small inputs and a valid alignment always', () => {
    const line = fc.constantFrom('{', '}', '  "a": 1,', '  "b": 2,', 'x', 'y', '');
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), fc.array(line, { maxLength: 40 }), (a, b) => {
        const { matched } = check(a, b);
        expect(matched).toBe(lcsLength(a, b));
      }),
      { numRuns: 300 },
    );
  });

  /** A pretty-printed JSON array of `n` records, one line per field, as the view renders it. */
  function prettyArray(n: number, keep?: number[]) {
    const items = Array.from({ length: n }, (_, i) => JSON.stringify({ id: i, status: i === 7777 ? 'error' : 'ok', v: i % 13 }, null, 2).split('\n'));
    const withComma = (x: string[]) => [...x.slice(0, -1), x[x.length - 1] + ','];
    const a = ['[', ...items.flatMap((x, i) => (i < items.length - 1 ? withComma(x) : x)), ']'];
    const b = keep ? ['[', ...keep.flatMap((i) => withComma(items[i])), `  {"_headroom": "${n - keep.length} items omitted. Retrieve: hash=0123456789abcdef01234567"}`, ']'] : [];
    return { a, b };
  }

  it('aligns a compressed JSON array with its 10k-item original (exact LCS: the table fits) as kept items plus a marker', () => {
    const { a, b } = prettyArray(10_000, [0, 1, 2, 7777, 9998]);
    const { matched, rows, alignment } = check(a, b);
    expect(alignment).toBe('lcs');
    expect(matched).toBe(b.length - 1); // every line but the marker finds its original
    expect(rows.length).toBe(a.length); // the marker pairs with a dropped line as a change
  });

  it('aligns beyond the LCS table with the greedy match (never a table of 10 MB × 10 MB), kept items still found', () => {
    // 50k lines × 1.2k lines is 60M cells, over the table's cap: the linear greedy path runs.
    const keep = [...Array.from({ length: 240 }, (_, i) => i * 41), 7777].sort((x, y) => x - y);
    const { a, b } = prettyArray(10_000, keep);
    const { matched, rows, alignment } = check(a, b);
    expect(alignment).toBe('greedy');
    expect(matched).toBe(b.length - 1);
    expect(rows.length).toBe(a.length);
  });
});

describe('playground rendering of conversations', () => {
  it('renders all four formats by shape, pretty-printing JSON', () => {
    const json = JSON.stringify([{ a: 1 }]);
    const r = renderMessages([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'q', arguments: '{"x":1}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: json },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'anthropic result' }] }] },
      { role: 'model', parts: [{ functionCall: { name: 'g', args: { y: 2 } } }] },
      { role: 'user', parts: [{ functionResponse: { name: 'g', response: { output: 'gemini result' } } }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'v1', toolName: 'v', output: { type: 'json', value: { z: 3 } } }] },
    ]);
    const text = r.lines.join('\n');
    expect(text).toContain('── tool (c1) ──');
    expect(text).toContain('→ call q({"x":1})');
    expect(text).toContain('[\n  {\n    "a": 1\n  }\n]');
    expect(text).toContain('anthropic result');
    expect(text).toContain('→ call g({"y":2})');
    expect(text).toContain('gemini result');
    expect(text).toContain('"z": 3');
    expect(r.message.length).toBe(r.lines.length);
  });
});
