/**
 * The `headroom_retrieve` tool the model calls to get back what a marker left out, in each
 * provider's tool shape, and the helpers that add it to a request's tools idempotently and
 * recognise its name (including MCP-style namespaced aliases, whose results must never be
 * compressed again, ALGORITHMS.md §10.1). Pure: no platform APIs, no I/O.
 *
 * Every builder returns a fresh object with the same key order each time, so the serialised
 * tools are byte-identical across requests and provider prompt caches keep hitting.
 */
import { ConfigurationError } from '../errors.js';

export const RETRIEVE_TOOL_NAME = 'headroom_retrieve';

export type RetrieveToolFormat = 'openai' | 'anthropic' | 'gemini' | 'vercel';

export const RETRIEVE_TOOL_DESCRIPTION =
  'Retrieve content that Headroom removed from this conversation to save tokens. Tool results and earlier messages ' +
  'may contain markers such as [headroom: 40 items omitted (errors kept). Retrieve: hash=<24 hex>] or ' +
  '{"_headroom": "40 items omitted. Retrieve: hash=<24 hex>"}. A short placeholder without a hash, such as ' +
  '[headroom: 3 lines omitted] in code, belongs to the nearest marker with a hash above it. Call this tool with that hash when you need the ' +
  'omitted items, lines or messages to answer correctly, e.g. to find a record that is not shown or to count ' +
  'or check all of them; do not call it when what is shown is enough. Without query it returns the exact ' +
  'original content; with query it returns only the best-matching items or lines (or the full original if ' +
  'nothing matches).';

const HASH_DESCRIPTION = 'The 24-character hex hash that follows "hash=" in the marker.';
const QUERY_DESCRIPTION = 'Optional search terms. When given, only the items or lines that best match are returned instead of everything.';

/** JSON Schema of the tool input (OpenAI, Anthropic, Vercel). */
export interface RetrieveToolJSONSchema {
  type: 'object';
  properties: {
    hash: { type: 'string'; description: string };
    query: { type: 'string'; description: string };
  };
  required: ['hash'];
}

/** Gemini `Schema` (OpenAPI subset with the upper-case `Type` enum values of @google/genai). */
export interface RetrieveToolGeminiSchema {
  type: 'OBJECT';
  properties: {
    hash: { type: 'STRING'; description: string };
    query: { type: 'STRING'; description: string };
  };
  required: ['hash'];
}

export interface OpenAIRetrieveTool {
  type: 'function';
  function: { name: typeof RETRIEVE_TOOL_NAME; description: string; parameters: RetrieveToolJSONSchema };
}

export interface AnthropicRetrieveTool {
  name: typeof RETRIEVE_TOOL_NAME;
  description: string;
  input_schema: RetrieveToolJSONSchema;
}

/** One entry of a Gemini `tools[].functionDeclarations`. */
export interface GeminiRetrieveDeclaration {
  name: typeof RETRIEVE_TOOL_NAME;
  description: string;
  parameters: RetrieveToolGeminiSchema;
}

/**
 * Vercel AI SDK: the description and plain JSON Schema. The AI SDK wants the schema wrapped:
 * `tool({ description, inputSchema: jsonSchema(def.inputSchema) })` (v5; `parameters` in v4).
 */
export interface VercelRetrieveTool {
  description: string;
  inputSchema: RetrieveToolJSONSchema;
}

export function retrieveToolJSONSchema(): RetrieveToolJSONSchema {
  return {
    type: 'object',
    properties: {
      hash: { type: 'string', description: HASH_DESCRIPTION },
      query: { type: 'string', description: QUERY_DESCRIPTION },
    },
    required: ['hash'],
  };
}

function geminiSchema(): RetrieveToolGeminiSchema {
  return {
    type: 'OBJECT',
    properties: {
      hash: { type: 'STRING', description: HASH_DESCRIPTION },
      query: { type: 'STRING', description: QUERY_DESCRIPTION },
    },
    required: ['hash'],
  };
}

export function openaiRetrieveTool(): OpenAIRetrieveTool {
  return { type: 'function', function: { name: RETRIEVE_TOOL_NAME, description: RETRIEVE_TOOL_DESCRIPTION, parameters: retrieveToolJSONSchema() } };
}

export function anthropicRetrieveTool(): AnthropicRetrieveTool {
  return { name: RETRIEVE_TOOL_NAME, description: RETRIEVE_TOOL_DESCRIPTION, input_schema: retrieveToolJSONSchema() };
}

export function geminiRetrieveTool(): GeminiRetrieveDeclaration {
  return { name: RETRIEVE_TOOL_NAME, description: RETRIEVE_TOOL_DESCRIPTION, parameters: geminiSchema() };
}

export function vercelRetrieveTool(): VercelRetrieveTool {
  return { description: RETRIEVE_TOOL_DESCRIPTION, inputSchema: retrieveToolJSONSchema() };
}

/** The tool definition in one provider's shape (Gemini: one function declaration). */
export function retrieveToolDefinition(format: 'openai'): OpenAIRetrieveTool;
export function retrieveToolDefinition(format: 'anthropic'): AnthropicRetrieveTool;
export function retrieveToolDefinition(format: 'gemini'): GeminiRetrieveDeclaration;
export function retrieveToolDefinition(format: 'vercel'): VercelRetrieveTool;
export function retrieveToolDefinition(format: RetrieveToolFormat): OpenAIRetrieveTool | AnthropicRetrieveTool | GeminiRetrieveDeclaration | VercelRetrieveTool;
export function retrieveToolDefinition(format: RetrieveToolFormat): OpenAIRetrieveTool | AnthropicRetrieveTool | GeminiRetrieveDeclaration | VercelRetrieveTool {
  switch (format) {
    case 'openai':
      return openaiRetrieveTool();
    case 'anthropic':
      return anthropicRetrieveTool();
    case 'gemini':
      return geminiRetrieveTool();
    case 'vercel':
      return vercelRetrieveTool();
    default:
      throw new ConfigurationError(`Unknown tool format ${JSON.stringify(format)}: expected 'openai', 'anthropic', 'gemini' or 'vercel'`);
  }
}

/**
 * `headroom_retrieve`, bare or behind namespaces joined by `__`, `.`, `/` or `:` (MCP clients
 * and gateways prefix server names): `mcp__headroom__headroom_retrieve`,
 * `headroom.headroom_retrieve`, `headroom/headroom_retrieve`, `headroom:headroom_retrieve`.
 * The whole last segment must be `headroom_retrieve` (case-sensitive), so `my_headroom_retrieve`
 * or `headroom_retrieve_v2` do not match.
 */
const ALIAS_RE = /^(?:[A-Za-z0-9][A-Za-z0-9_-]*(?:__|[./:]))*headroom_retrieve$/;

export function isRetrieveToolName(name: unknown): boolean {
  if (typeof name !== 'string') return false;
  if (name === RETRIEVE_TOOL_NAME) return true;
  if (name.length > 256 || !name.endsWith(RETRIEVE_TOOL_NAME)) return false;
  return ALIAS_RE.test(name);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Names a tool entry declares, whatever the provider shape (OpenAI chat/responses, Anthropic, Gemini, Vercel object). */
function declaredNames(tool: unknown): string[] {
  if (!isRecord(tool)) return [];
  const names: string[] = [];
  if (typeof tool.name === 'string') names.push(tool.name);
  if (isRecord(tool.function) && typeof tool.function.name === 'string') names.push(tool.function.name);
  for (const key of ['functionDeclarations', 'function_declarations']) {
    const decls = tool[key];
    if (Array.isArray(decls)) for (const d of decls) if (isRecord(d) && typeof d.name === 'string') names.push(d.name);
  }
  return names;
}

/** Does this tools list (any provider shape, array or Vercel object map) already offer a retrieve tool? */
export function hasRetrieveTool(tools: unknown): boolean {
  if (Array.isArray(tools)) return tools.some((t) => declaredNames(t).some(isRetrieveToolName));
  if (isRecord(tools)) return Object.entries(tools).some(([key, t]) => isRetrieveToolName(key) || declaredNames(t).some(isRetrieveToolName));
  return false;
}

export interface AddRetrieveToolOptions {
  /**
   * Vercel only: wraps the JSON Schema for the AI SDK, i.e. pass the SDK's `jsonSchema`
   * (`import { jsonSchema } from 'ai'`). Without it the plain JSON Schema is used, which
   * only callers that wrap it themselves can hand to the SDK.
   */
  wrapSchema?: (schema: RetrieveToolJSONSchema) => unknown;
}

/**
 * Return the request's tools with `headroom_retrieve` added, or `tools` itself (same reference)
 * when a tool of that name or an alias is already there. Never mutates its input.
 * - openai / anthropic: arrays; the definition is appended.
 * - gemini: `[{ functionDeclarations: [...] }, ...]`; the declaration is appended to the first
 *   entry that has `functionDeclarations` (copied), or a new `{ functionDeclarations: [decl] }`
 *   entry is appended.
 * - vercel: an object map `{ [name]: tool }`; `headroom_retrieve` is added as
 *   `{ description, inputSchema }` (see `wrapSchema`).
 */
export function addRetrieveTool(tools: readonly unknown[] | undefined, format: 'openai' | 'anthropic' | 'gemini'): unknown[];
export function addRetrieveTool(tools: Readonly<Record<string, unknown>> | undefined, format: 'vercel', options?: AddRetrieveToolOptions): Record<string, unknown>;
export function addRetrieveTool(tools: readonly unknown[] | Readonly<Record<string, unknown>> | undefined, format: RetrieveToolFormat, options?: AddRetrieveToolOptions): unknown[] | Record<string, unknown>;
export function addRetrieveTool(tools: readonly unknown[] | Readonly<Record<string, unknown>> | undefined, format: RetrieveToolFormat, options: AddRetrieveToolOptions = {}): unknown[] | Record<string, unknown> {
  if (format === 'vercel') {
    if (tools !== undefined && !isRecord(tools)) throw new ConfigurationError('addRetrieveTool(tools, "vercel"): Vercel AI SDK tools are an object map { [name]: tool }');
    if (tools !== undefined && hasRetrieveTool(tools)) return tools as Record<string, unknown>;
    const def = vercelRetrieveTool();
    const tool = options.wrapSchema ? { description: def.description, inputSchema: options.wrapSchema(def.inputSchema) } : def;
    return { ...(tools ?? {}), [RETRIEVE_TOOL_NAME]: tool };
  }
  if (tools !== undefined && !Array.isArray(tools)) throw new ConfigurationError(`addRetrieveTool(tools, ${JSON.stringify(format)}): tools must be an array`);
  const list = (tools ?? []) as readonly unknown[];
  if (tools !== undefined && hasRetrieveTool(list)) return tools as unknown[];
  switch (format) {
    case 'openai':
      return [...list, openaiRetrieveTool()];
    case 'anthropic':
      return [...list, anthropicRetrieveTool()];
    case 'gemini': {
      const at = list.findIndex((t) => isRecord(t) && Array.isArray(t.functionDeclarations));
      if (at < 0) return [...list, { functionDeclarations: [geminiRetrieveTool()] }];
      const first = list[at] as Record<string, unknown> & { functionDeclarations: unknown[] };
      const out = [...list];
      out[at] = { ...first, functionDeclarations: [...first.functionDeclarations, geminiRetrieveTool()] };
      return out;
    }
    default:
      throw new ConfigurationError(`Unknown tool format ${JSON.stringify(format)}: expected 'openai', 'anthropic', 'gemini' or 'vercel'`);
  }
}
