/**
 * Atomic units of a conversation: an assistant message that calls tools is bound to every
 * message carrying results for those calls, so context management drops them together and
 * never leaves a call without its result or a result without its call.
 */
import { parseMarkers } from '../ccr/markers.js';
import type { Message, TextBlock } from '../messages/types.js';

export interface Unit {
  /** Message indices, ascending. */
  readonly indices: ReadonlyArray<number>;
}

/** Group messages into atomic units (connected by tool-call ids), ordered by first index. */
export function buildUnits(messages: ReadonlyArray<Message>): Unit[] {
  const parent = messages.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const union = (a: number, b: number) => {
    const ra = find(a), rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const callOwner = new Map<string, number>();
  messages.forEach((m, i) => {
    for (const b of m.blocks) if (b.type === 'tool_call' && !callOwner.has(b.id)) callOwner.set(b.id, i);
  });
  messages.forEach((m, i) => {
    for (const b of m.blocks) {
      if (b.type !== 'tool_result') continue;
      const owner = callOwner.get(b.toolCallId);
      if (owner !== undefined) union(owner, i);
    }
  });
  const groups = new Map<number, number[]>();
  messages.forEach((_, i) => {
    const r = find(i);
    const g = groups.get(r);
    if (g) g.push(i);
    else groups.set(r, [i]);
  });
  return [...groups.values()].sort((a, b) => a[0] - b[0]).map((indices) => ({ indices }));
}

/**
 * A message this library inserted in place of dropped messages: only text, and that text is
 * exactly one headroom marker. Kept through later runs (dropping it again would save a few
 * tokens and make compress() non-idempotent).
 */
export function isMarkerMessage(m: Message): boolean {
  if (m.role !== 'user' || m.blocks.length === 0 || !m.blocks.every((b) => b.type === 'text')) return false;
  const text = m.blocks.map((b) => (b as { text: string }).text).join('').trim();
  if (!text.startsWith('[headroom: ') || !text.endsWith(']')) return false;
  const found = parseMarkers(text);
  return found.length === 1 && found[0].kind === 'text' && text.indexOf(']') === text.length - 1;
}

/** Text of a message's text blocks (what the user said). */
export function userText(m: Message): string {
  return m.blocks
    .filter((b): b is TextBlock => b.type === 'text')
    .map((b) => b.text)
    .join('\n');
}

/** A user message that is the user speaking (not only carrying tool results). */
export function isUserTurnStart(m: Message): boolean {
  if (m.role !== 'user') return false;
  // A marker this library inserted is not the user speaking.
  if (isMarkerMessage(m)) return false;
  return m.blocks.some((b) => b.type !== 'tool_result');
}

/**
 * Where turns start: each user message that is the user speaking, and each assistant message
 * that follows tool results (a new step of an agent loop, i.e. a new model call). Counting
 * agent steps as turns keeps "the last N turns" meaningful in a loop under one user task.
 */
export function turnStarts(messages: ReadonlyArray<Message>): number[] {
  const out: number[] = [];
  messages.forEach((m, i) => {
    const prev = messages[i - 1];
    const afterTools = m.role === 'assistant' && prev !== undefined && prev.blocks.some((b) => b.type === 'tool_result');
    if (isUserTurnStart(m) || afterTools) out.push(i);
  });
  return out;
}

/**
 * Indices that must survive context management: system messages, earlier drop markers, everything from the start of
 * the `keepLastTurns`-th last turn (see turnStarts), and the latest user message wherever it is
 * (the question or task being worked on). With fewer turns than that, everything is protected.
 */
export function protectedIndices(messages: ReadonlyArray<Message>, units: ReadonlyArray<Unit>, keepLastTurns: number): Set<number> {
  const keep = new Set<number>();
  messages.forEach((m, i) => {
    if (m.role === 'system' || isMarkerMessage(m)) keep.add(i);
  });
  if (keepLastTurns <= 0) return keep;
  const starts = turnStarts(messages);
  const from = starts.length >= keepLastTurns ? starts[starts.length - keepLastTurns] : 0;
  for (let i = from; i < messages.length; i++) keep.add(i);
  for (let i = messages.length - 1; i >= 0; i--) {
    if (isUserTurnStart(messages[i])) {
      // Protect its whole unit (it may also carry tool results).
      const unit = units.find((u) => u.indices.includes(i));
      for (const j of unit?.indices ?? [i]) keep.add(j);
      break;
    }
  }
  return keep;
}
