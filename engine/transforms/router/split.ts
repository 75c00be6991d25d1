/**
 * Mixed content: markdown with fenced blocks, prose with an embedded JSON document, prose around
 * a run of `path:line:` search hits. The block is cut into segments that partition it exactly
 * (every character belongs to one segment, in order), so joining the segments' texts, with
 * compressed ones replaced, rebuilds the unchanged parts byte for byte.
 *
 * Segment kinds: `text` (prose between structures), `fence` (the content of a fenced block,
 * routed with the fence's info string as a hint), `json` (a bracket-balanced JSON value that
 * starts a line and parses), `search` (3+ consecutive search-result lines), `verbatim` (fence
 * delimiter lines, never compressed).
 *
 * Linear: one pass over the lines; each JSON candidate is scanned once (brackets inside strings
 * ignored) and at most MAX_FAILED_JSON (resp. MAX_FAILED_FENCES) scans may fail before JSON
 * (fence) extraction stops, so unbalanced input cannot make the pass quadratic.
 */

import { SEARCH_LINE } from './detect.js';
import { guardedJsonParse } from './json-guard.js';

export type SegmentKind = 'text' | 'fence' | 'json' | 'search' | 'verbatim';

export interface Segment {
  readonly kind: SegmentKind;
  /** Offsets into the original text: [start, end). */
  readonly start: number;
  readonly end: number;
  /** Fence info string (```python → 'python'), for `fence` segments. */
  readonly info?: string;
  /** What the value of a `json` segment is (it parsed while splitting). */
  readonly shape?: 'dict_array' | 'array' | 'object';
}

export interface SplitOptions {
  /** Extract bracket-balanced JSON values that start a line. Default true. */
  readonly json?: boolean;
  /** Extract runs of search-result lines. Default true. */
  readonly search?: boolean;
  /** Extract fenced blocks. Default true. */
  readonly fences?: boolean;
}

const MAX_FAILED_JSON = 8;
const MAX_FAILED_FENCES = 8;
/** Embedded JSON shorter than this stays in the prose around it. */
const MIN_JSON_CHARS = 40;
const MIN_SEARCH_RUN = 3;
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})([^`]*)$/;

/**
 * End (exclusive) of the bracket-balanced JSON-like value starting at `from` (a `[` or `{`),
 * or -1 when it does not close before `limit`. Brackets inside double-quoted strings are ignored.
 */
export function balancedEnd(text: string, from: number, limit = text.length): number {
  let depth = 0;
  let inString = false;
  for (let i = from; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) depth++;
    else if (c === 0x5d || c === 0x7d) {
      depth--;
      if (depth === 0) return i + 1;
      if (depth < 0) return -1;
    }
  }
  return -1;
}

function jsonShape(v: unknown): 'dict_array' | 'array' | 'object' {
  if (!Array.isArray(v)) return 'object';
  return v.length > 0 && v.every((x) => typeof x === 'object' && x !== null && !Array.isArray(x)) ? 'dict_array' : 'array';
}

/** Indicators of mixed content the reference counts (§3.2), for diagnostics. */
export function mixedIndicators(text: string): { fences: number; jsonStarts: number; proseHits: number; searchLines: number; count: number } {
  let fences = 0, jsonStarts = 0, searchLines = 0;
  let pos = 0;
  let lines = 0;
  while (pos < text.length && lines < 500) {
    let end = text.indexOf('\n', pos);
    if (end === -1) end = text.length;
    const c = text.charCodeAt(pos);
    if ((c === 0x60 || c === 0x7e || c === 0x20) && FENCE_OPEN.test(text.slice(pos, Math.min(end, pos + 200)))) fences++;
    else if (c === 0x5b || c === 0x7b) jsonStarts++;
    else if (SEARCH_LINE.test(text.slice(pos, Math.min(end, pos + 300)))) searchLines++;
    pos = end + 1;
    lines++;
  }
  let proseHits = 0;
  for (const _ of text.slice(0, 65536).matchAll(/\b[A-Z][a-z]+ [a-z]+ [a-z]+/g)) if (++proseHits > 5) break;
  const count = (fences > 0 ? 1 : 0) + (jsonStarts > 0 ? 1 : 0) + (proseHits > 5 ? 1 : 0) + (searchLines > 0 ? 1 : 0);
  return { fences, jsonStarts, proseHits, searchLines, count };
}

/**
 * Cut `text` into segments, or return null when no structured part (fence, JSON, search run)
 * was found. The segments partition the text: `segments.map(s => text.slice(s.start, s.end)).join('') === text`.
 */
export function splitMixed(text: string, opts: SplitOptions = {}): Segment[] | null {
  const wantJson = opts.json !== false;
  const wantSearch = opts.search !== false;
  const wantFences = opts.fences !== false;
  const out: Segment[] = [];
  let textStart = 0;
  let failedJson = 0;
  let failedFences = 0;
  let structured = 0;
  const flush = (upTo: number) => {
    if (upTo > textStart) out.push({ kind: 'text', start: textStart, end: upTo });
  };
  const lineEnd = (p: number) => {
    const e = text.indexOf('\n', p);
    return e === -1 ? text.length : e;
  };

  let pos = 0;
  while (pos < text.length) {
    const le = lineEnd(pos);
    const next = le + 1;
    const c = text.charCodeAt(pos);

    // Fenced block: ``` or ~~~ (up to 3 spaces of indent), closed by the same character, at least as long.
    if (wantFences && failedFences < MAX_FAILED_FENCES && (c === 0x60 || c === 0x7e || c === 0x20)) {
      const lineText = text.slice(pos, Math.min(le, pos + 400)).replace(/\r$/, '');
      const m = FENCE_OPEN.exec(lineText);
      if (m && le - pos < 400) {
        const ch = m[1][0];
        const len = m[1].length;
        const closeRe = new RegExp(`^ {0,3}${ch === '`' ? '`' : '~'}{${len},}[ \\t]*\\r?$`);
        let p = next;
        let closeStart = -1, closeEnd = -1;
        while (p < text.length) {
          const e = lineEnd(p);
          const cc = text.charCodeAt(p);
          if ((cc === 0x60 || cc === 0x7e || cc === 0x20) && e - p < 400 && closeRe.test(text.slice(p, e))) {
            closeStart = p;
            closeEnd = e;
            break;
          }
          p = e + 1;
        }
        if (closeStart >= 0) {
          flush(pos);
          const contentStart = Math.min(next, text.length);
          out.push({ kind: 'verbatim', start: pos, end: contentStart });
          if (closeStart > contentStart) {
            const info = m[2].trim();
            out.push(info !== '' ? { kind: 'fence', start: contentStart, end: closeStart, info } : { kind: 'fence', start: contentStart, end: closeStart });
          }
          out.push({ kind: 'verbatim', start: closeStart, end: closeEnd });
          textStart = closeEnd;
          structured++;
          pos = closeEnd + 1;
          continue;
        }
        failedFences++;
      }
    }

    // A JSON value starting a line.
    if (wantJson && (c === 0x5b || c === 0x7b) && failedJson < MAX_FAILED_JSON) {
      const end = balancedEnd(text, pos);
      if (end > 0 && end - pos >= MIN_JSON_CHARS) {
        const parsed = guardedJsonParse(text, pos, end);
        if (parsed.ok) {
          flush(pos);
          out.push({ kind: 'json', start: pos, end, shape: jsonShape(parsed.value) });
          textStart = end;
          structured++;
          // Continue on the line holding the end (the rest of it is prose).
          pos = end;
          if (pos < text.length && text.charCodeAt(pos) !== 0x0a) {
            pos = lineEnd(pos) + 1;
          } else pos = pos + 1;
          continue;
        }
        failedJson++;
      } else if (end < 0) failedJson++;
    }

    // A run of search-result lines.
    if (wantSearch && c !== 0x20 && c !== 0x09 && SEARCH_LINE.test(text.slice(pos, Math.min(le, pos + 300)))) {
      let runEnd = le;
      let count = 1;
      let p = next;
      while (p < text.length) {
        const e = lineEnd(p);
        if (!SEARCH_LINE.test(text.slice(p, Math.min(e, p + 300)))) break;
        count++;
        runEnd = e;
        p = e + 1;
      }
      if (count >= MIN_SEARCH_RUN) {
        flush(pos);
        out.push({ kind: 'search', start: pos, end: runEnd });
        textStart = runEnd;
        structured++;
        pos = runEnd + 1;
        continue;
      }
      pos = p;
      continue;
    }
    pos = next;
  }
  if (structured === 0) return null;
  flush(text.length);
  return out;
}
