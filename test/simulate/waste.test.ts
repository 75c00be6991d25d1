import { beforeAll, describe, expect, it } from 'vitest';
import { detectWaste, compactJson, visibleHtmlText, isBase64Blob } from '../../engine/simulate/waste.js';
import { collectDecisions } from '../../engine/simulate/decisions.js';
import { isVolatileSpan, stablePrefix } from '../../engine/simulate/cost.js';
import { getTokenCounter } from '../../engine/tokenizer/index.js';
import { resolveModel } from '../../engine/models/index.js';
import type { TokenCounter } from '../../engine/tokenizer/types.js';
import type { Message } from '../../engine/messages/types.js';
import { asst, call, result, sys, user, wordCounter } from '../helpers/fake-counter.js';

let counter: TokenCounter;
beforeAll(async () => {
  counter = await getTokenCounter(resolveModel('gpt-4o').info);
});

const prose = 'The deployment finished and the service answered every health check within the expected time.';

/** Deterministic pseudo-random base64 (mixed case and digits). */
function base64Blob(n: number): string {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let s = '';
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    s += abc[(x >>> 16) % 64];
  }
  return s;
}

const only = (w: ReturnType<typeof detectWaste>, key: keyof ReturnType<typeof detectWaste>) => {
  const keys = ['jsonBloatTokens', 'htmlNoiseTokens', 'base64Tokens', 'whitespaceTokens', 'dynamicDateTokens', 'repetitionTokens'] as const;
  for (const k of keys) if (k !== key) expect(w[k], k).toBe(0);
  expect(w[key]).toBeGreaterThan(0);
  expect(w.totalTokens).toBe(w[key]);
};

describe('waste signals', () => {
  it('finds nothing in a clean conversation', () => {
    const c = call('status');
    const w = detectWaste([sys('Be brief.'), user('How is the service?'), c.msg, result(c.ids[0], prose), asst('It is healthy.')], counter);
    expect(w.totalTokens).toBe(0);
  });

  it('JSON bloat: pretty-printing and repeated keys, measured against the compact lossless form', () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({ id: i, name: `svc-${i}`, status: 'ok', latency_ms: 10 + i }));
    const pretty = JSON.stringify(rows, null, 2);
    const c = call('list');
    const w = detectWaste([user('list services'), c.msg, result(c.ids[0], pretty)], counter);
    only(w, 'jsonBloatTokens');
    const best = Math.min(counter.countText(JSON.stringify(rows)), counter.countText(JSON.stringify(compactJson(rows))));
    expect(w.jsonBloatTokens).toBe(counter.countText(pretty) - best);
    expect(w.details.jsonBloat.documents).toBe(1);
    // compactJson is lossless: the rows come back.
    const cj = compactJson(rows) as { $cols: string[]; $rows: unknown[][] };
    expect(cj.$rows.map((r) => Object.fromEntries(cj.$cols.map((k, i) => [k, r[i]])))).toEqual(rows);
  });

  it('HTML noise: tags, scripts, styles and comments, but not the visible text', () => {
    const html = `<!DOCTYPE html><html><head><style>body{margin:0;padding:0} .nav{color:red}</style><script>window.dataLayer=[];function gtag(){dataLayer.push(arguments)}</script></head>
<body><nav class="top"><a href="/">Home</a></nav><!-- main content --><div class="content"><h1>Release notes</h1><p>${prose}</p><p>Version 2 is out &amp; stable.</p></div><footer><div class="x">(c) Acme</div></footer></body></html>`;
    const c = call('fetch');
    const w = detectWaste([user('read it'), c.msg, result(c.ids[0], html)], counter);
    only(w, 'htmlNoiseTokens');
    expect(visibleHtmlText(html)).toContain('Version 2 is out & stable.');
    expect(visibleHtmlText(html)).not.toContain('dataLayer');
    expect(w.htmlNoiseTokens).toBe(counter.countText(html) - counter.countText(visibleHtmlText(html)));
  });

  it('base64 blobs, not hex hashes or paths', () => {
    const blob = base64Blob(400);
    const c = call('read');
    const w = detectWaste([user('show'), c.msg, result(c.ids[0], `attachment: ${blob}`)], counter);
    only(w, 'base64Tokens');
    expect(w.base64Tokens).toBe(counter.countText(blob));
    expect(isBase64Blob('a'.repeat(64))).toBe(false);
    expect(isBase64Blob('9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08')).toBe(false);
    const clean = detectWaste([user('sha 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 in /usr/local/lib/node_modules/typescript/lib/typescript')], counter);
    expect(clean.base64Tokens).toBe(0);
    // data: URIs count by their payload.
    const uri = detectWaste([user(`<img> data:image/png;base64,${blob.slice(0, 120)}==`)], counter);
    expect(uri.base64Tokens).toBeGreaterThan(0);
  });

  it('whitespace: long runs of spaces and blank lines', () => {
    const text = `${prose}\n\n\n\n\n\ncolumn a        column b        column c\n\n\n\nThe end of the report.`;
    const w = detectWaste([user('x'), asst(text)], counter);
    only(w, 'whitespaceTokens');
  });

  it('dynamic dates in system prompts (cache busters), not in tool output', () => {
    const w = detectWaste([sys('You are helpful. Current date: 2026-11-20. Time: 14:03:22 UTC.'), user('hi ' + prose)], counter);
    only(w, 'dynamicDateTokens');
    expect(w.details.dynamicDate.occurrences).toBe(2);
    expect(w.details.dynamicDate.labels).toEqual(['iso_date', 'time']);
    expect(w.details.dynamicDate.prefixTokensAfterFirst).toBeGreaterThan(counter.countText('hi ' + prose) - 1);
    const c = call('logs');
    const inTool = detectWaste([sys('Be brief.'), c.msg, result(c.ids[0], `2026-11-20 deployed ${prose}`)], counter);
    expect(inTool.dynamicDateTokens).toBe(0);
  });

  it('repetition: lines served again, documents served again, lines differing only in numbers', () => {
    const out = `${prose}\nConnection pool exhausted on replica db-3, retrying`;
    const c1 = call('logs');
    const c2 = call('logs');
    const ms: Message[] = [user('x'), c1.msg, result(c1.ids[0], out), c2.msg, result(c2.ids[0], out)];
    const w = detectWaste(ms, wordCounter);
    only(w, 'repetitionTokens');
    expect(w.details.repetition.repeatedLines).toBe(2);
    expect(w.repetitionTokens).toBe(wordCounter.countText(prose) + wordCounter.countText('Connection pool exhausted on replica db-3, retrying'));

    const progress = Array.from({ length: 50 }, (_, i) => `Downloading package ${i + 1} of 50 from the mirror`).join('\n');
    const t = detectWaste([user('install'), asst(progress)], wordCounter);
    only(t, 'repetitionTokens');
    expect(t.details.repetition.templatedLines).toBe(49);
    // Each repeat costs its words minus its two numbers.
    expect(t.repetitionTokens).toBe(49 * (8 - 2));

    const doc = JSON.stringify(Array.from({ length: 10 }, (_, i) => ({ id: i, v: 'value-' + i })));
    const d1 = call('q');
    const d2 = call('q');
    const docs = detectWaste([d1.msg, result(d1.ids[0], doc), d2.msg, result(d2.ids[0], doc)], counter);
    expect(docs.details.repetition.repeatedDocuments).toBe(1);
    expect(docs.repetitionTokens).toBe(counter.countText(doc));
  });

  it('never counts one token under two signals', () => {
    const blob = base64Blob(300);
    const pretty = JSON.stringify({ items: Array.from({ length: 8 }, (_, i) => ({ id: i, image: blob })) }, null, 2);
    const w = detectWaste([user('x'), asst(pretty)], counter);
    expect(w.base64Tokens).toBeGreaterThan(0);
    expect(w.jsonBloatTokens).toBeGreaterThan(0);
    expect(w.totalTokens).toBeLessThanOrEqual(counter.countText(pretty));
  });

  it('survives garbage: huge single lines, lone surrogates, binary-looking text', () => {
    const garbage = ['\uD800'.repeat(1000), '\u0000\u0001\u0002'.repeat(5000), 'x'.repeat(2_000_000), '{"a":', '<div'];
    const w = detectWaste(garbage.map((g) => user(g)), counter);
    expect(Number.isFinite(w.totalTokens)).toBe(true);
  });
});

describe('decisions and stable prefix', () => {
  it('reads routing decisions defensively', () => {
    const d = collectDecisions([
      { name: 'content_router', applied: [], details: { decisions: [{ type: 'log', confidence: 0.9, compressor: 'log', tokensBefore: 100, tokensAfter: 10 }, 'junk', null] } },
      { name: 'other', applied: [], details: { decisions: 'not an array' } },
      { name: 'none', applied: [] },
      { name: 'smart_crusher', applied: [], details: { results: [{ toolCallId: 'c', tokensBefore: 50, tokensAfter: 20 }] } },
    ]);
    expect(d).toEqual([
      { transform: 'content_router', type: 'log', confidence: 0.9, compressor: 'log', tokensBefore: 100, tokensAfter: 10 },
      { transform: 'smart_crusher', type: 'json', compressor: 'smart_crusher', toolCallId: 'c', tokensBefore: 50, tokensAfter: 20 },
    ]);
  });

  it('stable prefix: history before the last assistant message, cut at per-request dynamic content', () => {
    const ms = [sys('Rules here. Request id: req_8f7d6e5c4b3a'), user('q1'), asst('a1'), user('q2')];
    const p = stablePrefix(ms, wordCounter);
    expect(p.endsAt).toBe('dynamic');
    expect(p.tokens).toBe(wordCounter.countText('Rules here. '));
    const q = stablePrefix([sys('Rules. Session: sess_20261120abcd. Date 2026-11-20.'), user('q1'), asst('a1'), user('q2')], wordCounter);
    expect(q.endsAt).toBe('history');
    expect(q.messages).toBe(2);
    expect(stablePrefix([sys('Rules.'), user('q1'), asst('a1'), user('q2')], wordCounter, { stopAt: 1 }).endsAt).toBe('rewrite');
    expect(isVolatileSpan('time', '14:03:22')).toBe(true);
    expect(isVolatileSpan('iso_date', '2026-11-20')).toBe(false);
  });
});
