/**
 * Inputs property tests found, kept as fixed cases.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compress } from '../../sdk/index.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/regressions/${name}`, import.meta.url), 'utf8'));

describe('IntelligentContext regressions', () => {
  it('a drop whose marker costs more than it saves is not made, so a re-run changes nothing', async () => {
    // Gemini conversation, 495 tokens for a budget of 494: the droppable messages hold fewer
    // tokens than the marker (whose hash tokenizes worse than the bound assumed); dropping made
    // the prompt 501 tokens and a second run dropped again.
    const [messages, tokenBudget] = fixture('ic-marker-bound-gemini.json');
    const a = await compress(messages, { format: 'gemini', tokenBudget });
    expect(a.tokensAfter).toBeLessThanOrEqual(a.tokensBefore);
    expect(a.fitsBudget).toBe(false);
    expect(a.warnings.join('\n')).toMatch(/would not make it smaller/);
    const b = await compress(a.messages, { format: 'gemini', tokenBudget });
    expect(JSON.stringify(b.messages)).toBe(JSON.stringify(a.messages));
  });
});

describe('RollingWindow regressions', () => {
  it('the same input with RollingWindow: never bigger, and a re-run changes nothing', async () => {
    const [messages, tokenBudget] = fixture('ic-marker-bound-gemini.json');
    const config = { intelligentContext: { enabled: false } };
    const a = await compress(messages, { format: 'gemini', tokenBudget, config });
    expect(a.tokensAfter).toBeLessThanOrEqual(a.tokensBefore);
    const b = await compress(a.messages, { format: 'gemini', tokenBudget, config });
    expect(JSON.stringify(b.messages)).toBe(JSON.stringify(a.messages));
  });
});
