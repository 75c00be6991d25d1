/**
 * Parses unified diffs (`git diff`, `git show`, `git log -p`, `diff -u`/`-ru`) and combined
 * diffs (`diff --cc`, `diff --combined`, `@@@` hunks with one prefix column per parent) into
 * text segments, file sections and hunks, by line index. Hunk bodies are delimited by the
 * counts in their headers (so an indented commit message after a hunk is not taken for
 * context); a body that contradicts its header is marked invalid and later kept verbatim.
 */

export interface Hunk {
  /** Line index of the `@@` header. */
  readonly header: number;
  /** Body: [bodyStart, bodyEnd) line indices. */
  readonly bodyStart: number;
  readonly bodyEnd: number;
  /** 1 for unified hunks, the number of parents for combined ones. */
  readonly parents: number;
  readonly oldStart: readonly number[];
  readonly oldCount: readonly number[];
  readonly newStart: number;
  readonly newCount: number;
  /** Text after the closing `@@` (function context, with its leading space). */
  readonly heading: string;
  /** The body matched the header's counts. */
  readonly valid: boolean;
  /** Changed lines (any non-space prefix column). */
  readonly changed: number;
  readonly added: number;
  readonly deleted: number;
}

export interface FileSection {
  /** [start, end) line indices of the whole section (headers and hunks). */
  readonly start: number;
  readonly end: number;
  /** Header lines: [start, headerEnd). */
  readonly headerEnd: number;
  /** Best guess at the file's path (new side, else old side). */
  readonly path: string;
  readonly hunks: Hunk[];
  /** `GIT binary patch` payload lines [start, end), when present. */
  readonly binaryData: readonly [number, number] | null;
}

export type Segment = { readonly type: 'text'; readonly start: number; readonly end: number } | { readonly type: 'file'; readonly file: FileSection };

export interface ParsedDiff {
  readonly segments: Segment[];
  readonly files: FileSection[];
}

const HEADER_PREFIXES = [
  'index ',
  'old mode ',
  'new mode ',
  'deleted file mode ',
  'new file mode ',
  'similarity index ',
  'dissimilarity index ',
  'rename from ',
  'rename to ',
  'copy from ',
  'copy to ',
  'mode ',
  '--- ',
  '+++ ',
  'Binary files ',
  'GIT binary patch',
];

/** Starts a file section: `diff --git`, `diff --cc`, `diff --combined`, `diff -u…`/`diff -r…`. */
export function isDiffStart(line: string): boolean {
  return line.startsWith('diff --git ') || line.startsWith('diff --cc ') || line.startsWith('diff --combined ') || (line.startsWith('diff -') && line.length > 6);
}

function isHeaderLine(line: string): boolean {
  for (const p of HEADER_PREFIXES) if (line.startsWith(p)) return true;
  return false;
}

const HUNK_HEADER = /^(@{2,}) ((?:-\d+(?:,\d+)? )+)\+(\d+)(?:,(\d+))? \1(.*)$/;

interface HunkHeader {
  parents: number;
  oldStart: number[];
  oldCount: number[];
  newStart: number;
  newCount: number;
  heading: string;
}

export function parseHunkHeader(line: string): HunkHeader | null {
  if (line.length > 4096) return null;
  const m = HUNK_HEADER.exec(line);
  if (!m) return null;
  const parents = m[1].length - 1;
  const olds = m[2].trim().split(' ');
  if (olds.length !== parents) return null;
  const oldStart: number[] = [];
  const oldCount: number[] = [];
  for (const o of olds) {
    const [s, c] = o.slice(1).split(',');
    oldStart.push(Number(s));
    oldCount.push(c === undefined ? 1 : Number(c));
  }
  return { parents, oldStart, oldCount, newStart: Number(m[3]), newCount: m[4] === undefined ? 1 : Number(m[4]), heading: m[5] };
}

/** Consumes a hunk body from `i`; returns its end and counts. */
function hunkBody(lines: readonly string[], i: number, h: HunkHeader): { end: number; valid: boolean; changed: number; added: number; deleted: number } {
  const n = lines.length;
  const P = h.parents;
  const remOld = h.oldCount.slice();
  let remNew = h.newCount;
  let changed = 0;
  let added = 0;
  let deleted = 0;
  const done = () => remNew === 0 && remOld.every((r) => r === 0);
  let j = i;
  while (j < n && !done()) {
    const l = lines[j];
    if (l.startsWith('\\')) {
      j++;
      continue;
    }
    let inNew = true;
    let any = false;
    let ok = true;
    if (l.length === 0) {
      // a context line whose trailing space was stripped
    } else {
      if (l.length < P) break;
      for (let p = 0; p < P; p++) {
        const c = l.charCodeAt(p);
        if (c === 45 /* - */) {
          inNew = false;
          any = true;
        } else if (c === 43 /* + */) any = true;
        else if (c !== 32) ok = false;
      }
    }
    if (!ok) break;
    // which sides the line is on
    if (inNew) {
      if (remNew === 0) break;
    }
    let fits = true;
    for (let p = 0; p < P; p++) {
      const c = l.length === 0 ? 32 : l.charCodeAt(p);
      if (c !== 43 && remOld[p] === 0) fits = false;
    }
    if (!fits) break;
    for (let p = 0; p < P; p++) {
      const c = l.length === 0 ? 32 : l.charCodeAt(p);
      if (c !== 43) remOld[p]--;
    }
    if (inNew) remNew--;
    if (any) {
      changed++;
      if (inNew) added++;
      else deleted++;
    }
    j++;
  }
  const valid = done();
  // A trailing "\ No newline at end of file" belongs to the hunk.
  while (j < n && lines[j].startsWith('\\')) j++;
  return { end: j, valid, changed, added, deleted };
}

function pathOf(lines: readonly string[], start: number, headerEnd: number): string {
  let oldP = '';
  let newP = '';
  for (let k = start; k < headerEnd; k++) {
    const l = lines[k];
    if (l.startsWith('+++ ')) newP = l.slice(4);
    else if (l.startsWith('--- ')) oldP = l.slice(4);
    else if (l.startsWith('rename to ')) newP = newP || 'b/' + l.slice(10);
  }
  const clean = (p: string) => {
    const t = p.split('\t')[0].trim();
    return t.startsWith('a/') || t.startsWith('b/') ? t.slice(2) : t;
  };
  if (newP && clean(newP) !== '/dev/null') return clean(newP);
  if (oldP && clean(oldP) !== '/dev/null') return clean(oldP);
  const first = lines[start];
  const g = / b\/(.+)$/.exec(first.slice(0, 4096));
  if (g) return g[1];
  const cc = /^diff --(?:cc|combined) (.+)$/.exec(first.slice(0, 4096));
  return cc ? cc[1] : first.slice(0, 200);
}

export function parseDiff(lines: readonly string[]): ParsedDiff {
  const n = lines.length;
  const segments: Segment[] = [];
  const files: FileSection[] = [];
  let textStart = 0;
  let i = 0;
  const flushText = (end: number) => {
    if (end > textStart) segments.push({ type: 'text', start: textStart, end });
  };
  while (i < n) {
    const l = lines[i];
    const plain = l.startsWith('--- ') && i + 2 < n && lines[i + 1].startsWith('+++ ') && lines[i + 2].startsWith('@@');
    if (!isDiffStart(l) && !plain) {
      i++;
      continue;
    }
    flushText(i);
    const start = i;
    let j = plain ? i : i + 1;
    // headers
    let binaryData: [number, number] | null = null;
    while (j < n && !lines[j].startsWith('@@') && !isDiffStart(lines[j]) && isHeaderLine(lines[j])) {
      if (lines[j].startsWith('GIT binary patch')) {
        let k = j + 1;
        // literal/delta blocks of base85 lines, each block ended by a blank line
        while (k < n && (lines[k].startsWith('literal ') || lines[k].startsWith('delta '))) {
          k++;
          while (k < n && lines[k] !== '') k++;
          if (k < n) k++;
        }
        binaryData = [j + 1, k];
        j = k;
        break;
      }
      j++;
    }
    const headerEnd = binaryData ? binaryData[0] - 1 : j;
    const hunks: Hunk[] = [];
    while (j < n && lines[j].startsWith('@@')) {
      const h = parseHunkHeader(lines[j]);
      if (!h) break;
      const b = hunkBody(lines, j + 1, h);
      hunks.push({
        header: j,
        bodyStart: j + 1,
        bodyEnd: b.end,
        parents: h.parents,
        oldStart: h.oldStart,
        oldCount: h.oldCount,
        newStart: h.newStart,
        newCount: h.newCount,
        heading: h.heading,
        valid: b.valid,
        changed: b.changed,
        added: b.added,
        deleted: b.deleted,
      });
      j = b.end;
      if (!b.valid) break;
    }
    const file: FileSection = { start, end: j, headerEnd: binaryData ? binaryData[0] - 1 : headerEnd, path: pathOf(lines, start, binaryData ? binaryData[0] - 1 : headerEnd), hunks, binaryData };
    segments.push({ type: 'file', file });
    files.push(file);
    textStart = j;
    i = j === start ? start + 1 : j;
  }
  flushText(n);
  return { segments, files };
}
