/**
 * The `smart_crusher` pipeline transform: crushes JSON in tool results.
 *
 * For every tool_result block, each text part that looks like JSON goes through crushJson
 * with the query current when the result arrived: the text of the last user message (one
 * that is not only tool results) BEFORE the message holding the result, never a later one, so
 * a result crushes to the same bytes on every later turn (provider prefix caches keep hitting).
 * Skipped: results of the retrieval tool (`headroom_retrieve`, also namespaced such as
 * `mcp__headroom__headroom_retrieve`), tools whose profile says `skip`. A tool profile's
 * `maxItems` is honoured exactly like `maxItemsAfterCrush`. A rewrite is kept only when it
 * has fewer tokens (crushJson checks with ctx.counter).
 */
import { isRetrieveToolName } from '../../ccr/retrieve-tool.js';
import type { Block, OpaqueBlock, TextBlock, ToolResultBlock } from '../../messages/types.js';
import type { Transform, TransformOutput } from '../../pipeline/types.js';
import { rewriteWithQuery } from '../query-pass.js';
import { profileMaxItems, toolProfile, type ResolvedSmartCrusherConfig } from './config.js';
import { crushJson, looksLikeJson } from './crush.js';

/**
 * Results of the retrieval tool are never crushed (they would turn into new markers forever):
 * `headroom_retrieve` and namespaced aliases (`mcp__headroom__headroom_retrieve`, `x.headroom_retrieve`…),
 * as the retrieval tool itself defines them.
 */
export function isRetrieveTool(name: string | undefined): boolean {
  return isRetrieveToolName(name);
}

export const smartCrusher: Transform = {
  name: 'smart_crusher',
  isEnabled: (config) => config.smartCrusher.enabled,
  apply(messages, ctx): TransformOutput {
    const cfg = ctx.config.smartCrusher;
    const callNames = new Map<string, string>();
    for (const m of messages) for (const b of m.blocks) if (b.type === 'tool_call' && !callNames.has(b.id)) callNames.set(b.id, b.name);

    const applied: string[] = [];
    const results: Array<Record<string, unknown>> = [];
    const hashes: string[] = [];
    const rewritten = rewriteWithQuery(messages, undefined, (m, _mi, query) => {
      let blocks: Block[] | null = null;
      for (let bi = 0; bi < m.blocks.length; bi++) {
        const b = m.blocks[bi];
        if (b.type !== 'tool_result') continue;
        const toolName = b.toolName ?? callNames.get(b.toolCallId);
        if (isRetrieveTool(toolName)) continue;
        const profile = toolProfile(ctx.toolProfiles, toolName);
        if (profile?.skip === true) continue;
        const maxItems = profileMaxItems(profile);
        const options: ResolvedSmartCrusherConfig = maxItems !== undefined ? { ...cfg, maxItemsAfterCrush: maxItems } : cfg;
        let content: Array<TextBlock | OpaqueBlock> | null = null;
        for (let ci = 0; ci < b.content.length; ci++) {
          const part = b.content[ci];
          if (part.type !== 'text' || !looksLikeJson(part.text)) continue;
          const r = crushJson(part.text, options, { counter: ctx.counter, query, ccr: ctx.ccr, toolName });
          if (r.warning) ctx.warn(r.warning);
          if (!r.changed) continue;
          content ??= [...b.content];
          content[ci] = { ...part, text: r.output };
          applied.push(`smart_crusher:items=${r.itemsBefore}->${r.itemsAfter}`);
          hashes.push(...r.hashes);
          results.push({
            toolCallId: b.toolCallId,
            ...(toolName ? { toolName } : {}),
            itemsBefore: r.itemsBefore,
            itemsAfter: r.itemsAfter,
            tokensBefore: r.tokensBefore,
            tokensAfter: r.tokensAfter,
            strategies: r.strategies,
            hashes: r.hashes,
          });
        }
        if (content) {
          blocks ??= [...m.blocks];
          blocks[bi] = { ...(b as ToolResultBlock), content };
        }
      }
      return blocks;
    });
    return {
      messages: rewritten,
      report: { name: 'smart_crusher', applied, details: { results, ccrHashes: hashes } },
    };
  },
};
