/**
 * The published package, not the sources: dist/ as a consumer imports it through the package's
 * own `exports` (npm test builds it first). Catches missing .js extensions, files left out of the
 * build, and a wasm module that only loads from the source tree.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));

describe('built package', () => {
  it('has the entry points package.json exports', () => {
    for (const entry of Object.values(pkg.exports) as Array<string | Record<string, string>>) {
      if (typeof entry === 'string') continue;
      for (const file of Object.values(entry)) expect(existsSync(new URL(file, root)), file).toBe(true);
    }
  });

  it('compresses through the built ESM entry with WASM kernels and exact counts', async () => {
    const lib = await import(new URL(pkg.exports['.'].import, root).href);
    const r = await lib.compress([{ role: 'system', content: 'Be brief. Today is 2026-11-20.' }, { role: 'user', content: 'hi' }]);
    expect(r.tokenCounting).toBe('exact');
    expect(r.transformsApplied).toContain('cache_align:moved=1');
    expect(r.warnings.filter((w: string) => /WASM/.test(w))).toEqual([]);
    const kernels = await import(new URL('dist/engine/kernels/index.js', root).href);
    expect(kernels.getKernels().backend).toBe('wasm');
    expect(new lib.ConfigurationError('x')).toBeInstanceOf(lib.HeadroomError);
  });
});
