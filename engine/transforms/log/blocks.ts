/**
 * Structure a log compressor must keep whole: failure sections (pytest's FAILURES/ERRORS,
 * cargo's `failures:`, jest's "Summary of all failing tests", vitest's "Failed Tests", gradle's
 * "What went wrong") and the stack trace or diagnostic that follows an error line.
 */
import { isBanner, isRule, isTraceLine, type LineKind } from './classify.js';
import { head, indentOf, isBlank } from './lines.js';

export interface Span {
  /** First line (inclusive). */
  readonly start: number;
  /** End (exclusive). */
  readonly end: number;
}

type EndTest = (line: string, kind: LineKind) => boolean;

const PYTEST_SECTION = /^=+ (?:FAILURES|ERRORS) =+$/;
const CARGO_SECTION = /^failures:\s*$/;
const JEST_SECTION = /^Summary of all failing tests/;
const VITEST_SECTION = /Failed Tests \d+|Unhandled Errors?|Failed Suites \d+/;
const GRADLE_SECTION = /^\* What went wrong:/;

/** The end test of the failure section that `line` opens, or null. */
function sectionEnd(line: string): EndTest | null {
  // Cheap first-character filter: sections open with '=', 'f', 'S', '⎯' or '*'.
  let c = line.charCodeAt(0);
  if (c === 32 || c === 9) c = line.charCodeAt(indentOf(head(line, 200)));
  if (c !== 61 && c !== 102 && c !== 83 && c !== 0x23af && c !== 42) return null;
  const t = head(line, 200).trim();
  if (PYTEST_SECTION.test(t)) return (l) => l.trimStart().startsWith('===');
  if (CARGO_SECTION.test(t)) return (l) => l.startsWith('test result:');
  if (JEST_SECTION.test(t)) return (l) => l.startsWith('Test Suites:');
  if (t.startsWith('⎯') && VITEST_SECTION.test(t)) return (l, k) => k === 'summary' || (isRule(l) && l.trim().startsWith('⎯'));
  if (GRADLE_SECTION.test(t)) return (l) => /^\* (?:Try|Get more help|Exception is)/.test(l) || l.startsWith('BUILD FAILED');
  return null;
}

/** Where a new failure block starts inside a section. */
function isBlockHeader(line: string): boolean {
  const h = head(line, 300);
  return isBanner(h) || /^\s*● /.test(h) || /^ ?FAIL /.test(h);
}

/** Failure sections, and the blocks each is made of (a section's own header line is its first block's first line). */
export function failureSections(lines: readonly string[], kinds: readonly LineKind[], maxScan = 1_000_000): Span[][] {
  const out: Span[][] = [];
  const n = lines.length;
  let i = 0;
  while (i < n) {
    const end = kinds[i] === 'blank' ? null : sectionEnd(lines[i]);
    if (!end) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n && j - i < maxScan && !end(lines[j], kinds[j])) j++;
    const blocks: Span[] = [];
    let s = i;
    for (let k = i + 1; k < j; k++) {
      if (isBlockHeader(lines[k])) {
        blocks.push({ start: s, end: k });
        s = k;
      }
    }
    blocks.push({ start: s, end: j });
    out.push(blocks);
    i = j;
  }
  return out;
}

const STOP_KINDS: ReadonlySet<LineKind> = new Set(['pass', 'summary', 'header', 'progress']);

/**
 * The lines after anchor `i` that continue its trace or diagnostic: lines indented deeper than
 * the anchor, or trace-shaped lines (`at …`, `File "…"`, `-->`, `Caused by:`, `ValueError: …`);
 * one or two blank lines are crossed only when a continuation line follows. Pass, progress,
 * summary and banner lines end it. Returns the exclusive end index (i + 1 when nothing follows).
 */
export function traceEnd(lines: readonly string[], kinds: readonly LineKind[], i: number, maxScan = 5000): number {
  const n = lines.length;
  const base = indentOf(head(lines[i], 200));
  const cont = (k: number): boolean => {
    if (STOP_KINDS.has(kinds[k])) return false;
    const l = lines[k];
    return indentOf(head(l, 200)) > base || isTraceLine(l);
  };
  let j = i + 1;
  while (j < n && j - i < maxScan) {
    if (isBlank(lines[j])) {
      let k = j + 1;
      while (k < n && k - j < 2 && isBlank(lines[k])) k++;
      if (k < n && !isBlank(lines[k]) && cont(k)) {
        j = k + 1;
        continue;
      }
      break;
    }
    if (!cont(j)) break;
    j++;
  }
  return j;
}
