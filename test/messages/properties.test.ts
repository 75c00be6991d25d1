import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../engine/errors.js';
import { converters, detectFormat, fromInternal, MESSAGE_FORMATS, toInternal, tryToInternal } from '../../engine/messages/index.js';
import { messagesOf } from '../fixtures/messages/arbitraries.js';
import {
  changedKeys,
  deepRebuild,
  editableTargets,
  editText,
  pairingProblems,
  sameTextModuloJson,
  shallowRebuild,
  textAt,
} from '../fixtures/messages/helpers.js';

const RUNS = { numRuns: 150 };

describe.each(MESSAGE_FORMATS.map((format) => ({ format })))('$format (generated conversations)', ({ format }) => {
  const arb = messagesOf(format);

  it('detects the generating format', () => {
    fc.assert(
      fc.property(arb, (msgs) => {
        expect(detectFormat(msgs)).toBe(format);
      }),
      RUNS,
    );
  });

  it('writes unedited messages back as the same objects', () => {
    fc.assert(
      fc.property(arb, (msgs) => {
        const snapshot = JSON.stringify(msgs);
        const conv = toInternal(msgs);
        expect(conv.format).toBe(format);
        const out = fromInternal(conv.messages, format);
        expect(out).toHaveLength(msgs.length);
        out.forEach((m, i) => expect(m).toBe(msgs[i]));
        expect(JSON.stringify(msgs)).toBe(snapshot);
      }),
      RUNS,
    );
  });

  it('rebuilds deep-equal with the same key order', () => {
    fc.assert(
      fc.property(arb, (msgs) => {
        const snapshot = JSON.stringify(msgs);
        const { messages } = toInternal(msgs, format);
        // Same blocks in new arrays: deep-equal, same key order.
        const out = converters[format].write(shallowRebuild(messages));
        expect(out).toEqual(msgs);
        expect(JSON.stringify(out)).toBe(snapshot);
        // Copied blocks (every part patched): the same JSON (JSON values are re-parsed, so -0 becomes 0).
        expect(JSON.stringify(converters[format].write(deepRebuild(messages)))).toBe(snapshot);
      }),
      RUNS,
    );
  });

  it('pairs tool call ids with tool result ids', () => {
    fc.assert(
      fc.property(arb, (msgs) => {
        const { messages } = toInternal(msgs, format);
        expect(pairingProblems(messages)).toEqual([]);
        const calls = messages.flatMap((m) => m.blocks.flatMap((b) => (b.type === 'tool_call' ? [b.id] : [])));
        const results = messages.flatMap((m) => m.blocks.flatMap((b) => (b.type === 'tool_result' ? [b.toolCallId] : [])));
        expect([...results].sort()).toEqual([...calls].sort());
      }),
      RUNS,
    );
  });

  it('an edit changes only the edited message, and only the edited part of it', () => {
    fc.assert(
      fc.property(arb, fc.nat(), fc.string({ maxLength: 30 }), (msgs, pick, text) => {
        const { messages } = toInternal(msgs, format);
        const targets = editableTargets(messages);
        fc.pre(targets.length > 0);
        const target = targets[pick % targets.length];
        const out = fromInternal(editText(messages, target, text), format);
        expect(out).toHaveLength(msgs.length);
        out.forEach((m, i) => {
          if (i !== target[0]) expect(m).toBe(msgs[i]);
        });
        const diff = changedKeys(msgs[target[0]], out[target[0]]);
        expect(diff.keys.length).toBeLessThanOrEqual(1);
        for (const n of Object.values(diff.items)) expect(n).toBeLessThanOrEqual(1);
        const reread = toInternal(out, format).messages;
        expect(reread).toHaveLength(msgs.length);
        expect(sameTextModuloJson(textAt(reread, target) ?? '\u0000missing', text)).toBe(true);
        expect(pairingProblems(reread)).toEqual([]);
      }),
      RUNS,
    );
  });
});

describe('arbitrary input', () => {
  it('tryToInternal never throws and returns null or a readable conversation', () => {
    fc.assert(
      fc.property(fc.anything(), (x) => {
        const conv = tryToInternal(x);
        if (conv === null) return;
        expect(Array.isArray(x)).toBe(true);
        const out = fromInternal(conv.messages, conv.format);
        out.forEach((m, i) => expect(m).toBe((x as unknown[])[i]));
      }),
      { numRuns: 500 },
    );
  });

  it('with a forced format, tryToInternal throws only ProviderError, and only for arrays it cannot read', () => {
    fc.assert(
      fc.property(fc.anything(), fc.constantFrom(...MESSAGE_FORMATS), (x, format) => {
        try {
          const conv = tryToInternal(x, format);
          if (conv === null) expect(Array.isArray(x)).toBe(false);
          else expect(conv.format).toBe(format);
        } catch (err) {
          expect(err).toBeInstanceOf(ProviderError);
          expect(Array.isArray(x)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('arrays of JSON-ish message-like objects read, round-trip and rebuild deep-equal in every format', () => {
    const part = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.record({ type: fc.constantFrom('text', 'image', 'tool_use', 'tool_result', 'tool-call', 'tool-result', 'image_url', 'file'), text: fc.string() }, { requiredKeys: ['type'] }),
      fc.record({ text: fc.string(), thought: fc.boolean() }, { requiredKeys: [] }),
      fc.record({ functionCall: fc.record({ name: fc.string(), args: fc.jsonValue({ maxDepth: 2 }), id: fc.string() }, { requiredKeys: ['name'] }) }),
      fc.record({ functionResponse: fc.record({ name: fc.string(), response: fc.jsonValue({ maxDepth: 2 }), id: fc.string() }, { requiredKeys: ['name'] }) }),
      fc.record({ type: fc.constant('tool-result'), toolCallId: fc.string(), output: fc.jsonValue({ maxDepth: 2 }), result: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: ['type', 'toolCallId'] }),
    );
    const message = fc.record(
      {
        role: fc.constantFrom('system', 'developer', 'user', 'assistant', 'tool', 'function', 'model', 'other'),
        content: fc.oneof(fc.string(), fc.constant(null), fc.array(part, { maxLength: 4 })),
        parts: fc.array(part, { maxLength: 4 }),
        tool_calls: fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 2 }),
        tool_call_id: fc.string(),
        name: fc.string(),
        extra: fc.jsonValue({ maxDepth: 1 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(message, { maxLength: 5 }), fc.constantFrom(...MESSAGE_FORMATS), (msgs, format) => {
        const snapshot = JSON.stringify(msgs);
        let conv;
        try {
          conv = toInternal(msgs, format);
        } catch (err) {
          expect(err).toBeInstanceOf(ProviderError);
          return;
        }
        const { messages } = conv;
        expect(converters[format].write(messages).every((m, i) => m === msgs[i])).toBe(true);
        for (const rebuilt of [shallowRebuild(messages), deepRebuild(messages)]) {
          expect(JSON.stringify(converters[format].write(rebuilt))).toBe(snapshot);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
