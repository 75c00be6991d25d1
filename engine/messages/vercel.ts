/**
 * Vercel AI SDK messages: ModelMessage (v5) and CoreMessage (v4).
 *
 * - roles system / user / assistant / tool as is (unknown roles read as 'user').
 * - content string → one text block; parts: text → text; image → opaque 'image'; file →
 *   opaque 'file' ('image' for image media types); reasoning → 'reasoning';
 *   redacted-reasoning → 'redacted_reasoning'; tool-call → tool_call (`input` (v5) or `args`
 *   (v4) as JSON text; written back under the key it came from, the original value kept
 *   unless the text changed); tool-result → tool_result; anything else → opaque of its type.
 * - tool-result content, v5 `output`:
 *     text / error-text  → one text block (the value); error-* sets isError.
 *     json / error-json  → one text block holding JSON.stringify(value). Edited text that
 *                          parses as JSON is written back as json with the parsed value;
 *                          text that no longer parses becomes a text (error-text) output.
 *     content            → its items: text → text blocks, media and others → opaque.
 *     other types        → one opaque block (kind 'output:<type>') written back verbatim.
 *   v4: `experimental_content` (when present) like content; else `result`: a string → one
 *   text block; another value → its JSON text (edited JSON is parsed back, other text is
 *   written as a string); `isError` → isError.
 * - `providerOptions` / `experimental_providerMetadata` and every other field are kept.
 */
import type { Block, Message, OpaqueBlock, Role, TextBlock, ToolResultBlock } from './types.js';
import {
  ABSENT,
  contentEntries,
  contentValue,
  hasOwn,
  isRecord,
  joinTexts,
  makeConverter,
  messagePartCodec,
  opaqueBlock,
  opaqueRaw,
  type Parsed,
  parseArguments,
  parseJson,
  placeBlocks,
  placeNested,
  type Rec,
  reuseArray,
  roleMessage,
  safeJson,
  sameBlocks,
  setField,
  type Slot,
  textBlock,
  textPartCodec,
  toolResult,
  unreadable,
  writeParts,
} from './shared.js';

const F = 'vercel';

/** Rough token cost of an image (the provider behind the SDK is unknown). */
const IMAGE_TOKENS = 1000;

const SINGLE_OUTPUTS = new Set(['text', 'error-text', 'json', 'error-json']);

function internalRole(role: unknown): Role {
  switch (role) {
    case 'system':
    case 'assistant':
    case 'tool':
      return role;
    default:
      return 'user';
  }
}

function mediaTypeOf(p: Rec): string {
  const t = p.mediaType ?? p.mimeType;
  return typeof t === 'string' ? t : '';
}

function readContentItem(item: unknown): TextBlock | OpaqueBlock {
  if (!isRecord(item)) return opaqueBlock(F, 'unknown', item);
  if (item.type === 'text' && typeof item.text === 'string') return textBlock(item.text);
  const isImage = item.type === 'image' || item.type === 'image-data' || item.type === 'image-url' || mediaTypeOf(item).startsWith('image/');
  if (isImage) return opaqueBlock(F, 'image', item, undefined, IMAGE_TOKENS);
  return opaqueBlock(F, typeof item.type === 'string' ? item.type : 'unknown', item);
}

function readOutput(part: Rec): { content: Array<TextBlock | OpaqueBlock>; isError?: boolean } {
  const o = part.output;
  if (isRecord(o)) {
    const t = o.type;
    if ((t === 'text' || t === 'error-text') && typeof o.value === 'string') {
      return t === 'error-text' ? { content: [textBlock(o.value)], isError: true } : { content: [textBlock(o.value)] };
    }
    if (t === 'json' || t === 'error-json') {
      const s = safeJson(o.value);
      if (s !== undefined) return t === 'error-json' ? { content: [textBlock(s)], isError: true } : { content: [textBlock(s)] };
    }
    if (t === 'content' && Array.isArray(o.value)) return { content: o.value.map(readContentItem) };
    const reason = typeof o.reason === 'string' ? o.reason : undefined;
    return { content: [opaqueBlock(F, typeof t === 'string' ? `output:${t}` : 'output', o, reason)] };
  }
  return { content: [opaqueBlock(F, 'output', o)] };
}

function readV4Result(part: Rec): Array<TextBlock | OpaqueBlock> {
  if (Array.isArray(part.experimental_content)) return part.experimental_content.map(readContentItem);
  const r = part.result;
  if (typeof r === 'string') return [textBlock(r)];
  if (r === undefined) return [];
  const s = safeJson(r);
  return s === undefined ? [opaqueBlock(F, 'result', r)] : [textBlock(s)];
}

function readPart(part: unknown): Block {
  if (!isRecord(part)) return opaqueBlock(F, 'unknown', part);
  const type = part.type;
  switch (type) {
    case 'text':
      if (typeof part.text === 'string') return textBlock(part.text);
      break;
    case 'image':
      return opaqueBlock(F, 'image', part, undefined, IMAGE_TOKENS);
    case 'file':
      return mediaTypeOf(part).startsWith('image/') ? opaqueBlock(F, 'image', part, undefined, IMAGE_TOKENS) : opaqueBlock(F, 'file', part);
    case 'reasoning':
      return opaqueBlock(F, 'reasoning', part, typeof part.text === 'string' ? part.text : undefined);
    case 'redacted-reasoning':
      return opaqueBlock(F, 'redacted_reasoning', part);
    case 'tool-call': {
      if (typeof part.toolCallId !== 'string' || typeof part.toolName !== 'string') break;
      const key = hasOwn(part, 'input') ? 'input' : hasOwn(part, 'args') ? 'args' : undefined;
      const args = key === undefined || part[key] === undefined ? '{}' : safeJson(part[key]);
      if (args === undefined) break;
      return { type: 'tool_call', id: part.toolCallId, name: part.toolName, arguments: args };
    }
    case 'tool-result': {
      if (typeof part.toolCallId !== 'string') break;
      const toolName = typeof part.toolName === 'string' ? part.toolName : undefined;
      if (hasOwn(part, 'output')) {
        const r = readOutput(part);
        return toolResult(part.toolCallId, r.content, toolName, r.isError);
      }
      const isError = typeof part.isError === 'boolean' ? part.isError : undefined;
      return toolResult(part.toolCallId, readV4Result(part), toolName, isError);
    }
  }
  return opaqueBlock(F, typeof type === 'string' ? type : 'unknown', part, typeof part.text === 'string' ? part.text : undefined);
}

function parse(value: unknown, i: number): Parsed {
  const src = roleMessage(F, value, i);
  const entries = contentEntries(src.content, 'content', readPart);
  if (entries === undefined) throw unreadable(F, i, 'content is not a string or an array');
  return { role: internalRole(src.role), entries };
}

const itemCodec = textPartCodec(F, 'inside a tool result');

function isOutputOpaque(content: ReadonlyArray<Block>, prefix: string): OpaqueBlock | undefined {
  if (content.length !== 1) return undefined;
  const b = content[0];
  return b.type === 'opaque' && (b.kind === prefix || b.kind.startsWith(`${prefix}:`)) ? b : undefined;
}

function allText(content: ReadonlyArray<Block>): content is ReadonlyArray<TextBlock> {
  return content.every((b) => b.type === 'text');
}

function textOrJsonOutput(base: Rec, text: string, err: boolean, asJson: boolean): Rec {
  if (asJson) {
    const r = parseJson(text);
    if (r.ok) return { ...base, type: err ? 'error-json' : 'json', value: r.value };
  }
  return { ...base, type: err ? 'error-text' : 'text', value: text };
}

/** A v5 output for edited result content (`rawOut` undefined: a new tool result). */
function writeOutput(rawOut: unknown, b: ToolResultBlock, origB: ToolResultBlock | undefined): unknown {
  const whole = isOutputOpaque(b.content, 'output');
  if (whole !== undefined) return opaqueRaw(whole, F, origB !== undefined && isRecord(rawOut) ? { raw: rawOut } : undefined);
  if (isRecord(rawOut) && rawOut.type === 'content') {
    const origContent = origB?.content ?? [];
    return { ...rawOut, value: reuseArray(writeParts(placeNested(b.content, origContent, rawOut.value), origContent, itemCodec), rawOut.value) };
  }
  const single = isRecord(rawOut) && typeof rawOut.type === 'string' && SINGLE_OUTPUTS.has(rawOut.type) ? rawOut : undefined;
  if (allText(b.content)) {
    const text = b.content.map((t) => t.text).join('\n');
    const wasErr = single !== undefined && String(single.type).startsWith('error-');
    const err = b.isError ?? wasErr;
    const asJson = single !== undefined && String(single.type).endsWith('json');
    return textOrJsonOutput(single ?? {}, text, err, asJson);
  }
  return { type: 'content', value: writeParts(placeNested(b.content, [], undefined), [], itemCodec) };
}

function writeV4(out: Rec, raw: Rec, b: ToolResultBlock, origB: ToolResultBlock): void {
  if (Array.isArray(raw.experimental_content)) {
    out.experimental_content = reuseArray(
      writeParts(placeNested(b.content, origB.content, raw.experimental_content), origB.content, itemCodec),
      raw.experimental_content,
    );
  } else {
    const whole = isOutputOpaque(b.content, 'result');
    if (whole !== undefined) out.result = opaqueRaw(whole, F, { raw: raw.result });
    else {
      const text = joinTexts(F, b.content, 'a tool result');
      if (typeof raw.result === 'string') out.result = text;
      else {
        const r = parseJson(text);
        out.result = r.ok ? r.value : text;
      }
    }
  }
  if (b.isError !== undefined && b.isError !== (raw.isError === true)) out.isError = b.isError;
}

const codec = messagePartCodec(F, {
  text: (text) => ({ type: 'text', text }),
  call: (b) => ({ type: 'tool-call', toolCallId: b.id, toolName: b.name, input: parseArguments(F, b) }),
  result: (b) => ({ type: 'tool-result', toolCallId: b.toolCallId, toolName: b.toolName ?? '', output: writeOutput(undefined, b, undefined) }),
  patchCall(raw, b, origB) {
    const out: Rec = { ...raw };
    if (b.id !== origB.id) out.toolCallId = b.id;
    if (b.name !== origB.name) out.toolName = b.name;
    if (b.arguments !== origB.arguments) {
      const key = hasOwn(raw, 'input') ? 'input' : hasOwn(raw, 'args') ? 'args' : 'input';
      out[key] = parseArguments(F, b);
    }
    return out;
  },
  patchResult(raw, b, origB) {
    const out: Rec = { ...raw };
    if (b.toolCallId !== origB.toolCallId) out.toolCallId = b.toolCallId;
    if (b.toolName !== undefined && b.toolName !== origB.toolName) out.toolName = b.toolName;
    if (!sameBlocks(b.content, origB.content) || b.isError !== origB.isError) {
      if (hasOwn(raw, 'output')) out.output = writeOutput(raw.output, b, origB);
      else writeV4(out, raw, b, origB);
    }
    return out;
  },
});

function write(m: Message, template: Rec | undefined, slots: ReadonlyArray<Slot>, map: ReadonlyArray<number>, orig: ReadonlyArray<Block>): unknown {
  const items = placeBlocks(m.blocks, map, slots);
  const tmplContent = template?.content;
  if (m.role === 'system' && (template === undefined || typeof tmplContent === 'string')) {
    const text = joinTexts(F, m.blocks, 'a system message');
    if (template === undefined) return { role: 'system', content: text };
    return { ...template, content: text };
  }
  if (template === undefined) {
    let content = contentValue(items, [], undefined, codec);
    if (content === ABSENT) content = m.role === 'tool' ? [] : '';
    if (m.role === 'tool' && typeof content === 'string') content = [{ type: 'text', text: content }];
    return { role: m.role, content };
  }
  const out: Rec = { ...template };
  setField(out, 'content', contentValue(items, orig, tmplContent, codec));
  return out;
}

export const vercelConverter = makeConverter<undefined>({
  format: F,
  newContext: () => undefined,
  parse,
  write,
  internalRole,
});
