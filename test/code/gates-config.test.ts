/**
 * Safety gates (size, recent messages, analysis intent; all off when aggressive), config
 * validation, language choice, and the router's view of the compressor (`codeCompressor`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../engine/errors.js';
import { parseMarkers } from '../../engine/ccr/markers.js';
import { codeCompressor, compressCodeSync } from '../../engine/transforms/code/compress.js';
import { DEFAULT_CODE_CONFIG, resolveCodeConfig, resolveCodeSection } from '../../engine/transforms/code/config.js';
import { ANALYSIS_INTENT, checkGates } from '../../engine/transforms/code/gates.js';
import { chooseLanguage, detectLanguageFromContent, languageFromPath, normalizeLanguage, pathFromToolArgs } from '../../engine/transforms/code/languages.js';
import { ensureLanguages, unloadLanguages } from '../../sdk/code/load.js';
import { FIXTURES, recordingSink, wordCounter } from './helpers.js';

const fixture = (p: string) => readFileSync(join(FIXTURES, p), 'utf8');

beforeAll(async () => {
  await ensureLanguages(['python', 'go', 'typescript', 'tsx', 'javascript', 'rust', 'java', 'c', 'cpp']);
}, 60_000);

describe('gates', () => {
  const src = fixture('python/http_client.py');
  const run = (config = {}, opts = {}) => compressCodeSync(src, { counter: wordCounter, ccr: recordingSink() }, resolveCodeConfig(config), { path: 'client.py', ...opts });

  it('size: under minTokens is left alone with a note', () => {
    const r = run({ minTokens: 1_000_000 });
    expect(r.skip).toBe('small');
    expect(r.note).toMatch(/below threshold/);
  });

  it('recent: code in the last N messages is left alone', () => {
    expect(run({}, { context: { messagesFromEnd: 0 } }).skip).toBe('recent');
    expect(run({}, { context: { messagesFromEnd: 3 } }).skip).toBe('recent');
    expect(run({}, { context: { messagesFromEnd: 4 } }).changed).toBe(true);
    expect(run({ protectRecentMessages: 0 }, { context: { messagesFromEnd: 0 } }).changed).toBe(true);
  });

  it('analysis intent in the latest user message protects all code', () => {
    const r = run({}, { context: { messagesFromEnd: 10, latestUserMessage: 'Can you explain how the retry works?' } });
    expect(r.skip).toBe('intent');
    expect(r.note).toContain('"explain"');
    // Without router context the query of the block stands in.
    expect(run({}, { query: 'please fix the bug in paginate' }).skip).toBe('intent');
    expect(run({ protectAnalysisContext: false }, { query: 'please fix the bug' }).changed).toBe(true);
    expect(run({}, { query: 'add a delete endpoint' }).changed).toBe(true);
  });

  it('aggressive turns every gate off', () => {
    const r = run({ aggressive: true, minTokens: 1_000_000 }, { context: { messagesFromEnd: 0, latestUserMessage: 'review this' } });
    expect(r.changed).toBe(true);
  });

  it('intent words follow the reference list, word-bounded', () => {
    for (const s of ['analyze this', 'Review the diff', 'why is this broken', 'how does it work', 'refactoring plan', 'optimise it', 'clean up the code', 'any security issues?', 'debugging'])
      expect(ANALYSIS_INTENT.test(s), s).toBe(true);
    for (const s of ['add a feature', 'prefix the names', 'write tests', 'rename the file']) expect(ANALYSIS_INTENT.test(s), s).toBe(false);
    expect(checkGates(10, DEFAULT_CODE_CONFIG, undefined, undefined)?.code).toBe('small');
  });
});

describe('config', () => {
  it('defaults', () => {
    expect(resolveCodeConfig(undefined)).toBe(DEFAULT_CODE_CONFIG);
    expect(DEFAULT_CODE_CONFIG).toMatchObject({ maxBodyLines: 5, docstrings: 'first_line', targetRatio: 0.5, minTokens: 100, protectRecentMessages: 4, protectAnalysisContext: true, aggressive: false });
    expect(DEFAULT_CODE_CONFIG.languages).toHaveLength(9);
  });

  it('accepts aliases and modes, rejects mistakes with every problem listed', () => {
    const c = resolveCodeConfig({ languages: ['py', 'TS', 'c++'], docstrings: 'remove', maxBodyLines: 0, targetRatio: 1 });
    expect(c.languages).toEqual(['python', 'typescript', 'cpp']);
    expect(c.docstrings).toBe('remove');
    const problems: string[] = [];
    resolveCodeSection({ languages: ['cobol'], docstrings: 'some', maxBodyLines: -1, targetRatio: 0, bogus: 1, keepCommentWords: ['a b'] }, problems);
    expect(problems).toHaveLength(6);
    expect(() => resolveCodeConfig({ maxBodyLines: 1.5 })).toThrow(ConfigurationError);
  });
});

describe('language choice', () => {
  it('explicit language, then path (also inside tool args), then hint, then content', () => {
    expect(normalizeLanguage('C++')).toBe('cpp');
    expect(normalizeLanguage('golang')).toBe('go');
    expect(normalizeLanguage('cobol')).toBeUndefined();
    expect(languageFromPath('/src/App.tsx')).toBe('tsx');
    expect(languageFromPath('include/x.hpp')).toBe('cpp');
    expect(languageFromPath('Makefile')).toBeUndefined();
    expect(pathFromToolArgs(JSON.stringify({ file_path: '/repo/src/main.rs' }))).toBe('/repo/src/main.rs');
    expect(pathFromToolArgs('not json')).toBeUndefined();
    expect(chooseLanguage('x', { language: 'python', path: 'a.go' })).toEqual({ language: 'python', via: 'option' });
    // The router says "typescript" for .tsx files; the path refines it.
    expect(chooseLanguage('x', { language: 'typescript', toolArgs: '{"path":"src/App.tsx"}' })).toEqual({ language: 'tsx', via: 'path' });
    expect(chooseLanguage('x', { hint: 'rs' })).toEqual({ language: 'rust', via: 'hint' });
    expect(chooseLanguage('no code here at all', {})).toBeUndefined();
    // A language we do not parse is not guessed at from content.
    const py = 'def f(x):\n    return x\n\n\ndef g(y):\n    return y\n';
    expect(chooseLanguage(py, {})?.language).toBe('python');
    expect(chooseLanguage(py, { hint: 'kotlin' })).toBeUndefined();
    expect(chooseLanguage(py, { path: 'build.gradle.kts' })).toBeUndefined();
    expect(chooseLanguage(py, { language: 'ruby' })).toBeUndefined();
    const r = compressCodeSync(py, { counter: wordCounter, ccr: recordingSink() }, resolveCodeConfig({ aggressive: true }), { hint: 'kotlin' });
    expect(r.note).toMatch(/^kotlin is not a supported language/);
  });

  it('content detection recognises every fixture language', () => {
    const cases: Array<[string, string]> = [
      ['python/models.py', 'python'],
      ['javascript/server.js', 'javascript'],
      ['typescript/collections.ts.txt', 'typescript'],
      ['tsx/DataTable.tsx.txt', 'tsx'],
      ['go/cache.go', 'go'],
      ['rust/store.rs', 'rust'],
      ['java/OrderService.java', 'java'],
      ['c/json_lexer.c', 'c'],
      ['cpp/thread_pool.hpp', 'cpp'],
    ];
    for (const [file, lang] of cases) expect(detectLanguageFromContent(fixture(file)), file).toBe(lang);
  });

  it('falls back to the sibling grammar when the first one reports errors (TS ↔ TSX)', () => {
    const tsx = fixture('tsx/DataTable.tsx.txt');
    const r = compressCodeSync(tsx, { counter: wordCounter, ccr: recordingSink() }, resolveCodeConfig({ aggressive: true }), { language: 'typescript' });
    expect(r.changed).toBe(true);
    expect(r.language).toBe('tsx');
  });
});

describe('router adapter', () => {
  const src = fixture('go/handler.go');

  it('is named "code", records the original before returning its marker, reports labels and hashes', () => {
    const sink = recordingSink();
    const out = codeCompressor.compress({ text: src, query: '', hint: 'go', toolName: 'read_file', toolArgs: '{"path":"api/handler.go"}' }, { counter: wordCounter, ccr: sink }, resolveCodeConfig({ aggressive: true }));
    expect(codeCompressor.name).toBe('code');
    expect(out.changed).toBe(true);
    expect(sink.entries).toHaveLength(1);
    expect(sink.entries[0]).toMatchObject({ source: 'code', content: src });
    expect(out.hashes).toEqual([sink.entries[0].hash]);
    expect(parseMarkers(out.output)[0].hash).toBe(sink.entries[0].hash);
    expect(out.labels[0]).toMatch(/^code:go:lines=\d+->\d+$/);
  });

  it('passes through with a note: gates (router context), defaults, missing grammar', async () => {
    const ctx = { text: src, query: '', hint: 'go', context: { messagesFromEnd: 1 } };
    const recent = codeCompressor.compress(ctx, { counter: wordCounter, ccr: recordingSink() }, undefined);
    expect(recent).toMatchObject({ changed: false, output: src, labels: [], hashes: [] });
    expect(recent.note).toMatch(/recent message/);
    unloadLanguages(['go']);
    try {
      const missing = codeCompressor.compress({ text: src, query: '', hint: 'go' }, { counter: wordCounter, ccr: recordingSink() }, resolveCodeConfig({ aggressive: true }));
      expect(missing.changed).toBe(false);
      expect(missing.note).toMatch(/grammar for go not loaded \(await ensureLanguages/);
    } finally {
      await ensureLanguages(['go']);
    }
  });
});
