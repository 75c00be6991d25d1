/**
 * Writes the kept search lines verbatim, in input order: kept matches, context lines within
 * `contextLines` of a kept match in the same group, headings of files with kept lines, `--`
 * separators and blank lines between kept lines, and up to maxOtherLines unparseable lines.
 * After each file's last kept line: `[... 12 more matches in this file]` (the line above names the
 * file, or its heading does; repeating the path cost 4–20 tokens per note); at the end, the files
 * with nothing kept and the unparseable lines left out. No line is ever rewritten or fused.
 */
import { LineWriter, type SplitText } from '../log/lines.js';
import type { ResolvedSearchCompressorConfig } from './config.js';
import { BLANK, CONTEXT, HEADING, MATCH, OTHER, SEPARATOR, type ParsedSearch } from './parse.js';
import type { SearchSelection } from './select.js';

export interface SearchEmit {
  readonly writer: LineWriter;
  readonly omittedMatches: number;
  readonly omittedFiles: number;
  readonly omittedContext: number;
  readonly omittedOther: number;
  readonly keptFiles: number;
  /** Input lines left out (any kind). */
  readonly omittedLines: number;
}

const isContent = (k: number) => k === MATCH || k === CONTEXT;

const plural = (k: number, one: string, many = `${one}s`) => `${k} ${k === 1 ? one : many}`;

export function emitSearch(src: SplitText, p: ParsedSearch, sel: SearchSelection, cfg: ResolvedSearchCompressorConfig): SearchEmit {
  const { lines } = src;
  const n = lines.length;
  const { kind, file } = p;
  const keep = sel.keep.slice();

  // Context lines near kept matches (same file, no separator or other file in between).
  const c = cfg.contextLines;
  if (c > 0) {
    for (let i = 0; i < n; i++) {
      if (kind[i] !== MATCH || !keep[i]) continue;
      for (let d = 1, j = i - 1; d <= c && j >= 0 && kind[j] === CONTEXT && file[j] === file[i]; d++, j--) keep[j] = 1;
      for (let d = 1, j = i + 1; d <= c && j < n && kind[j] === CONTEXT && file[j] === file[i]; d++, j++) keep[j] = 1;
    }
  }
  // Headings of files with kept rows right below them (in their block).
  for (let i = 0; i < n; i++) {
    if (kind[i] !== HEADING) continue;
    for (let j = i + 1; j < n && kind[j] !== BLANK && kind[j] !== HEADING; j++) {
      if (keep[j] && file[j] === file[i]) {
        keep[i] = 1;
        break;
      }
    }
  }
  // Unparseable lines: the first maxOtherLines.
  let others = 0;
  let omittedOther = 0;
  for (let i = 0; i < n; i++) {
    if (kind[i] !== OTHER) continue;
    if (others < cfg.maxOtherLines) {
      keep[i] = 1;
      others++;
    } else omittedOther++;
  }
  // Separators and blank lines between two kept lines; where dropped lines that included a
  // separator now sit between two kept content lines, keep that separator (the break stays visible).
  for (let i = 1; i < n - 1; i++) {
    if ((kind[i] === SEPARATOR || kind[i] === BLANK) && keep[i - 1] && (keep[i + 1] || kind[i] === BLANK)) keep[i] = 1;
  }
  for (let i = 0; i < n; ) {
    if (keep[i]) {
      i++;
      continue;
    }
    let j = i;
    let sep = -1;
    while (j < n && !keep[j]) {
      if (sep < 0 && kind[j] === SEPARATOR) sep = j;
      j++;
    }
    if (sep >= 0 && i > 0 && j < n && isContent(kind[i - 1]) && isContent(kind[j])) keep[sep] = 1;
    i = j;
  }

  // Where each file's note goes: after its last kept line.
  const nf = p.files.length;
  const lastKept = new Int32Array(nf).fill(-1);
  for (let i = 0; i < n; i++) if (keep[i] && file[i] >= 0) lastKept[file[i]] = i;

  const w = new LineWriter(src);
  let omittedContext = 0;
  let omittedLines = 0;
  for (let i = 0; i < n; i++) {
    if (!keep[i]) {
      omittedLines++;
      if (kind[i] === CONTEXT) omittedContext++;
      continue;
    }
    w.keep(i);
    const f = file[i];
    if (f >= 0 && lastKept[f] === i) {
      const more = sel.perFile[f] - sel.keptPerFile[f];
      if (more > 0) w.note(`[... ${plural(more, 'more match', 'more matches')} in this file]`);
    }
  }

  let omittedFiles = 0;
  let omittedFileMatches = 0;
  const names: string[] = [];
  let keptFiles = 0;
  for (let f = 0; f < nf; f++) {
    if (sel.perFile[f] === 0) continue;
    if (lastKept[f] >= 0) {
      keptFiles++;
      continue;
    }
    omittedFiles++;
    omittedFileMatches += sel.perFile[f];
    if (names.length < 8) names.push(p.files[f]);
  }
  if (omittedFiles > 0) {
    const rest = omittedFiles - names.length;
    w.note(`[... ${plural(omittedFiles, 'more file')} with ${plural(omittedFileMatches, 'match', 'matches')} omitted: ${names.join(', ')}${rest > 0 ? ` and ${rest} more` : ''}]`);
  }
  if (omittedOther > 0) w.note(`[... ${plural(omittedOther, 'unparsed line')} omitted]`);
  return { writer: w, omittedMatches: p.matches - sel.kept, omittedFiles, omittedContext, omittedOther, keptFiles, omittedLines };
}
