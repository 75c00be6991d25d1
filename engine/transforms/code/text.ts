/**
 * Text helpers: a line index over the input (UTF-16 offsets, the unit web-tree-sitter reports
 * for string input) and splicing non-overlapping edits.
 */

export interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Line starts of a text, for offset → line lookups by binary search. */
export class LineIndex {
  readonly text: string;
  private readonly starts: number[];

  /** The text's line ending ('\r\n' when its first line ends that way), for inserted lines. */
  readonly eol: string;

  constructor(text: string) {
    this.text = text;
    const nl = text.indexOf('\n');
    this.eol = nl > 0 && text.charCodeAt(nl - 1) === 0x0d ? '\r\n' : '\n';
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** 0-based line of an offset. */
  lineOf(offset: number): number {
    const s = this.starts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Offset where the line holding `offset` starts. */
  lineStart(offset: number): number {
    return this.starts[this.lineOf(offset)];
  }

  /** Offset of the newline ending the line holding `offset` (or the text length). */
  lineEnd(offset: number): number {
    const i = this.text.indexOf('\n', offset);
    return i === -1 ? this.text.length : i;
  }

  /** Offset where a 0-based line starts. */
  startOfLine(line: number): number {
    return line < this.starts.length ? this.starts[line] : this.text.length;
  }

  /** True when only spaces/tabs precede `offset` on its line. */
  onlyIndentBefore(offset: number): boolean {
    return isBlank(this.text, this.lineStart(offset), offset);
  }

  /** True when only whitespace (or a CR) follows `offset` up to its newline. */
  onlySpaceAfter(offset: number): boolean {
    return isBlank(this.text, offset, this.lineEnd(offset));
  }

  /** True when a 0-based line is empty or whitespace only. */
  isBlankLine(line: number): boolean {
    if (line < 0 || line >= this.starts.length) return false;
    const s = this.starts[line];
    return isBlank(this.text, s, this.lineEnd(s));
  }
}

/** True when text[from, to) is spaces, tabs, CR, LF or form feeds only. */
export function isBlank(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a && c !== 0x0c) return false;
  }
  return true;
}

/** Characters that are not whitespace in text[from, to). */
export function solidChars(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a) n++;
  }
  return n;
}

/**
 * A rough token count of text[from, to): runs of word characters plus runs of other non-space
 * characters (within ±15% of o200k on code). Used to judge whether a placeholder pays for itself
 * without running a tokenizer on every candidate.
 */
export function roughTokens(text: string, from = 0, to = text.length): number {
  let n = 0;
  let prev = 0; // 0 space, 1 word, 2 other
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    const kind = c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c ? 0 : (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c >= 0x80 ? 1 : 2;
    if (kind !== 0 && kind !== prev) n++;
    prev = kind;
  }
  return n;
}

/** Edits sorted by start, without overlaps: an edit overlapping the previous kept one is dropped. */
export function normalizeEdits(edits: ReadonlyArray<Edit>): Edit[] {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Edit[] = [];
  let pos = 0;
  for (const e of sorted) {
    if (e.start < pos) continue;
    out.push(e);
    pos = e.end;
  }
  return out;
}

/** Apply edits (normalised first: sorted, overlaps dropped). */
export function applyEdits(text: string, edits: ReadonlyArray<Edit>): string {
  const parts: string[] = [];
  let pos = 0;
  for (const e of normalizeEdits(edits)) {
    parts.push(text.slice(pos, e.start), e.text);
    pos = e.end;
  }
  parts.push(text.slice(pos));
  return parts.join('');
}
