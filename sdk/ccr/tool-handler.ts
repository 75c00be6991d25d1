/**
 * Answer a `headroom_retrieve` call the model made, in the shape its provider expects back.
 * Accepts OpenAI Chat tool calls, OpenAI Responses `function_call` items, Anthropic `tool_use`
 * blocks, Gemini `functionCall`s (bare or as a part) and Vercel AI SDK tool calls (v5 `input`,
 * v4 `args`). Returns `null` for anything that is not a retrieve call, so callers can route every
 * call through it. Never throws: malformed arguments, bad or unknown hashes and store failures
 * become error results that tell the model what to do next.
 */
import { isRetrieveToolName } from '../../engine/ccr/retrieve-tool.js';
import type { CCRStore } from '../../engine/ccr/types.js';
import { retrieveWithReason, type RetrieveOutcome, type RetrieveResult } from './retrieve.js';

// --- call shapes --------------------------------------------------------------------------

export interface OpenAIToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface OpenAIResponsesFunctionCall {
  type: 'function_call';
  call_id: string;
  name: string;
  arguments: string;
  id?: string;
}

export interface AnthropicToolUse {
  type: 'tool_use';
  id: string;
  name: string;
  input: unknown;
}

export interface GeminiFunctionCall {
  name: string;
  args?: Record<string, unknown>;
  id?: string;
}

export interface VercelToolCall {
  type?: 'tool-call';
  toolCallId: string;
  toolName: string;
  /** AI SDK v5. */
  input?: unknown;
  /** AI SDK v4. */
  args?: unknown;
}

export type RetrieveToolCall = OpenAIToolCall | OpenAIResponsesFunctionCall | AnthropicToolUse | GeminiFunctionCall | { functionCall: GeminiFunctionCall } | VercelToolCall;

// --- result shapes ------------------------------------------------------------------------

export interface OpenAIToolMessage {
  role: 'tool';
  tool_call_id: string;
  content: string;
}

export interface OpenAIResponsesFunctionCallOutput {
  type: 'function_call_output';
  call_id: string;
  output: string;
}

export interface AnthropicToolResult {
  type: 'tool_result';
  tool_use_id: string;
  content: string;
  is_error?: true;
}

export interface GeminiFunctionResponsePart {
  functionResponse: { id?: string; name: string; response: { output: string } | { error: string } };
}

/** AI SDK v5 tool-result part (for calls that carried `input`). */
export interface VercelToolResult {
  type: 'tool-result';
  toolCallId: string;
  toolName: string;
  output: { type: 'text' | 'error-text'; value: string };
}

/** AI SDK v4 tool-result part (for calls that carried `args`). */
export interface VercelToolResultV4 {
  type: 'tool-result';
  toolCallId: string;
  toolName: string;
  result: string;
  isError?: true;
}

export type RetrieveToolResult = OpenAIToolMessage | OpenAIResponsesFunctionCallOutput | AnthropicToolResult | GeminiFunctionResponsePart | VercelToolResult | VercelToolResultV4;

export interface HandleRetrieveOptions {
  /** Most matches for a query. Default 20. */
  maxMatches?: number;
}

// --- rendering ----------------------------------------------------------------------------

/** The tool-result text for a retrieval: the original itself, or the matches with their positions. */
export function formatRetrieveResult(result: RetrieveResult): string {
  if (!('query' in result)) return result.content;
  const unit = result.unit === 'lines' ? 'line' : result.unit === 'messages' ? 'message' : 'item';
  if (result.matches.length === 0) {
    return `No ${unit}s of hash=${result.hash} matched the query ${JSON.stringify(result.query)}, so here is the full original (${result.total} ${result.unit}):\n\n${result.content ?? ''}`;
  }
  const n = result.matches.length;
  const shown = result.matched > n ? `the best ${n} of ${result.matched} matching ${unit}s` : `${n} matching ${unit}${n === 1 ? '' : 's'}`;
  const head = `hash=${result.hash}, query ${JSON.stringify(result.query)}: ${shown} out of ${result.total}, in original order as [${unit} index] text. Call again without query for everything.`;
  return [head, ...result.matches.map((m) => `[${m.index}] ${m.text}`)].join('\n');
}

function outcomeText(out: RetrieveOutcome): { text: string; error: boolean } {
  return out.ok ? { text: formatRetrieveResult(out.result), error: false } : { text: `Error: ${out.message}`, error: true };
}

// --- dispatch -----------------------------------------------------------------------------

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

type Shape =
  | { kind: 'openai'; id: string; name: string; args: unknown }
  | { kind: 'responses'; callId: string; name: string; args: unknown }
  | { kind: 'anthropic'; id: string; name: string; args: unknown }
  | { kind: 'gemini'; id: string | undefined; name: string; args: unknown }
  | { kind: 'vercel'; v4: boolean; id: string; name: string; args: unknown };

function str(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

function classify(call: unknown): Shape | null {
  if (!isObj(call)) return null;
  if (call.type === 'tool_use' && typeof call.name === 'string') return { kind: 'anthropic', id: str(call.id), name: call.name, args: call.input };
  if (call.type === 'function_call' && typeof call.name === 'string') return { kind: 'responses', callId: str(call.call_id ?? call.id), name: call.name, args: call.arguments };
  if (isObj(call.function) && typeof call.function.name === 'string') return { kind: 'openai', id: str(call.id), name: call.function.name, args: call.function.arguments };
  if (typeof call.toolName === 'string' && 'toolCallId' in call) {
    const v4 = !('input' in call) && 'args' in call;
    return { kind: 'vercel', v4, id: str(call.toolCallId), name: call.toolName, args: v4 ? call.args : call.input };
  }
  const fc = isObj(call.functionCall) ? call.functionCall : call.type === undefined ? call : undefined;
  if (fc && typeof fc.name === 'string') return { kind: 'gemini', id: typeof fc.id === 'string' ? fc.id : undefined, name: fc.name, args: fc.args };
  return null;
}

const USAGE = 'Call headroom_retrieve with {"hash": "<the 24 hex characters after hash= in the marker>"} and optionally "query".';

/** The call's arguments as an object, or the error text for the model. */
function parseArgs(raw: unknown): { args: Obj } | { error: string } {
  if (raw === undefined || raw === null) return { args: {} };
  if (typeof raw === 'string') {
    if (raw.trim() === '') return { args: {} };
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (err) {
      return { error: `Error: the headroom_retrieve arguments are not valid JSON (${err instanceof Error ? err.message : String(err)}). ${USAGE}` };
    }
    return isObj(parsed) ? { args: parsed } : { error: `Error: the headroom_retrieve arguments must be a JSON object. ${USAGE}` };
  }
  return isObj(raw) ? { args: raw } : { error: `Error: the headroom_retrieve arguments must be an object. ${USAGE}` };
}

function respond(shape: Shape, text: string, error: boolean): RetrieveToolResult {
  switch (shape.kind) {
    case 'openai':
      return { role: 'tool', tool_call_id: shape.id, content: text };
    case 'responses':
      return { type: 'function_call_output', call_id: shape.callId, output: text };
    case 'anthropic':
      return error ? { type: 'tool_result', tool_use_id: shape.id, content: text, is_error: true } : { type: 'tool_result', tool_use_id: shape.id, content: text };
    case 'gemini': {
      const response = error ? { error: text } : { output: text };
      return { functionResponse: shape.id !== undefined ? { id: shape.id, name: shape.name, response } : { name: shape.name, response } };
    }
    case 'vercel':
      if (shape.v4) return error ? { type: 'tool-result', toolCallId: shape.id, toolName: shape.name, result: text, isError: true } : { type: 'tool-result', toolCallId: shape.id, toolName: shape.name, result: text };
      return { type: 'tool-result', toolCallId: shape.id, toolName: shape.name, output: { type: error ? 'error-text' : 'text', value: text } };
  }
}

/**
 * The tool result for a `headroom_retrieve` call (or a namespaced alias such as
 * `mcp__headroom__headroom_retrieve`), in the call's provider shape; `null` if `call` is not a
 * retrieve call. Reads `store`, or the default store `compress()` wrote to.
 */
export function handleRetrieveToolCall(call: OpenAIToolCall, store?: CCRStore, options?: HandleRetrieveOptions): Promise<OpenAIToolMessage | null>;
export function handleRetrieveToolCall(call: OpenAIResponsesFunctionCall, store?: CCRStore, options?: HandleRetrieveOptions): Promise<OpenAIResponsesFunctionCallOutput | null>;
export function handleRetrieveToolCall(call: AnthropicToolUse, store?: CCRStore, options?: HandleRetrieveOptions): Promise<AnthropicToolResult | null>;
export function handleRetrieveToolCall(call: VercelToolCall, store?: CCRStore, options?: HandleRetrieveOptions): Promise<VercelToolResult | VercelToolResultV4 | null>;
export function handleRetrieveToolCall(call: GeminiFunctionCall | { functionCall: GeminiFunctionCall }, store?: CCRStore, options?: HandleRetrieveOptions): Promise<GeminiFunctionResponsePart | null>;
export function handleRetrieveToolCall(call: unknown, store?: CCRStore, options?: HandleRetrieveOptions): Promise<RetrieveToolResult | null>;
export async function handleRetrieveToolCall(call: unknown, store?: CCRStore, options: HandleRetrieveOptions = {}): Promise<RetrieveToolResult | null> {
  const shape = classify(call);
  if (!shape || !isRetrieveToolName(shape.name)) return null;
  const parsed = parseArgs(shape.args);
  if ('error' in parsed) return respond(shape, parsed.error, true);
  const { hash, query } = parsed.args;
  if (typeof hash !== 'string' || hash.trim() === '') {
    return respond(shape, `Error: headroom_retrieve needs a "hash" argument. ${USAGE}`, true);
  }
  let out: RetrieveOutcome;
  try {
    out = await retrieveWithReason(hash, { store, query: typeof query === 'string' ? query : undefined, maxMatches: options.maxMatches });
  } catch (err) {
    // retrieveWithReason does not throw; this guards a store whose methods are not even callable.
    out = { ok: false, hash, reason: 'store_error', message: `The store of originals failed (${err instanceof Error ? err.message : String(err)}).` };
  }
  const { text, error } = outcomeText(out);
  return respond(shape, text, error);
}
