/**
 * Parses grep/ripgrep/ag output line by line, without regexes on the hot path:
 *
 *   path:12:content        a match (grep -n, rg, ag); `path:12:7:content` (rg --vimgrep) too
 *   path-12-content        a context line (-A/-B/-C)
 *   --                     a separator between context groups
 *   path                   a heading (rg --heading, ag --group), followed by rows
 *   12:content / 12-content   rows under a heading
 *
 * The split is the leftmost `<sep><digits><sep>` with the same separator on both sides; a
 * Windows drive prefix (`C:\`) is skipped. When a line has both a `-N-` split and a later
 * `:N:` split (a path like `a-2-b.ts`, or context whose text has `:12:`), the split whose path
 * is already known from unambiguous lines wins, else the `:` one unless its path has spaces.
 * Lines that fit none of these are 'other': the compressor keeps or counts them, never drops
 * them silently. Parsing only groups and scores lines; output lines are always verbatim.
 */

export const MATCH = 1;
export const CONTEXT = 2;
export const SEPARATOR = 3;
export const HEADING = 4;
export const BLANK = 5;
export const OTHER = 6;

export interface ParsedSearch {
  /** Per line: MATCH, CONTEXT, SEPARATOR, HEADING, BLANK or OTHER. */
  readonly kind: Uint8Array;
  /** Per line: file id (index into `files`), -1 for separators, blanks and other lines. */
  readonly file: Int32Array;
  /** Per line: where the content starts (matches and context lines). */
  readonly contentAt: Int32Array;
  /** Distinct paths in order of first appearance. */
  readonly files: string[];
  readonly matches: number;
}

/** Positions scanned for a split; paths longer than this are not paths. */
const MAX_PATH = 1024;

interface Split {
  readonly pathEnd: number;
  readonly contentAt: number;
}

/** Leftmost `<sep><digits><sep>` for `sep` (58 ':' or 45 '-') at or after `from`. */
function findSplit(line: string, sep: number, from: number): Split | null {
  return findSplitAfter(line, sep, from);
}

/** The `-N-` split whose path is a known one (a path like `a-2-b.ts` holds an earlier `-2-`), else the leftmost. */
function dashSplit(line: string, from: number, known: ReadonlySet<string>): Split | null {
  const first = findSplitAfter(line, 45, from);
  if (!first || known.size === 0 || known.has(line.slice(0, first.pathEnd))) return first;
  let s: Split | null = first;
  for (let k = 0; k < 8 && s; k++) {
    s = findSplitAfter(line, 45, s.pathEnd + 1);
    if (s && known.has(line.slice(0, s.pathEnd))) return s;
  }
  return first;
}

function findSplitAfter(line: string, sep: number, from: number): Split | null {
  const n = Math.min(line.length, MAX_PATH + 24);
  let i = line.indexOf(sep === 58 ? ':' : '-', from);
  while (i >= 1 && i < n) {
    let j = i + 1;
    while (j < line.length && line.charCodeAt(j) >= 48 && line.charCodeAt(j) <= 57) j++;
    if (j > i + 1 && line.charCodeAt(j) === sep) {
      let at = j + 1;
      if (sep === 58) {
        // rg --vimgrep: path:line:col:content
        let k = at;
        while (k < line.length && line.charCodeAt(k) >= 48 && line.charCodeAt(k) <= 57) k++;
        if (k > at && k < line.length && line.charCodeAt(k) === 58) at = k + 1;
      }
      return { pathEnd: i, contentAt: at };
    }
    i = line.indexOf(sep === 58 ? ':' : '-', i + 1);
  }
  return null;
}

function hasSpace(s: string, end: number): boolean {
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 9) return true;
  }
  return false;
}

function driveSkip(line: string): number {
  const c = line.charCodeAt(0) | 32;
  return c >= 97 && c <= 122 && line.charCodeAt(1) === 58 && (line.charCodeAt(2) === 92 || line.charCodeAt(2) === 47) ? 2 : 0;
}

/** `12:content` or `12-content` under a heading: returns [kind, contentAt] or null. */
function row(line: string): [number, number] | null {
  let j = 0;
  while (j < line.length && line.charCodeAt(j) >= 48 && line.charCodeAt(j) <= 57) j++;
  if (j === 0 || j >= line.length) return null;
  const c = line.charCodeAt(j);
  if (c === 58) {
    let k = j + 1;
    while (k < line.length && line.charCodeAt(k) >= 48 && line.charCodeAt(k) <= 57) k++;
    return [MATCH, k > j + 1 && k < line.length && line.charCodeAt(k) === 58 ? k + 1 : j + 1];
  }
  return c === 45 ? [CONTEXT, j + 1] : null;
}

function isBlankLine(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

export function parseSearch(lines: readonly string[]): ParsedSearch {
  const n = lines.length;
  const kind = new Uint8Array(n);
  const file = new Int32Array(n).fill(-1);
  const contentAt = new Int32Array(n);
  const files: string[] = [];
  const ids = new Map<string, number>();
  const idOf = (p: string): number => {
    let id = ids.get(p);
    if (id === undefined) {
      id = files.length;
      files.push(p);
      ids.set(p, id);
    }
    return id;
  };

  // Pass 1: candidate paths: prefixes of ':' splits without whitespace.
  const known = new Set<string>();
  const colon: Array<Split | null> = new Array(n);
  const dash: Array<Split | null> = new Array(n);
  for (let i = 0; i < n; i++) {
    const l = lines[i];
    const c0 = l.charCodeAt(0);
    if (l.length === 0 || c0 === 32 || c0 === 9) continue;
    const from = driveSkip(l) + 1;
    const c = findSplit(l, 58, from);
    // A '-N-' split only matters when it comes before the ':N:' one (or there is none).
    const dashAt = l.indexOf('-', from);
    const d = dashAt >= 0 && (!c || dashAt < c.pathEnd) ? findSplit(l, 45, from) : null;
    colon[i] = c;
    dash[i] = d;
    if (c && !hasSpace(l, c.pathEnd)) known.add(l.slice(0, c.pathEnd));
  }

  // Pass 2: classify, with heading blocks.
  let heading = -1; // file id of the current heading block
  let matches = 0;
  for (let i = 0; i < n; i++) {
    const l = lines[i];
    if (isBlankLine(l)) {
      kind[i] = BLANK;
      heading = -1;
      continue;
    }
    if (l === '--') {
      kind[i] = SEPARATOR;
      continue;
    }
    if (heading >= 0) {
      const r = row(l);
      if (r) {
        kind[i] = r[0];
        file[i] = heading;
        contentAt[i] = r[1];
        if (r[0] === MATCH) matches++;
        continue;
      }
    }
    const c = colon[i];
    const d = dash[i] && !known.has(l.slice(0, dash[i]!.pathEnd)) ? dashSplit(l, driveSkip(l) + 1, known) : dash[i];
    let pick: Split | null = null;
    let k = OTHER;
    if (c && d) {
      const cp = l.slice(0, c.pathEnd);
      const dp = l.slice(0, d.pathEnd);
      if (d.pathEnd < c.pathEnd) {
        if (known.has(dp)) (pick = d), (k = CONTEXT);
        else if (known.has(cp) || !hasSpace(l, c.pathEnd)) (pick = c), (k = MATCH);
        else (pick = d), (k = CONTEXT);
      } else (pick = c), (k = MATCH);
    } else if (c) (pick = c), (k = MATCH);
    else if (d) (pick = d), (k = CONTEXT);
    if (pick && !(k === CONTEXT && hasSpace(l, pick.pathEnd) && !known.has(l.slice(0, pick.pathEnd)))) {
      kind[i] = k;
      file[i] = idOf(l.slice(0, pick.pathEnd));
      contentAt[i] = pick.contentAt;
      if (k === MATCH) matches++;
      heading = -1;
      continue;
    }
    // A heading: a path-like line followed by a row.
    const next = i + 1 < n ? lines[i + 1] : '';
    if (row(next) && l.length <= MAX_PATH && !l.startsWith('[')) {
      kind[i] = HEADING;
      heading = idOf(l);
      file[i] = heading;
      continue;
    }
    kind[i] = OTHER;
  }
  return { kind, file, contentAt, files, matches };
}
