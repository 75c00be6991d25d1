/**
 * The `content_router` pipeline transform: every tool-result text (and assistant text when
 * `router.enableAssistant`) is detected, routed to the compressor for its type, and replaced
 * only when the result is smaller. A routing decision is recorded for every text block
 * (`report.details.decisions`), and `transformsApplied` gets the compressors' labels plus
 * `router:<type>=<tokens before>-><after>` per compressed block.
 *
 * JSON goes to SmartCrusher exactly as the `smart_crusher` transform did: same query rule (the
 * last user message BEFORE the result, never a later one), same tool profiles (`skip`,
 * `maxItems`), same retrieve-tool exemption, same token check.
 *
 * Stable across turns: a block's result depends only on its content, the query current when it
 * arrived, its tool call, the config and the counter's model, so re-sending the history plus new
 * turns leaves earlier messages byte-identical. Results are cached across calls (cache.ts) so
 * re-routing a long history each turn costs little; the cache never changes a result.
 */
import type { CCRSink } from '../../ccr/types.js';
import type { ResolvedConfig } from '../../config.js';
import type { Block, OpaqueBlock, TextBlock, ToolResultBlock } from '../../messages/types.js';
import type { PipelineContext, Transform, TransformOutput } from '../../pipeline/types.js';
import type { TokenCounter } from '../../tokenizer/types.js';
import { missingGrammarNotes } from '../code/grammars.js';
import { rewriteWithQuery } from '../query-pass.js';
import { profileMaxItems, toolProfile } from '../smart-crusher/config.js';
import { fingerprint, RouterCache, type BlockOutcome, type DecisionCore } from './cache.js';
import { detectContent } from './detect.js';
import { hasAnalysisIntent, isRetrieveOutput, latestUserText } from './protect.js';
import { COMPRESSOR_NAMES, registeredCompressor, registryGeneration, routerCodeConfig, type CompressorMap, type RegisteredCompressor } from './registry.js';
import { routeBlock, type BlockInput, type RouteEnv } from './route.js';
import { CONTENT_TYPES, SKIP, type ContentType, type Detection, type RoutingDecision } from './types.js';

export interface ContentRouterOptions {
  /** Compressors by type, replacing the global registry (tests, embedders). Default: the registry. */
  readonly compressors?: CompressorMap;
  /** Cross-turn cache; `null` disables it. Default: one shared, bounded cache (`defaultRouterCache`). */
  readonly cache?: RouterCache | null;
}

/** The cache the default router uses (bounded LRU; see cache.ts). */
export const defaultRouterCache = new RouterCache();

/** Config fingerprint for cache keys: everything besides the block that can change a result. null = do not cache. */
function baseKey(config: ResolvedConfig, counter: TokenCounter, compressorFor: (t: ContentType) => RegisteredCompressor | undefined, generation: string): string | null {
  const compressorConfigs: Record<string, unknown> = {};
  for (const t of CONTENT_TYPES) {
    const reg = compressorFor(t);
    compressorConfigs[t] = reg ? { name: reg.compressor.name, config: reg.configOf ? reg.configOf(config) : null } : null;
  }
  const fp = fingerprint({ router: config.router, smartCrusher: config.smartCrusher, compressors: compressorConfigs });
  if (fp === null) return null;
  return `${generation}|${counter.model}|${counter.encoding ?? ''}|${counter.exact ? 1 : 0}|${fp}`;
}

let mapIds = 0;
const mapGeneration = new WeakMap<CompressorMap, number>();

function recordAll(ccr: CCRSink, o: BlockOutcome): void {
  for (const e of o.entries) ccr.record(e);
}

/** Build a router transform (the default one is `contentRouter`). */
export function createContentRouter(opts: ContentRouterOptions = {}): Transform {
  const cache = opts.cache === undefined ? defaultRouterCache : opts.cache;
  const fixed = opts.compressors;
  if (fixed && !mapGeneration.has(fixed)) mapGeneration.set(fixed, ++mapIds);
  const compressorFor = fixed ? (t: ContentType) => fixed[t] : registeredCompressor;
  const generation = () => (fixed ? `map${mapGeneration.get(fixed)}` : `reg${registryGeneration()}`);

  return {
    name: 'content_router',
    isEnabled: (config) => config.router.enabled,
    apply(messages, ctx): TransformOutput {
      const router = ctx.config.router;
      const env: RouteEnv = { counter: ctx.counter, config: ctx.config, compressorFor };
      // Computed on the first routed block: a conversation with nothing to route pays nothing.
      let key0: string | null | undefined = cache ? undefined : null;
      const latest = latestUserText(messages);
      // Code gates (limitations.md): analysis intent in the latest user message protects all code,
      // and code in the last `code.protectRecentMessages` messages is left alone; both off when aggressive.
      const code = routerCodeConfig(ctx.config);
      const protectCode = !code.aggressive && router.protectAnalysisContext && code.protectAnalysisContext && latest !== undefined && hasAnalysisIntent(latest);
      const codeRecentFrom = code.aggressive ? messages.length : messages.length - code.protectRecentMessages;
      const recentFrom = router.protectRecentMessages > 0 ? messages.length - router.protectRecentMessages : messages.length;

      const calls = new Map<string, { name: string; args: string }>();
      for (const m of messages) for (const b of m.blocks) if (b.type === 'tool_call' && !calls.has(b.id)) calls.set(b.id, { name: b.name, args: b.arguments });

      const applied: string[] = [];
      const decisions: RoutingDecision[] = [];
      const ccrHashes: string[] = [];
      let hits = 0;
      let misses = 0;

      const place = (mi: number, path: string, cores: ReadonlyArray<DecisionCore>) => {
        for (const c of cores) {
          const { pathSuffix, ...rest } = c;
          decisions.push({ messageIndex: mi, blockPath: path + pathSuffix, ...rest });
        }
      };
      const skip = (mi: number, path: string, text: string, reason: string, hints?: { toolName?: string; toolArgs?: string }, classify = true) => {
        // Blocks protected by their role are never routed, so they are not classified either:
        // detection over every user/assistant message would cost more than the whole pipeline.
        const tokens = text === '' ? 0 : ctx.counter.countText(text);
        if (!classify) {
          // One plain literal per protected block (this runs for every user/assistant message).
          decisions.push({ messageIndex: mi, blockPath: path, type: 'text', confidence: 0, compressor: 'none', tokensBefore: tokens, tokensAfter: tokens, action: 'skipped', reason });
          return;
        }
        const d: Detection = detectContent(text, hints);
        decisions.push({
          messageIndex: mi,
          blockPath: path,
          type: d.type,
          confidence: d.confidence,
          ...(d.language !== undefined ? { language: d.language } : {}),
          ...(d.subtype !== undefined ? { subtype: d.subtype } : {}),
          compressor: 'none',
          tokensBefore: tokens,
          tokensAfter: tokens,
          action: 'skipped',
          reason,
        });
      };
      /** Route one compressible text; returns the new text or null when unchanged. */
      const route = (mi: number, path: string, input: BlockInput): string | null => {
        if (key0 === undefined) key0 = baseKey(ctx.config, ctx.counter, compressorFor, generation());
        // The code gates (recency, analysis intent) only matter to outcomes with code in them; keying
        // every block by them would recompute a block each time it ages out of the recent window.
        const key = key0 === null ? null : `${key0}\u0001${input.maxItems ?? ''}\u0001${input.toolName ?? ''}\u0001${input.toolArgs ?? ''}\u0001${input.query}`;
        const codeKey = key === null ? null : `${key}\u0001code:${protectCode ? 1 : 0}${input.codeRecent ? 1 : 0}`;
        let outcome = cache && key !== null ? cache.get(input.text, key) : undefined;
        if (outcome?.codeSensitive) outcome = cache && codeKey !== null ? cache.get(input.text, codeKey) : undefined;
        if (outcome) hits++;
        else {
          if (cache && key !== null && input.text.length >= cache.minLength) misses++;
          const notesBefore = missingGrammarNotes();
          const routed = routeBlock(input, env, `message ${mi} ${path}`);
          outcome = routed.decisions.some((d) => d.type === 'code') ? { ...routed, codeSensitive: true } : routed;
          // Left alone for want of a grammar the SDK is about to load: provisional, not cached.
          if (cache && key !== null && missingGrammarNotes() === notesBefore) {
            // A code-sensitive outcome under the plain key only says "look under the code key".
            cache.set(input.text, key, outcome);
            if (outcome.codeSensitive && codeKey !== null) cache.set(input.text, codeKey, outcome);
          }
        }
        for (const w of outcome.warnings) ctx.warn(w);
        place(mi, path, outcome.decisions);
        if (!outcome.changed) return null;
        recordAll(ctx.ccr, outcome);
        applied.push(...outcome.labels);
        ccrHashes.push(...outcome.hashes);
        return outcome.output;
      };

      const rewritten = rewriteWithQuery(messages, '', (m, mi, query) => {
        const recent = mi >= recentFrom;
        let blocks: Block[] | null = null;
        for (let bi = 0; bi < m.blocks.length; bi++) {
          const b = m.blocks[bi];
          if (b.type === 'text') {
            const path = `blocks[${bi}]`;
            if (m.role === 'system') skip(mi, path, b.text, SKIP.systemPrompt, undefined, false);
            else if (m.role === 'user') skip(mi, path, b.text, SKIP.userMessage, undefined, false);
            else if (m.role === 'assistant' && !router.enableAssistant) skip(mi, path, b.text, SKIP.assistantDisabled, undefined, false);
            else if (recent) skip(mi, path, b.text, SKIP.recent);
            else {
              // Assistant text (enabled), or text a tool message carries outside a tool_result.
              const toolName = m.role === 'tool' ? m.name : undefined;
              if (m.role === 'tool' && isRetrieveOutput(toolName)) {
                skip(mi, path, b.text, SKIP.retrieveTool);
                continue;
              }
              const next = route(mi, path, { text: b.text, query, ...(toolName !== undefined ? { toolName } : {}), protectCode, codeRecent: mi >= codeRecentFrom, messagesFromEnd: messages.length - 1 - mi });
              if (next !== null) {
                blocks ??= [...m.blocks];
                blocks[bi] = { ...b, text: next };
              }
            }
            continue;
          }
          if (b.type !== 'tool_result') continue;
          const call = calls.get(b.toolCallId);
          const toolName = b.toolName ?? call?.name;
          const toolArgs = call?.args;
          const hints = { ...(toolName !== undefined ? { toolName } : {}), ...(toolArgs !== undefined ? { toolArgs } : {}) };
          const profile = toolProfile(ctx.toolProfiles, toolName);
          const maxItems = profileMaxItems(profile);
          let content: Array<TextBlock | OpaqueBlock> | null = null;
          for (let ci = 0; ci < b.content.length; ci++) {
            const part = b.content[ci];
            if (part.type !== 'text') continue;
            const path = `blocks[${bi}].content[${ci}]`;
            if (isRetrieveOutput(toolName)) skip(mi, path, part.text, SKIP.retrieveTool, hints);
            else if (profile?.skip === true) skip(mi, path, part.text, `${SKIP.toolProfileSkip} (${toolName})`, hints);
            else if (recent) skip(mi, path, part.text, SKIP.recent, hints);
            else {
              const next = route(mi, path, { text: part.text, query, ...hints, ...(maxItems !== undefined ? { maxItems } : {}), protectCode, codeRecent: mi >= codeRecentFrom, messagesFromEnd: messages.length - 1 - mi });
              if (next !== null) {
                content ??= [...b.content];
                content[ci] = { ...part, text: next };
              }
            }
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
        report: {
          name: 'content_router',
          applied,
          details: { decisions, ccrHashes, cache: { hits, misses }, compressors: Object.fromEntries(CONTENT_TYPES.map((t) => [t, compressorFor(t) ? COMPRESSOR_NAMES[t] : null])) },
        },
      };
    },
  };
}

/** The default router: compressors from the registry, the shared cache. */
export const contentRouter: Transform = createContentRouter();
