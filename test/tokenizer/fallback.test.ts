import { describe, expect, it, vi } from 'vitest';
import { TokenizationError } from '../../engine/errors.js';

// Simulate a host where the cl100k rank chunk cannot be loaded.
vi.mock('js-tiktoken/ranks/cl100k_base', () => {
  throw new Error('chunk failed to load');
});

describe('rank loading failure', () => {
  it('falls back to the estimator with a warning', async () => {
    const { getTokenCounter } = await import('../../engine/tokenizer/index.js');
    const c = await getTokenCounter('gpt-4');
    expect(c.exact).toBe(false);
    expect(c.encoding).toBeNull();
    expect(c.profile).toBe('cl100k_base');
    expect(c.warnings.join(' ')).toMatch(/Could not load cl100k_base ranks.*estimate/);
    expect(c.countText('The quick brown fox jumps over the lazy dog.')).toBeGreaterThan(5);
  });

  it('throws TokenizationError when exactness was required', async () => {
    const { getTokenCounter } = await import('../../engine/tokenizer/index.js');
    await expect(getTokenCounter('gpt-3.5-turbo', { requireExact: true })).rejects.toBeInstanceOf(TokenizationError);
    await expect(getTokenCounter('gpt-3.5-turbo', { requireExact: true })).rejects.toMatchObject({ code: 'TOKENIZATION' });
  });

  it('retries the import on a later call (failures are not cached)', async () => {
    const { loadEncoding } = await import('../../engine/tokenizer/index.js');
    await expect(loadEncoding('cl100k_base')).rejects.toBeInstanceOf(TokenizationError);
    await expect(loadEncoding('cl100k_base')).rejects.toBeInstanceOf(TokenizationError);
  });

  it('other encodings still load', async () => {
    const { getTokenCounter } = await import('../../engine/tokenizer/index.js');
    expect((await getTokenCounter('gpt-4o')).exact).toBe(true);
  });
});
