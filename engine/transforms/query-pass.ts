/**
 * One pass over a conversation in which what a message becomes may depend on "the query": the
 * text of the last user turn BEFORE that message, never a later one. A block's result then
 * depends only on what came before it, so re-sending the history plus new turns leaves earlier
 * messages byte-identical (provider prefix caches keep hitting).
 */
import type { Block, Message } from '../messages/types.js';
import { isUserTurnStart, userText } from './units.js';

/**
 * Messages after `edit`, which gets each message with the query current when it arrived
 * (`initialQuery` before the user first speaks) and returns its new blocks, or null to keep it.
 * Edited messages are copies with the new blocks; `messages` itself when none was edited.
 */
export function rewriteWithQuery<Q extends string | undefined>(
  messages: ReadonlyArray<Message>,
  initialQuery: Q,
  edit: (m: Message, mi: number, query: string | Q) => Block[] | null,
): ReadonlyArray<Message> {
  const out: Message[] = [];
  let changedAny = false;
  let query: string | Q = initialQuery;
  for (let mi = 0; mi < messages.length; mi++) {
    const m = messages[mi];
    const blocks = edit(m, mi, query);
    if (blocks) {
      out.push({ ...m, blocks });
      changedAny = true;
    } else out.push(m);
    // The query for later messages: this message, if the user spoke in it.
    if (isUserTurnStart(m)) query = userText(m);
  }
  return changedAny ? out : messages;
}
