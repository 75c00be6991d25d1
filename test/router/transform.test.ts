import { describe, expect, it } from 'vitest';
import { ccrHash } from '../../engine/ccr/hash.js';
import { formatTextMarker, parseMarkers } from '../../engine/ccr/markers.js';
import type { Message } from '../../engine/messages/types.js';
import type { ContentCompressor } from '../../engine/transforms/compressor.js';
import { contentRouter, SKIP, type CompressorMap, type RoutingDecision } from '../../engine/transforms/router/index.js';
import { smartCrusher } from '../../engine/transforms/smart-crusher/transform.js';
import { asst, callMsg, lineStub, resultMsg, resultText, routerCtx, stubMap, stubRouter, sys, user, userResults } from './helpers.js';
import * as S from './samples.js';

const decisionsOf = (out: { report: { details?: Readonly<Record<string, unknown>> } }) => out.report.details!.decisions as RoutingDecision[];

describe('content_router: routing', () => {
  const cases: Array<[string, string, string, unknown]> = [
    ['log', S.timestampedLog(300), 'log', { command: 'kubectl logs payment' }],
    ['search', S.searchResults(10, 5), 'search', { pattern: 'processPayment' }],
    ['diff', S.gitDiff(3, 3), 'diff', {}],
    ['html', S.htmlPage(20), 'html', { url: 'https://example.com/guide' }],
    ['text', S.prose(12), 'text', {}],
  ];
  for (const [type, text, compressor, args] of cases) {
    it(`${type} goes to the ${compressor} compressor; decision, labels, CCR entry, marker`, () => {
      const msgs = [sys('be brief'), user('summarise it'), callMsg('c1', 'tool', args), resultMsg('c1', text)];
      const { ctx, entries, warnings } = routerCtx();
      const out = stubRouter().apply(msgs, ctx);
      expect(warnings).toEqual([]);
      expect(out.messages.slice(0, 3)).toEqual(msgs.slice(0, 3));
      for (let i = 0; i < 3; i++) expect(out.messages[i]).toBe(msgs[i]);
      const got = resultText(out.messages[3]);
      expect(got.length).toBeLessThan(text.length);
      const hashes = parseMarkers(got).map((m) => m.hash);
      expect(hashes).toEqual([ccrHash(text)]);
      expect(entries.map((e) => e.hash)).toEqual(hashes);
      expect(entries[0].content).toBe(text);
      const d = decisionsOf(out).find((x) => x.messageIndex === 3)!;
      expect(d).toMatchObject({ blockPath: 'blocks[0].content[0]', type, compressor, action: 'compressed' });
      expect(d.tokensAfter).toBeLessThan(d.tokensBefore);
      expect(out.report.applied).toContain(`router:${type}=${d.tokensBefore}->${d.tokensAfter}`);
      expect(out.report.applied.some((l) => l.startsWith(`${compressor}:lines=`))).toBe(true);
      expect(out.report.details!.ccrHashes).toEqual(hashes);
      expect(resultText(msgs[3])).toBe(text); // input untouched
    });
  }

  it('code goes to the code compressor by default (enableCode); with enableCode: false it passes through', () => {
    const code = S.pythonCode.repeat(6);
    // Four messages after it: code in the last four is protected (see the protection rules).
    const msgs = [user('show me'), callMsg('c1', 'read_file', { path: 'orders.py' }), resultMsg('c1', code), asst('ok'), user('go on'), asst('ok'), user('go on')];
    const a = stubRouter().apply(msgs, routerCtx({ config: { router: { enableCode: false } } }).ctx);
    expect(a.messages).toBe(msgs);
    expect(decisionsOf(a)[1]).toMatchObject({ type: 'code', language: 'python', action: 'skipped', reason: SKIP.codePassthrough });
    const b = stubRouter().apply(msgs, routerCtx({ config: { router: { minTokens: { code: 10 } } } }).ctx);
    expect(decisionsOf(b)[1]).toMatchObject({ type: 'code', action: 'compressed', compressor: 'code' });
  });

  it('every text block gets a decision with a reason when skipped', () => {
    const msgs: Message[] = [
      sys(S.prose(10)),
      user(S.prose(10)),
      asst(S.prose(10)),
      callMsg('c1', 'bash', { command: 'echo hi' }),
      resultMsg('c1', 'hi'),
      callMsg('c2', 'headroom_retrieve', { hash: 'x' }),
      resultMsg('c2', S.prose(10)),
    ];
    const out = stubRouter().apply(msgs, routerCtx().ctx);
    expect(out.messages).toBe(msgs);
    const ds = decisionsOf(out);
    expect(ds.map((d) => [d.messageIndex, d.action, d.reason?.split(' (')[0]])).toEqual([
      [0, 'skipped', SKIP.systemPrompt],
      [1, 'skipped', SKIP.userMessage],
      [2, 'skipped', SKIP.assistantDisabled.split(' (')[0]],
      [4, 'skipped', SKIP.belowThreshold],
      [6, 'skipped', SKIP.retrieveTool.split(' (')[0]],
    ]);
    for (const d of ds) {
      expect(d.tokensAfter).toBe(d.tokensBefore);
      expect(typeof d.reason).toBe('string');
    }
  });
});

describe('content_router: protection rules', () => {
  const big = S.timestampedLog(300);

  it('user messages and system prompts are never compressed; tool results inside a user message are', () => {
    const msgs = [sys(big), user('lorem ipsum dolor sit amet '.repeat(300)), callMsg('c1', 'logs'), userResults(['c1', big])];
    const out = stubRouter().apply(msgs, routerCtx().ctx);
    expect(out.messages[0]).toBe(msgs[0]);
    expect(out.messages[1]).toBe(msgs[1]);
    expect(resultText(out.messages[3])).not.toBe(big);
    expect(decisionsOf(out).map((d) => d.action)).toEqual(['skipped', 'skipped', 'compressed']);
  });

  it('assistant text only with enableAssistant (and never the recent ones when protected)', () => {
    const msgs = [user('q'), asst(big), user('next')];
    expect(stubRouter().apply(msgs, routerCtx().ctx).messages).toBe(msgs);
    const on = stubRouter().apply(msgs, routerCtx({ config: { router: { enableAssistant: true } } }).ctx);
    expect((on.messages[1].blocks[0] as { text: string }).text).not.toBe(big);
    const recent = stubRouter().apply(msgs, routerCtx({ config: { router: { enableAssistant: true, protectRecentMessages: 2 } } }).ctx);
    expect(recent.messages).toBe(msgs);
    expect(decisionsOf(recent)[1]).toMatchObject({ action: 'skipped', reason: SKIP.recent });
  });

  it('the last N messages are left alone with protectRecentMessages', () => {
    const msgs = [user('q'), callMsg('a', 'logs'), resultMsg('a', big), callMsg('b', 'logs'), resultMsg('b', big)];
    const out = stubRouter().apply(msgs, routerCtx({ config: { router: { protectRecentMessages: 2 } } }).ctx);
    expect(resultText(out.messages[2])).not.toBe(big);
    expect(out.messages[4]).toBe(msgs[4]);
    expect(decisionsOf(out).find((d) => d.messageIndex === 4)).toMatchObject({ action: 'skipped', reason: SKIP.recent });
  });

  it('content under the per-type threshold is left alone; thresholds are configurable and aggressive lowers them', () => {
    const small = S.timestampedLog(12); // ~130 words
    const msgs = [user('q'), callMsg('a', 'logs'), resultMsg('a', small)];
    const out = stubRouter().apply(msgs, routerCtx().ctx);
    expect(out.messages).toBe(msgs);
    expect(decisionsOf(out)[1].reason).toMatch(/^below threshold \(\d+ < 200 tokens\)$/);
    expect(stubRouter().apply(msgs, routerCtx({ config: { router: { minTokens: { log: 50 } } } }).ctx).messages).not.toBe(msgs);
    expect(stubRouter().apply(msgs, routerCtx({ config: { router: { aggressive: true } } }).ctx).messages).not.toBe(msgs);
    expect(stubRouter().apply(msgs, routerCtx({ config: { router: { aggressive: true, minTokens: { log: 1000 } } } }).ctx).messages).toBe(msgs);
  });

  it('a compressed form that is not smaller is rejected (token-checked by the router)', () => {
    const bigger: ContentCompressor = { name: 'bigger', compress: (i) => ({ changed: true, output: i.text + ' more words here', labels: ['bigger'], hashes: [] }) };
    const msgs = [user('q'), callMsg('a', 'logs'), resultMsg('a', big)];
    const { ctx, entries } = routerCtx();
    const out = stubRouter({ log: { compressor: bigger } }).apply(msgs, ctx);
    expect(out.messages).toBe(msgs);
    expect(out.report.applied).toEqual([]);
    expect(entries).toEqual([]);
    expect(decisionsOf(out)[1].reason).toMatch(/^not smaller \(\d+ -> \d+ tokens\)$/);
  });

  it('analysis intent in the latest user message keeps code untouched everywhere', () => {
    const code = S.pythonCode.repeat(6);
    const cfg = { router: { enableCode: true, minTokens: { code: 10 } } };
    const base = [user('load the orders'), callMsg('c1', 'read_file', { path: 'orders.py' }), resultMsg('c1', code), asst('ok'), user('go on')];
    for (const q of ['Please review this', 'why is it BROKEN?', 'explain how does the repo work', 'fix the bug', 'Can you debug it', 'analyse the failure']) {
      const out = stubRouter().apply([...base, asst('ok'), user(q)], routerCtx({ config: cfg }).ctx);
      expect(out.messages[2]).toBe(base[2]);
      expect(decisionsOf(out).find((d) => d.messageIndex === 2)).toMatchObject({ action: 'skipped', reason: SKIP.analysisIntent });
    }
    const calm = stubRouter().apply([...base, asst('ok'), user('thanks, continue')], routerCtx({ config: cfg }).ctx);
    expect(resultText(calm.messages[2])).not.toBe(code);
    // Only code is protected: a log under the same question is still compressed.
    const withLog = stubRouter().apply([user('q'), callMsg('l', 'logs'), resultMsg('l', big), user('debug this')], routerCtx().ctx);
    expect(resultText(withLog.messages[2])).not.toBe(big);
    // protectAnalysisContext: false turns the rule off.
    const off = stubRouter().apply([...base, asst('ok'), user('review')], routerCtx({ config: { router: { ...cfg.router, protectAnalysisContext: false } } }).ctx);
    expect(resultText(off.messages[2])).not.toBe(code);
  });

  it('code in the last code.protectRecentMessages (4) messages is left alone, unless aggressive', () => {
    const code = S.pythonCode.repeat(6);
    const cfg = { router: { minTokens: { code: 10 } } };
    const read = [user('load the orders'), callMsg('c1', 'read_file', { path: 'orders.py' }), resultMsg('c1', code)];
    const after = (n: number) => Array.from({ length: n }, (_, i) => (i % 2 === 0 ? asst('ok') : user('go on')));
    for (const n of [0, 1, 2, 3]) {
      const out = stubRouter().apply([...read, ...after(n)], routerCtx({ config: cfg }).ctx);
      expect(resultText(out.messages[2])).toBe(code);
      expect(decisionsOf(out).find((d) => d.messageIndex === 2)).toMatchObject({ action: 'skipped', reason: SKIP.recentCode });
    }
    const old = stubRouter().apply([...read, ...after(4)], routerCtx({ config: cfg }).ctx);
    expect(resultText(old.messages[2])).not.toBe(code);
    const aggressive = stubRouter().apply(read, routerCtx({ config: { router: { aggressive: true } } }).ctx);
    expect(resultText(aggressive.messages[2])).not.toBe(code);
    // Only code: a log in the last message is compressed as before.
    const withLog = stubRouter().apply([user('q'), callMsg('l', 'logs'), resultMsg('l', big)], routerCtx().ctx);
    expect(resultText(withLog.messages[2])).not.toBe(big);
  });

  it('never compresses headroom_retrieve output, by call name, block toolName or namespaced alias', () => {
    for (const name of ['headroom_retrieve', 'mcp__headroom__headroom_retrieve', 'headroom.headroom_retrieve']) {
      const msgs = [user('q'), callMsg('a', name), resultMsg('a', big)];
      const out = stubRouter().apply(msgs, routerCtx().ctx);
      expect(out.messages).toBe(msgs);
      expect(decisionsOf(out)[1]).toMatchObject({ action: 'skipped', reason: SKIP.retrieveTool });
      const byBlock = [user('q'), resultMsg('zz', big, name)];
      expect(stubRouter().apply(byBlock, routerCtx().ctx).messages).toBe(byBlock);
    }
  });

  it('tool profiles: skip leaves every type alone; maxItems applies to JSON', () => {
    const msgs = [user('q'), callMsg('a', 'logs'), resultMsg('a', big), callMsg('b', 'db'), resultMsg('b', S.jsonRows(300))];
    const out = stubRouter().apply(msgs, routerCtx({ toolProfiles: { logs: { skip: true }, db: { maxItems: 3 } } }).ctx);
    expect(out.messages[2]).toBe(msgs[2]);
    expect(decisionsOf(out)[1]).toMatchObject({ action: 'skipped', reason: `${SKIP.toolProfileSkip} (logs)` });
    const kept = (JSON.parse(resultText(out.messages[4])) as Array<Record<string, unknown>>).filter((x) => !x._headroom);
    expect(kept.length).toBeLessThanOrEqual(4); // 3, plus the error row if it was not among them
    expect(kept.some((x) => x.status === 'error')).toBe(true);
  });

  it('content that already carries a marker is left alone (idempotence)', () => {
    const msgs = [user('q'), callMsg('a', 'logs'), resultMsg('a', big)];
    const once = stubRouter().apply(msgs, routerCtx().ctx);
    const twice = stubRouter().apply(once.messages, routerCtx().ctx);
    expect(twice.messages).toBe(once.messages);
    expect(twice.report.applied).toEqual([]);
    expect(decisionsOf(twice)[1]).toMatchObject({ action: 'skipped', reason: SKIP.alreadyCompressed });
  });

  it('per-type switches, smartCrusher.enabled, missing compressors', () => {
    const msgs = [user('q'), callMsg('a', 'logs'), resultMsg('a', big), callMsg('b', 'db'), resultMsg('b', S.jsonRows(300))];
    const off = stubRouter().apply(msgs, routerCtx({ config: { router: { compressors: { log: false, json: false } } } }).ctx);
    expect(off.messages).toBe(msgs);
    expect(decisionsOf(off).filter((d) => d.messageIndex > 0).map((d) => d.reason)).toEqual([`${SKIP.disabled} (log)`, `${SKIP.disabled} (json)`]);
    const sc = stubRouter().apply(msgs, routerCtx({ config: { smartCrusher: { enabled: false } } }).ctx);
    expect(sc.messages[4]).toBe(msgs[4]);
    const none = stubRouter({}).apply(msgs, routerCtx().ctx);
    expect(none.messages).toBe(msgs);
    expect(decisionsOf(none).filter((d) => d.messageIndex > 0).map((d) => d.reason)).toEqual([`${SKIP.unavailable} (log)`, `${SKIP.unavailable} (smart_crusher)`]);
  });
});

describe('content_router: safety net', () => {
  const big = S.timestampedLog(300);
  const msgs = [user('q'), callMsg('a', 'logs'), resultMsg('a', big)];

  it('a compressor that throws: warning, pass through, nothing recorded', () => {
    const boom: ContentCompressor = {
      name: 'boom',
      compress: (i, deps) => {
        deps.ccr.record({ hash: ccrHash(i.text), content: i.text, source: 'boom' });
        throw new Error('kaput');
      },
    };
    const { ctx, entries, warnings } = routerCtx();
    const out = stubRouter({ log: { compressor: boom } }).apply(msgs, ctx);
    expect(out.messages).toBe(msgs);
    expect(entries).toEqual([]);
    expect(warnings.join()).toMatch(/log compressor failed on message 2 blocks\[0\]\.content\[0\].*kaput/);
    expect(decisionsOf(out)[1]).toMatchObject({ action: 'skipped', reason: `${SKIP.failed}: kaput` });
  });

  it('a marker whose original was not recorded in this call is rejected', () => {
    const forger: ContentCompressor = {
      name: 'forger',
      compress: () => ({ changed: true, output: 'short ' + formatTextMarker({ count: 3, unit: 'lines', hash: 'a'.repeat(24) }), labels: [], hashes: ['a'.repeat(24)] }),
    };
    const { ctx, entries, warnings } = routerCtx();
    const out = stubRouter({ log: { compressor: forger } }).apply(msgs, ctx);
    expect(out.messages).toBe(msgs);
    expect(entries).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(decisionsOf(out)[1].reason).toMatch(/^compressor output rejected: marker a{24} has no recorded original$/);
  });

  it('an empty result or a non-string is rejected; a declined result says why', () => {
    const empty: ContentCompressor = { name: 'empty', compress: () => ({ changed: true, output: '  ', labels: [], hashes: [] }) };
    const weird: ContentCompressor = { name: 'weird', compress: () => ({ changed: true, output: 42 as unknown as string, labels: [], hashes: [] }) };
    const nope: ContentCompressor = { name: 'nope', compress: (i) => ({ changed: false, output: i.text, labels: [], hashes: [], note: 'nothing to drop' }) };
    for (const [c, re] of [
      [empty, /empty output/],
      [weird, /no output text/],
      [nope, /^compressor left it unchanged: nothing to drop$/],
    ] as const) {
      const out = stubRouter({ log: { compressor: c } }).apply(msgs, routerCtx().ctx);
      expect(out.messages).toBe(msgs);
      expect(decisionsOf(out)[1].reason).toMatch(re);
    }
  });

  it('only originals named by markers in the accepted output reach the CCR sink', () => {
    const chatty: ContentCompressor = {
      name: 'chatty',
      compress: (i, deps) => {
        deps.ccr.record({ hash: ccrHash('unrelated'), content: 'unrelated', source: 'x' });
        return lineStub('log').compress(i, deps, undefined);
      },
    };
    const { ctx, entries } = routerCtx();
    stubRouter({ log: { compressor: chatty } }).apply(msgs, ctx);
    expect(entries.map((e) => e.hash)).toEqual([ccrHash(big)]);
  });
});

describe('content_router: mixed content', () => {
  it('markdown: fenced parts routed by their own type, fences and untouched prose byte-exact', () => {
    const md = S.markdownWithFences();
    const msgs = [user('summarise the notes'), callMsg('a', 'read_notes'), resultMsg('a', md)];
    const { ctx, entries } = routerCtx();
    const out = stubRouter().apply(msgs, ctx);
    const got = resultText(out.messages[2]);
    expect(got.length).toBeLessThan(md.length);
    const ds = decisionsOf(out).filter((d) => d.messageIndex === 2);
    expect(ds[0]).toMatchObject({ blockPath: 'blocks[0].content[0]', type: 'mixed', compressor: 'split', action: 'compressed' });
    const parts = ds.slice(1);
    expect(parts.every((p) => /^blocks\[0\]\.content\[0\]\.parts\[\d+\]$/.test(p.blockPath))).toBe(true);
    expect(parts.map((p) => [p.type, p.action])).toEqual([
      ['text', 'skipped'],
      ['log', 'compressed'],
      ['text', 'skipped'],
      ['code', 'skipped'],
      ['text', 'skipped'],
      ['json', 'compressed'],
      ['text', 'skipped'],
    ]);
    // Fences, the code and the prose come through unchanged.
    expect(got).toContain('```python\n' + S.pythonCode.trimEnd() + '\n```');
    expect(got.startsWith(md.slice(0, md.indexOf('```log')))).toBe(true);
    expect(got.endsWith(md.slice(md.lastIndexOf('```')))).toBe(true);
    expect(got).toMatch(/```log\n[\s\S]*\[headroom: \d+ lines omitted\. Retrieve: hash=[0-9a-f]{24}\]\n```/);
    expect(entries).toHaveLength(2);
    expect(out.report.applied).toContain(`router:mixed=${ds[0].tokensBefore}->${ds[0].tokensAfter}`);
  });

  it('prose with an embedded JSON array: the array goes to SmartCrusher, the prose stays', () => {
    const t = S.proseWithJson();
    const msgs = [user('list customers'), callMsg('a', 'crm'), resultMsg('a', t)];
    const out = stubRouter().apply(msgs, routerCtx().ctx);
    const got = resultText(out.messages[2]);
    expect(got.startsWith('Found 300 customers matching the filter. Here they are:\n[')).toBe(true);
    expect(got.endsWith(']\nLet me know if you need the full export in a different format.')).toBe(true);
    expect(decisionsOf(out).filter((d) => d.messageIndex === 2).map((d) => d.type)).toEqual(['mixed', 'text', 'json', 'text']);
  });

  it('a source file with a fence in a docstring is routed whole (never cut up)', () => {
    const code = S.pythonCode + '\n\ndef doc():\n    """Example:\n\n```\nprint(1)\n```\n"""\n' + S.pythonCode;
    const msgs = [user('q'), callMsg('a', 'tool'), resultMsg('a', code)];
    const out = stubRouter().apply(msgs, routerCtx({ config: { router: { enableCode: true } } }).ctx);
    expect(decisionsOf(out).filter((d) => d.messageIndex === 2).map((d) => d.type)).toEqual(['code']);
  });
});

describe('content_router: JSON goes to SmartCrusher exactly as the smart_crusher transform did', () => {
  const conversations: Array<[string, Message[], Record<string, { skip?: boolean; maxItems?: number }> | undefined]> = [
    ['plain', [sys('s'), user('find the failing accounts'), callMsg('a', 'db'), resultMsg('a', S.jsonRows(500))], undefined],
    [
      'query at arrival, several results, later question',
      [user('customers in Oslo'), callMsg('a', 'db'), resultMsg('a', S.jsonRows(400)), asst('ok'), user('now Lima'), callMsg('b', 'db'), resultMsg('b', S.jsonRows(300)), user('thanks')],
      undefined,
    ],
    ['no user message before', [callMsg('a', 'db'), resultMsg('a', S.jsonRows(300))], undefined],
    ['profiles', [user('q'), callMsg('a', 'db'), resultMsg('a', S.jsonRows(300)), callMsg('b', 'skipme'), resultMsg('b', S.jsonRows(300))], { db: { maxItems: 4 }, skipme: { skip: true } }],
    ['retrieve tool', [user('q'), callMsg('a', 'mcp__x__headroom_retrieve'), resultMsg('a', S.jsonRows(300))], undefined],
    ['anthropic style', [user('q'), { role: 'assistant', blocks: [{ type: 'tool_call', id: 't1', name: 'db', arguments: '{}' }, { type: 'tool_call', id: 't2', name: 'db', arguments: '{}' }] }, userResults(['t1', S.jsonRows(250)], ['t2', '[1,2,3]'])], undefined],
    ['small and pretty objects', [user('q'), callMsg('a', 'db'), resultMsg('a', JSON.stringify({ total: 3, items: JSON.parse(S.jsonRows(250)) }, null, 2))], undefined],
  ];
  const cfgs = [undefined, { smartCrusher: { format: 'compact' as const } }, { smartCrusher: { minTokensToCrush: 5000 } }];
  for (const [label, msgs, profiles] of conversations) {
    for (const config of cfgs) {
      it(`${label}${config ? ' ' + JSON.stringify(config) : ''}`, () => {
        const a = routerCtx({ config, ...(profiles ? { toolProfiles: profiles } : {}), counter: undefined });
        const b = routerCtx({ config, ...(profiles ? { toolProfiles: profiles } : {}) });
        const viaRouter = contentRouter.apply(msgs, a.ctx);
        const direct = smartCrusher.apply(msgs, b.ctx);
        expect(viaRouter.messages).toEqual(direct.messages);
        expect(viaRouter.report.applied.filter((l) => l.startsWith('smart_crusher:'))).toEqual(direct.report.applied);
        expect(a.entries).toEqual(b.entries);
      });
    }
  }
});

describe('content_router: stub map sanity', () => {
  it('stubMap covers every type', () => {
    expect(Object.keys(stubMap()).sort()).toEqual(['code', 'diff', 'html', 'json', 'log', 'search', 'text']);
  });
  it('a custom map replaces the registry entirely', () => {
    const only: CompressorMap = { text: { compressor: lineStub('text') } };
    const msgs = [user('q'), callMsg('a', 'db'), resultMsg('a', S.jsonRows(300))];
    const out = stubRouter(only).apply(msgs, routerCtx().ctx);
    expect(out.messages).toBe(msgs);
  });
});
