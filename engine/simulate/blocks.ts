/**
 * Block breakdown: where a conversation's tokens are, by kind of block (spec ALGORITHMS.md §9):
 * system, user, assistant, tool_call, tool_result, rag (user text that carries retrieved
 * documents). Each message's billed tokens (`countMessage`: content plus framing) are split over
 * its blocks by their content tokens, the framing going to the message's first block, so the
 * kinds add up to the prompt total minus the once-per-prompt reply priming.
 */
import { blockText, type Block, type Message } from '../messages/types.js';
import type { TokenCounter } from '../tokenizer/types.js';

export type BlockKind = 'system' | 'user' | 'assistant' | 'tool_call' | 'tool_result' | 'rag';

export const BLOCK_KINDS: ReadonlyArray<BlockKind> = ['system', 'user', 'assistant', 'tool_call', 'tool_result', 'rag'];

export interface KindTotals {
  /** Number of blocks of this kind. */
  readonly blocks: number;
  /** Tokens they cost, framing included. */
  readonly tokens: number;
}

export interface BlockBreakdown {
  readonly kinds: Readonly<Record<BlockKind, KindTotals>>;
  /** Tokens billed once per prompt (reply priming), in no block. */
  readonly replyPriming: number;
  /** Σ kinds + replyPriming: the prompt's tokens. */
  readonly total: number;
}

/** User text that carries retrieved documents (RAG context), per the reference parser's markers. */
const RAG_RE = /\[Document \d+\]|\[Source:|<context>|<document[\s>]|Retrieved from:|From the knowledge base:/i;

export function isRagText(text: string): boolean {
  return RAG_RE.test(text);
}

export function blockKind(m: Message, b: Block): BlockKind {
  if (m.role === 'system') return 'system';
  if (b.type === 'tool_call') return 'tool_call';
  if (b.type === 'tool_result' || m.role === 'tool') return 'tool_result';
  if (m.role === 'assistant') return 'assistant';
  if (b.type === 'text' && isRagText(b.text)) return 'rag';
  return 'user';
}

function messageKind(m: Message): BlockKind {
  if (m.role === 'system') return 'system';
  if (m.role === 'tool') return 'tool_result';
  return m.role === 'assistant' ? 'assistant' : 'user';
}

function contentTokens(b: Block, counter: TokenCounter): number {
  if (b.type === 'opaque' && typeof b.tokens === 'number') return b.tokens;
  return counter.countText(blockText(b));
}

export function blockBreakdown(messages: ReadonlyArray<Message>, counter: TokenCounter): BlockBreakdown {
  const acc = {} as Record<BlockKind, { blocks: number; tokens: number }>;
  for (const k of BLOCK_KINDS) acc[k] = { blocks: 0, tokens: 0 };
  let sum = 0;
  for (const m of messages) {
    const billed = counter.countMessage(m);
    sum += billed;
    if (m.blocks.length === 0) {
      acc[messageKind(m)].tokens += billed;
      continue;
    }
    let assigned = 0;
    m.blocks.forEach((b, i) => {
      const kind = blockKind(m, b);
      acc[kind].blocks++;
      if (i === 0) return;
      const t = contentTokens(b, counter);
      acc[kind].tokens += t;
      assigned += t;
    });
    // The first block takes its content plus the message's framing (whatever is left).
    acc[blockKind(m, m.blocks[0])].tokens += billed - assigned;
  }
  const total = counter.countMessages(messages);
  return { kinds: acc, replyPriming: total - sum, total };
}
