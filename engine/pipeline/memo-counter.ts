import type { Message } from '../messages/types.js';
import type { TokenCounter } from '../tokenizer/types.js';

/**
 * A counter that counts each message object once per compress() call. Messages are
 * immutable, so identity is a safe key; transforms that count the whole conversation
 * (before, during and after) then pay for one tokenizer pass plus what they changed.
 * Relies on countMessages(ms) = countMessages([]) + Σ countMessage(m), which the
 * tokenizer tests assert.
 */
export function memoizeCounter(inner: TokenCounter): TokenCounter {
  const cache = new WeakMap<Message, number>();
  const base = inner.countMessages([]);
  const countMessage = (m: Message): number => {
    let n = cache.get(m);
    if (n === undefined) {
      n = inner.countMessage(m);
      cache.set(m, n);
    }
    return n;
  };
  return {
    model: inner.model,
    encoding: inner.encoding,
    exact: inner.exact,
    countText: (t) => inner.countText(t),
    countMessage,
    countMessages: (ms) => {
      let n = base;
      for (const m of ms) n += countMessage(m);
      return n;
    },
  };
}
