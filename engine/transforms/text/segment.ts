/**
 * Splits prose into segments the compressor keeps or drops whole, as [start, end) offsets into
 * the original text so that kept segments are copied byte for byte.
 *
 * Blocks come from lines: blank lines end paragraphs; `#` headings, setext headings, short
 * label lines ("Steps to reproduce:") and short ALL-CAPS lines are headings; pipe-table rows
 * are one segment each (a separator row joins its header row); fenced code blocks are one
 * segment; a protected tag span (tags.ts) that crosses lines makes its lines one segment;
 * list items start a run that takes their continuation lines; `>` quote lines form their own
 * runs; other lines join the current prose run (soft-wrapped text).
 *
 * Runs are split into sentences after `.`, `!`, `?`, `…` (plus closing quotes/brackets) when
 * whitespace and then something other than a lowercase letter follows, except after known
 * abbreviations ("e.g.", "Dr.", "Fig.", "approx.") and single-letter initials; after `。！？`
 * directly; never inside backtick code spans or protected spans. Decimals, versions, URLs and
 * paths never split (no whitespace after their dots). A newline inside a run ends a sentence
 * when the line ends with ':' or ';', or the next line starts with an uppercase letter or a
 * digit and the line does not end with a connector (`,` `(` `-` `&` `/` …). Segments longer
 * than MAX_SEGMENT characters are cut at whitespace.
 */
import type { Ranges } from './tags.js';

export type SegmentKind = 'sentence' | 'item' | 'heading' | 'row' | 'code' | 'protected' | 'rule';

export interface Segment {
  readonly start: number;
  readonly end: number;
  readonly kind: SegmentKind;
  /** Block (paragraph, list item, table, heading, code block) index, in order. */
  readonly block: number;
  /** First segment of its block. */
  readonly lead: boolean;
  /** Overlaps a protected tag span (kept verbatim). */
  readonly protected: boolean;
  /** Table index for rows (the table's first row segment is its header), else -1. */
  readonly table: number;
}

/** Longest segment; longer sentences (or unpunctuated runs) are cut at whitespace. */
export const MAX_SEGMENT = 1200;

/* prettier-ignore */
const ABBREVIATIONS = new Set((
  'mr mrs ms dr prof sr jr st mt ft vs v e.g eg i.e ie cf fig figs no nos vol vols pp p ch sec secs inc ltd co corp jan feb ' +
  'mar apr jun jul aug sep sept oct nov dec approx est dept univ gen col lt sgt capt rev gov sen rep u.s u.k a.m p.m ph.d ' +
  'al resp min max av ave ca viz op ed eds repr dist incl excl'
).split(' '));

const HEADING = /^ {0,3}#{1,6}(?:[ \t]|$)/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const SETEXT = /^ {0,3}(?:=+|-+)[ \t]*$/;
const RULE = /^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$/;
const ITEM = /^[ \t]*(?:[-*+•]|\d{1,9}[.)])[ \t]+\S/;
const TABLE_SEP = /^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$/;
const QUOTE = /^[ \t]*>/;
/** Characters the sentence scanner stops at: terminals, CJK terminals, line breaks, backticks, '<'. */
const CANDIDATE = /[.!?\u2026\u3002\uff01\uff1f\n\r`<]/g;

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11 || c === 0xa0 || c === 0x3000;
}

function isLower(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 0xdf && c <= 0xff && c !== 0xf7);
}

function isUpperOrDigit(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || (c >= 0xc0 && c <= 0xde && c !== 0xd7);
}

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Closing characters that stay with the sentence before them. */
function isCloser(c: number): boolean {
  return c === 34 || c === 39 || c === 41 || c === 93 || c === 125 || c === 0x201d || c === 0x2019 || c === 0xbb || c === 42 || c === 95 || c === 0x300d || c === 0x300f || c === 0xff09;
}

function isTerminal(c: number): boolean {
  return c === 46 || c === 33 || c === 63 || c === 0x2026;
}

function isCjkTerminal(c: number): boolean {
  return c === 0x3002 || c === 0xff01 || c === 0xff1f;
}

/** Characters that end a line without ending the sentence. */
function isConnector(c: number): boolean {
  return c === 44 || c === 40 || c === 45 || c === 0x2013 || c === 0x2014 || c === 38 || c === 47 || c === 43 || c === 61 || c === 92 || c === 0xff0c || c === 0x3001;
}

class Builder {
  readonly out: Segment[] = [];
  block = 0;
  private blockHasSegments = false;
  private table = -1;
  private lastRowLine = -2;
  constructor(
    private readonly text: string,
    private readonly ranges: Ranges,
  ) {}

  /** Protected-range cursor for ordered queries. */
  private rp = 0;

  /** Index of the protected range containing `pos`, or -1 (positions must be queried in increasing order per scan). */
  rangeAt(pos: number): number {
    const r = this.ranges;
    while (this.rp < r.length && r[this.rp][1] <= pos) this.rp++;
    if (this.rp < r.length && r[this.rp][0] <= pos) return this.rp;
    return -1;
  }

  /** Index of the first range ending after `pos` (binary search). */
  firstRangeEndingAfter(pos: number): number {
    const r = this.ranges;
    let lo = 0;
    let hi = r.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (r[mid][1] <= pos) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  overlapsProtected(start: number, end: number): boolean {
    const k = this.firstRangeEndingAfter(start);
    return k < this.ranges.length && this.ranges[k][0] < end;
  }

  endBlock(): void {
    if (this.blockHasSegments) {
      this.block++;
      this.blockHasSegments = false;
    }
  }

  push(start: number, end: number, kind: SegmentKind, table = -1): void {
    const t = this.text;
    while (start < end && isSpace(t.charCodeAt(start))) start++;
    while (end > start && isSpace(t.charCodeAt(end - 1))) end--;
    if (end <= start) return;
    if (end - start > MAX_SEGMENT && kind !== 'code' && kind !== 'protected' && kind !== 'row') {
      this.pushLong(start, end, kind);
      return;
    }
    this.out.push({ start, end, kind, block: this.block, lead: !this.blockHasSegments, protected: kind === 'protected' || this.overlapsProtected(start, end), table });
    this.blockHasSegments = true;
  }

  private pushLong(start: number, end: number, kind: SegmentKind): void {
    const t = this.text;
    let s = start;
    while (end - s > MAX_SEGMENT) {
      // Cut at the last newline, else the last whitespace, in the second half of the window.
      const lo = s + (MAX_SEGMENT >> 1);
      let cut = -1;
      for (let k = s + MAX_SEGMENT; k > lo; k--) {
        const c = t.charCodeAt(k);
        if (c === 10) {
          cut = k;
          break;
        }
        if (cut < 0 && isSpace(c)) cut = k;
      }
      // Do not cut inside a protected span.
      if (cut >= 0 && this.overlapsProtected(cut, cut + 1)) cut = -1;
      if (cut < 0) cut = s + MAX_SEGMENT;
      this.push(s, cut, kind);
      s = cut;
      while (s < end && isSpace(t.charCodeAt(s))) s++;
    }
    if (s < end) this.push(s, end, kind);
  }

  row(start: number, end: number, line: number): void {
    if (this.lastRowLine !== line - 1) {
      this.endBlock();
      this.table++;
    }
    this.lastRowLine = line;
    this.push(start, end, 'row', this.table);
  }

  /** Extends the previous line's row (a table header) over a separator row. */
  extendRow(end: number, line: number): boolean {
    const last = this.out[this.out.length - 1];
    if (last === undefined || last.kind !== 'row' || this.lastRowLine !== line - 1) return false;
    this.out[this.out.length - 1] = { ...last, end };
    this.lastRowLine = line;
    return true;
  }

  /** Splits a run [start, end) into sentences. */
  sentences(start: number, end: number, kind: 'sentence' | 'item', quote: boolean): void {
    const t = this.text;
    this.rp = this.firstRangeEndingAfter(start);
    let segStart = start;
    let first = true;
    let inCode = false;
    const emit = (to: number, next: number) => {
      this.push(segStart, to, first ? kind : 'sentence');
      first = false;
      segStart = next;
    };
    let i = start;
    while (i < end) {
      // Jump to the next character that can matter (a native scan, much faster than a JS loop).
      CANDIDATE.lastIndex = i;
      if (CANDIDATE.exec(t) === null || CANDIDATE.lastIndex > end) break;
      i = CANDIDATE.lastIndex - 1;
      const c = t.charCodeAt(i);
      if (c === 60 /* < */ && this.ranges.length > 0) {
        const r = this.rangeAt(i);
        if (r >= 0) {
          i = Math.max(i + 1, this.ranges[r][1]);
          continue;
        }
      }
      if (c === 96 /* ` */) {
        inCode = !inCode;
        i++;
        continue;
      }
      if (inCode) {
        if (c === 10) inCode = false; // a code span does not cross lines in prose
        i++;
        continue;
      }
      if (isTerminal(c)) {
        let j = i + 1;
        while (j < end && (isTerminal(t.charCodeAt(j)) || isCloser(t.charCodeAt(j)))) j++;
        if (j >= end) break;
        if (!isSpace(t.charCodeAt(j))) {
          i = j;
          continue;
        }
        let k = j;
        while (k < end && isSpace(t.charCodeAt(k))) k++;
        let kc = k;
        if (quote) while (kc < end && (t.charCodeAt(kc) === 62 || isSpace(t.charCodeAt(kc)))) kc++;
        if (kc >= end) break;
        const next = t.charCodeAt(kc);
        let boundary = !isLower(next);
        if (boundary && c === 46 && j === i + 1) boundary = !this.abbreviationBefore(i, start);
        if (boundary) emit(j, k);
        i = k;
        continue;
      }
      if (isCjkTerminal(c)) {
        let j = i + 1;
        while (j < end && (isCjkTerminal(t.charCodeAt(j)) || isCloser(t.charCodeAt(j)))) j++;
        let k = j;
        while (k < end && isSpace(t.charCodeAt(k))) k++;
        if (k >= end) break;
        emit(j, k);
        i = k;
        continue;
      }
      if (c === 10 || (c === 13 && t.charCodeAt(i + 1) !== 10)) {
        let p = i - 1;
        while (p >= segStart && isSpace(t.charCodeAt(p))) p--;
        let k = i + 1;
        while (k < end && isSpace(t.charCodeAt(k))) k++;
        let kc = k;
        if (quote) while (kc < end && (t.charCodeAt(kc) === 62 || isSpace(t.charCodeAt(kc)))) kc++;
        if (p >= segStart && kc < end) {
          const prev = t.charCodeAt(p);
          const next = t.charCodeAt(kc);
          if (prev === 58 || prev === 59 || (isUpperOrDigit(next) && !isConnector(prev))) {
            emit(p + 1, k);
            i = k;
            continue;
          }
        }
      }
      i++;
    }
    this.push(segStart, end, first ? kind : 'sentence');
  }

  /** True when the '.' at `dot` ends an abbreviation or an initial. */
  private abbreviationBefore(dot: number, floor: number): boolean {
    const t = this.text;
    let k = dot - 1;
    while (k >= floor && dot - k <= 8 && (isAsciiLetter(t.charCodeAt(k)) || t.charCodeAt(k) === 46)) k--;
    const word = t.slice(k + 1, dot);
    if (word === '') return false;
    if (word.length === 1 && t.charCodeAt(dot - 1) >= 65 && t.charCodeAt(dot - 1) <= 90) return true;
    return ABBREVIATIONS.has(word.toLowerCase());
  }
}

/** Segments of `text` in order; the text between consecutive segments is whitespace only. */
export function segmentText(text: string, ranges: Ranges): Segment[] {
  const b = new Builder(text, ranges);
  const n = text.length;
  // Line table.
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i <= n; ) {
    let j = i;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === 10 || c === 13) break;
      j++;
    }
    starts.push(i);
    ends.push(j);
    if (j >= n) break;
    i = text.charCodeAt(j) === 13 && text.charCodeAt(j + 1) === 10 ? j + 2 : j + 1;
    if (i >= n) break;
  }
  const lineOf = (pos: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  // Lines covered by protected spans that cross a line break: line → last line of the group.
  const groupEnd = new Map<number, number>();
  for (const [s, e] of ranges) {
    const la = lineOf(s);
    const lb = lineOf(Math.max(s, e - 1));
    if (lb > la) {
      const prev = groupEnd.get(la);
      groupEnd.set(la, Math.max(prev ?? lb, lb));
    }
  }

  let runStart = -1;
  let runEnd = -1;
  let runLines = 0;
  let runKind: 'sentence' | 'item' = 'sentence';
  let runQuote = false;
  let runIndent = 0;
  const flush = () => {
    if (runStart >= 0) b.sentences(runStart, runEnd, runKind, runQuote);
    runStart = -1;
    runLines = 0;
  };
  const startRun = (s: number, e: number, kind: 'sentence' | 'item', quote: boolean, indent: number) => {
    runStart = s;
    runEnd = e;
    runLines = 1;
    runKind = kind;
    runQuote = quote;
    runIndent = indent;
  };

  for (let li = 0; li < starts.length; li++) {
    const ls = starts[li];
    const le = ends[li];
    const g = groupEnd.get(li);
    if (g !== undefined) {
      // A protected span crossing lines: its lines (and any span they chain into) are one segment.
      let last = g;
      for (let k = li + 1; k <= last; k++) {
        const more = groupEnd.get(k);
        if (more !== undefined && more > last) last = more;
      }
      flush();
      b.endBlock();
      b.push(ls, ends[last], 'protected');
      b.endBlock();
      li = last;
      continue;
    }
    let p = ls;
    while (p < le && isSpace(text.charCodeAt(p))) p++;
    if (p >= le) {
      flush();
      b.endBlock();
      continue;
    }
    const indent = p - ls;
    const line = text.slice(ls, le);
    const fence = FENCE.exec(line);
    if (fence !== null) {
      flush();
      b.endBlock();
      const ch = fence[1][0];
      const len = fence[1].length;
      let close = li + 1;
      for (; close < starts.length; close++) {
        const l2 = text.slice(starts[close], ends[close]);
        const m = FENCE.exec(l2);
        if (m !== null && m[1][0] === ch && m[1].length >= len && l2.trim() === m[1]) break;
      }
      const last = Math.min(close, starts.length - 1);
      b.push(ls, ends[last], 'code');
      b.endBlock();
      li = last;
      continue;
    }
    if (HEADING.test(line)) {
      flush();
      b.endBlock();
      b.push(ls, le, 'heading');
      b.endBlock();
      continue;
    }
    if (SETEXT.test(line) && runStart >= 0 && runLines === 1 && runKind === 'sentence' && !runQuote) {
      // The single prose line before it is a heading.
      const s = runStart;
      runStart = -1;
      runLines = 0;
      b.endBlock();
      b.push(s, le, 'heading');
      b.endBlock();
      continue;
    }
    if (RULE.test(line)) {
      flush();
      b.endBlock();
      b.push(ls, le, 'rule');
      b.endBlock();
      continue;
    }
    const c0 = text.charCodeAt(p);
    if (c0 === 124 /* | */ || (TABLE_SEP.test(line) && line.includes('|'))) {
      flush();
      if (TABLE_SEP.test(line) && b.extendRow(le, li)) continue;
      b.row(p, le, li);
      continue;
    }
    if (ITEM.test(line)) {
      flush();
      b.endBlock();
      startRun(p, le, 'item', false, indent);
      continue;
    }
    const quote = QUOTE.test(line);
    if (runStart >= 0) {
      const continues =
        quote === runQuote && (runKind === 'sentence' || indent > runIndent || !isStructuralStart(line));
      if (continues) {
        runEnd = le;
        runLines++;
        continue;
      }
      flush();
    }
    // A short label, ALL-CAPS or title line standing alone is a heading.
    const prevBlank = li === 0 || starts[li - 1] === ends[li - 1] || text.slice(starts[li - 1], ends[li - 1]).trim() === '';
    if (!quote && isLabelLine(line, li + 1 < starts.length ? text.slice(starts[li + 1], ends[li + 1]) : '', prevBlank, b.out.length === 0)) {
      b.endBlock();
      b.push(p, le, 'heading');
      b.endBlock();
      continue;
    }
    b.endBlock();
    startRun(p, le, 'sentence', quote, indent);
  }
  flush();
  return b.out;
}

function isStructuralStart(line: string): boolean {
  return HEADING.test(line) || ITEM.test(line) || FENCE.test(line) || line.trimStart().startsWith('|');
}

/**
 * "Steps to reproduce:" or "INSTALLATION" on its own line (followed by a blank line, a list or
 * the end), or a short title-like line standing alone between blank lines ("Root cause"); the
 * document's first line may be longer.
 */
function isLabelLine(line: string, next: string, prevBlank: boolean, first: boolean): boolean {
  const t = line.trim();
  if (t.length < 2 || t.length > (first ? 100 : 60)) return false;
  const nextBlank = next.trim() === '' || ITEM.test(next) || HEADING.test(next);
  const words = t.split(/\s+/).length;
  if (t.endsWith(':')) return nextBlank || words <= 6;
  if (!nextBlank || /[.!?,;]$/.test(t)) return false;
  if (!/[a-z]/.test(t) && /[A-Z].*[A-Z]/.test(t)) return words <= 8;
  // A title: standalone, starts with an uppercase letter or digit, few words.
  return prevBlank && /^[\p{Lu}\p{N}]/u.test(t) && (first || words <= 6);
}
