/**
 * Entry points: caller messages ⇄ internal messages, in any of the four formats.
 */
import { ConfigurationError, ProviderError } from '../errors.js';
import { anthropicConverter } from './anthropic.js';
import { detectFormat } from './detect.js';
import { geminiConverter } from './gemini.js';
import { openaiConverter } from './openai.js';
import type { MessageConverter } from './shared.js';
import type { Message, MessageFormat } from './types.js';
import { vercelConverter } from './vercel.js';

export const MESSAGE_FORMATS: ReadonlyArray<MessageFormat> = ['openai', 'anthropic', 'vercel', 'gemini'];

export const converters: Readonly<Record<MessageFormat, MessageConverter>> = {
  openai: openaiConverter,
  anthropic: anthropicConverter,
  vercel: vercelConverter,
  gemini: geminiConverter,
};

export interface InternalConversation {
  readonly format: MessageFormat;
  readonly messages: Message[];
}

export function isMessageFormat(v: unknown): v is MessageFormat {
  return typeof v === 'string' && (MESSAGE_FORMATS as ReadonlyArray<string>).includes(v);
}

function checkFormat(format: unknown): void {
  if (format !== undefined && !isMessageFormat(format)) {
    throw new ConfigurationError(`Unknown message format ${JSON.stringify(String(format))}; expected one of ${MESSAGE_FORMATS.join(', ')}`, {
      format: String(format),
    });
  }
}

/**
 * Read caller messages into the internal form. `format` forces a format (else detected).
 * Throws ConfigurationError for an unknown `format` name, and ProviderError when the input is
 * not an array of message objects or a message cannot be read in the (forced or detected)
 * format. Use `tryToInternal` where bad data must pass through instead.
 */
export function toInternal(messages: unknown, format?: MessageFormat): InternalConversation {
  checkFormat(format);
  if (!Array.isArray(messages)) throw new ProviderError('Messages are not an array', { type: typeof messages });
  const f = format ?? detectFormat(messages);
  if (f === null) throw new ProviderError('Messages are not all objects: no message format can read them');
  return { format: f, messages: converters[f].read(messages) };
}

/**
 * Like `toInternal`, but bad data passes through: null when `messages` is not an array, or
 * (format detected) when it cannot be read. Only caller mistakes throw: ConfigurationError for
 * an unknown `format` name, and ProviderError when the caller forced a `format` that cannot
 * read (express) one of the messages.
 */
export function tryToInternal(messages: unknown, format?: MessageFormat): InternalConversation | null {
  checkFormat(format);
  if (!Array.isArray(messages)) return null;
  try {
    return toInternal(messages, format);
  } catch (err) {
    if (format !== undefined && err instanceof ProviderError) throw err;
    return null;
  }
}

/**
 * Write internal messages in `format`: unedited messages are the caller's own objects, edited
 * ones are rebuilt from them, new ones take the format's canonical shape. Throws
 * ProviderError when a message cannot be expressed in `format` (e.g. an opaque block from
 * another format, tool call arguments that are not JSON for a format that needs an object).
 */
export function fromInternal(messages: ReadonlyArray<Message>, format: MessageFormat): unknown[] {
  checkFormat(format);
  if (format === undefined) throw new ConfigurationError('fromInternal needs a message format');
  return converters[format].write(messages);
}
