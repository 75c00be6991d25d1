/**
 * Message-level token counting: content tokens plus the framing each provider bills.
 *
 * OpenAI (exact for plain chat messages): OpenAI's "How to count tokens with tiktoken" cookbook
 * — every message costs 3 tokens (`<|start|>{role}<|message|>…<|end|>` framing) plus the tokens
 * of its role and content; a `name` adds 1 token plus its own tokens; every reply is primed with
 * `<|start|>assistant<|message|>` (3 tokens). The cookbook checks this against the API's
 * `prompt_tokens` for gpt-3.5-turbo-0613, gpt-4-0613, gpt-4o and gpt-4o-mini.
 * Tool calls are not documented: we count name + arguments + 6 (assuming each call is rendered as
 * its own framed segment addressed to `functions.{name}`) — an estimate. A tool result in its own
 * `tool` message is a normal message; extra results packed into one internal message each pay a
 * message frame (3 + role).
 *
 * Anthropic (estimate — the tokenizer is not public; `count_tokens` is the exact source):
 * content + 4 per message (turn markers), tool_use blocks name + JSON input + 10, tool_result
 * blocks content + 6, reply priming 3. Images default to ~1 600 tokens (Anthropic bills
 * ≈ width × height / 750; a ~1.15 MP image, the largest it keeps without resizing, is ~1 600).
 *
 * Gemini (estimate): content + 5 per message (`<start_of_turn>{role}\n…<end_of_turn>\n`), function
 * calls name + args + 6, function responses content + 6, reply priming 3, images 258 tokens
 * (Gemini bills a fixed 258 per image up to 384 px; larger images tile at 258 per tile).
 *
 * Opaque blocks use `tokens` when the converter set it (the exact figure), else their `text`;
 * image-like blocks (kind containing "image") with neither use the provider default above
 * (OpenAI: 765 = high-detail 1024×1024, 85 base + 4 tiles × 170).
 */

import type { Block, Message, OpaqueBlock } from '../messages/types.js';

export type MessageBilling = 'openai' | 'anthropic' | 'google';

export interface MessageOverheads {
  /** Framing per message. */
  readonly perMessage: number;
  /** Whether the role string's tokens are billed (OpenAI renders the role as text). */
  readonly countRole: boolean;
  /** Extra tokens when a message has a `name` (plus the name's own tokens). */
  readonly perName: number;
  /** Reply priming added once per prompt. */
  readonly replyPriming: number;
  /** Per tool call, on top of name + arguments. */
  readonly perToolCall: number;
  /** Per tool-result block, on top of its content (OpenAI: see `countMessage`). */
  readonly perToolResult: number;
  /** Opaque image blocks with neither `tokens` nor `text`. */
  readonly defaultImageTokens: number;
}

export const MESSAGE_OVERHEADS: Readonly<Record<MessageBilling, MessageOverheads>> = {
  openai: {
    perMessage: 3,
    countRole: true,
    perName: 1,
    replyPriming: 3,
    perToolCall: 6,
    perToolResult: 0,
    defaultImageTokens: 765,
  },
  anthropic: {
    perMessage: 4,
    countRole: false,
    perName: 1,
    replyPriming: 3,
    perToolCall: 10,
    perToolResult: 6,
    defaultImageTokens: 1600,
  },
  google: {
    perMessage: 5,
    countRole: false,
    perName: 1,
    replyPriming: 3,
    perToolCall: 6,
    perToolResult: 6,
    defaultImageTokens: 258,
  },
};

function opaqueTokens(b: OpaqueBlock, count: (s: string) => number, o: MessageOverheads): number {
  if (typeof b.tokens === 'number' && Number.isFinite(b.tokens) && b.tokens >= 0) return b.tokens;
  if (b.text !== undefined && b.text.length > 0) return count(b.text);
  return /image/i.test(b.kind) ? o.defaultImageTokens : 0;
}

function blockTokens(b: Block, count: (s: string) => number, o: MessageOverheads): number {
  switch (b.type) {
    case 'text':
      return count(b.text);
    case 'tool_call':
      return o.perToolCall + count(b.name) + count(b.arguments);
    case 'tool_result': {
      let n = 0;
      for (const c of b.content) n += c.type === 'text' ? count(c.text) : opaqueTokens(c, count, o);
      return n;
    }
    case 'opaque':
      return opaqueTokens(b, count, o);
  }
}

/** Tokens one message contributes under `billing`: content + framing, no reply priming. */
export function countMessageWith(m: Message, count: (s: string) => number, billing: MessageBilling): number {
  const o = MESSAGE_OVERHEADS[billing];
  let n = o.perMessage;
  if (o.countRole) n += count(m.role);
  if (m.name !== undefined && m.name !== '') n += o.perName + count(m.name);
  let toolResults = 0;
  for (const b of m.blocks) {
    n += blockTokens(b, count, o);
    if (b.type === 'tool_result') toolResults++;
  }
  if (toolResults > 0) {
    if (billing === 'openai') {
      // OpenAI carries each tool result as its own `tool` message: results beyond the one this
      // message already frames (or all of them, in a non-tool message) each pay a frame.
      const framed = m.role === 'tool' ? toolResults - 1 : toolResults;
      n += framed * (o.perMessage + count('tool'));
    } else n += toolResults * o.perToolResult;
  }
  return n;
}

/** Prompt tokens for a whole conversation: Σ messages + reply priming (0 for no messages). */
export function countMessagesWith(
  messages: ReadonlyArray<Message>,
  count: (s: string) => number,
  billing: MessageBilling,
): number {
  if (messages.length === 0) return 0;
  let n = MESSAGE_OVERHEADS[billing].replyPriming;
  for (const m of messages) n += countMessageWith(m, count, billing);
  return n;
}
