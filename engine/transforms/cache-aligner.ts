/**
 * CacheAligner: keeps system prompts byte-stable across requests so provider prefix caches hit.
 *
 * Sentences of a system prompt that contain dynamic content (dates, times, UUIDs, request or
 * session ids, user patterns) are moved verbatim, in order, into a short tail at the end of
 * the same system message, under a `[Dynamic context]` line. Nothing is rewritten or removed,
 * so meaning is kept; whitespace is normalised (CRLF → LF, trailing spaces, blank-line runs).
 * Only system messages are touched. Running it on its own output changes nothing.
 */
import type { ResolvedCacheAlignerConfig } from '../config.js';
import type { Block, Message, TextBlock } from '../messages/types.js';
import type { Transform, TransformOutput } from '../pipeline/types.js';
import { sha256Hex } from '../util/sha256.js';
import { findDynamicSpans, type Span } from './dynamic-content.js';

export const DYNAMIC_TAIL_HEADER = '[Dynamic context]';
const TAIL_SEPARATOR = `\n\n${DYNAMIC_TAIL_HEADER}\n`;

export interface AlignedText {
  /** The stable part (what the provider can cache). */
  readonly stable: string;
  /** Sentences moved out of the stable part, in original order (includes a pre-existing tail). */
  readonly dynamic: ReadonlyArray<string>;
  /** Labels of the dynamic spans found (for reporting). */
  readonly labels: ReadonlyArray<string>;
}

function normalize(text: string, cfg: ResolvedCacheAlignerConfig): string {
  let t = text;
  if (cfg.normalizeWhitespace) t = t.replace(/\r\n?/g, '\n').replace(/[ \t]+$/gm, '');
  if (cfg.collapseBlankLines) t = t.replace(/\n{3,}/g, '\n\n');
  return t;
}

/** Sentence boundaries of a line (after . ! ? ; followed by whitespace), never inside a dynamic span. */
function sentenceRanges(line: string, spans: ReadonlyArray<Span>): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let start = 0;
  const re = /[.!?;]\s+/g;
  for (const m of line.matchAll(re)) {
    const cut = m.index + m[0].length;
    if (spans.some((s) => m.index >= s.start && m.index < s.end)) continue;
    ranges.push([start, cut]);
    start = cut;
  }
  if (start < line.length) ranges.push([start, line.length]);
  return ranges;
}

/** Split a system prompt into its stable part and the dynamic sentences to relocate. */
export function alignText(text: string, cfg: ResolvedCacheAlignerConfig): AlignedText {
  const normalized = normalize(text, cfg);
  // A tail from an earlier run stays a tail (idempotence).
  const tailAt = normalized.lastIndexOf(TAIL_SEPARATOR);
  const head = tailAt >= 0 ? normalized.slice(0, tailAt) : normalized;
  const oldTail = tailAt >= 0 ? normalized.slice(tailAt + TAIL_SEPARATOR.length).split('\n').filter((l) => l.trim() !== '') : [];

  const moved: string[] = [];
  const labels: string[] = [];
  const keptLines: string[] = [];
  let inFence = false;
  for (const line of head.split('\n')) {
    // Code fences are examples, not live values: leave them alone.
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const spans = inFence ? [] : findDynamicSpans(line, cfg.dynamicPatterns);
    if (spans.length === 0) {
      keptLines.push(line);
      continue;
    }
    let kept = '';
    for (const [a, b] of sentenceRanges(line, spans)) {
      const hit = spans.filter((s) => s.start < b && s.end > a);
      if (hit.length === 0) kept += line.slice(a, b);
      else {
        moved.push(line.slice(a, b).trim());
        for (const s of hit) labels.push(s.label);
      }
    }
    // A line emptied by the move disappears instead of leaving a blank.
    if (kept.trim() !== '') keptLines.push(kept.replace(/\s+$/, ''));
  }
  let stable = keptLines.join('\n');
  if (moved.length > 0) {
    if (cfg.collapseBlankLines) stable = stable.replace(/\n{3,}/g, '\n\n');
    stable = stable.replace(/\s+$/, '');
  }
  return { stable, dynamic: [...moved, ...oldTail], labels };
}

function renderAligned(a: AlignedText): string {
  return a.dynamic.length === 0 ? a.stable : `${a.stable}${TAIL_SEPARATOR}${a.dynamic.join('\n')}`;
}

export const cacheAligner: Transform = {
  name: 'cache_aligner',
  isEnabled: (config) => config.cacheAligner.enabled,
  apply(messages, ctx): TransformOutput {
    const cfg = ctx.config.cacheAligner;
    const out: Message[] = [];
    const stableParts: string[] = [];
    let moved = 0;
    let normalizedOnly = 0;
    const labels = new Set<string>();
    for (const m of messages) {
      if (m.role !== 'system') {
        out.push(m);
        continue;
      }
      const textIdx = m.blocks.flatMap((b, i) => (b.type === 'text' ? [i] : []));
      if (textIdx.length === 0) {
        out.push(m);
        continue;
      }
      // Align each text block; all relocated sentences go to the tail of the last text block.
      const aligned = textIdx.map((i) => alignText((m.blocks[i] as TextBlock).text, cfg));
      const allDynamic = aligned.flatMap((a) => a.dynamic);
      const lastPos = textIdx.length - 1;
      const newTexts = aligned.map((a, k) =>
        k === lastPos ? renderAligned({ ...a, dynamic: allDynamic }) : a.stable,
      );
      for (const a of aligned) {
        stableParts.push(a.stable);
        a.labels.forEach((l) => labels.add(l));
      }
      const blocks: Block[] = [...m.blocks];
      let changed = false;
      textIdx.forEach((i, k) => {
        const old = (m.blocks[i] as TextBlock).text;
        if (newTexts[k] !== old) {
          blocks[i] = { ...(m.blocks[i] as TextBlock), text: newTexts[k] };
          changed = true;
        }
      });
      const newlyMoved = aligned.reduce((n, a) => n + a.labels.length, 0);
      if (changed) {
        if (newlyMoved > 0) moved += newlyMoved;
        else normalizedOnly++;
        out.push({ ...m, blocks });
      } else out.push(m);
    }
    const applied: string[] = [];
    if (moved > 0) applied.push(`cache_align:moved=${moved}`);
    if (normalizedOnly > 0) applied.push('cache_align:whitespace');
    const prefixHash = stableParts.length > 0 ? sha256Hex(stableParts.join('\n---\n')).slice(0, 16) : null;
    return {
      messages: out,
      report: {
        name: 'cache_aligner',
        applied,
        details: { prefixHash, dynamicSpans: moved, labels: [...labels].sort() },
      },
    };
  },
};
