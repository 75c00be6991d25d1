/**
 * Google Gemini `contents` (generateContent).
 *
 * - role 'user' (or none) → 'user'; 'model' → 'assistant'; 'function' → 'tool'; 'system' →
 *   'system'; unknown roles → 'user' (written back with their own role).
 * - parts: text → text; a part with `thought: true` → opaque 'reasoning'; functionCall →
 *   tool_call (`args` as JSON text); functionResponse → tool_result; inlineData / fileData →
 *   opaque 'image' / 'audio' / 'video' / 'file' by MIME type; executableCode,
 *   codeExecutionResult and anything else → opaque of that key. Part-level fields
 *   (thoughtSignature, videoMetadata, …) are kept.
 * - Ids: Gemini call ids are optional. A functionCall without `id` gets a synthesized id
 *   `hr_gemini_<message>_<part>`; a functionResponse takes its call's id — by explicit id when
 *   it has one that matches a pending call, else the oldest unanswered call of the same name
 *   (an orphan gets its own synthesized id). Ids are written back only where the caller's
 *   part had an `id` field (or, for new parts, when the id is not a synthesized one).
 * - functionResponse.response as text: when it is an object with exactly one key whose value
 *   is a string (`{output: "..."}`, `{result: "..."}`, …) the text is that string and edited
 *   text is written back under the same key. Otherwise the text is JSON.stringify(response);
 *   edited text that parses to a JSON object becomes the new response, any other text is
 *   written as `{ output: text }` (the key the Gemini API documents for function output).
 *   (A caller's non-object response — not valid for the API — takes any JSON value back.)
 *   `isError` is set when the response has an `error` key and no `output` key.
 * - Messages a transform created are written with role 'model' (assistant) or 'user'
 *   (everything else: `contents` has no system or tool role).
 */
import type { Block, Message, Role, ToolResultBlock } from './types.js';
import {
  cannotExpress,
  hasOwn,
  isRecord,
  joinTexts,
  makeConverter,
  messagePartCodec,
  opaqueBlock,
  type Parsed,
  parseArguments,
  parseJson,
  PendingCalls,
  placeBlocks,
  type Rec,
  reuseArray,
  safeJson,
  sameBlocks,
  type Slot,
  textBlock,
  toolResult,
  unreadable,
  writeParts,
} from './shared.js';

const F = 'gemini';

/** Gemini bills a fixed 258 tokens per image (up to 384 px per side; tiles above). */
const IMAGE_TOKENS = 258;

const SYNTH = /^hr_gemini_\d+_\d+$/;

function synthId(i: number, k: number): string {
  return `hr_gemini_${i}_${k}`;
}

/** True for ids this converter made up (they are never written to the caller's parts). */
export function isSynthesizedGeminiId(id: string): boolean {
  return SYNTH.test(id);
}

interface Ctx {
  readonly pending: PendingCalls;
}

function internalRole(role: unknown): Role {
  switch (role) {
    case 'model':
      return 'assistant';
    case 'function':
      return 'tool';
    case 'system':
      return 'system';
    default:
      return 'user';
  }
}

/** The text a functionResponse.response is represented by, and the key it was unwrapped from. */
function responseText(resp: unknown): { text?: string; key?: string } {
  if (isRecord(resp)) {
    const keys = Object.keys(resp);
    if (keys.length === 1 && typeof resp[keys[0]] === 'string') return { text: resp[keys[0]] as string, key: keys[0] };
  }
  if (resp === undefined) return {};
  return { text: safeJson(resp) };
}

/** The response object written for edited text, given the caller's original response. */
function responseFromText(text: string, rawResp: unknown): unknown {
  if (rawResp !== undefined) {
    const { key } = responseText(rawResp);
    if (key !== undefined && isRecord(rawResp)) return { ...rawResp, [key]: text };
  }
  const r = parseJson(text);
  if (r.ok && (isRecord(r.value) || (rawResp !== undefined && !isRecord(rawResp)))) return r.value;
  return { output: text };
}

function mediaKind(p: Rec): string {
  const t = typeof p.mimeType === 'string' ? p.mimeType : '';
  if (t.startsWith('image/')) return 'image';
  if (t.startsWith('audio/')) return 'audio';
  if (t.startsWith('video/')) return 'video';
  return 'file';
}

function readPart(part: unknown, i: number, k: number, ctx: Ctx): Block {
  if (!isRecord(part)) return opaqueBlock(F, 'unknown', part);
  if (part.thought === true) return opaqueBlock(F, 'reasoning', part, typeof part.text === 'string' ? part.text : undefined);
  if (typeof part.text === 'string') return textBlock(part.text);
  const fc = part.functionCall;
  if (isRecord(fc) && typeof fc.name === 'string') {
    const args = fc.args === undefined ? '{}' : safeJson(fc.args);
    if (args !== undefined) {
      const explicit = typeof fc.id === 'string';
      const id = explicit ? (fc.id as string) : synthId(i, k);
      ctx.pending.add(id, fc.name, explicit);
      return { type: 'tool_call', id, name: fc.name, arguments: args };
    }
  }
  const fr = part.functionResponse;
  if (isRecord(fr) && typeof fr.name === 'string') {
    const { text } = responseText(fr.response);
    if (text !== undefined || fr.response === undefined) {
      const explicit = typeof fr.id === 'string' ? fr.id : undefined;
      const id = ctx.pending.take(explicit, fr.name) ?? synthId(i, k);
      const resp = fr.response;
      const isError = isRecord(resp) && hasOwn(resp, 'error') && !hasOwn(resp, 'output') ? true : undefined;
      return toolResult(id, text === undefined ? [] : [textBlock(text)], fr.name, isError);
    }
  }
  for (const key of ['inlineData', 'fileData'] as const) {
    const d = part[key];
    if (isRecord(d)) {
      const kind = mediaKind(d);
      return opaqueBlock(F, kind, part, undefined, kind === 'image' ? IMAGE_TOKENS : undefined);
    }
  }
  if (isRecord(part.executableCode)) {
    const code = part.executableCode.code;
    return opaqueBlock(F, 'executableCode', part, typeof code === 'string' ? code : undefined);
  }
  if (isRecord(part.codeExecutionResult)) {
    const output = part.codeExecutionResult.output;
    return opaqueBlock(F, 'codeExecutionResult', part, typeof output === 'string' ? output : undefined);
  }
  const first = Object.keys(part)[0];
  return opaqueBlock(F, first ?? 'unknown', part);
}

function parse(src: unknown, i: number, ctx: Ctx): Parsed {
  if (!isRecord(src)) throw unreadable(F, i, 'not an object');
  if (!(src.role === undefined || typeof src.role === 'string')) throw unreadable(F, i, 'role is not a string');
  const parts = src.parts;
  if (!Array.isArray(parts)) throw unreadable(F, i, 'no parts array');
  return {
    role: internalRole(src.role),
    entries: parts.map((part, index) => ({ block: readPart(part, i, index, ctx), slot: { where: 'parts', index, raw: part } })),
  };
}

function writeId(target: Rec, raw: Rec | undefined, id: string, origId: string | undefined): void {
  if (raw === undefined) {
    if (!SYNTH.test(id)) target.id = id;
  } else if (hasOwn(raw, 'id') && id !== origId) target.id = id;
}

function resultResponse(b: ToolResultBlock, rawResp: unknown): unknown {
  const text = joinTexts(F, b.content, 'a functionResponse');
  if (b.content.length === 0 && rawResp === undefined) return {};
  return responseFromText(text, rawResp);
}

function callArgs(b: { id: string; name: string; arguments: string }): unknown {
  const v = parseArguments(F, b);
  if (!isRecord(v)) throw cannotExpress(F, 'functionCall args that are not a JSON object', { id: b.id, name: b.name });
  return v;
}

const codec = messagePartCodec(F, {
  text: (text) => ({ text }),
  call(b) {
    const fc: Rec = { name: b.name, args: callArgs(b) };
    writeId(fc, undefined, b.id, undefined);
    return { functionCall: fc };
  },
  result(b) {
    const fr: Rec = { name: b.toolName ?? '', response: resultResponse(b, undefined) };
    writeId(fr, undefined, b.toolCallId, undefined);
    return { functionResponse: fr };
  },
  patchCall(raw, b, origB) {
    if (!isRecord(raw.functionCall)) return undefined;
    const fc: Rec = { ...raw.functionCall };
    if (b.name !== origB.name) fc.name = b.name;
    if (b.arguments !== origB.arguments) fc.args = callArgs(b);
    writeId(fc, raw.functionCall, b.id, origB.id);
    return { ...raw, functionCall: fc };
  },
  patchResult(raw, b, origB) {
    if (!isRecord(raw.functionResponse)) return undefined;
    const fr: Rec = { ...raw.functionResponse };
    if (b.toolName !== undefined && b.toolName !== origB.toolName) fr.name = b.toolName;
    if (!sameBlocks(b.content, origB.content)) fr.response = resultResponse(b, raw.functionResponse.response);
    writeId(fr, raw.functionResponse, b.toolCallId, origB.toolCallId);
    return { ...raw, functionResponse: fr };
  },
});

function write(m: Message, template: Rec | undefined, slots: ReadonlyArray<Slot>, map: ReadonlyArray<number>, orig: ReadonlyArray<Block>): unknown {
  const parts = writeParts(placeBlocks(m.blocks, map, slots), orig, codec);
  if (template === undefined) return { role: m.role === 'assistant' ? 'model' : 'user', parts };
  return { ...template, parts: reuseArray(parts, template.parts) };
}

export const geminiConverter = makeConverter<Ctx>({
  format: F,
  newContext: () => ({ pending: new PendingCalls() }),
  parse,
  write,
  internalRole,
});
