/**
 * Code in the default compress() path: the router routes code to the code compressor
 * (router.enableCode, default on) behind the gates, the SDK loads only the grammars the run asked
 * for and runs again, a grammar that cannot be loaded means passthrough with a warning, and every
 * decision on code says which gate left it alone.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseMarkers } from '../../engine/ccr/markers.js';
import { resolveConfig } from '../../engine/config.js';
import { codeCompressor } from '../../engine/transforms/code/compress.js';
import { DEFAULT_CODE_CONFIG, resolveCodeConfig } from '../../engine/transforms/code/config.js';
import { takeMissingGrammars } from '../../engine/transforms/code/grammars.js';
import { routerCodeConfig } from '../../engine/transforms/router/registry.js';
import { SKIP, type RoutingDecision } from '../../engine/transforms/router/types.js';
import { MemoryStore } from '../../sdk/ccr/memory-store.js';
import { configureCodeGrammars, ensureLanguages, isLanguageLoaded, unloadLanguages } from '../../sdk/code/load.js';
import { compress } from '../../sdk/compress.js';
import { simulate } from '../../sdk/index.js';
import { FIXTURES, recordingSink, wordCounter } from './helpers.js';

const source = readFileSync(join(FIXTURES, 'python/http_client.py'), 'utf8');

/** An OpenAI chat where the agent read a Python file, then more turns followed. */
function chat(latestUser = 'now add a --verbose flag to the CLI', turnsAfter = 3) {
  const msgs: unknown[] = [
    { role: 'system', content: 'You are a coding agent.' },
    { role: 'user', content: 'look at the HTTP client' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read_file', arguments: JSON.stringify({ path: 'src/http_client.py' }) } }] },
    { role: 'tool', tool_call_id: 'c1', content: source },
  ];
  for (let i = 0; i < turnsAfter; i++) msgs.push({ role: 'assistant', content: `Step ${i} done.` }, { role: 'user', content: i === turnsAfter - 1 ? latestUser : `ok, continue with step ${i + 1}` });
  return msgs;
}

function toolText(messages: unknown[]): string {
  return (messages[3] as { content: string }).content;
}

afterEach(() => {
  configureCodeGrammars({});
});

describe('router settings for code', () => {
  it('enableCode is on by default; config.code is resolved, and router.aggressive turns its gates off', () => {
    expect(resolveConfig(undefined).router.enableCode).toBe(true);
    const base = routerCodeConfig(resolveConfig(undefined));
    expect(base).toMatchObject({ ...DEFAULT_CODE_CONFIG, aggressive: false });
    expect(routerCodeConfig(resolveConfig({ router: { aggressive: true } })).aggressive).toBe(true);
    const withCode = { ...resolveConfig(undefined), code: { maxBodyLines: 2, docstrings: 'remove' } } as Parameters<typeof routerCodeConfig>[0];
    expect(routerCodeConfig(withCode)).toMatchObject({ maxBodyLines: 2, docstrings: 'remove', minTokens: 100 });
  });

  it('carries the grammar generation, so the router cache key changes when grammars change', async () => {
    const key = () => routerCodeConfig(resolveConfig(undefined)).grammars;
    await ensureLanguages(['go']);
    const a = key();
    expect(key()).toBe(a);
    unloadLanguages(['go']);
    const b = key();
    expect(b).not.toBe(a);
    await ensureLanguages(['go']);
    expect(key()).not.toBe(b);
    const c = key();
    configureCodeGrammars({});
    expect(key()).not.toBe(c);
  });

  it('the router entry point holds code back when the router does not say where it sits, and says so', () => {
    const out = codeCompressor.compress({ text: source, query: '', hint: 'python' }, { counter: wordCounter, ccr: recordingSink() }, DEFAULT_CODE_CONFIG);
    expect(out.changed).toBe(false);
    expect(out.note).toMatch(/^recent: position in the conversation unknown/);
    const old = codeCompressor.compress({ text: source, query: '', hint: 'python', context: { messagesFromEnd: 6 } } as never, { counter: wordCounter, ccr: recordingSink() }, resolveCodeConfig({}));
    // Passing the gates: either compressed or, without the grammar, `grammar:` (and noted for the SDK).
    expect(old.changed || /^grammar:/.test(old.note ?? '')).toBe(true);
  });
});

describe('compress(): code tool outputs', () => {
  it('loads only the grammar the run asked for, runs again, compresses, stores the original', async () => {
    unloadLanguages();
    takeMissingGrammars();
    const store = new MemoryStore();
    const r = await compress(chat(), { model: 'gpt-4o', store, config: { router: { aggressive: true } } });
    expect(r.warnings).toEqual([]);
    expect(isLanguageLoaded('python')).toBe(true);
    expect(isLanguageLoaded('go')).toBe(false);
    const out = toolText(r.messages);
    expect(out).not.toBe(source);
    const markers = parseMarkers(out);
    expect(markers.length).toBeGreaterThan(1);
    for (const m of markers) {
      expect(m.hash).toBe(markers[0].hash);
      expect((await store.get(m.hash))?.content).toBe(source);
    }
    expect(r.ccrHashes).toContain(markers[0].hash);
    expect(r.transformsApplied.some((l) => l.startsWith('code:python:'))).toBe(true);
  });

  it('gated code loads no grammar and passes through; the decision names the gate', async () => {
    unloadLanguages();
    const decisionOn = async (msgs: unknown[], options = {}) => {
      const sim = await simulate(msgs, { model: 'gpt-4o', ...options });
      expect(toolText(sim.messages as unknown[])).toBe(source);
      const d = sim.decisions.find((x) => x.transform === 'content_router' && x.messageIndex === 3) as RoutingDecision | undefined;
      expect(d).toMatchObject({ type: 'code', language: 'python', action: 'skipped' });
      return d?.reason;
    };
    // Recent: the file was read in the last 4 messages.
    expect(await decisionOn(chat('now add a --verbose flag', 1))).toBe(SKIP.recentCode);
    // Small: under the code threshold.
    expect(await decisionOn(chat('now add a --verbose flag', 3), { config: { router: { minTokens: { code: 100_000 } } } })).toMatch(/^below threshold \(\d+ < 100000 tokens\)$/);
    // Analysis intent in the latest user message protects all code.
    expect(await decisionOn(chat('please review the retry logic'))).toBe(SKIP.analysisIntent);
    // Switched off.
    expect(await decisionOn(chat(), { config: { router: { enableCode: false } } })).toBe(SKIP.codePassthrough);
    const r = await compress(chat('now add a --verbose flag', 1), { model: 'gpt-4o' });
    expect(toolText(r.messages)).toBe(source);
    expect(isLanguageLoaded('python')).toBe(false);
  });

  it('by default, code the gates allow (big enough, not recent, no analysis intent) is compressed', async () => {
    unloadLanguages();
    takeMissingGrammars();
    const store = new MemoryStore();
    const r = await compress(chat('now add a --verbose flag', 3), { model: 'gpt-4o', store });
    expect(r.warnings).toEqual([]);
    const out = toolText(r.messages);
    expect(out).not.toBe(source);
    expect((await store.get(parseMarkers(out)[0].hash))?.content).toBe(source);
    expect(isLanguageLoaded('python')).toBe(true);
  });

  it('a grammar that cannot be loaded: passthrough with one warning, not retried until the grammar source changes', async () => {
    unloadLanguages();
    takeMissingGrammars();
    configureCodeGrammars({ grammars: { python: join(FIXTURES, 'no-such-grammar.wasm') } });
    const opts = { model: 'gpt-4o', config: { router: { aggressive: true } }, store: new MemoryStore() };
    const a = await compress(chat(), opts);
    expect(toolText(a.messages)).toBe(source);
    expect(a.warnings.filter((w) => /code grammar for python could not be loaded/.test(w))).toHaveLength(1);
    const b = await compress(chat('and a --quiet flag'), opts);
    expect(toolText(b.messages)).toBe(source);
    expect(b.warnings.some((w) => /grammar/.test(w))).toBe(false);
    // A new grammar source: tried again, and this time it loads.
    configureCodeGrammars({});
    const c = await compress(chat('and a --json flag'), opts);
    expect(c.warnings).toEqual([]);
    expect(toolText(c.messages)).not.toBe(source);
  });
});

describe('compress(): code across turns', () => {
  /** The conversation as an agent re-sends it: the same history plus one more exchange per turn. */
  const turn = (n: number) => chat(`continue with step ${n}`, n);

  it('by default, a code result changes once, when it leaves the last 4 messages, and is stable after', async () => {
    await ensureLanguages(['python']);
    const outs: string[] = [];
    for (let n = 0; n <= 4; n++) outs.push(toolText((await compress(turn(n), { model: 'gpt-4o' })).messages));
    // n = 0: 0 messages after the result; n = 1: 2 after; n = 2: 4 after (out of the last 4).
    expect(outs[0]).toBe(source);
    expect(outs[1]).toBe(source);
    expect(outs[2]).not.toBe(source);
    expect(outs[3]).toBe(outs[2]);
    expect(outs[4]).toBe(outs[2]);
  });

  it('with code.protectRecentMessages 0, code is compressed as it arrives and never changes again', async () => {
    await ensureLanguages(['python']);
    const config = { code: { protectRecentMessages: 0 } };
    const outs: string[] = [];
    for (let n = 0; n <= 3; n++) outs.push(toolText((await compress(turn(n), { model: 'gpt-4o', config })).messages));
    expect(outs[0]).not.toBe(source);
    for (const o of outs) expect(o).toBe(outs[0]);
  });
});

describe('pasted code (the CLI and the playground)', () => {
  it('a pasted source file is compressed as history, even when its grammar is a fallback (TypeScript read as JavaScript first)', async () => {
    unloadLanguages();
    takeMissingGrammars();
    const { samplePayloads } = await import('../../sdk/cli/samples.js');
    const { parsePayload, payloadOptions } = await import('../../sdk/worker/payload.js');
    const sample = samplePayloads().find((p) => p.name === 'source-file')!;
    const { messages, info } = parsePayload(sample.text());
    expect(info.kind).toBe('tool-output');
    const options = payloadOptions(info, { model: 'gpt-4o', store: new MemoryStore() });
    expect(options.config?.code?.protectRecentMessages).toBe(0);
    // Twice: the second call must not replay a result cached while a grammar was missing.
    for (let i = 0; i < 2; i++) {
      const r = await compress(messages, options);
      expect(r.tokensAfter).toBeLessThan(r.tokensBefore * 0.7);
      const out = (r.messages[2] as { content: string }).content; // the wrapped tool result
      expect((await options.store.get(parseMarkers(out)[0].hash))?.content).toBe(sample.text());
    }
    // A caller's own setting wins; conversations are left as they are.
    expect(payloadOptions(info, { config: { code: { protectRecentMessages: 2 } } }).config?.code?.protectRecentMessages).toBe(2);
    expect(payloadOptions({ ...info, kind: 'messages' }, {})).toEqual({});
  });
});
