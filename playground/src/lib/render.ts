/**
 * A conversation as lines of text for the side-by-side view, the same way for the original and
 * the compressed side so that the diff shows what changed: a header line per message, then each
 * text it carries. Text that is JSON is pretty-printed (both sides), so dropped items show as
 * dropped lines rather than one changed line. Works on any of the four formats by shape
 * (strings, `text` parts, tool calls and results, Gemini parts); anything else is shown as JSON.
 */

/** One display line and the message it belongs to. */
export interface Rendered {
  readonly lines: string[];
  /** Message index per line. */
  readonly message: Int32Array;
}

/** Longest line kept for display (characters); the rest is summarised. */
export const MAX_LINE = 2000;

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

function prettyIfJson(text: string): string {
  const t = text.trimStart();
  if (!(t.startsWith('{') || t.startsWith('['))) return text;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function json(v: unknown): string {
  try {
    return JSON.stringify(v, null, 2) ?? String(v);
  } catch {
    return String(v);
  }
}

function args(v: unknown): string {
  if (typeof v === 'string') {
    try {
      return JSON.stringify(JSON.parse(v));
    } catch {
      return v;
    }
  }
  try {
    return JSON.stringify(v) ?? '';
  } catch {
    return String(v);
  }
}

/** The texts one content value carries, in order. */
function texts(content: unknown, out: string[]): void {
  if (content === null || content === undefined) return;
  if (typeof content === 'string') {
    out.push(prettyIfJson(content));
    return;
  }
  if (Array.isArray(content)) {
    for (const part of content) texts(part, out);
    return;
  }
  if (!isRec(content)) {
    out.push(String(content));
    return;
  }
  const p = content;
  const type = typeof p.type === 'string' ? p.type : undefined;
  if (typeof p.text === 'string' && (type === undefined || type === 'text' || type === 'input_text' || type === 'output_text')) {
    out.push(prettyIfJson(p.text));
    return;
  }
  if (type === 'tool_use') return void out.push(`→ call ${String(p.name)}(${args(p.input)})`);
  if (type === 'tool-call') return void out.push(`→ call ${String(p.toolName)}(${args(p.input ?? p.args)})`);
  if (type === 'tool_result') return void (out.push(`← result ${String(p.tool_use_id ?? '')}`.trimEnd()), texts(p.content, out));
  if (type === 'tool-result') {
    out.push(`← result ${String(p.toolName ?? p.toolCallId ?? '')}`.trimEnd());
    const o = p.output;
    if (isRec(o) && 'value' in o) texts(typeof o.value === 'string' ? o.value : json(o.value), out);
    else if (isRec(o) && Array.isArray(o.value)) texts(o.value, out);
    else texts(typeof p.result === 'string' ? p.result : p.result !== undefined ? json(p.result) : o !== undefined ? json(o) : '', out);
    return;
  }
  if (isRec(p.functionCall)) return void out.push(`→ call ${String(p.functionCall.name)}(${args(p.functionCall.args)})`);
  if (isRec(p.functionResponse)) {
    const r = p.functionResponse;
    out.push(`← result ${String(r.name ?? '')}`.trimEnd());
    const keys = isRec(r.response) ? Object.keys(r.response) : [];
    const only = keys.length === 1 && isRec(r.response) ? r.response[keys[0]] : undefined;
    texts(typeof only === 'string' ? only : json(r.response), out);
    return;
  }
  out.push(json(p));
}

/** `── tool (call_1) ──`: no message index, so a message keeps its header when earlier ones are dropped. */
function header(m: unknown): string {
  if (!isRec(m)) return '── ? ──';
  const role = typeof m.role === 'string' ? m.role : isRec(m) && Array.isArray(m.parts) ? 'user' : '?';
  const extra = typeof m.tool_call_id === 'string' ? ` (${m.tool_call_id})` : typeof m.name === 'string' ? ` (${m.name})` : '';
  return `── ${role}${extra} ──`;
}

/** Lines of a conversation, one header per message. */
export function renderMessages(messages: ReadonlyArray<unknown>): Rendered {
  const lines: string[] = [];
  const owner: number[] = [];
  messages.forEach((m, i) => {
    lines.push(header(m));
    owner.push(i);
    const body: string[] = [];
    if (isRec(m)) {
      texts(m.content ?? m.parts, body);
      if (Array.isArray(m.tool_calls)) {
        for (const c of m.tool_calls) if (isRec(c) && isRec(c.function)) body.push(`→ call ${String(c.function.name)}(${args(c.function.arguments)})`);
      }
    } else texts(m, body);
    for (const text of body) {
      for (const line of text.split(/\r\n|\n|\r/)) {
        lines.push(line);
        owner.push(i);
      }
    }
  });
  return { lines, message: Int32Array.from(owner) };
}

/** A line as shown: long lines are cut with a note of how much is hidden. */
export function displayLine(line: string): string {
  return line.length <= MAX_LINE ? line : `${line.slice(0, MAX_LINE)} … (+${(line.length - MAX_LINE).toLocaleString('en-US')} chars)`;
}
