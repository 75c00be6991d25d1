/**
 * Grammar loading in Node: every grammar from its own npm package, lazily and once; bytes, file
 * URLs and a base directory as sources; failures become warnings and passthrough, never throws.
 * (The browser run of the same loader is in test/code/browser/, for the browser test setup.)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../engine/errors.js';
import { compressCodeSync } from '../../engine/transforms/code/compress.js';
import { resolveCodeConfig } from '../../engine/transforms/code/config.js';
import { codeGrammar, loadedCodeLanguages } from '../../engine/transforms/code/grammars.js';
import { GRAMMAR_ASSETS, copyGrammarAssets, defaultGrammarUrl, resolveAssetPath } from '../../sdk/code/assets.js';
import { ensureLanguages, ensureLanguagesFor, grammarLoadStats, isLanguageLoaded, unloadLanguages } from '../../sdk/code/load.js';
import { FIXTURES, recordingSink, wordCounter } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'headroom-grammars-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('grammar loading (Node)', () => {
  it('loads nothing until asked, then only what is asked', async () => {
    expect(loadedCodeLanguages()).toEqual([]);
    const r = await ensureLanguages(['python']);
    expect(r).toEqual({ loaded: ['python'], failed: [], warnings: [] });
    expect(loadedCodeLanguages()).toEqual(['python']);
    expect(isLanguageLoaded('py')).toBe(true);
    expect(isLanguageLoaded('go')).toBe(false);
  });

  it('loads all nine grammars from their packages, each once even when asked concurrently', async () => {
    const [a, b] = await Promise.all([ensureLanguages('all'), ensureLanguages(['rust', 'rs', 'golang'])]);
    expect(a.failed).toEqual([]);
    expect(a.loaded.sort()).toEqual(['c', 'cpp', 'go', 'java', 'javascript', 'python', 'rust', 'tsx', 'typescript']);
    expect(b.loaded).toEqual(['rust', 'go']);
    const stats = grammarLoadStats();
    expect(stats.runtimeMs).toBeGreaterThan(0);
    expect(stats.grammars).toHaveLength(9);
    for (const g of stats.grammars) {
      expect(g.bytes).toBeGreaterThan(100_000);
      expect(g.source).toBe('package');
    }
    const parser = codeGrammar('rust')?.parser;
    await ensureLanguages(['rust']);
    expect(codeGrammar('rust')?.parser).toBe(parser);
  });

  it('resolves assets from node_modules and copies them for a bundle or a static directory', async () => {
    const path = await resolveAssetPath(GRAMMAR_ASSETS.tsx);
    expect(path).toMatch(/tree-sitter-typescript[\\/]tree-sitter-tsx\.wasm$/);
    const files = await copyGrammarAssets(tmp, ['python', 'go']);
    expect(files.map((f) => f.split(/[\\/]/).pop())).toEqual(['tree-sitter-python.wasm', 'tree-sitter-go.wasm', 'web-tree-sitter.wasm']);
    expect(defaultGrammarUrl('go').href).toMatch(/\/grammars\/tree-sitter-go\.wasm$/);
  });

  it('accepts bytes, a file URL, a path and a base directory', async () => {
    unloadLanguages(['python', 'go']);
    expect(isLanguageLoaded('python')).toBe(false);
    const bytes = readFileSync(join(tmp, 'tree-sitter-python.wasm'));
    expect((await ensureLanguages(['python'], { grammars: { python: bytes } })).failed).toEqual([]);
    expect(grammarLoadStats().grammars.find((g) => g.language === 'python')?.source).toBe('bytes');
    expect((await ensureLanguages(['go'], { grammarBaseUrl: pathToFileURL(tmp + '/') })).failed).toEqual([]);
    expect(grammarLoadStats().grammars.find((g) => g.language === 'go')?.source).toBe('url');
    unloadLanguages(['go']);
    expect((await ensureLanguages(['go'], { grammars: { go: join(tmp, 'tree-sitter-go.wasm') } })).loaded).toEqual(['go']);
  });

  it('a grammar that cannot be loaded is a warning, and its code passes through', async () => {
    unloadLanguages(['java']);
    const seen: string[] = [];
    const r = await ensureLanguages(['java', 'python'], { grammars: { java: join(tmp, 'missing.wasm') }, onWarning: (w) => seen.push(w) });
    expect(r.loaded).toEqual(['python']);
    expect(r.failed.map((f) => f.language)).toEqual(['java']);
    expect(r.warnings[0]).toMatch(/code grammar for java could not be loaded .*java code passes through uncompressed/);
    expect(seen).toEqual(r.warnings);
    const corrupt = await ensureLanguages(['java'], { grammars: { java: new Uint8Array([0, 97, 115, 109, 1, 2, 3]) } });
    expect(corrupt.failed).toHaveLength(1);
    const src = readFileSync(join(FIXTURES, 'java/LruCache.java'), 'utf8');
    const out = compressCodeSync(src, { counter: wordCounter, ccr: recordingSink() }, resolveCodeConfig({ aggressive: true }), { path: 'LruCache.java' });
    expect(out.skip).toBe('grammar');
    expect(out.output).toBe(src);
    // A later call without the bad source retries and succeeds.
    expect((await ensureLanguages(['java'])).loaded).toEqual(['java']);
  });

  it('unknown language names are the caller’s mistake', async () => {
    await expect(ensureLanguages(['python', 'cobol'])).rejects.toThrow(ConfigurationError);
  });

  it('ensureLanguagesFor loads what a set of blocks needs', async () => {
    unloadLanguages();
    const r = await ensureLanguagesFor([
      { text: 'x', path: 'a/b.rs' },
      { text: 'y', toolArgs: '{"file_path":"main.go"}' },
      { text: 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println(1)\n}\n' },
      { text: 'plain prose, nothing to load' },
    ]);
    expect(r.loaded.sort()).toEqual(['go', 'rust']);
    expect(loadedCodeLanguages().sort()).toEqual(['go', 'rust']);
  });
});
