/**
 * Which lines of a hunk body stay: every changed line (any non-space prefix column), up to
 * `contextLines` unchanged lines on each side of a change, short cut runs between kept lines
 * (a new hunk header would cost more than they do), and a `\ No newline at end of file` line
 * whenever the line it qualifies stays. (Trailing context matters beyond reading: git apply
 * anchors a hunk without trailing context to the end of the file unless --unidiff-zero.)
 */
import type { Hunk } from './parse.js';

/** Cut runs of unchanged lines this short are kept instead (a new hunk header costs more). */
export const MERGE_GAP = 3;

export interface HunkMask {
  /** Per body line: 1 when changed. */
  readonly change: Uint8Array;
  /** Per body line: 1 when kept. */
  readonly keep: Uint8Array;
  /** Characters of the kept body lines (line terminators not counted). */
  readonly keptChars: number;
  /** Runs of kept lines (each becomes one hunk in the output). */
  readonly parts: number;
}

export function hunkMask(lines: readonly string[], h: Hunk, contextLines: number): HunkMask {
  const P = h.parents;
  const s0 = h.bodyStart;
  const len = h.bodyEnd - s0;
  const C = contextLines;
  const change = new Uint8Array(len);
  const keep = new Uint8Array(len);
  const noNewline = (b: number) => lines[s0 + b].charCodeAt(0) === 92; /* \ */
  for (let b = 0; b < len; b++) {
    const l = lines[s0 + b];
    if (l.length === 0 || noNewline(b)) continue;
    for (let p = 0; p < P && p < l.length; p++) {
      if (l.charCodeAt(p) !== 32) {
        change[b] = 1;
        break;
      }
    }
  }
  for (let b = 0; b < len; b++) {
    if (!change[b]) continue;
    keep[b] = 1;
    for (let k = b - 1, c = 0; k >= 0 && c < C && !change[k]; k--) if (!noNewline(k)) (keep[k] = 1), c++;
    for (let k = b + 1, c = 0; k < len && c < C && !change[k]; k++) if (!noNewline(k)) (keep[k] = 1), c++;
  }
  // Short cut runs between kept lines stay.
  for (let b = 0; b < len; ) {
    if (keep[b]) {
      b++;
      continue;
    }
    let e = b;
    while (e < len && !keep[e]) e++;
    if (b > 0 && e < len && e - b <= MERGE_GAP) for (let k = b; k < e; k++) keep[k] = 1;
    b = e;
  }
  // "\ No newline at end of file" follows the line it qualifies.
  for (let b = 0; b < len; b++) if (noNewline(b)) keep[b] = b > 0 ? keep[b - 1] : 0;
  let keptChars = 0;
  let parts = 0;
  for (let b = 0; b < len; b++) {
    if (!keep[b]) continue;
    keptChars += lines[s0 + b].length;
    if (b === 0 || !keep[b - 1]) parts++;
  }
  return { change, keep, keptChars, parts };
}
