import { ccrHash } from '../../engine/ccr/hash.js';
import { formatTextMarker } from '../../engine/ccr/markers.js';
import type { CCREntry } from '../../engine/ccr/types.js';
import { resolveConfig, type HeadroomConfig } from '../../engine/config.js';
import type { Message, TextBlock, ToolResultBlock } from '../../engine/messages/types.js';
import type { PipelineContext } from '../../engine/pipeline/types.js';
import type { TokenCounter } from '../../engine/tokenizer/types.js';
import type { ContentCompressor } from '../../engine/transforms/compressor.js';
import type { ToolProfile } from '../../engine/transforms/smart-crusher/config.js';
import { createContentRouter, RouterCache, smartCrusherCompressor, type CompressorMap } from '../../engine/transforms/router/index.js';
import { testModel, wordCounter } from '../helpers/fake-counter.js';

/**
 * A deterministic, query-aware stand-in for a line compressor: keeps the first 3 and last 2
 * lines plus every line containing a query word (> 2 chars), then one marker for the rest.
 */
export function lineStub(name: string): ContentCompressor {
  return {
    name,
    compress(input, deps) {
      const lines = input.text.split('\n');
      if (lines.length < 10) return { changed: false, output: input.text, labels: [], hashes: [], note: `${name}: short` };
      const words = input.query
        .toLowerCase()
        .split(/[^a-z0-9_]+/)
        .filter((w) => w.length > 2);
      const keep = lines.filter((l, i) => i < 3 || i >= lines.length - 2 || words.some((w) => l.toLowerCase().includes(w)));
      const hash = ccrHash(input.text);
      deps.ccr.record({ hash, content: input.text, source: name });
      const marker = formatTextMarker({ count: lines.length - keep.length, unit: 'lines', hash });
      return { changed: true, output: [...keep, marker].join('\n'), labels: [`${name}:lines=${lines.length}->${keep.length}`], hashes: [hash] };
    },
  };
}

export const stubMap = (): CompressorMap => ({
  json: { compressor: smartCrusherCompressor, configOf: (c) => c.smartCrusher },
  search: { compressor: lineStub('search') },
  log: { compressor: lineStub('log') },
  diff: { compressor: lineStub('diff') },
  html: { compressor: lineStub('html') },
  text: { compressor: lineStub('text') },
  code: { compressor: lineStub('code') },
});

export function routerCtx(opts: { config?: HeadroomConfig; toolProfiles?: Record<string, ToolProfile>; counter?: TokenCounter } = {}) {
  const entries: CCREntry[] = [];
  const warnings: string[] = [];
  const ctx: PipelineContext = {
    model: testModel,
    counter: opts.counter ?? wordCounter,
    tokenBudget: 1_000_000,
    config: resolveConfig(opts.config),
    ccr: { record: (e) => void entries.push(e) },
    ...(opts.toolProfiles ? { toolProfiles: opts.toolProfiles } : {}),
    warn: (w) => void warnings.push(w),
  };
  return { ctx, entries, warnings };
}

/** A router over stub compressors with its own cache (or none). */
export function stubRouter(compressors: CompressorMap = stubMap(), cache: RouterCache | null = null) {
  return createContentRouter({ compressors, cache });
}

export const sys = (text: string): Message => ({ role: 'system', blocks: [{ type: 'text', text }] });
export const user = (text: string): Message => ({ role: 'user', blocks: [{ type: 'text', text }] });
export const asst = (text: string): Message => ({ role: 'assistant', blocks: [{ type: 'text', text }] });
export const callMsg = (id: string, name: string, args: unknown = {}): Message => ({
  role: 'assistant',
  blocks: [{ type: 'tool_call', id, name, arguments: typeof args === 'string' ? args : JSON.stringify(args) }],
});
export const resultMsg = (id: string, text: string, toolName?: string): Message => ({
  role: 'tool',
  blocks: [{ type: 'tool_result', toolCallId: id, ...(toolName ? { toolName } : {}), content: [{ type: 'text', text }] }],
});
/** Anthropic style: tool results inside a user message. */
export const userResults = (...rs: Array<[string, string]>): Message => ({
  role: 'user',
  blocks: rs.map(([id, text]) => ({ type: 'tool_result' as const, toolCallId: id, content: [{ type: 'text' as const, text }] })),
});
export const resultText = (m: Message, bi = 0, ci = 0): string => ((m.blocks[bi] as ToolResultBlock).content[ci] as TextBlock).text;
