/**
 * Machinery shared by the four converters: reading a caller's array into internal messages,
 * and writing internal messages back (identity for unedited messages, template-based rebuild
 * for edited ones, canonical construction for messages a transform created).
 */
import { ProviderError } from '../errors.js';
import type { Block, Message, MessageFormat, MessageOrigin, OpaqueBlock, Role, TextBlock, ToolCallBlock, ToolResultBlock } from './types.js';

export type Rec = Record<string, unknown>;

export function isRecord(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function hasOwn(o: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

/** JSON text of a value, or undefined when it has none (undefined, functions, cycles, BigInt). */
export function safeJson(v: unknown): string | undefined {
  try {
    const s = JSON.stringify(v);
    return typeof s === 'string' ? s : undefined;
  } catch {
    return undefined;
  }
}

export type ParseResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false };

export function parseJson(text: string): ParseResult {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** Where a block came from in its source message: a container (field) and an index in it. */
export interface Slot {
  /** Container name, format specific ('content', 'tool_calls', 'parts', …). */
  readonly where: string;
  /** Index in the container array; -1 when the container held a plain string. */
  readonly index: number;
  /** The raw value at that place (a part object, or the string). */
  readonly raw: unknown;
}

export interface Entry {
  readonly block: Block;
  readonly slot: Slot;
}

export interface Parsed {
  readonly role: Role;
  readonly entries: ReadonlyArray<Entry>;
  readonly name?: string;
}

/** One message format's reading and writing rules. */
export interface Codec<Ctx> {
  readonly format: MessageFormat;
  newContext(): Ctx;
  /** Read one caller message; throws ProviderError when the format cannot express it. */
  parse(src: unknown, index: number, ctx: Ctx): Parsed;
  /**
   * Write one message. `template` is the caller's original object (undefined for messages a
   * transform created or whose role changed), `slots[j]` where `orig[j]` came from, and
   * `map[i]` the index in `orig` of the block `m.blocks[i]` was made from (-1 if none).
   */
  write(m: Message, template: Rec | undefined, slots: ReadonlyArray<Slot>, map: ReadonlyArray<number>, orig: ReadonlyArray<Block>): unknown;
  /** The internal role a provider role maps to. */
  internalRole(role: unknown): Role;
}

export interface MessageConverter {
  readonly format: MessageFormat;
  /** Caller messages → internal messages. Throws ProviderError when a message cannot be read in this format. */
  read(messages: ReadonlyArray<unknown>): Message[];
  /** Internal messages → caller messages (unedited ones are the caller's very objects). */
  write(messages: ReadonlyArray<Message>): unknown[];
}

export function makeConverter<Ctx>(codec: Codec<Ctx>): MessageConverter {
  const format = codec.format;
  return {
    format,
    read(messages) {
      const ctx = codec.newContext();
      const out: Message[] = [];
      for (let i = 0; i < messages.length; i++) {
        const src = messages[i];
        const p = codec.parse(src, i, ctx);
        const blocks: Block[] = p.entries.map((e) => e.block);
        const role = isRecord(src) && typeof src.role === 'string' ? src.role : undefined;
        const origin: MessageOrigin = role === undefined ? { format, source: src, blocks } : { format, source: src, blocks, role };
        out.push(p.name === undefined ? { role: p.role, blocks, origin } : { role: p.role, blocks, name: p.name, origin });
      }
      return out;
    },
    write(messages) {
      return messages.map((m, i) => {
        const o = m.origin;
        if (o !== undefined && o.format === format) {
          if (o.blocks === m.blocks) return o.source;
          const src = o.source;
          if (isRecord(src) && codec.internalRole(src.role) === m.role) {
            let parsed: Parsed | undefined;
            try {
              parsed = codec.parse(src, i, codec.newContext());
            } catch {
              parsed = undefined;
            }
            if (parsed !== undefined && parsed.entries.length === o.blocks.length) {
              return codec.write(m, src, parsed.entries.map((e) => e.slot), align(m.blocks, o.blocks), o.blocks);
            }
          }
        }
        return codec.write(m, undefined, [], m.blocks.map(() => -1), []);
      });
    },
  };
}

function sameKind(a: Block, b: Block): boolean {
  if (a.type !== b.type) return false;
  if (a.type === 'opaque' && b.type === 'opaque') return a.kind === b.kind;
  return true;
}

function blockKey(b: Block): string | undefined {
  if (b.type === 'tool_call') return `c:${b.id}`;
  if (b.type === 'tool_result') return `r:${b.toolCallId}`;
  return undefined;
}

/**
 * For each block of `next`, the index of the block of `orig` it was made from, or -1.
 * Identity first, then tool call / result ids, then position: an unmatched block takes the
 * first unused block of the same kind between its matched neighbours.
 */
export function align(next: ReadonlyArray<Block>, orig: ReadonlyArray<Block>): number[] {
  const res = next.map(() => -1);
  const used = new Uint8Array(orig.length);
  const pos = new Map<Block, number>();
  orig.forEach((b, j) => {
    if (!pos.has(b)) pos.set(b, j);
  });
  next.forEach((b, i) => {
    const j = pos.get(b);
    if (j !== undefined && !used[j]) {
      res[i] = j;
      used[j] = 1;
    }
  });
  next.forEach((b, i) => {
    if (res[i] >= 0) return;
    const key = blockKey(b);
    if (key === undefined) return;
    for (let j = 0; j < orig.length; j++) {
      if (!used[j] && blockKey(orig[j]) === key) {
        res[i] = j;
        used[j] = 1;
        return;
      }
    }
  });
  for (let i = 0; i < next.length; i++) {
    if (res[i] >= 0) continue;
    let lo = 0;
    for (let k = 0; k < i; k++) if (res[k] >= lo) lo = res[k] + 1;
    let hi = orig.length;
    for (let k = i + 1; k < next.length; k++) if (res[k] >= 0 && res[k] < hi) hi = res[k];
    for (let j = lo; j < hi; j++) {
      if (!used[j] && sameKind(orig[j], next[i])) {
        res[i] = j;
        used[j] = 1;
        break;
      }
    }
  }
  return res;
}

export function textBlock(text: string): TextBlock {
  return { type: 'text', text };
}

export function opaqueBlock(format: MessageFormat, kind: string, raw: unknown, text?: string, tokens?: number): OpaqueBlock {
  const b: { type: 'opaque'; kind: string; text?: string; tokens?: number; raw: unknown; format: MessageFormat } = {
    type: 'opaque',
    kind,
    raw,
    format,
  };
  if (text !== undefined && text !== '') b.text = text;
  if (tokens !== undefined) b.tokens = tokens;
  return b;
}

/** The raw value an opaque block writes back as. */
export function opaqueRaw(b: OpaqueBlock, format: MessageFormat, templateRaw?: { raw: unknown }): unknown {
  if (b.raw !== undefined && (b.format === undefined || b.format === format)) return b.raw;
  if (templateRaw !== undefined) return templateRaw.raw;
  throw new ProviderError(`An opaque '${b.kind}' block cannot be written in the ${format} format`, {
    format,
    kind: b.kind,
    from: b.format,
  });
}

export function cannotExpress(format: MessageFormat, what: string, details?: Rec): ProviderError {
  return new ProviderError(`The ${format} format cannot express ${what}`, { format, ...details });
}

export function unreadable(format: MessageFormat, index: number, why: string): ProviderError {
  return new ProviderError(`Message ${index} is not a ${format} message: ${why}`, { format, index });
}

/** `src` as a message object with a string role; throws (unreadable) when it is not one. */
export function roleMessage(format: MessageFormat, src: unknown, index: number): Rec & { role: string } {
  if (!isRecord(src)) throw unreadable(format, index, 'not an object');
  if (typeof src.role !== 'string') throw unreadable(format, index, 'no string role');
  return src as Rec & { role: string };
}

/**
 * Entries of a content value: a string is one text block (slot index -1), an array one block
 * per part (`read`); undefined for any other value (the caller decides whether that is an error).
 */
export function contentEntries(c: unknown, where: string, read: (part: unknown) => Block): Entry[] | undefined {
  if (typeof c === 'string') return [{ block: textBlock(c), slot: { where, index: -1, raw: c } }];
  if (Array.isArray(c)) return c.map((part, index) => ({ block: read(part), slot: { where, index, raw: part } }));
  return undefined;
}

/** True when two block lists hold the very same block objects in the same order. */
export function sameBlocks(a: ReadonlyArray<Block>, b: ReadonlyArray<Block>): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Per-block write rules for one container of parts. */
export interface PartCodec {
  /** Build a part for a block with no template. */
  build(b: Block): unknown;
  /** Rebuild a part from its original `raw` after `b` replaced `origB` (same kind). */
  patch(raw: unknown, b: Block, origB: Block): unknown;
}

/**
 * Parts that hold only text (`{type: 'text', text}`) and opaque blocks, such as tool result
 * content. A text part keeps its other fields; an opaque block writes its raw value, else the
 * template's. `where` ends the error for any other block ("inside a tool_result").
 */
export function textPartCodec(format: MessageFormat, where: string): PartCodec {
  const codec: PartCodec = {
    build(b) {
      if (b.type === 'text') return { type: 'text', text: b.text };
      if (b.type === 'opaque') return opaqueRaw(b, format);
      throw cannotExpress(format, `a ${b.type} block ${where}`);
    },
    patch(raw, b) {
      if (b.type === 'text' && isRecord(raw)) return { ...raw, text: b.text };
      if (b.type === 'opaque') return opaqueRaw(b, format, { raw });
      return codec.build(b);
    },
  };
  return codec;
}

/** One format's shapes for the parts of a message (text and tool blocks; opaque ones write their raw value). */
export interface MessagePartRules {
  /** A new text part. */
  text(text: string): unknown;
  /** A new tool call part. */
  call(b: ToolCallBlock): unknown;
  /** A new tool result part. */
  result(b: ToolResultBlock): unknown;
  /** The caller's part `raw` rewritten for `b`, edited from `origB`; undefined: build a new part. */
  patchCall(raw: Rec, b: ToolCallBlock, origB: ToolCallBlock): unknown;
  /** The caller's part `raw` rewritten for `b`, edited from `origB`; undefined: build a new part. */
  patchResult(raw: Rec, b: ToolResultBlock, origB: ToolResultBlock): unknown;
}

/**
 * The parts of a message. Patching: a template that is not an object is replaced by a new
 * part; a text part keeps its other fields (`text` replaced); an opaque block writes its raw
 * value, else the template's; a tool block is patched by `rules` while it has the template's kind.
 */
export function messagePartCodec(format: MessageFormat, rules: MessagePartRules): PartCodec {
  const codec: PartCodec = {
    build(b) {
      switch (b.type) {
        case 'text':
          return rules.text(b.text);
        case 'tool_call':
          return rules.call(b);
        case 'tool_result':
          return rules.result(b);
        case 'opaque':
          return opaqueRaw(b, format);
      }
    },
    patch(raw, b, origB) {
      if (!isRecord(raw)) return codec.build(b);
      if (b.type === 'text') return { ...raw, text: b.text };
      if (b.type === 'opaque') return opaqueRaw(b, format, { raw });
      let out: unknown;
      if (b.type === 'tool_call' && origB.type === 'tool_call') out = rules.patchCall(raw, b, origB);
      else if (b.type === 'tool_result' && origB.type === 'tool_result') out = rules.patchResult(raw, b, origB);
      return out === undefined ? codec.build(b) : out;
    },
  };
  return codec;
}

/** A block to write into a container, with its template (if any). */
export interface Placed {
  readonly block: Block;
  /** Index in `orig`, or -1. */
  readonly j: number;
  readonly slot?: Slot;
}

/** A message's blocks with their templates: `map[i]` indexes `slots` (-1: no template). */
export function placeBlocks(blocks: ReadonlyArray<Block>, map: ReadonlyArray<number>, slots: ReadonlyArray<Slot>): Placed[] {
  return blocks.map((block, i) => {
    const j = map[i];
    return j >= 0 ? { block, j, slot: slots[j] } : { block, j };
  });
}

/** One container's parts: original object when unchanged, patched copy when edited, new part otherwise. */
export function writeParts(items: ReadonlyArray<Placed>, orig: ReadonlyArray<Block>, codec: PartCodec): unknown[] {
  return items.map((it) => {
    const s = it.slot;
    if (s !== undefined && s.index >= 0 && it.j >= 0) {
      return it.block === orig[it.j] ? s.raw : codec.patch(s.raw, it.block, orig[it.j]);
    }
    return codec.build(it.block);
  });
}

const ABSENT: unique symbol = Symbol('absent');
export type Absent = typeof ABSENT;
export { ABSENT };

/**
 * A message's content value: a plain string when the template held a string (or nothing)
 * and one text block is left, else an array of parts. With no blocks left, the template's
 * kind of emptiness is kept (`emptyString` replaces an emptied string).
 */
export function contentValue(
  items: ReadonlyArray<Placed>,
  orig: ReadonlyArray<Block>,
  tmpl: unknown,
  codec: PartCodec,
  emptyString: unknown = '',
): unknown {
  if (items.length === 1 && items[0].block.type === 'text' && (typeof tmpl === 'string' || tmpl === null || tmpl === undefined)) {
    return (items[0].block as TextBlock).text;
  }
  if (items.length === 0) {
    if (typeof tmpl === 'string') return emptyString;
    if (tmpl === null) return null;
    if (Array.isArray(tmpl)) return tmpl.length === 0 ? tmpl : [];
    return ABSENT;
  }
  return reuseArray(writeParts(items, orig, codec), tmpl);
}

/** `tmpl` itself when it is an array holding exactly the items of `next`, else `next`. */
export function reuseArray(next: unknown[], tmpl: unknown): unknown[] {
  if (!Array.isArray(tmpl) || tmpl.length !== next.length) return next;
  for (let i = 0; i < next.length; i++) if (next[i] !== tmpl[i]) return next;
  return tmpl;
}

/** Set `key` on `out` unless the value is ABSENT (then remove it). */
export function setField(out: Rec, key: string, value: unknown): void {
  if (value === ABSENT) delete out[key];
  else out[key] = value;
}

/** Nested tool result content: align the new items with the original ones and their raw parts. */
export function placeNested(
  next: ReadonlyArray<Block>,
  orig: ReadonlyArray<Block>,
  rawContent: unknown,
): Placed[] {
  const map = align(next, orig);
  return next.map((block, i) => {
    const j = map[i];
    if (j < 0) return { block, j };
    if (Array.isArray(rawContent) && j < rawContent.length) return { block, j, slot: { where: 'content', index: j, raw: rawContent[j] } };
    return { block, j, slot: { where: 'content', index: -1, raw: rawContent } };
  });
}

/** Pending tool calls waiting for a result, for formats without mandatory ids. */
export class PendingCalls {
  private readonly items: { id: string; name: string; explicit: boolean }[] = [];

  /** `explicit`: the id is the caller's (not synthesized). */
  add(id: string, name: string, explicit = false): void {
    this.items.push({ id, name, explicit });
  }

  /**
   * The id a result belongs to: the pending call with that explicit id; else the oldest
   * unanswered call of that name (when the result has an id of its own, only calls without
   * one qualify); else the result's own id (undefined when it has none).
   */
  take(id: string | undefined, name: string | undefined): string | undefined {
    if (id !== undefined) {
      const k = this.items.findIndex((c) => c.id === id);
      if (k >= 0) {
        this.items.splice(k, 1);
        return id;
      }
    }
    if (name !== undefined) {
      const k = this.items.findIndex((c) => c.name === name && (id === undefined || !c.explicit));
      if (k >= 0) return this.items.splice(k, 1)[0].id;
    }
    return id;
  }
}

export function toolResult(toolCallId: string, content: ReadonlyArray<TextBlock | OpaqueBlock>, toolName?: string, isError?: boolean): ToolResultBlock {
  const b: { type: 'tool_result'; toolCallId: string; toolName?: string; isError?: boolean; content: ReadonlyArray<TextBlock | OpaqueBlock> } = {
    type: 'tool_result',
    toolCallId,
    content,
  };
  if (toolName !== undefined) b.toolName = toolName;
  if (isError !== undefined) b.isError = isError;
  return b;
}

/** Joined text of text blocks; throws when an opaque block is among them. */
export function joinTexts(format: MessageFormat, blocks: ReadonlyArray<Block>, where: string, sep = '\n'): string {
  const out: string[] = [];
  for (const b of blocks) {
    if (b.type !== 'text') throw cannotExpress(format, `a ${b.type === 'opaque' ? `'${b.kind}' block` : b.type} in ${where}`);
    out.push(b.text);
  }
  return out.join(sep);
}

/** Parse edited tool call arguments back into a value; throws when they are not JSON. */
export function parseArguments(format: MessageFormat, b: { id: string; name: string; arguments: string }): unknown {
  const r = parseJson(b.arguments);
  if (!r.ok) throw cannotExpress(format, `tool call arguments that are not JSON`, { id: b.id, name: b.name });
  return r.value;
}
