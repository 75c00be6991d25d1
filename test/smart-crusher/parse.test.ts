import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonical, parseJson, MAX_DEPTH } from '../../engine/transforms/smart-crusher/parse.js';
import { canon } from './helpers.js';

/** Pretty-print with random whitespace between tokens. */
function spaced(v: unknown, ws: string): string {
  if (Array.isArray(v)) return `[${ws}${v.map((x) => spaced(x, ws)).join(`${ws},${ws}`)}${ws}]`;
  if (v !== null && typeof v === 'object') {
    return `{${ws}${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}${ws}:${ws}${spaced(x, ws)}`)
      .join(`${ws},${ws}`)}${ws}}`;
  }
  return JSON.stringify(v);
}

describe('parseJson', () => {
  it('agrees with JSON.parse on any JSON value, minifies exactly like JSON.stringify, with any whitespace', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.constantFrom('', ' ', '\n  ', '\t', '\r\n'), (v, ws) => {
        const src = spaced(v, ws);
        const p = parseJson(`${ws}${src}${ws}`);
        expect(p.ok).toBe(true);
        if (!p.ok) return;
        expect(p.text).toBe(JSON.stringify(JSON.parse(src)));
        expect(canonical(p.text, p.root)).toBe(canon(JSON.parse(src)));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps number spellings as written and re-spells string escapes the shortest way (same value)', () => {
    const src = '[1.0, 12345678901234567890, -0, 1e5, "caf\\u00e9", "a\\/b", "q\\"\\n\\u0001\\ud800", {"k\\u00e9y": "\\u4e2d\\u6587"}]';
    const p = parseJson(src);
    expect(p.ok && p.text).toBe('[1.0,12345678901234567890,-0,1e5,"café","a/b","q\\"\\n\\u0001\\ud800",{"kéy":"中文"}]');
    if (p.ok) expect(JSON.parse(p.text)).toEqual(JSON.parse(src));
  });

  it('rejects malformed JSON and never throws', () => {
    for (const bad of ['', ' ', '[', '[1,]', '{"a":1,}', '{"a" 1}', '[1 2]', 'tru e', '01', '"\u0001"', '[1]x', '{a:1}', "['a']", '\ufeff[]', '[-]', '"\\x"', 'NaN', '[1,,2]']) {
      const p = parseJson(bad);
      expect(p.ok, bad).toBe(false);
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const p = parseJson(s);
        let valid = true;
        try {
          JSON.parse(s);
        } catch {
          valid = false;
        }
        // Whitespace-only differences aside (JSON.parse accepts the same grammar), validity agrees.
        expect(p.ok).toBe(valid && s.trim() !== '' && s.charCodeAt(0) !== 0xfeff);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses documents nested deeper than MAX_DEPTH without recursion (10,000 levels)', () => {
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    expect(parseJson(deep)).toEqual({ ok: false, reason: 'too_deep' });
    const deepObj = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
    expect(parseJson(deepObj)).toEqual({ ok: false, reason: 'too_deep' });
    const ok = '['.repeat(MAX_DEPTH) + ']'.repeat(MAX_DEPTH);
    expect(parseJson(ok).ok).toBe(true);
  });
});
