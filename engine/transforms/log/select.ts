/**
 * Which log lines to keep. Everything important is kept whatever the count: failure sections,
 * errors and failures (a line repeated verbatim but for its numbers keeps its first
 * `maxRepeats − 1` and last occurrences), the stack trace after each kept error (long traces
 * keep head and tail), context around errors, distinct warnings, section banners, summaries,
 * and lines carrying rare words of the user's question. Routine lines (passed tests, progress,
 * info/debug chatter) are dropped, except the log's first and last lines and one example line
 * of each long run of same-template lines.
 */
import { classifyLine, type LineKind } from './classify.js';
import { failureSections, traceEnd } from './blocks.js';
import type { ResolvedLogCompressorConfig } from './config.js';
import { isBlank } from './lines.js';
import { repeatKey, templateHash, templateKey } from './template.js';
import { popcount, rareMask, termMasks } from './terms.js';

/** Why a dropped line was dropped (beyond its kind). */
export const DROP_ROUTINE = 0;
/** A repeated error or failure, or a line of its trace. */
export const DROP_REPEAT = 1;
export const DROP_TRACE_MIDDLE = 2;
/** A repeated warning, or a line of its block. */
export const DROP_REPEAT_WARNING = 3;
/** A repeated banner or summary line. */
export const DROP_REPEAT_HEADER = 4;

export interface LogSelection {
  readonly kinds: LineKind[];
  /** 1 = keep. */
  readonly keep: Uint8Array;
  /** For dropped lines: one of the DROP_* codes. */
  readonly why: Uint8Array;
  /** 1 = this line was kept as the example of the run of same-template lines after it. */
  readonly example: Uint8Array;
  /** Template hash (odd, non-zero) of each progress/info/debug/other line; 0 for other kinds. */
  readonly tmpl: Uint32Array;
  /** Last kept line of a warning's block → how many more times that warning occurs. */
  readonly repeats: Map<number, number>;
}

const ROUTINE_NOT_PASS: ReadonlySet<LineKind> = new Set(['progress', 'info', 'debug', 'other']);
/** Kinds never pulled in as context around an error. */
const ROUTINE_SKIP: ReadonlySet<LineKind> = new Set(['pass', 'progress']);

export function selectLogLines(lines: readonly string[], cfg: ResolvedLogCompressorConfig, terms: readonly string[]): LogSelection {
  const n = lines.length;
  const kinds = new Array<LineKind>(n);
  for (let i = 0; i < n; i++) kinds[i] = classifyLine(lines[i]);
  const keep = new Uint8Array(n);
  const why = new Uint8Array(n);
  const example = new Uint8Array(n);
  const repeats = new Map<number, number>();
  const inSection = new Uint8Array(n);

  /** Keeps [s, e), or its head and tail (and error lines in between) when longer than maxTraceLines. */
  const keepSpan = (s: number, e: number): void => {
    const cap = cfg.maxTraceLines;
    if (e - s <= cap) {
      for (let k = s; k < e; k++) keep[k] = 1;
      return;
    }
    const h = Math.max(1, Math.floor(cap / 3));
    const t = cap - h;
    for (let k = s; k < s + h; k++) keep[k] = 1;
    for (let k = e - t; k < e; k++) keep[k] = 1;
    // the middle is cut, except its own error and failure lines (`E  assert…`, `Caused by:`)
    // with their context
    for (let k = s + h; k < e - t; k++) {
      if (kinds[k] !== 'error' && kinds[k] !== 'fail') continue;
      for (let j = Math.max(s, k - cfg.contextLines); j <= Math.min(e - 1, k + cfg.contextLines); j++) keep[j] = 1;
    }
    for (let k = s + h; k < e - t; k++) if (!keep[k]) why[k] = DROP_TRACE_MIDDLE;
  };

  // 1. Failure sections, block by block.
  for (const blocks of failureSections(lines, kinds)) {
    for (const b of blocks) {
      keepSpan(b.start, b.end);
      for (let k = b.start; k < b.end; k++) inSection[k] = 1;
    }
  }

  // 2. Errors and failures, with repeats thinned, their traces and context.
  const keys = new Map<string, number>();
  const anchorKey: Array<string | undefined> = new Array(n);
  for (let i = 0; i < n; i++) {
    if ((kinds[i] === 'error' || kinds[i] === 'fail') && !inSection[i]) {
      const k = repeatKey(lines[i]);
      anchorKey[i] = k;
      keys.set(k, (keys.get(k) ?? 0) + 1);
    }
  }
  const seen = new Map<string, number>();
  const keptAnchor = new Uint8Array(n); // 1 kept, 2 a thinned repeat
  for (let i = 0; i < n; i++) {
    const k = anchorKey[i];
    if (k === undefined) continue;
    const occ = seen.get(k) ?? 0;
    seen.set(k, occ + 1);
    keptAnchor[i] = occ < cfg.maxRepeats - 1 || occ === keys.get(k)! - 1 ? 1 : 2;
  }
  let covered = 0; // lines before this are inside an already computed trace
  const context = cfg.contextLines;
  const contextOk = (j: number) => !ROUTINE_SKIP.has(kinds[j]) && keptAnchor[j] !== 2;
  for (let i = 0; i < n; i++) {
    if (!keptAnchor[i]) continue;
    const kept = keptAnchor[i] === 1;
    if (i >= covered) {
      const e = traceEnd(lines, kinds, i);
      if (kept) keepSpan(i, e);
      else for (let j = i; j < e; j++) if (!keep[j]) why[j] = DROP_REPEAT;
      covered = e;
    } else if (!kept && !keep[i]) why[i] = DROP_REPEAT;
    if (!kept) continue;
    keep[i] = 1;
    for (let d = 1; d <= context; d++) {
      if (i - d >= 0 && contextOk(i - d)) keep[i - d] = 1;
      if (i + d < n && contextOk(i + d)) keep[i + d] = 1;
    }
  }

  // 3. Warnings: first occurrence of each distinct one with its diagnostic block, and a repeat
  // count after that block. Warning-looking lines inside a block belong to it.
  const warnFirst = new Map<string, number>(); // template → block end (exclusive) of the kept occurrence
  const warnCount = new Map<string, number>();
  let wcovered = 0;
  for (let i = 0; i < n; i++) {
    if (kinds[i] !== 'warn' || i < wcovered) continue;
    const k = templateKey(lines[i]);
    const e = Math.min(traceEnd(lines, kinds, i, cfg.maxTraceLines * 4), i + cfg.maxTraceLines);
    wcovered = e;
    const c = warnCount.get(k);
    if (c === undefined) {
      warnCount.set(k, 1);
      if (warnFirst.size < cfg.maxWarnings) {
        warnFirst.set(k, e);
        keepSpan(i, e);
      }
    } else {
      warnCount.set(k, c + 1);
      if (warnFirst.has(k)) for (let j = i; j < e; j++) if (!keep[j] && kinds[j] !== 'error' && kinds[j] !== 'fail') why[j] = DROP_REPEAT_WARNING;
    }
  }
  for (const [k, e] of warnFirst) {
    const c = warnCount.get(k)!;
    if (c > 1) repeats.set(e - 1, (repeats.get(e - 1) ?? 0) + c - 1);
  }

  // 4. Summaries (last occurrence of each, latest first) and banners (first occurrence of each).
  const summaryLast = new Map<string, number>();
  const headerFirst = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    if (kinds[i] === 'summary') summaryLast.set(templateKey(lines[i]), i);
    else if (kinds[i] === 'header') {
      const k = templateKey(lines[i]);
      if (!headerFirst.has(k) && headerFirst.size < cfg.maxHeaders) headerFirst.set(k, i);
    }
  }
  const summaries = [...summaryLast.values()].sort((a, b) => b - a).slice(0, cfg.maxSummaryLines);
  for (const i of summaries) keep[i] = 1;
  for (const i of headerFirst.values()) keep[i] = 1;
  for (let i = 0; i < n; i++) {
    if (!keep[i] && (kinds[i] === 'summary' || kinds[i] === 'header') && why[i] === DROP_ROUTINE) why[i] = DROP_REPEAT_HEADER;
  }

  // 5. Lines with rare words of the question (pass and progress lines are never picked).
  if (terms.length > 0 && cfg.maxQueryLines > 0) {
    const idx: number[] = [];
    const lower: string[] = [];
    for (let i = 0; i < n; i++) {
      if (kinds[i] === 'pass' || kinds[i] === 'progress' || kinds[i] === 'blank') continue;
      idx.push(i);
      lower.push((lines[i].length > 2000 ? lines[i].slice(0, 2000) : lines[i]).toLowerCase());
    }
    const masks = termMasks(lower, terms);
    const rare = rareMask(masks, terms.length, (0.05 * n) / Math.max(1, lower.length));
    if (rare !== 0) {
      const hits: Array<[number, number]> = [];
      for (let k = 0; k < lower.length; k++) {
        const h = popcount(masks[k] & rare);
        if (h > 0) hits.push([idx[k], h]);
      }
      hits.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
      for (const [i] of hits.slice(0, cfg.maxQueryLines)) keep[i] = 1;
    }
  }

  // 6. The first and last non-blank lines (thinned repeats excepted).
  const positional = (i: number) => !isBlank(lines[i]) && (keep[i] || why[i] !== DROP_REPEAT);
  for (let i = 0, c = 0; i < n && c < cfg.headLines; i++) if (positional(i)) (keep[i] = 1), c++;
  for (let i = n - 1, c = 0; i >= 0 && c < cfg.tailLines; i--) if (positional(i)) (keep[i] = 1), c++;

  // 7. One example line for each long run of same-template routine lines.
  const tmpl = new Uint32Array(n); // template hashes of routine lines (0 = not computed)
  for (let i = 0; i < n; i++) if (ROUTINE_NOT_PASS.has(kinds[i])) tmpl[i] = templateHash(lines[i]) | 1;
  if (cfg.maxExamples > 0) {
    const runs: Array<[number, number]> = []; // [start, length]
    let i = 0;
    while (i < n) {
      if (keep[i] || tmpl[i] === 0) {
        i++;
        continue;
      }
      const k = tmpl[i];
      let j = i + 1;
      while (j < n && !keep[j] && tmpl[j] === k) j++;
      // A kept line just before the run with the same template already shows what it is.
      if (j - i >= cfg.minTemplateRun && !(i > 0 && keep[i - 1] && tmpl[i - 1] === k)) runs.push([i, j - i]);
      i = j;
    }
    runs.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    for (const [s] of runs.slice(0, cfg.maxExamples)) {
      keep[s] = 1;
      example[s] = 1;
    }
  }

  return { kinds, keep, why, example, repeats, tmpl };
}
