import { describe, expect, it, vi } from 'vitest';

// Record when each rank module is actually imported (vi.mock factories run on first import).
const imported = vi.hoisted(() => ({ o200k: 0, cl100k: 0 }));
vi.mock('js-tiktoken/ranks/o200k_base', async (orig) => {
  imported.o200k++;
  return orig();
});
vi.mock('js-tiktoken/ranks/cl100k_base', async (orig) => {
  imported.cl100k++;
  return orig();
});

describe('lazy rank loading', () => {
  it('importing the tokenizer loads no ranks', async () => {
    const tok = await import('../../engine/tokenizer/index.js');
    await import('../../engine/models/index.js');
    expect(tok.isEncodingLoaded('o200k_base')).toBe(false);
    expect(tok.isEncodingLoaded('cl100k_base')).toBe(false);
    expect(tok.loadedEncodings()).toEqual([]);
    expect(imported).toEqual({ o200k: 0, cl100k: 0 });
  });

  it('estimating models never load ranks', async () => {
    const tok = await import('../../engine/tokenizer/index.js');
    const c = await tok.getTokenCounter('claude-sonnet-4-5');
    expect(c.exact).toBe(false);
    expect(c.countText('hello world')).toBeGreaterThan(0);
    expect(imported).toEqual({ o200k: 0, cl100k: 0 });
  });

  it('a gpt-4o counter loads o200k only, once, shared by concurrent callers', async () => {
    const tok = await import('../../engine/tokenizer/index.js');
    const [a, b] = await Promise.all([tok.getTokenCounter('gpt-4o'), tok.getTokenCounter('gpt-4.1-mini')]);
    expect(a.exact && b.exact).toBe(true);
    expect(imported).toEqual({ o200k: 1, cl100k: 0 });
    expect(tok.isEncodingLoaded('o200k_base')).toBe(true);
    expect(tok.isEncodingLoaded('cl100k_base')).toBe(false);
    const t = tok.encodingLoadTiming('o200k_base');
    expect(t?.source).toBe('import');
    expect(t!.buildMs).toBeGreaterThan(0);
    // the sync path now sees it
    expect(tok.getLoadedTokenCounter('gpt-4o').exact).toBe(true);
    await tok.getTokenCounter('gpt-4');
    expect(imported).toEqual({ o200k: 1, cl100k: 1 });
  });
});
