/**
 * IntelligentContext: when the conversation (already compressed by the transforms before it)
 * still exceeds the token budget, score every droppable atomic unit (score.ts) and drop the
 * lowest-scored until it fits. System messages, the last N turns and the latest user message
 * are never dropped (units.ts `protectedIndices`); a tool call and its results go together.
 *
 * Cache awareness: dropping rewrites the prompt from the first dropped position on, so the
 * provider's cached prefix is lost from there. Hence: nothing happens while it fits; units
 * the greedy pass dropped but the budget did not need are restored (highest score first);
 * scores within `tieTolerance` tie, and ties drop the most recent unit first (it invalidates
 * less of the cached prefix); the report says what the drop cost in cache terms.
 *
 * Reversible: the dropped messages (the caller's own objects, as JSON, see `serializeDropped`)
 * are recorded for CCR before one marker message — placed where the first dropped unit was —
 * names the hash that retrieves them. The marker is a user message, except between two
 * user-role messages (tool results count as user-role, as Anthropic sends them) where it is an
 * assistant message, so it does not create consecutive user turns there.
 *
 * With `intelligentContext.enabled: false` the transform runs RollingWindow instead (when
 * `rollingWindow.enabled`), so DEFAULT_TRANSFORMS needs one context-management slot.
 */
import { ccrHash, CCR_HASH_LENGTH } from '../../ccr/hash.js';
import { formatTextMarker } from '../../ccr/markers.js';
import type { Message, Role } from '../../messages/types.js';
import type { ModelInfo } from '../../models/types.js';
import type { PipelineContext, Transform, TransformOutput } from '../../pipeline/types.js';
import { rollingWindow, serializeDropped } from '../rolling-window.js';
import { buildUnits, isMarkerMessage, protectedIndices, type Unit } from '../units.js';
import { scoreUnits, type ScoredUnit, type UnitFactors } from './score.js';

export const INTELLIGENT_CONTEXT = 'intelligent_context';

/** Anthropic bills cache writes at 1.25× the input price (ALGORITHMS.md §5.3); others add nothing. */
export function cacheWriteMultiplier(model: ModelInfo): number {
  return model.provider === 'anthropic' ? 1.25 : 1;
}

/** What a drop cost the provider's prompt cache. */
export interface DropCacheCost {
  /** Index (in this transform's input) of the first dropped message: the prompt differs from here on. */
  readonly firstDroppedIndex: number;
  /**
   * End (exclusive) of the prefix a previous request had sent, hence could be cached: the last
   * assistant message's index (that message was the previous reply; what follows is new input).
   */
  readonly cacheableEnd: number;
  /** Tokens before the first dropped position: still byte-identical, still cache hits. */
  readonly preservedPrefixTokens: number;
  /** Tokens of the previously cacheable prefix at or after the first dropped position: no longer readable from cache. */
  readonly invalidatedTokens: number;
  /** Of those, the tokens still sent (kept messages plus the marker), now billed at the full input price. */
  readonly reprocessedTokens: number;
  /**
   * Extra USD on this request: reprocessed tokens at the input price instead of the cached-input
   * price, plus the cache-write premium where the provider charges one (Anthropic ×1.25).
   */
  readonly extraCostUSD: number;
}

export interface UnitReport {
  /** Message indices of the unit. */
  readonly indices: ReadonlyArray<number>;
  readonly tokens: number;
  readonly score: number;
  readonly factors: UnitFactors;
  readonly references: number;
  readonly dropped: boolean;
}

/** `report.details` of the intelligent_context transform when it dropped something. */
export interface IntelligentContextDetails {
  readonly fits: boolean;
  readonly tokens: number;
  readonly budget: number;
  readonly dropped: number;
  readonly droppedUnits: number;
  readonly droppedTokens: number;
  readonly ccrHash: string;
  /** Index of the marker in the output. */
  readonly markerIndex: number;
  readonly markerRole: 'user' | 'assistant';
  readonly cache: DropCacheCost;
  /** Every droppable unit with its score, in conversation order. */
  readonly units: ReadonlyArray<UnitReport>;
}

export function markerMessage(role: 'user' | 'assistant', count: number, tokens: number, hash: string): Message {
  const text = formatTextMarker({
    count,
    unit: 'messages',
    hash,
    note: `${tokens} tokens, least important first, dropped to fit the context budget`,
  });
  return { role, blocks: [{ type: 'text', text }] };
}

/** A marker message this library inserted for a drop (user- or assistant-role). */
export function isDropMarker(m: Message): boolean {
  if (m.role === 'user') return isMarkerMessage(m);
  return m.role === 'assistant' && isMarkerMessage({ role: 'user', blocks: m.blocks });
}

/** Role as the providers see it: tool results travel in user turns (Anthropic, Gemini). */
function providerRole(m: Message): Role {
  return m.role === 'tool' ? 'user' : m.role;
}

/** Index of the last assistant message, or the number of leading system messages if there is none. */
export function cacheableEnd(messages: ReadonlyArray<Message>): number {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i].role === 'assistant') return i;
  let i = 0;
  while (i < messages.length && messages[i].role === 'system') i++;
  return i;
}

interface Plan {
  readonly out: Message[];
  readonly markerIndex: number;
  readonly markerRole: 'user' | 'assistant';
  readonly markerTokens: number;
  /** Index in the input before which the marker sits (messages.length for the end). */
  readonly insertBefore: number;
}

function plan(
  messages: ReadonlyArray<Message>,
  units: ReadonlyArray<Unit>,
  dropped: ReadonlySet<number>,
  droppedTokens: number,
  hash: string,
  ctx: PipelineContext,
): Plan {
  let first = messages.length;
  for (const i of dropped) if (i < first) first = i;
  // Never put the marker between a kept call and its results.
  let p = first;
  for (let moved = true; moved; ) {
    moved = false;
    for (const u of units) {
      const lo = u.indices[0];
      const hi = u.indices[u.indices.length - 1];
      if (lo < p && hi >= p && !dropped.has(hi)) {
        p = hi + 1;
        moved = true;
      }
    }
  }
  let prev: Message | undefined;
  for (let i = p - 1; i >= 0; i--) {
    if (!dropped.has(i)) {
      prev = messages[i];
      break;
    }
  }
  let next: Message | undefined;
  let insertBefore = messages.length;
  for (let i = p; i < messages.length; i++) {
    if (!dropped.has(i)) {
      next = messages[i];
      insertBefore = i;
      break;
    }
  }
  const role: 'user' | 'assistant' =
    prev !== undefined && next !== undefined && providerRole(prev) === 'user' && providerRole(next) === 'user' ? 'assistant' : 'user';
  const marker = markerMessage(role, dropped.size, droppedTokens, hash);
  const out: Message[] = [];
  let markerIndex = -1;
  for (let i = 0; i < messages.length; i++) {
    if (i === insertBefore) {
      markerIndex = out.length;
      out.push(marker);
    }
    if (!dropped.has(i)) out.push(messages[i]);
  }
  if (markerIndex < 0) {
    markerIndex = out.length;
    out.push(marker);
  }
  return { out, markerIndex, markerRole: role, markerTokens: ctx.counter.countMessage(marker), insertBefore };
}

function unchanged(messages: ReadonlyArray<Message>, tokens: number, budget: number): TransformOutput {
  return { messages, report: { name: INTELLIGENT_CONTEXT, applied: [], details: { fits: tokens <= budget, tokens, budget } } };
}

function applyIntelligentContext(messages: ReadonlyArray<Message>, ctx: PipelineContext): TransformOutput {
  const cfg = ctx.config.intelligentContext;
  const budget = ctx.tokenBudget;
  const before = ctx.counter.countMessages(messages);
  if (before <= budget) return unchanged(messages, before, budget);

  const units = buildUnits(messages);
  const keep = protectedIndices(messages, units, cfg.keepLastTurns);
  // Earlier drop markers stay (protectedIndices knows the user-role ones; ours may be assistant-role).
  messages.forEach((m, i) => {
    if (isDropMarker(m)) keep.add(i);
  });
  const candidates = units.filter((u) => !u.indices.some((i) => keep.has(i)));
  if (candidates.length === 0) {
    ctx.warn(
      `Conversation needs ${before} tokens but the budget is ${budget}, and every message is protected (system messages and the last ${cfg.keepLastTurns} turns); nothing was dropped.`,
    );
    return unchanged(messages, before, budget);
  }
  const perMessage = messages.map((m) => ctx.counter.countMessage(m));
  const scored = scoreUnits({ messages, units: candidates, perMessage, protectedIndices: keep, config: cfg, counter: ctx.counter, warn: ctx.warn });

  // Drop order: lowest score first; scores within the tolerance tie, and ties drop the later unit first.
  const tol = cfg.useImportanceScoring ? cfg.tieTolerance : 0;
  const bucket = (s: number) => (tol > 0 ? Math.floor(s / tol + 1e-9) : s);
  const order = [...scored].sort((a, b) => bucket(a.score) - bucket(b.score) || b.unit.indices[0] - a.unit.indices[0]);

  // Estimate of the marker's own cost (worst-case digits; the real hash may tokenize worse).
  const markerBound = ctx.counter.countMessage(markerMessage('assistant', messages.length, before, '0'.repeat(CCR_HASH_LENGTH)));
  const droppedUnits: ScoredUnit[] = [];
  let total = before;
  let next = 0;
  const dropNext = () => {
    const u = order[next++];
    droppedUnits.push(u);
    total -= u.tokens;
  };
  while (next < order.length && total + markerBound > budget) dropNext();
  // Give back what the budget did not need, most valuable first.
  const givenBack: ScoredUnit[] = [];
  for (let k = droppedUnits.length - 1; k >= 0; k--) {
    const u = droppedUnits[k];
    if (total + u.tokens + markerBound <= budget) {
      total += u.tokens;
      droppedUnits.splice(k, 1);
      givenBack.push(u);
    }
  }

  let dropped = new Set<number>();
  let p: Plan | undefined;
  let original = '';
  let hash = '';
  let droppedTokens = 0;
  for (;;) {
    dropped = new Set(droppedUnits.flatMap((u) => u.unit.indices));
    droppedTokens = droppedUnits.reduce((s, u) => s + u.tokens, 0);
    original = serializeDropped(messages.filter((_, i) => dropped.has(i)));
    hash = ccrHash(original);
    p = plan(messages, units, dropped, droppedTokens, hash, ctx);
    // The marker's real cost can exceed the bound (a hash tokenizes worse than zeros), so check
    // the plan itself: drop again what was given back (least valuable first), then further units.
    if (ctx.counter.countMessages(p.out) <= budget) break;
    const u = givenBack.pop();
    if (u !== undefined) {
      droppedUnits.push(u);
      total -= u.tokens;
    } else if (next < order.length) dropNext();
    else break;
  }
  const out = p.out;
  const after = ctx.counter.countMessages(out);
  const fits = after <= budget;
  if (after >= before) {
    // Nothing droppable outweighs the marker: dropping would make the prompt bigger.
    ctx.warn(`Conversation needs ${before} tokens but the budget is ${budget}, and dropping every droppable message would not make it smaller (the marker costs more); nothing was dropped.`);
    return unchanged(messages, before, budget);
  }
  if (!fits) {
    ctx.warn(`Dropped ${dropped.size} messages but the conversation still needs ${after} tokens for a budget of ${budget}: the protected messages alone exceed it.`);
  }
  ctx.ccr.record({
    hash,
    content: original,
    source: INTELLIGENT_CONTEXT,
    meta: { messages: dropped.size, tokens: droppedTokens, units: droppedUnits.length },
  });

  // Cache cost of the drop.
  const first = Math.min(...dropped);
  const end = cacheableEnd(messages);
  let preserved = 0;
  for (let i = 0; i < first; i++) preserved += perMessage[i];
  let invalidated = 0;
  let reprocessed = 0;
  for (let i = first; i < end; i++) {
    invalidated += perMessage[i];
    if (!dropped.has(i)) reprocessed += perMessage[i];
  }
  if (first < end) reprocessed += p.markerTokens;
  const price = ctx.model.pricing;
  const extraPerToken = Math.max(0, price.input * cacheWriteMultiplier(ctx.model) - price.cachedInput);
  const cache: DropCacheCost = {
    firstDroppedIndex: first,
    cacheableEnd: end,
    preservedPrefixTokens: preserved,
    invalidatedTokens: invalidated,
    reprocessedTokens: reprocessed,
    extraCostUSD: (reprocessed * extraPerToken) / 1_000_000,
  };
  const droppedSet = new Set(droppedUnits);
  const details: IntelligentContextDetails = {
    fits,
    tokens: after,
    budget,
    dropped: dropped.size,
    droppedUnits: droppedUnits.length,
    droppedTokens,
    ccrHash: hash,
    markerIndex: p.markerIndex,
    markerRole: p.markerRole,
    cache,
    units: scored.map((s) => ({
      indices: s.unit.indices,
      tokens: s.tokens,
      score: s.score,
      factors: s.factors,
      references: s.references,
      dropped: droppedSet.has(s),
    })),
  };
  return {
    messages: out,
    report: {
      name: INTELLIGENT_CONTEXT,
      // The second label puts the cache cost where compress() callers see it.
      applied: [`${INTELLIGENT_CONTEXT}:dropped=${dropped.size}`, `${INTELLIGENT_CONTEXT}:cache_invalidated=${invalidated}`],
      details: details as unknown as Record<string, unknown>,
    },
  };
}

export const intelligentContext: Transform = {
  name: INTELLIGENT_CONTEXT,
  isEnabled: (config) => config.intelligentContext.enabled || config.rollingWindow.enabled,
  apply(messages, ctx): TransformOutput {
    if (!ctx.config.intelligentContext.enabled) return rollingWindow.apply(messages, ctx);
    return applyIntelligentContext(messages, ctx);
  },
};
