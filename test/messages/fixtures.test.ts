import { describe, expect, it } from 'vitest';
import { converters, detectFormat, fromInternal, toInternal, tryToInternal } from '../../engine/messages/index.js';
import {
  changedKeys,
  deepRebuild,
  editableTargets,
  editText,
  FIXTURES,
  loadFixture,
  pairingProblems,
  sameTextModuloJson,
  shallowRebuild,
  textAt,
} from '../fixtures/messages/helpers.js';

describe.each(FIXTURES)('fixture $file', ({ file, format }) => {
  const source = loadFixture(file);
  const snapshot = JSON.stringify(source);

  it(`is detected as ${format}`, () => {
    expect(detectFormat(source)).toBe(format);
  });

  it('round-trips to the very same objects', () => {
    const { format: f, messages } = toInternal(source);
    expect(f).toBe(format);
    expect(messages).toHaveLength(source.length);
    const out = fromInternal(messages, f);
    expect(out).toHaveLength(source.length);
    out.forEach((m, i) => expect(m).toBe(source[i]));
    expect(JSON.stringify(source)).toBe(snapshot);
  });

  it('rebuilds losslessly with the same key order (shallow and deep copies of blocks)', () => {
    const { messages } = toInternal(source, format);
    for (const rebuilt of [shallowRebuild(messages), deepRebuild(messages)]) {
      const out = converters[format].write(rebuilt);
      expect(out).toEqual(source);
      expect(JSON.stringify(out)).toBe(snapshot);
    }
    expect(JSON.stringify(source)).toBe(snapshot);
  });

  it('pairs every tool result with its tool call', () => {
    const { messages } = toInternal(source, format);
    expect(pairingProblems(messages)).toEqual([]);
    expect(messages.some((m) => m.blocks.some((b) => b.type === 'tool_result'))).toBe(true);
  });

  it('edits any text block in place: only that message and that part change', () => {
    const { messages } = toInternal(source, format);
    const targets = editableTargets(messages);
    expect(targets.length).toBeGreaterThan(2);
    for (const target of targets) {
      const edited = editText(messages, target, 'EDITED «text»');
      const out = fromInternal(edited, format);
      out.forEach((m, i) => {
        if (i !== target[0]) expect(m).toBe(source[i]);
      });
      const diff = changedKeys(source[target[0]], out[target[0]]);
      expect(diff.keys).toHaveLength(1);
      for (const n of Object.values(diff.items)) expect(n).toBe(1);
      const reread = toInternal(out, format).messages;
      expect(sameTextModuloJson(textAt(reread, target) ?? '', 'EDITED «text»')).toBe(true);
    }
    expect(JSON.stringify(source)).toBe(snapshot);
  });

  it('reads with tryToInternal too', () => {
    expect(tryToInternal(source)?.format).toBe(format);
  });
});
