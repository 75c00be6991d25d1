/**
 * OpenAI Chat Completions messages.
 *
 * - system / developer → role 'system' (the original role is kept in `origin.role` and
 *   written back); user / assistant as is; tool and legacy function → role 'tool' holding one
 *   tool_result block. Unknown roles read as 'user' and are written back with their own role.
 * - content: a string becomes one text block (and is written back as a string while one
 *   text block is left); parts: text → text, image_url / input_audio / file / refusal / unknown
 *   → opaque (kinds 'image', 'audio', 'file', 'refusal', else the part's type).
 * - assistant `refusal` (string) → opaque 'refusal'; `tool_calls` (function and custom) →
 *   tool_call blocks; legacy `function_call` → a tool_call with a synthesized id that pairs it
 *   with the next `function` message of that name (never written back).
 */
import type { Block, Message, OpaqueBlock, Role, TextBlock, ToolCallBlock, ToolResultBlock } from './types.js';
import {
  ABSENT,
  cannotExpress,
  contentEntries,
  contentValue,
  isRecord,
  makeConverter,
  opaqueBlock,
  opaqueRaw,
  type Parsed,
  type PartCodec,
  PendingCalls,
  reuseArray,
  writeParts,
  type Placed,
  placeNested,
  type Rec,
  roleMessage,
  safeJson,
  setField,
  type Slot,
  textBlock,
  textPartCodec,
  toolResult,
  unreadable,
} from './shared.js';

const F = 'openai';

/** Rough token cost of an image: OpenAI bills 85 for detail 'low', ~765 for a 1024² image. */
const IMAGE_TOKENS_LOW = 85;
const IMAGE_TOKENS = 765;

interface Ctx {
  readonly names: Map<string, string>;
  readonly pending: PendingCalls;
}

function internalRole(role: unknown): Role {
  switch (role) {
    case 'system':
    case 'developer':
      return 'system';
    case 'assistant':
      return 'assistant';
    case 'tool':
    case 'function':
      return 'tool';
    default:
      return 'user';
  }
}

function readPart(part: unknown): TextBlock | OpaqueBlock {
  if (!isRecord(part)) return opaqueBlock(F, 'unknown', part);
  const type = part.type;
  if (type === 'text' && typeof part.text === 'string') return textBlock(part.text);
  switch (type) {
    case 'image_url': {
      const detail = isRecord(part.image_url) ? part.image_url.detail : undefined;
      return opaqueBlock(F, 'image', part, undefined, detail === 'low' ? IMAGE_TOKENS_LOW : IMAGE_TOKENS);
    }
    case 'input_audio':
      return opaqueBlock(F, 'audio', part);
    case 'file':
      return opaqueBlock(F, 'file', part);
    case 'refusal':
      return opaqueBlock(F, 'refusal', part, typeof part.refusal === 'string' ? part.refusal : undefined);
    default:
      return opaqueBlock(F, typeof type === 'string' ? type : 'unknown', part, typeof part.text === 'string' ? part.text : undefined);
  }
}

function synthId(i: number, k: number): string {
  return `hr_openai_${i}_${k}`;
}

function readToolCall(item: unknown, i: number, k: number): ToolCallBlock | OpaqueBlock {
  if (isRecord(item)) {
    const id = typeof item.id === 'string' ? item.id : synthId(i, k);
    const fn = item.function;
    if (isRecord(fn) && typeof fn.name === 'string') {
      const args = typeof fn.arguments === 'string' ? fn.arguments : safeJson(fn.arguments) ?? '';
      return { type: 'tool_call', id, name: fn.name, arguments: args };
    }
    const custom = item.custom;
    if (item.type === 'custom' && isRecord(custom) && typeof custom.name === 'string') {
      const input = typeof custom.input === 'string' ? custom.input : safeJson(custom.input) ?? '';
      return { type: 'tool_call', id, name: custom.name, arguments: input };
    }
  }
  return opaqueBlock(F, 'tool_call', item);
}

function parse(value: unknown, i: number, ctx: Ctx): Parsed {
  const src = roleMessage(F, value, i);
  const role = src.role;
  const c = src.content;
  if (!(c === undefined || c === null || typeof c === 'string' || Array.isArray(c))) throw unreadable(F, i, 'content is not a string, null or an array');
  const name = typeof src.name === 'string' ? src.name : undefined;

  if (role === 'tool' || role === 'function') {
    const content = (contentEntries(c, 'content', readPart) ?? []).map((e) => e.block as TextBlock | OpaqueBlock);
    let block: ToolResultBlock;
    if (role === 'tool') {
      const id = typeof src.tool_call_id === 'string' ? src.tool_call_id : '';
      ctx.pending.take(id, undefined);
      block = toolResult(id, content, ctx.names.get(id));
    } else {
      const id = ctx.pending.take(undefined, name) ?? synthId(i, 0);
      block = toolResult(id, content, name);
    }
    return { role: 'tool', entries: [{ block, slot: { where: 'result', index: 0, raw: src } }], name: role === 'tool' ? name : undefined };
  }

  const entries = contentEntries(c, 'content', readPart) ?? [];
  if (role === 'assistant') {
    if (typeof src.refusal === 'string') {
      entries.push({ block: opaqueBlock(F, 'refusal', src.refusal, src.refusal), slot: { where: 'refusal', index: -1, raw: src.refusal } });
    }
    if (Array.isArray(src.tool_calls)) {
      src.tool_calls.forEach((item, k) => {
        const block = readToolCall(item, i, k);
        if (block.type === 'tool_call') {
          ctx.names.set(block.id, block.name);
          ctx.pending.add(block.id, block.name);
        }
        entries.push({ block, slot: { where: 'tool_calls', index: k, raw: item } });
      });
    }
    const fc = src.function_call;
    if (isRecord(fc) && typeof fc.name === 'string') {
      const id = synthId(i, -1);
      const args = typeof fc.arguments === 'string' ? fc.arguments : safeJson(fc.arguments) ?? '';
      ctx.pending.add(id, fc.name);
      entries.push({ block: { type: 'tool_call', id, name: fc.name, arguments: args }, slot: { where: 'function_call', index: 0, raw: fc } });
    }
  }
  return { role: internalRole(role), entries, name };
}

const contentCodec = textPartCodec(F, 'in message content');

function patchCall(raw: unknown, b: ToolCallBlock, origB: ToolCallBlock): unknown {
  if (!isRecord(raw)) return buildCall(b);
  const out: Rec = { ...raw };
  if (b.id !== origB.id) out.id = b.id;
  if (isRecord(raw.function)) {
    const fn: Rec = { ...raw.function };
    if (b.name !== origB.name) fn.name = b.name;
    if (b.arguments !== origB.arguments) fn.arguments = b.arguments;
    out.function = fn;
  } else if (isRecord(raw.custom)) {
    const cu: Rec = { ...raw.custom };
    if (b.name !== origB.name) cu.name = b.name;
    if (b.arguments !== origB.arguments) cu.input = b.arguments;
    out.custom = cu;
  }
  return out;
}

function buildCall(b: ToolCallBlock): unknown {
  return { id: b.id, type: 'function', function: { name: b.name, arguments: b.arguments } };
}

const callCodec: PartCodec = {
  build(b) {
    if (b.type === 'tool_call') return buildCall(b);
    if (b.type === 'opaque') return opaqueRaw(b, F);
    throw cannotExpress(F, `a ${b.type} block in tool_calls`);
  },
  patch(raw, b, origB) {
    if (b.type === 'tool_call' && origB.type === 'tool_call') return patchCall(raw, b, origB);
    if (b.type === 'opaque') return opaqueRaw(b, F, { raw });
    return callCodec.build(b);
  },
};

function canonicalRole(role: Role): string {
  return role;
}

function applyName(out: Rec, m: Message, template: Rec | undefined): void {
  if (m.name === undefined) return;
  if (template === undefined || template.name !== m.name) out.name = m.name;
}

function writeResult(m: Message, template: Rec | undefined, map: ReadonlyArray<number>, orig: ReadonlyArray<Block>): unknown {
  const b = m.blocks[0];
  if (m.blocks.length !== 1 || b.type !== 'tool_result') {
    throw cannotExpress(F, 'a tool message that is not exactly one tool result', { blocks: m.blocks.length });
  }
  const j = map[0];
  const origB = j >= 0 && orig[j].type === 'tool_result' ? (orig[j] as ToolResultBlock) : undefined;
  if (template === undefined) {
    const out: Rec = { role: 'tool', tool_call_id: b.toolCallId };
    const content = contentValue(placeNested(b.content, [], undefined), [], undefined, contentCodec);
    out.content = content === ABSENT ? '' : content;
    applyName(out, m, undefined);
    return out;
  }
  const out: Rec = { ...template };
  if (template.role === 'tool' && (origB === undefined || b.toolCallId !== origB.toolCallId)) out.tool_call_id = b.toolCallId;
  if (template.role === 'function' && b.toolName !== undefined && (origB === undefined || b.toolName !== origB.toolName)) out.name = b.toolName;
  if (template.role === 'tool') applyName(out, m, template);
  if (origB === undefined || b !== origB) {
    const origContent = origB?.content ?? [];
    setField(out, 'content', contentValue(placeNested(b.content, origContent, template.content), origContent, template.content, contentCodec));
  }
  return out;
}

function write(m: Message, template: Rec | undefined, slots: ReadonlyArray<Slot>, map: ReadonlyArray<number>, orig: ReadonlyArray<Block>): unknown {
  if (m.role === 'tool') return writeResult(m, template, map, orig);

  const groups: Record<'content' | 'refusal' | 'tool_calls' | 'function_call', Placed[]> = {
    content: [],
    refusal: [],
    tool_calls: [],
    function_call: [],
  };
  m.blocks.forEach((block, i) => {
    const j = map[i];
    const slot = j >= 0 ? slots[j] : undefined;
    let where = slot?.where;
    if (where === undefined) {
      if (block.type === 'tool_call') where = 'tool_calls';
      else if (block.type === 'tool_result') throw cannotExpress(F, `a tool result inside a ${m.role} message`);
      else if (block.type === 'opaque' && block.kind === 'refusal' && typeof block.raw === 'string') where = 'refusal';
      else if (block.type === 'opaque' && block.kind === 'tool_call') where = 'tool_calls';
      else where = 'content';
    }
    if (where === 'tool_calls' || where === 'function_call' || where === 'refusal' || where === 'content') {
      if ((where === 'tool_calls' || where === 'function_call') && m.role !== 'assistant') {
        throw cannotExpress(F, `a tool call inside a ${m.role} message`);
      }
      groups[where].push({ block, j, slot });
    } else {
      groups.content.push({ block, j });
    }
  });

  const fresh = template === undefined;
  const out: Rec = fresh ? { role: canonicalRole(m.role) } : { ...template };
  const tmplContent = fresh ? undefined : template.content;
  const hasCalls = groups.tool_calls.length > 0 || groups.function_call.length > 0;
  let content = contentValue(groups.content, orig, tmplContent, contentCodec, m.role === 'assistant' && hasCalls ? null : '');
  if (fresh && content === ABSENT) content = m.role === 'assistant' ? null : '';
  setField(out, 'content', content);
  applyName(out, m, template);

  if (groups.refusal.length > 0) {
    const r = groups.refusal[0];
    out.refusal = r.block.type === 'opaque' ? opaqueRaw(r.block, F, r.slot) : (r.block as TextBlock).text;
  } else if (slots.some((sl) => sl.where === 'refusal')) {
    out.refusal = null;
  }

  if (groups.tool_calls.length > 0) {
    out.tool_calls = reuseArray(writeParts(groups.tool_calls, orig, callCodec), fresh ? undefined : template.tool_calls);
  } else if (slots.some((sl) => sl.where === 'tool_calls')) {
    delete out.tool_calls;
  }

  if (groups.function_call.length > 0) {
    const it = groups.function_call[0];
    const b = it.block;
    if (b.type !== 'tool_call') throw cannotExpress(F, 'a non-call block as function_call');
    if (it.j >= 0 && b === orig[it.j]) out.function_call = it.slot?.raw;
    else {
      const raw = it.slot?.raw;
      const origB = it.j >= 0 ? (orig[it.j] as ToolCallBlock) : undefined;
      const fc: Rec = isRecord(raw) ? { ...raw } : {};
      if (origB === undefined || b.name !== origB.name) fc.name = b.name;
      if (origB === undefined || b.arguments !== origB.arguments) fc.arguments = b.arguments;
      out.function_call = fc;
    }
  } else if (slots.some((sl) => sl.where === 'function_call')) {
    delete out.function_call;
  }
  return out;
}

export const openaiConverter = makeConverter<Ctx>({
  format: F,
  newContext: () => ({ names: new Map(), pending: new PendingCalls() }),
  parse,
  write,
  internalRole,
});
