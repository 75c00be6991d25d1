/**
 * Line splitting and output assembly shared by the line-oriented compressors (log, search,
 * diff). Lines keep their own terminators ('\n', '\r\n', or '' for an unterminated last line),
 * so kept lines are reproduced byte for byte and mixed line endings survive. A lone '\r' is
 * not a line break (progress bars redraw with it); it stays inside its line.
 */

export interface SplitText {
  /** Line contents without terminators. */
  readonly lines: string[];
  /** Each line's terminator: '\n', '\r\n', or '' (only the last line may have none). */
  readonly eols: string[];
  /** The terminator synthetic lines use: '\r\n' when most lines end that way, else '\n'. */
  readonly eol: string;
}

/** Splits `text` into lines in one pass (indexOf, no regex). An empty text has no lines. */
export function splitLines(text: string): SplitText {
  const lines: string[] = [];
  const eols: string[] = [];
  let crlf = 0;
  let lf = 0;
  let start = 0;
  const n = text.length;
  while (start < n) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) {
      lines.push(text.slice(start));
      eols.push('');
      break;
    }
    if (nl > start && text.charCodeAt(nl - 1) === 13) {
      lines.push(text.slice(start, nl - 1));
      eols.push('\r\n');
      crlf++;
    } else {
      lines.push(text.slice(start, nl));
      eols.push('\n');
      lf++;
    }
    start = nl + 1;
  }
  return { lines, eols, eol: crlf > lf ? '\r\n' : '\n' };
}

/**
 * Builds the output: verbatim input lines (with their own terminators) and synthetic lines
 * (omission notes, the marker) terminated with the input's dominant line ending.
 */
export class LineWriter {
  private readonly parts: string[] = [];
  private open = false; // the last piece written has no terminator yet
  private kept = 0;

  constructor(private readonly src: SplitText) {}

  /** Writes input line i verbatim. */
  keep(i: number): void {
    if (this.open) this.parts.push(this.src.eol);
    this.parts.push(this.src.lines[i], this.src.eols[i]);
    this.open = this.src.eols[i] === '';
    this.kept++;
  }

  /** Writes a synthetic line. */
  note(text: string): void {
    if (this.open) this.parts.push(this.src.eol);
    this.parts.push(text, this.src.eol);
    this.open = false;
  }

  /** Input lines written so far. */
  get keptLines(): number {
    return this.kept;
  }

  /**
   * The output with `last` (the marker) as its final line: terminated when the input's last
   * line was, unterminated otherwise.
   */
  finish(last: string): string {
    const src = this.src;
    const endsOpen = src.eols.length === 0 || src.eols[src.eols.length - 1] === '';
    if (this.open) this.parts.push(src.eol);
    this.parts.push(last);
    if (!endsOpen) this.parts.push(src.eol);
    return this.parts.join('');
  }
}

/** `s`, or its first `max` characters when longer (pattern tests on huge lines stay bounded). */
export function head(s: string, max: number): string {
  return s.length > max ? s.slice(0, max) : s;
}

/** Index of the first non-space/tab character (the line's length when blank). */
export function indentOf(s: string): number {
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9) break;
    i++;
  }
  return i;
}

/** True when the line holds only spaces, tabs or a stray '\r'. */
export function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 12 && c !== 11) return false;
  }
  return true;
}
