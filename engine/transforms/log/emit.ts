/**
 * Writes the kept log lines verbatim and, where lines were dropped, one note saying how many
 * and what they were: `[... 1203 lines omitted: 1200 passed, 3 info]`, or
 * `[... 340 more lines like the one above]` after a template-run example.
 */
import type { LineKind } from './classify.js';
import { LineWriter, isBlank, type SplitText } from './lines.js';
import { DROP_REPEAT, DROP_REPEAT_HEADER, DROP_REPEAT_WARNING, DROP_TRACE_MIDDLE, DROP_ROUTINE, type LogSelection } from './select.js';

/** Categories in the order notes list them. */
const ORDER = [
  'like the line above',
  'repeated errors',
  'trace lines',
  'repeated warnings',
  'other warnings',
  'repeated headers or summaries',
  'passed',
  'progress',
  'info',
  'debug',
  'other',
  'blank',
] as const;
type Category = (typeof ORDER)[number];

function category(kind: LineKind, why: number): Category {
  if (why === DROP_TRACE_MIDDLE) return 'trace lines';
  if (why === DROP_REPEAT) return 'repeated errors';
  if (why === DROP_REPEAT_WARNING) return 'repeated warnings';
  if (why === DROP_REPEAT_HEADER) return 'repeated headers or summaries';
  switch (kind) {
    case 'error':
    case 'fail':
      return 'repeated errors';
    case 'warn':
      return 'other warnings';
    case 'summary':
    case 'header':
      return 'repeated headers or summaries';
    case 'pass':
      return 'passed';
    case 'progress':
      return 'progress';
    case 'info':
      return 'info';
    case 'debug':
      return 'debug';
    case 'blank':
      return 'blank';
    default:
      return 'other';
  }
}

export class Tally {
  private readonly counts = new Map<Category, number>();
  total = 0;
  add(c: Category, k = 1): void {
    this.counts.set(c, (this.counts.get(c) ?? 0) + k);
    this.total += k;
  }
  get(c: Category): number {
    return this.counts.get(c) ?? 0;
  }
  merge(o: Tally): void {
    for (const c of ORDER) {
      const k = o.get(c);
      if (k) this.add(c, k);
    }
  }
  describe(): string {
    const parts: string[] = [];
    for (const c of ORDER) {
      const k = this.counts.get(c);
      if (k) parts.push(`${k} ${c}`);
    }
    return parts.join(', ');
  }
}

/** A dropped line of at most this many characters, alone between kept lines, is kept instead of a note. */
const SHORT_LINE = 80;

export interface LogEmit {
  readonly writer: LineWriter;
  readonly omitted: Tally;
  readonly keptLines: number;
}

export function emitLog(src: SplitText, sel: LogSelection): LogEmit {
  const { lines } = src;
  const { keep, why, kinds, repeats, tmpl } = sel;
  const n = lines.length;
  const w = new LineWriter(src);
  const omitted = new Tally();
  let i = 0;
  while (i < n) {
    if (keep[i]) {
      w.keep(i);
      const r = repeats.get(i);
      if (r !== undefined) w.note(`[... warning above repeated ${r} more time${r === 1 ? '' : 's'}]`);
      i++;
      continue;
    }
    let j = i;
    while (j < n && !keep[j]) j++;
    if (j - i === 1 && why[i] === DROP_ROUTINE && lines[i].length <= SHORT_LINE) {
      w.keep(i);
      i = j;
      continue;
    }
    const gap = new Tally();
    // Dropped lines shaped like the kept routine line just above are counted as "like the line above".
    const exampleKey = i > 0 ? tmpl[i - 1] : 0;
    let blanks = 0;
    for (let k = i; k < j; k++) {
      if (exampleKey !== 0 && tmpl[k] === exampleKey && why[k] === DROP_ROUTINE) gap.add('like the line above');
      else gap.add(category(kinds[k], why[k]));
      if (isBlank(lines[k])) blanks++;
    }
    omitted.merge(gap);
    if (blanks < j - i) {
      const like = gap.get('like the line above');
      w.note(
        like === gap.total
          ? `[... ${like} more line${like === 1 ? '' : 's'} like the one above]`
          : `[... ${gap.total} line${gap.total === 1 ? '' : 's'} omitted: ${gap.describe()}]`,
      );
    }
    i = j;
  }
  return { writer: w, omitted, keptLines: w.keptLines };
}
