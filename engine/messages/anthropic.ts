/**
 * Anthropic Messages API messages.
 *
 * - role user / assistant (and 'system' entries, some SDKs accept them) as is; unknown roles
 *   read as 'user' and keep their own role on write. A user message carrying tool_result
 *   blocks stays one role-'user' message (count and order are never changed).
 * - content string → one text block (written back as a string while one text block is left);
 *   blocks: text (cache_control, citations kept) → text; tool_use → tool_call (`input` as
 *   JSON text; the original `input` object is kept unless the arguments text changed);
 *   tool_result → tool_result (content string or text/image blocks, is_error); image →
 *   opaque 'image'; document → 'document'; thinking → 'reasoning'; redacted_thinking →
 *   'redacted_reasoning'; server tool blocks and anything else → opaque of that type.
 * - Messages a transform created are written as role 'user' when their role is 'system' or
 *   'tool' (the Messages API has no such roles in `messages`).
 */
import type { Block, Message, OpaqueBlock, Role, TextBlock, ToolResultBlock } from './types.js';
import {
  ABSENT,
  contentEntries,
  contentValue,
  isRecord,
  makeConverter,
  messagePartCodec,
  opaqueBlock,
  type Parsed,
  parseArguments,
  placeBlocks,
  placeNested,
  type Rec,
  roleMessage,
  safeJson,
  sameBlocks,
  setField,
  type Slot,
  textBlock,
  textPartCodec,
  toolResult,
  unreadable,
} from './shared.js';

const F = 'anthropic';

/** Rough token cost of an image (Anthropic: width·height/750, ~1600 at the 1.15 MP cap). */
const IMAGE_TOKENS = 1600;

interface Ctx {
  readonly names: Map<string, string>;
}

function internalRole(role: unknown): Role {
  if (role === 'assistant') return 'assistant';
  if (role === 'system') return 'system';
  return 'user';
}

function readInner(part: unknown): TextBlock | OpaqueBlock {
  if (!isRecord(part)) return opaqueBlock(F, 'unknown', part);
  if (part.type === 'text' && typeof part.text === 'string') return textBlock(part.text);
  return readOpaque(part);
}

function readOpaque(part: Rec): OpaqueBlock {
  const type = part.type;
  switch (type) {
    case 'image':
      return opaqueBlock(F, 'image', part, undefined, IMAGE_TOKENS);
    case 'document': {
      const src = part.source;
      const text = isRecord(src) && src.type === 'text' && typeof src.data === 'string' ? src.data : undefined;
      return opaqueBlock(F, 'document', part, text);
    }
    case 'thinking':
      return opaqueBlock(F, 'reasoning', part, typeof part.thinking === 'string' ? part.thinking : undefined);
    case 'redacted_thinking':
      return opaqueBlock(F, 'redacted_reasoning', part);
    default:
      return opaqueBlock(F, typeof type === 'string' ? type : 'unknown', part, typeof part.text === 'string' ? part.text : undefined);
  }
}

function readBlock(part: unknown, ctx: Ctx): Block {
  if (!isRecord(part)) return opaqueBlock(F, 'unknown', part);
  const type = part.type;
  if (type === 'text' && typeof part.text === 'string') return textBlock(part.text);
  if (type === 'tool_use' && typeof part.id === 'string' && typeof part.name === 'string') {
    const args = part.input === undefined ? '{}' : safeJson(part.input);
    if (args !== undefined) {
      ctx.names.set(part.id, part.name);
      return { type: 'tool_call', id: part.id, name: part.name, arguments: args };
    }
  }
  if (type === 'tool_result' && typeof part.tool_use_id === 'string') {
    const c = part.content;
    if (c === undefined || typeof c === 'string' || Array.isArray(c)) {
      const content = typeof c === 'string' ? [textBlock(c)] : Array.isArray(c) ? c.map(readInner) : [];
      const isError = typeof part.is_error === 'boolean' ? part.is_error : undefined;
      return toolResult(part.tool_use_id, content, ctx.names.get(part.tool_use_id), isError);
    }
  }
  return readOpaque(part);
}

function parse(value: unknown, i: number, ctx: Ctx): Parsed {
  const src = roleMessage(F, value, i);
  const entries = contentEntries(src.content, 'content', (part) => readBlock(part, ctx));
  if (entries === undefined) throw unreadable(F, i, 'content is not a string or an array');
  return { role: internalRole(src.role), entries };
}

const innerCodec = textPartCodec(F, 'inside a tool_result');

function resultContent(b: ToolResultBlock, origContent: ReadonlyArray<Block>, rawContent: unknown): unknown {
  return contentValue(placeNested(b.content, origContent, rawContent), origContent, rawContent, innerCodec);
}

const codec = messagePartCodec(F, {
  text: (text) => ({ type: 'text', text }),
  call: (b) => ({ type: 'tool_use', id: b.id, name: b.name, input: parseArguments(F, b) }),
  result(b) {
    const out: Rec = { type: 'tool_result', tool_use_id: b.toolCallId };
    const content = resultContent(b, [], undefined);
    if (content !== ABSENT) out.content = content;
    if (b.isError !== undefined) out.is_error = b.isError;
    return out;
  },
  patchCall(raw, b, origB) {
    const out: Rec = { ...raw };
    if (b.id !== origB.id) out.id = b.id;
    if (b.name !== origB.name) out.name = b.name;
    if (b.arguments !== origB.arguments) out.input = parseArguments(F, b);
    return out;
  },
  patchResult(raw, b, origB) {
    const out: Rec = { ...raw };
    if (b.toolCallId !== origB.toolCallId) out.tool_use_id = b.toolCallId;
    if (!sameBlocks(b.content, origB.content)) setField(out, 'content', resultContent(b, origB.content, raw.content));
    if (b.isError !== undefined && b.isError !== (raw.is_error === true)) out.is_error = b.isError;
    return out;
  },
});

function write(m: Message, template: Rec | undefined, slots: ReadonlyArray<Slot>, map: ReadonlyArray<number>, orig: ReadonlyArray<Block>): unknown {
  const items = placeBlocks(m.blocks, map, slots);
  if (template === undefined) {
    const role = m.role === 'assistant' ? 'assistant' : 'user';
    const content = contentValue(items, [], undefined, codec);
    return { role, content: content === ABSENT ? [] : content };
  }
  const out: Rec = { ...template };
  setField(out, 'content', contentValue(items, orig, template.content, codec));
  return out;
}

export const anthropicConverter = makeConverter<Ctx>({
  format: F,
  newContext: () => ({ names: new Map() }),
  parse,
  write,
  internalRole,
});
