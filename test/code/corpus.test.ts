/**
 * The guarantee over a corpus: per language, real-world-shaped files (test/fixtures/code) and this
 * project's own TypeScript sources. Every compressed output parses with no ERROR/MISSING node,
 * keeps every top-level and class-level definition name, is smaller, names its original with a
 * marker, and the CCR entry holds the input byte for byte.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseMarkers } from '../../engine/ccr/markers.js';
import { ccrHash } from '../../engine/ccr/hash.js';
import { compressCodeSync } from '../../engine/transforms/code/compress.js';
import { resolveCodeConfig } from '../../engine/transforms/code/config.js';
import type { CodeLanguage } from '../../engine/transforms/code/languages.js';
import { getTokenCounter } from '../../engine/tokenizer/index.js';
import type { TokenCounter } from '../../engine/tokenizer/types.js';
import { ensureLanguages } from '../../sdk/code/load.js';
import { definitionNames, fixtures, ownSources, problemsOf, recordingSink, type SourceFile } from './helpers.js';

const LANGS: ReadonlyArray<CodeLanguage> = ['python', 'javascript', 'typescript', 'tsx', 'go', 'rust', 'java', 'c', 'cpp'];
const aggressive = resolveCodeConfig({ aggressive: true });

let counter: TokenCounter;
beforeAll(async () => {
  const r = await ensureLanguages('all');
  expect(r.failed).toEqual([]);
  counter = await getTokenCounter('gpt-4o');
}, 60_000);

function check(file: SourceFile, expected?: CodeLanguage) {
  const sink = recordingSink();
  const r = compressCodeSync(file.text, { counter, ccr: sink }, aggressive, { path: file.path });
  if (expected) expect(r.language, file.name).toBe(expected);
  // A rejected output would show up here: the corpus must compress, and compress validly.
  expect(r.skip, `${file.name}: ${r.note}`).not.toBe('invalid_output');
  expect(r.skip, `${file.name}: ${r.note}`).not.toBe('failed');
  if (!r.changed) return r;
  const lang = r.language as CodeLanguage;
  expect(problemsOf(r.output, lang), file.name).toEqual([]);
  expect(r.syntaxValid).toBe(true);
  expect(r.tokensAfter).toBeLessThan(r.tokensBefore);
  expect(r.tokensAfter).toBe(counter.countText(r.output));
  // One CCR entry, recorded with the exact input; every marker names it.
  expect(sink.entries).toHaveLength(1);
  expect(sink.entries[0].content).toBe(file.text);
  expect(sink.entries[0].hash).toBe(ccrHash(file.text));
  expect(r.hash).toBe(sink.entries[0].hash);
  const markers = parseMarkers(r.output);
  expect(markers.length).toBeGreaterThan(0);
  for (const m of markers) expect(m.hash).toBe(r.hash);
  // Structure survives: every top-level and class-level name is still there.
  const names = definitionNames(file.text, lang);
  const outNames = new Set(definitionNames(r.output, lang));
  for (const n of names) expect(outNames.has(n), `${file.name}: ${n}`).toBe(true);
  // Idempotent: the output carries a marker, so a second pass leaves it alone.
  const again = compressCodeSync(r.output, { counter, ccr: recordingSink() }, aggressive, { path: file.path });
  expect(again.changed).toBe(false);
  expect(again.skip).toBe('marker');
  return r;
}

describe('fixture corpus', () => {
  for (const lang of LANGS) {
    it(`${lang}: every file compresses to valid, smaller code with its names and a byte-exact original`, () => {
      const files = fixtures(lang);
      expect(files.length).toBeGreaterThanOrEqual(2);
      let changed = 0;
      for (const f of files) if (check(f, lang).changed) changed++;
      expect(changed).toBe(files.length);
    });
  }
});

describe('this project’s own TypeScript sources', () => {
  it('compress validly (100% parse), keep their names, and most of them shrink', () => {
    const files = ownSources();
    expect(files.length).toBeGreaterThan(50);
    let changed = 0;
    for (const f of files) {
      const r = check(f, 'typescript');
      if (r.changed) changed++;
    }
    expect(changed / files.length).toBeGreaterThan(0.75);
  });
});
