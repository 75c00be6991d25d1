/**
 * The internal message form every transform works on.
 *
 * Converters (one per provider format) read the caller's messages into this form and write
 * it back. Transforms treat messages and blocks as immutable: to edit, build a new `blocks`
 * array with new block objects. A converter writing back a message whose `blocks` is still
 * the exact array it produced on read (`origin.blocks === blocks`) returns the caller's
 * original object untouched, so unedited messages stay byte-identical (provider caches).
 */

export type MessageFormat = 'openai' | 'anthropic' | 'vercel' | 'gemini';

export type Role = 'system' | 'user' | 'assistant' | 'tool';

/** Plain text. Every compressible string the pipeline may rewrite is a TextBlock. */
export interface TextBlock {
  readonly type: 'text';
  readonly text: string;
}

/** An assistant's request to call a tool. `arguments` is JSON text (as OpenAI carries it). */
export interface ToolCallBlock {
  readonly type: 'tool_call';
  readonly id: string;
  readonly name: string;
  readonly arguments: string;
}

/** The result of a tool call; its content is text blocks (compressible) and opaque blocks. */
export interface ToolResultBlock {
  readonly type: 'tool_result';
  readonly toolCallId: string;
  readonly toolName?: string;
  readonly isError?: boolean;
  readonly content: ReadonlyArray<TextBlock | OpaqueBlock>;
}

/**
 * Anything the pipeline must carry but never rewrite: images, files, reasoning/thinking,
 * provider-specific or unknown blocks. `text` is what token counting sees (may be empty);
 * `tokens` overrides counting where the provider bills a fixed amount (e.g. images).
 */
export interface OpaqueBlock {
  readonly type: 'opaque';
  readonly kind: string;
  readonly text?: string;
  readonly tokens?: number;
  /**
   * The caller's original value this block stands for (a content part, a tool output, …),
   * written back verbatim by the converter of `format`. Set by converters on read, so an
   * opaque block stays writable even when a transform moves it into a new message.
   */
  readonly raw?: unknown;
  /** The format `raw` is expressed in. */
  readonly format?: MessageFormat;
}

export type Block = TextBlock | ToolCallBlock | ToolResultBlock | OpaqueBlock;

/** Converter bookkeeping; transforms must not create or edit it. */
export interface MessageOrigin {
  readonly format: MessageFormat;
  /** The caller's message object. */
  readonly source: unknown;
  /** The blocks array produced when reading `source`. */
  readonly blocks: ReadonlyArray<Block>;
  /** The role exactly as the caller wrote it (e.g. 'developer', 'model', 'function'), when it was a string. */
  readonly role?: string;
}

export interface Message {
  readonly role: Role;
  readonly blocks: ReadonlyArray<Block>;
  /** OpenAI `name` / participant name, when present. */
  readonly name?: string;
  /** Present for messages read from the caller; absent for messages a transform created. */
  readonly origin?: MessageOrigin;
}

/** True when a message still holds exactly what was read from the caller. */
export function isUnedited(m: Message): boolean {
  return m.origin !== undefined && m.origin.blocks === m.blocks;
}

/** Concatenated text of a message's text-bearing blocks (for counting and scoring). */
export function messageText(m: Message): string {
  const out: string[] = [];
  for (const b of m.blocks) out.push(blockText(b));
  return out.join('\n');
}

export function blockText(b: Block): string {
  switch (b.type) {
    case 'text':
      return b.text;
    case 'tool_call':
      return `${b.name} ${b.arguments}`;
    case 'tool_result':
      return b.content.map((c) => (c.type === 'text' ? c.text : c.text ?? '')).join('\n');
    case 'opaque':
      return b.text ?? '';
  }
}
