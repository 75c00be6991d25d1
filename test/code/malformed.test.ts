/**
 * Bad data passes through unchanged, without throwing: unbalanced braces, broken Python, mixed
 * languages, minified bundles, a 2 MB one-liner, binary junk, and inputs in a language we do not
 * parse. Aggressive mode, so no gate hides a failure.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compressCodeSync, type CodeSkip } from '../../engine/transforms/code/compress.js';
import { resolveCodeConfig } from '../../engine/transforms/code/config.js';
import { ensureLanguages } from '../../sdk/code/load.js';
import { FIXTURES, recordingSink, wordCounter } from './helpers.js';

const aggressive = resolveCodeConfig({ aggressive: true });

beforeAll(async () => {
  await ensureLanguages('all');
}, 60_000);

function expectPassthrough(text: string, opts: { path?: string; language?: string }, skips: CodeSkip[]) {
  const sink = recordingSink();
  const r = compressCodeSync(text, { counter: wordCounter, ccr: sink }, aggressive, opts);
  expect(r.changed).toBe(false);
  expect(r.output).toBe(text);
  expect(sink.entries).toEqual([]);
  expect(r.hash).toBeNull();
  expect(skips, r.note).toContain(r.skip);
  expect(r.note.length).toBeGreaterThan(0);
  return r;
}

const fixture = (name: string) => readFileSync(join(FIXTURES, 'malformed', name), 'utf8');

describe('malformed input passes through unchanged', () => {
  it('unbalanced braces (TypeScript) and an unclosed call (Python)', () => {
    const ts = expectPassthrough(fixture('unbalanced.ts.txt'), { path: 'src/unbalanced.ts' }, ['input_errors']);
    expect(ts.syntaxValid).toBe(false);
    expect(ts.note).toMatch(/does not parse cleanly/);
    expectPassthrough(fixture('unbalanced.py'), { path: 'unbalanced.py' }, ['input_errors']);
  });

  it('mixed languages in one file', () => {
    expectPassthrough(fixture('mixed_languages.go'), { path: 'main.go' }, ['input_errors']);
    // Markdown with fences is not source code of any language.
    expectPassthrough(fixture('mixed.md'), {}, ['language', 'input_errors', 'nothing']);
    expectPassthrough(fixture('mixed.md'), { language: 'python' }, ['input_errors']);
  });

  it('a minified bundle', () => {
    const r = expectPassthrough(fixture('minified.js'), { path: 'dist/bundle.min.js' }, ['minified']);
    expect(r.note).toMatch(/minified/);
  });

  it('a 2 MB one-liner', () => {
    const big = 'const data = [' + '1234567890,'.repeat(190_000) + '0];';
    expect(big.length).toBeGreaterThan(2_000_000);
    // Rejected before parsing (how cheap that is, as a ratio to one tokenizer pass, is in bench/code.ts).
    expectPassthrough(big, { path: 'data.js' }, ['too_large']);
    // Under the size cap but still one giant line: minified.
    expectPassthrough(big.slice(0, 500_000), { path: 'data.js' }, ['minified']);
  });

  it('binary junk, empty text, unknown languages, code that is already compressed', () => {
    let junk = '';
    for (let i = 0; i < 4000; i++) junk += String.fromCharCode((i * 7919) % 65_000);
    expectPassthrough(junk, { language: 'c' }, ['input_errors', 'minified']);
    expectPassthrough('', { language: 'python' }, ['empty']);
    expectPassthrough('   \n\n', { language: 'python' }, ['empty']);
    expectPassthrough('SELECT * FROM users WHERE id = 1;\nSELECT 2;\n', { path: 'q.sql' }, ['language']);
    expectPassthrough('def f():\n    ...  # [headroom: 12 lines omitted. Retrieve: hash=0123456789abcdef01234567]\n', { language: 'python' }, ['marker']);
  });

  it('a language that is not enabled, and a disabled compressor', () => {
    const src = readFileSync(join(FIXTURES, 'python', 'cli.py'), 'utf8');
    const sink = recordingSink();
    const off = compressCodeSync(src, { counter: wordCounter, ccr: sink }, resolveCodeConfig({ aggressive: true, languages: ['go'] }), { path: 'cli.py' });
    expect(off.skip).toBe('language_disabled');
    const disabled = compressCodeSync(src, { counter: wordCounter, ccr: sink }, resolveCodeConfig({ enabled: false }), { path: 'cli.py' });
    expect(disabled.skip).toBe('disabled');
    expect(sink.entries).toEqual([]);
  });

  it('never throws, even when the token counter does', () => {
    const throwing = { ...wordCounter, countText: () => { throw new Error('boom'); } };
    const r = compressCodeSync('def f():\n    return 1\n', { counter: throwing, ccr: recordingSink() }, aggressive, { language: 'python' });
    expect(r.changed).toBe(false);
    expect(r.skip).toBe('failed');
    expect(r.note).toMatch(/boom/);
  });
});
