/**
 * The content compressors' config sections: validated by resolveConfig (ConfigurationError
 * naming the field), and reaching the compressor through compress().
 */
import { describe, expect, it } from 'vitest';
import { compress, ConfigurationError } from '../../sdk/index.js';
import { resolveConfig } from '../../engine/config.js';

function pytestRun(tests: number): string {
  const lines = ['============================= test session starts ==============================', `collected ${tests} items`, ''];
  for (let i = 0; i < tests; i++) lines.push(`tests/test_mod${i % 40}.py::test_case_${i} PASSED${' '.repeat(20)}[${String(Math.floor((i / tests) * 100)).padStart(3)}%]`);
  lines.push('=================================== FAILURES ===================================');
  lines.push('___________________________ test_case_7 ___________________________', 'E   AssertionError: expected 3 == 4', '');
  lines.push(`========================= 1 failed, ${tests - 1} passed in 12.34s =========================`);
  return lines.join('\n');
}

function conversation(toolOutput: string) {
  return [
    { role: 'user', content: 'Run the tests and tell me what failed.' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'bash', arguments: '{"command":"pytest"}' } }] },
    { role: 'tool', tool_call_id: 'c1', content: toolOutput },
    { role: 'user', content: 'And now?' },
  ];
}

describe('compressor config sections', () => {
  it('accepts every compressor section and passes the caller\'s objects on', () => {
    const cfg = resolveConfig({ log: { contextLines: 1 }, search: { maxFiles: 3 }, diff: { maxTokens: 0 }, html: {}, text: {}, code: {} });
    expect(cfg.log).toEqual({ contextLines: 1 });
    expect(cfg.search).toEqual({ maxFiles: 3 });
    expect(resolveConfig(undefined).log).toBeUndefined();
  });

  it.each([
    ['log', { contextLines: -1 }],
    ['log', { noSuchSetting: 1 }],
    ['search', { maxFiles: 'many' }],
    ['diff', { contextLines: 1.5 }],
    ['html', 'yes'],
    ['text', { noSuchSetting: true }],
    ['code', { noSuchSetting: true }],
  ])('rejects a bad %s section with a ConfigurationError naming it', async (section, value) => {
    expect(() => resolveConfig({ [section]: value })).toThrow(ConfigurationError);
    expect(() => resolveConfig({ [section]: value })).toThrow(`config.${section}`);
    await expect(compress(conversation('x'), { config: { [section]: value } as never })).rejects.toThrow(ConfigurationError);
  });

  it('a log section changes what compress() keeps', async () => {
    const messages = conversation(pytestRun(600));
    const a = await compress(messages, { model: 'gpt-4o' });
    const b = await compress(messages, { model: 'gpt-4o', config: { log: { contextLines: 0, headLines: 0 } } });
    expect(a.tokensAfter).toBeLessThan(a.tokensBefore);
    expect(b.tokensAfter).toBeLessThan(a.tokensAfter);
    const text = JSON.stringify(b.messages);
    expect(text).toContain('AssertionError: expected 3 == 4');
    expect(text).toContain('1 failed, 599 passed');
  });
});
