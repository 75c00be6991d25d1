import type { Message } from '../messages/types.js';
import type { TokenCounter } from '../tokenizer/types.js';

/**
 * A counter that counts each message object once per compress() call. Messages are
 * immutable, so identity is a safe key; transforms that count the whole conversation
 * (before, during and after) then pay for one tokenizer pass plus what they changed.
 * Relies on countMessages(ms) = priming + Σ countMessage(m) for non-empty ms (tested).
 */
const primingOf = new WeakMap<TokenCounter, number>();

/** Reply priming: what a one-message prompt costs beyond that message (0 for no messages). */
function priming(inner: TokenCounter): number {
  let n = primingOf.get(inner);
  if (n === undefined) {
    const probe: Message = { role: 'user', blocks: [] };
    n = inner.countMessages([probe]) - inner.countMessage(probe);
    primingOf.set(inner, n);
  }
  return n;
}

export function memoizeCounter(inner: TokenCounter): TokenCounter {
  const cache = new WeakMap<Message, number>();
  const primingTokens = priming(inner);
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
      if (ms.length === 0) return 0;
      let n = primingTokens;
      for (const m of ms) n += countMessage(m);
      return n;
    },
  };
}
