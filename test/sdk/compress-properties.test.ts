/**
 * compress() properties over generated conversations in all four formats.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compress, getDefaultStore } from '../../sdk/index.js';
import { parseMarkers } from '../../engine/ccr/markers.js';
import { MESSAGE_FORMATS } from '../../engine/messages/index.js';
import { messagesOf } from '../fixtures/messages/arbitraries.js';

describe.each(MESSAGE_FORMATS)('compress() on generated %s conversations', (format) => {
  it('audit mode returns the very same messages', async () => {
    await fc.assert(
      fc.asyncProperty(messagesOf(format), async (messages) => {
        const r = await compress(messages, { mode: 'audit', format });
        expect(r.messages).toBe(messages);
        expect(r.tokensAfter).toBe(r.tokensBefore);
      }),
      { numRuns: 60 },
    );
  });

  it('optimize: deterministic, idempotent, never throws, same format, markers resolve byte-exact', async () => {
    await fc.assert(
      fc.asyncProperty(messagesOf(format), fc.integer({ min: 30, max: 5000 }), async (messages, tokenBudget) => {
        const before = JSON.stringify(messages);
        const a = await compress(messages, { format, tokenBudget });
        const b = await compress(JSON.parse(before), { format, tokenBudget });
        expect(JSON.stringify(messages)).toBe(before); // input not mutated
        expect(JSON.stringify(a.messages)).toBe(JSON.stringify(b.messages));
        expect(a.format).toBe(format);
        const again = await compress(a.messages, { format, tokenBudget });
        expect(JSON.stringify(again.messages)).toBe(JSON.stringify(a.messages));
        for (const hash of a.ccrHashes) expect(await getDefaultStore().get(hash)).not.toBeNull();
        const text = JSON.stringify(a.messages);
        for (const m of parseMarkers(text)) expect(a.ccrHashes).toContain(m.hash);
        if (a.fitsBudget) expect(a.tokensAfter).toBeLessThanOrEqual(tokenBudget);
      }),
      { numRuns: 60 },
    );
  });
});
