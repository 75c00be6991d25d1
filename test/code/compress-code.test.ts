/** The public compressCode(): loads its grammar, is always aggressive, stores the original first. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMarkers } from '../../engine/ccr/markers.js';
import type { CCREntry, CCRStore } from '../../engine/ccr/types.js';
import { ConfigurationError } from '../../engine/errors.js';
import { MemoryStore } from '../../sdk/ccr/memory-store.js';
import { compressCode } from '../../sdk/index.js';
import { isLanguageLoaded } from '../../sdk/code/load.js';
import { FIXTURES } from './helpers.js';

const fixture = (p: string) => readFileSync(join(FIXTURES, p), 'utf8');

describe('compressCode', () => {
  it('compresses a file, loading its grammar, and stores the original byte for byte', async () => {
    const store = new MemoryStore();
    const src = fixture('rust/tokenizer.rs');
    expect(isLanguageLoaded('rust')).toBe(false);
    const r = await compressCode(src, { path: 'src/tokenizer.rs', store });
    expect(isLanguageLoaded('rust')).toBe(true);
    expect(r).toMatchObject({ changed: true, language: 'rust', syntaxValid: true, warnings: [] });
    expect(r.tokensAfter).toBeLessThan(r.tokensBefore * 0.8);
    expect(r.ccrHash).toMatch(/^[0-9a-f]{24}$/);
    expect(parseMarkers(r.compressed)[0].hash).toBe(r.ccrHash);
    expect((await store.get(r.ccrHash as string))?.content).toBe(src);
  });

  it('is aggressive: no size, recency or intent gate', async () => {
    const src = 'def f(x):\n' + Array.from({ length: 8 }, (_, i) => `    v${i} = get(x, ${i})`).join('\n') + '\n    return v0\n';
    const r = await compressCode(src, { language: 'py', maxBodyLines: 1, store: new MemoryStore() });
    expect(r.changed).toBe(true);
    expect(r.tokensBefore).toBeLessThan(100);
  });

  it('detects the language from content, and loads the sibling grammar when needed (TS → TSX)', async () => {
    const store = new MemoryStore();
    const py = await compressCode(fixture('python/cli.py'), { store });
    expect(py.language).toBe('python');
    const tsx = await compressCode(fixture('tsx/useForm.tsx.txt'), { language: 'typescript', store });
    expect(tsx.changed).toBe(true);
    expect(tsx.language).toBe('tsx');
  });

  it('passes config through (docstrings, budget, target ratio)', async () => {
    const src = fixture('python/http_client.py');
    const store = new MemoryStore();
    const full = await compressCode(src, { path: 'c.py', docstrings: 'full', targetRatio: 1, store });
    const first = await compressCode(src, { path: 'c.py', targetRatio: 1, store });
    expect(full.compressed).toContain('* automatic retries with exponential backoff,');
    expect(first.compressed).not.toContain('* automatic retries');
    const sigs = await compressCode(src, { path: 'c.py', maxBodyLines: 0, targetRatio: 1, store });
    expect(sigs.tokensAfter).toBeLessThan(first.tokensAfter);
  });

  it('leaves bad input alone and says why', async () => {
    const broken = fixture('malformed/unbalanced.py');
    const r = await compressCode(broken, { path: 'x.py', store: new MemoryStore() });
    expect(r).toMatchObject({ changed: false, compressed: broken, syntaxValid: false, ccrHash: null });
    expect(r.note).toMatch(/does not parse cleanly/);
    const unknown = await compressCode('SELECT 1;\nSELECT 2;\n', { store: new MemoryStore() });
    expect(unknown).toMatchObject({ changed: false, language: null, note: 'language not recognised' });
  });

  it('returns the source uncompressed when the store fails (no marker without its original)', async () => {
    const failing: CCRStore = { put: async (_e: CCREntry) => Promise.reject(new Error('disk full')), get: async () => null };
    const src = fixture('go/cache.go');
    const r = await compressCode(src, { path: 'cache.go', store: failing });
    expect(r.changed).toBe(false);
    expect(r.compressed).toBe(src);
    expect(r.ccrHash).toBeNull();
    expect(r.warnings[0]).toMatch(/CCR store failed \(disk full\)/);
  });

  it('throws only for caller mistakes', async () => {
    await expect(compressCode(42 as unknown as string)).rejects.toThrow(ConfigurationError);
    await expect(compressCode('x', { maxBodyLines: -1 })).rejects.toThrow(/maxBodyLines/);
    await expect(compressCode('x', { nope: true } as never)).rejects.toThrow(/nope is not a known setting/);
  });
});
