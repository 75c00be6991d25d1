/**
 * Payloads: what a person pastes, drops or pipes in (the playground, `headroom-wasm simulate`,
 * `Compressor.compressPayload`). Either a whole conversation — a messages array in OpenAI,
 * Anthropic, Vercel AI or Gemini format, or a request body holding one (`{ messages }`,
 * `{ contents }`) — or a raw tool output (JSON, logs, grep output, a diff, HTML, code, text),
 * which is wrapped into the smallest conversation that carries it as a tool result.
 *
 * Pure: no platform APIs, so the worker, the CLI and the playground share it and agree on the
 * numbers.
 */
import { detectFormat } from '../../engine/messages/detect.js';
import type { CompressOptions } from '../../engine/options.js';
import type { MessageFormat } from '../../engine/messages/types.js';

/** A label for a raw tool output (for display; the content router detects types on its own). */
export type PayloadContentType = 'json' | 'log' | 'search' | 'diff' | 'html' | 'code' | 'text';

export interface PayloadInfo {
  /** `messages`: the payload was a conversation; `tool-output`: raw output, wrapped as a tool result. */
  readonly kind: 'messages' | 'tool-output';
  /** Detected message format (always `openai` for a wrapped tool output); null if not recognised. */
  readonly format: MessageFormat | null;
  readonly messageCount: number;
  /** Where a conversation was found: a bare array, a request body's `messages`, or Gemini's `contents`. */
  readonly container?: 'array' | 'messages' | 'contents';
  /** A request body's `model`, if it named one. */
  readonly model?: string;
  /** For a tool output: what it looks like, and the tool name the wrapper gave it. */
  readonly contentType?: PayloadContentType;
  readonly toolName?: string;
  /** UTF-16 length of the payload text. */
  readonly chars: number;
}

export interface ParsedPayload {
  readonly messages: unknown[];
  readonly info: PayloadInfo;
}

/** Tool names a wrapped output gets, by what it looks like (agents' tools are named like this). */
const TOOL_NAMES: Readonly<Record<PayloadContentType, string>> = {
  json: 'api_request',
  log: 'run_command',
  search: 'grep',
  diff: 'git_diff',
  html: 'fetch_url',
  code: 'read_file',
  text: 'read_document',
};

const SAMPLE_CHARS = 64 * 1024;

function fraction(lines: string[], re: RegExp): number {
  if (lines.length === 0) return 0;
  let n = 0;
  for (const l of lines) if (re.test(l)) n++;
  return n / lines.length;
}

/** A cheap look at the first 64 KB: which kind of tool output this is. */
export function guessContentType(text: string, parsedJson = false): PayloadContentType {
  if (parsedJson) return 'json';
  const head = text.length > SAMPLE_CHARS ? text.slice(0, SAMPLE_CHARS) : text;
  if (/^(diff --git |--- a\/|\+\+\+ b\/|@@ -\d+(,\d+)? \+\d+(,\d+)? @@)/m.test(head)) return 'diff';
  if (/^\s*<(!doctype html|html[\s>]|head[\s>]|body[\s>])/i.test(head) || (head.match(/<\/?(div|p|a|span|li|ul|table|tr|td|script|style|meta|link)\b/gi)?.length ?? 0) > 20) return 'html';
  const lines = head.split(/\r?\n/, 200).filter((l) => l.trim() !== '');
  // `path/to/file.ext:12:` (grep -n, ripgrep): a file name with an extension before the line number.
  if (fraction(lines, /^(?:\.{0,2}\/)?[\w@.+-]+(?:\/[\w@.+-]+)*\.[A-Za-z0-9]{1,10}:\d+[:-]/) >= 0.5) return 'search';
  if (fraction(lines, /^\s*(\[?\d{4}-\d\d-\d\d[T ]\d\d:\d\d|\[?\d\d:\d\d:\d\d|\w{3} +\d+ \d\d:\d\d:\d\d)|\b(DEBUG|INFO|WARN|WARNING|ERROR|FATAL|TRACE)\b/) >= 0.3) return 'log';
  if (fraction(lines, /^\s*(import |export |from |def |class |function |const |let |var |return |if \(|for \(|#include|package |public |private |fn |use |}\s*$|\)\s*[{:]\s*$)|;\s*$/) >= 0.3) return 'code';
  return 'text';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function', 'model']);

/** Every entry is a message: a known role, or Gemini `parts` (detectFormat alone calls any object array 'openai'). */
function looksLikeMessages(list: unknown[]): boolean {
  if (list.length === 0) return false;
  for (const m of list) {
    if (!isRecord(m)) return false;
    if (!(typeof m.role === 'string' && ROLES.has(m.role)) && !Array.isArray(m.parts)) return false;
  }
  return true;
}

/** A conversation inside parsed JSON, or null. */
function findConversation(value: unknown): { messages: unknown[]; format: MessageFormat; container: PayloadInfo['container']; model?: string } | null {
  if (Array.isArray(value)) {
    if (!looksLikeMessages(value)) return null;
    const format = detectFormat(value);
    return format ? { messages: value, format, container: 'array' } : null;
  }
  if (!isRecord(value)) return null;
  const model = typeof value.model === 'string' && value.model.trim() !== '' ? value.model : undefined;
  for (const key of ['messages', 'contents'] as const) {
    const list = value[key];
    if (!Array.isArray(list) || !looksLikeMessages(list)) continue;
    const format = detectFormat(list);
    if (format) return { messages: list, format, container: key, ...(model !== undefined ? { model } : {}) };
  }
  return null;
}

/** The minimal OpenAI conversation carrying `output` as the result of one tool call. */
export function wrapToolOutput(output: string, toolName: string): unknown[] {
  return [
    { role: 'user', content: `Here is the output of ${toolName}.` },
    { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: toolName, arguments: '{}' } }] },
    { role: 'tool', tool_call_id: 'call_1', content: output },
  ];
}

/**
 * Turn payload text into a conversation. JSON that holds a recognisable messages array becomes
 * that conversation; anything else (other JSON, logs, diffs, HTML, text…) becomes one tool
 * result. Never throws.
 */
export function parsePayload(text: string, options: { toolName?: string } = {}): ParsedPayload {
  const t = text.trimStart();
  let parsedJson = false;
  if (t.startsWith('[') || t.startsWith('{')) {
    try {
      const value: unknown = JSON.parse(text);
      parsedJson = true;
      const conv = findConversation(value);
      if (conv) {
        return {
          messages: conv.messages,
          info: {
            kind: 'messages',
            format: conv.format,
            messageCount: conv.messages.length,
            container: conv.container,
            ...(conv.model !== undefined ? { model: conv.model } : {}),
            chars: text.length,
          },
        };
      }
    } catch {
      // Not JSON after all: a log or code that starts with a bracket.
    }
  }
  const contentType = guessContentType(text, parsedJson);
  const toolName = options.toolName ?? TOOL_NAMES[contentType];
  const messages = wrapToolOutput(text, toolName);
  return { messages, info: { kind: 'tool-output', format: 'openai', messageCount: messages.length, contentType, toolName, chars: text.length } };
}

/** UTF-8 bytes (a file, a fetch body) to text, as parsePayload expects. */
export function decodePayload(bytes: Uint8Array | ArrayBuffer): string {
  return new TextDecoder('utf-8').decode(bytes);
}

/**
 * Options for compressing a parsed payload. A pasted tool output is shown as compress() will
 * treat it once it is history: the gate that leaves code in the most recent messages alone
 * (`code.protectRecentMessages`) would otherwise hold back every pasted source file, since the
 * wrapper makes it the last message. A caller's own setting wins; conversations are unchanged.
 */
export function payloadOptions<O extends CompressOptions>(info: PayloadInfo, options: O): O & Pick<CompressOptions, 'config'> {
  if (info.kind !== 'tool-output' || options.config?.code?.protectRecentMessages !== undefined) return options;
  const config = options.config ?? {};
  return { ...options, config: { ...config, code: { ...config.code, protectRecentMessages: 0 } } };
}
