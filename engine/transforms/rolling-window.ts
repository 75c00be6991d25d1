/**
 * RollingWindow: when the conversation exceeds the token budget, drop the oldest atomic
 * units (a message, or a tool call with its results) until it fits. System messages and the
 * last N turns are never dropped. Dropped messages are recorded for CCR first, then one
 * marker message (role user, placed where they were) names the hash that retrieves them.
 */
import { ccrHash, CCR_HASH_LENGTH } from '../ccr/hash.js';
import { formatTextMarker } from '../ccr/markers.js';
import type { Message } from '../messages/types.js';
import type { Transform, TransformOutput } from '../pipeline/types.js';
import { buildUnits, protectedIndices } from './units.js';

/** The exact original of dropped messages: the caller's objects, as JSON. */
export function serializeDropped(messages: ReadonlyArray<Message>): string {
  return JSON.stringify(messages.map((m) => (m.origin ? m.origin.source : { role: m.role, blocks: m.blocks })));
}

function markerMessage(count: number, tokens: number, hash: string): Message {
  const text = formatTextMarker({
    count,
    unit: 'messages',
    hash,
    note: `${tokens} tokens, oldest first, dropped to fit the context budget`,
  });
  return { role: 'user', blocks: [{ type: 'text', text }] };
}

export const rollingWindow: Transform = {
  name: 'rolling_window',
  isEnabled: (config) => config.rollingWindow.enabled,
  apply(messages, ctx): TransformOutput {
    const budget = ctx.tokenBudget;
    const before = ctx.counter.countMessages(messages);
    const base = { name: 'rolling_window' };
    if (before <= budget) {
      return { messages, report: { ...base, applied: [], details: { fits: true, tokens: before, budget } } };
    }
    const units = buildUnits(messages);
    const keep = protectedIndices(messages, units, ctx.config.rollingWindow.keepLastTurns);
    const perMessage = messages.map((m) => ctx.counter.countMessage(m));
    // Estimate of the marker's own cost (worst-case digits; the real hash may tokenize worse).
    const markerCost = ctx.counter.countMessage(markerMessage(messages.length, before, '0'.repeat(CCR_HASH_LENGTH)));

    const dropped = new Set<number>();
    const droppable = units.filter((u) => !u.indices.some((i) => keep.has(i)));
    if (droppable.length === 0) {
      ctx.warn(`Conversation needs ${before} tokens but the budget is ${budget}, and every message is protected (system messages and the last ${ctx.config.rollingWindow.keepLastTurns} turns); nothing was dropped.`);
      return { messages, report: { ...base, applied: [], details: { fits: false, tokens: before, budget } } };
    }
    const build = () => {
      const droppedMsgs = messages.filter((_, i) => dropped.has(i));
      const original = serializeDropped(droppedMsgs);
      const hash = ccrHash(original);
      let droppedTokens = 0;
      for (const i of dropped) droppedTokens += perMessage[i];
      const out: Message[] = [];
      let markerPlaced = false;
      messages.forEach((m, i) => {
        if (dropped.has(i)) {
          if (!markerPlaced) {
            out.push(markerMessage(droppedMsgs.length, droppedTokens, hash));
            markerPlaced = true;
          }
          return;
        }
        out.push(m);
      });
      return { out, original, hash, droppedMsgs, droppedTokens, after: ctx.counter.countMessages(out) };
    };
    // Oldest units first until the bound says it fits; then the real plan decides (the marker's
    // hash can tokenize worse than the bound's zeros), dropping further units while it overshoots.
    let total = before;
    let next = 0;
    let plan: ReturnType<typeof build> | undefined;
    while (next < droppable.length) {
      for (const i of droppable[next++].indices) {
        dropped.add(i);
        total -= perMessage[i];
      }
      if (total + markerCost > budget) continue;
      plan = build();
      if (plan.after <= budget) break;
    }
    // Once the bound is met every later step builds, so a plan, if any, is for the final set.
    plan ??= build();
    const { out, original, hash, droppedMsgs, droppedTokens, after } = plan;
    if (after >= before) {
      ctx.warn(`Conversation needs ${before} tokens but the budget is ${budget}, and dropping every droppable message would not make it smaller (the marker costs more); nothing was dropped.`);
      return { messages, report: { ...base, applied: [], details: { fits: false, tokens: before, budget } } };
    }
    ctx.ccr.record({ hash, content: original, source: 'rolling_window', meta: { messages: droppedMsgs.length, tokens: droppedTokens } });
    const fits = after <= budget;
    if (!fits) {
      ctx.warn(`Dropped ${droppedMsgs.length} messages but the conversation still needs ${after} tokens for a budget of ${budget}: the protected messages alone exceed it.`);
    }
    return {
      messages: out,
      report: {
        ...base,
        applied: [`rolling_window:dropped=${droppedMsgs.length}`],
        details: { fits, tokens: after, budget, dropped: droppedMsgs.length, droppedTokens, ccrHash: hash },
      },
    };
  },
};
