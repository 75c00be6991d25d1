/**
 * Which provider format a message array is in, from fields only one format uses.
 * Every distinctive field counts one point (Gemini's `parts` and role 'model' two); the
 * format with most points wins (ties: gemini, anthropic, vercel, openai). No evidence at all
 * (e.g. `[{role, content: string}]`, which all four formats would write identically) → 'openai'.
 */
import type { MessageFormat } from './types.js';
import { hasOwn, isRecord, type Rec } from './shared.js';

export type FormatScores = Record<MessageFormat, number>;

const ANTHROPIC_BLOCKS = new Set([
  'tool_use',
  'tool_result',
  'thinking',
  'redacted_thinking',
  'document',
  'search_result',
  'server_tool_use',
  'web_search_tool_result',
  'web_fetch_tool_result',
  'code_execution_tool_result',
  'bash_code_execution_tool_result',
  'text_editor_code_execution_tool_result',
  'mcp_tool_use',
  'mcp_tool_result',
  'container_upload',
]);

const VERCEL_PARTS = new Set(['tool-call', 'tool-result', 'reasoning', 'redacted-reasoning', 'tool-approval-request', 'tool-approval-response']);

const OPENAI_PARTS = new Set(['image_url', 'input_audio', 'refusal']);

function scorePart(p: Rec, s: FormatScores): void {
  const type = p.type;
  if (typeof type !== 'string') return;
  if (ANTHROPIC_BLOCKS.has(type)) s.anthropic++;
  else if (VERCEL_PARTS.has(type)) s.vercel++;
  else if (OPENAI_PARTS.has(type)) s.openai++;
  else if (type === 'image') {
    if (hasOwn(p, 'source')) s.anthropic++;
    else if (hasOwn(p, 'image')) s.vercel++;
  } else if (type === 'file') {
    if (hasOwn(p, 'file')) s.openai++;
    else if (hasOwn(p, 'data')) s.vercel++;
  } else if (type === 'text') {
    if (hasOwn(p, 'cache_control') || hasOwn(p, 'citations')) s.anthropic++;
  }
  if (hasOwn(p, 'providerOptions') || hasOwn(p, 'experimental_providerMetadata') || hasOwn(p, 'providerMetadata')) s.vercel++;
  if (type !== 'text' && hasOwn(p, 'cache_control')) s.anthropic++;
}

/** Evidence points per format (non-object entries are skipped). */
export function formatScores(messages: ReadonlyArray<unknown>): FormatScores {
  const s: FormatScores = { openai: 0, anthropic: 0, vercel: 0, gemini: 0 };
  for (const m of messages) {
    if (!isRecord(m)) continue;
    if (Array.isArray(m.parts)) s.gemini += 2;
    const role = m.role;
    if (role === 'model') s.gemini += 2;
    if (role === 'developer') s.openai++;
    if (role === 'function' && !Array.isArray(m.parts)) s.openai++;
    if (hasOwn(m, 'tool_calls') || hasOwn(m, 'tool_call_id') || hasOwn(m, 'function_call')) s.openai++;
    if (role === 'assistant' && hasOwn(m, 'refusal')) s.openai++;
    if (role === 'tool' && typeof m.content === 'string') s.openai++;
    if (hasOwn(m, 'providerOptions') || hasOwn(m, 'experimental_providerMetadata')) s.vercel++;
    const c = m.content;
    if (Array.isArray(c)) {
      for (const p of c) if (isRecord(p)) scorePart(p, s);
    }
  }
  return s;
}

const ORDER: ReadonlyArray<MessageFormat> = ['gemini', 'anthropic', 'vercel', 'openai'];

/**
 * The format of a message array, or null when it is not an array of objects. Ambiguous
 * input (no distinctive field) is 'openai'.
 */
export function detectFormat(messages: unknown): MessageFormat | null {
  if (!Array.isArray(messages)) return null;
  for (const m of messages) if (!isRecord(m)) return null;
  const s = formatScores(messages);
  let best: MessageFormat = 'openai';
  let bestScore = 0;
  for (const f of ORDER) {
    if (s[f] > bestScore) {
      best = f;
      bestScore = s[f];
    }
  }
  return best;
}
