import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../engine/config.js';
import { ConfigurationError } from '../../engine/errors.js';
import { AGGRESSIVE_MIN_TOKENS, contentRouter, DEFAULT_MIN_TOKENS, DEFAULT_ROUTER, hasAnalysisIntent } from '../../engine/transforms/router/index.js';

describe('config.router', () => {
  it('defaults', () => {
    const r = resolveConfig(undefined).router;
    expect(r).toEqual(DEFAULT_ROUTER);
    expect(r).toMatchObject({ enabled: true, protectRecentMessages: 0, enableAssistant: false, enableCode: true, aggressive: false, protectAnalysisContext: true, splitMixed: true });
    expect(r.minTokens).toEqual({ json: 0, code: 500, search: 200, log: 200, diff: 200, html: 200, text: 300 });
    expect(Object.values(r.compressors).every(Boolean)).toBe(true);
    expect(contentRouter.isEnabled(resolveConfig(undefined))).toBe(true);
    expect(contentRouter.isEnabled(resolveConfig({ router: { enabled: false } }))).toBe(false);
  });

  it('merges partial settings; aggressive lowers default thresholds but not explicit ones', () => {
    const r = resolveConfig({ router: { compressors: { log: false }, minTokens: { text: 1000 }, protectRecentMessages: 4, aggressive: true } }).router;
    expect(r.compressors.log).toBe(false);
    expect(r.compressors.search).toBe(true);
    expect(r.minTokens.text).toBe(1000);
    expect(r.minTokens.log).toBe(AGGRESSIVE_MIN_TOKENS);
    expect(r.minTokens.json).toBe(DEFAULT_MIN_TOKENS.json);
    expect(r.protectRecentMessages).toBe(4);
  });

  it('rejects bad values, listing every problem with its path', () => {
    let err: unknown;
    try {
      resolveConfig({ router: { enabled: 'yes', compressors: { yaml: true, log: 1 }, minTokens: { text: -1 }, protectRecentMessages: 1.5, enableCode: null, bogus: 1 } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigurationError);
    const msg = (err as Error).message;
    for (const p of ['config.router.enabled', 'config.router.compressors.yaml', 'config.router.compressors.log', 'config.router.minTokens.text', 'config.router.protectRecentMessages', 'config.router.enableCode', 'config.router.bogus']) expect(msg).toContain(p);
    expect(() => resolveConfig({ router: 3 })).toThrow(/config\.router must be an object/);
  });
});

describe('analysis intent words (§2.3)', () => {
  it('matches the reference list and its inflections, word-bounded', () => {
    for (const q of ['analyze this', 'Analysing logs', 'please review', 'audit the code', 'inspect it', 'security hole', 'a vulnerability', 'found a bug', 'the issue is', 'what problem', 'explain', 'I do not understand', 'how does it work', 'what does it do', 'debugging', 'fix it', 'fixed?', 'an error', 'something wrong', 'it is broken', 'refactor', 'improve it', 'optimise', 'clean up the module'])
      expect(hasAnalysisIntent(q), q).toBe(true);
    for (const q of ['summarise the output', 'continue', 'list the files', 'prefix the names', 'debuggers are tools?'.replace('debuggers', 'compilers')]) expect(hasAnalysisIntent(q), q).toBe(false);
  });
});
