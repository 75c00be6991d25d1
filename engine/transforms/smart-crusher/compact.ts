/**
 * Opt-in compact format (`format: 'compact'`, for LLM-only consumers): an array of objects
 * becomes a schema line plus one line per row, like CSV with a typed-by-spelling cell syntax:
 *
 *   [3]{id,title,score,tags}
 *   1,Intro to WASM,0.93,["wasm","web"]
 *   2,"Hello, world",0.91,
 *   3,"42",null,[]
 *   [headroom: 997 items omitted (…). Retrieve: hash=…]
 *
 * A field every row has with one value is written once in the schema as `name=value` (the
 * value in cell syntax) and left out of the rows. Cells: empty = key missing; `null`, `true`, `false` and JSON numbers (spelled as in the
 * source) are themselves; a cell starting with `"` is a JSON string; `{`/`[` a JSON value;
 * anything else is a raw string. A string is written raw only when that reads back as the
 * same string (non-empty, no comma, quote, control character, edge whitespace, not starting
 * with `{ [ "`, not spelling a literal or a number); otherwise it is JSON-quoted. Keys in
 * the schema follow the same rule. An optional text marker line after the rows stands for the
 * sentinel object at the end of the array.
 *
 * A document whose root is such an array is just the table. Otherwise the first line is the
 * minified JSON document with each table replaced by a placeholder string `"@tN"`, and each
 * table follows, its schema line prefixed with `@tN`. `decodeCompact` turns any such text back
 * into JSON; the crusher only emits a table after decoding it and comparing with the JSON form.
 */
import { JSON_SENTINEL_KEY } from '../../ccr/markers.js';
import { canonical, hasDuplicateKeys, parseJson, type JNode, type JObject } from './parse.js';

const NUMBER_FULL = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;
const SAFE_KEY = /^[A-Za-z_$][A-Za-z0-9_$.-]*$/; // never contains , = { } [ ] or quotes
// eslint-disable-next-line no-control-regex
const UNSAFE_RAW = /[,"\u0000-\u001f\u2028\u2029]/;
const HEADER_RE = /^(@t[0-9]+)?\[([0-9]+)\]\{(.*)\}$/;
const TEXT_MARKER_RE = /^\[headroom: (.*)\]$/;

export const PLACEHOLDER_PREFIX = '@t';

function rawStringOk(s: string): boolean {
  if (s.length === 0 || UNSAFE_RAW.test(s)) return false;
  const c = s.charCodeAt(0);
  if (c === 0x7b || c === 0x5b || c === 0x22 || /\s/.test(s[0]) || /\s/.test(s[s.length - 1])) return false;
  if (s === 'true' || s === 'false' || s === 'null' || NUMBER_FULL.test(s)) return false;
  return true;
}

function encodeKey(k: string): string {
  return SAFE_KEY.test(k) && k !== 'true' && k !== 'false' && k !== 'null' ? k : JSON.stringify(k);
}

function encodeCell(text: string, v: JNode | undefined): string {
  if (v === undefined) return '';
  if (v.kind === 'string') return rawStringOk(v.value) ? v.value : JSON.stringify(v.value);
  return text.slice(v.start, v.end);
}

/**
 * The table for `rows` (objects from the minified `text`), with `marker` (a text marker,
 * `formatTextMarker`) as a trailing line when items were dropped. Null when a row repeats a key.
 * A field every row has with one value is written once in the schema as `name=value`.
 */
export function encodeTable(text: string, rows: readonly JObject[], name: string, marker?: string): string | null {
  const cols: string[] = [];
  const colIndex = new Map<string, number>();
  const colValue: Array<string | null> = [];
  const colCount: number[] = [];
  for (const r of rows) {
    if (hasDuplicateKeys(r)) return null;
    for (let j = 0; j < r.keys.length; j++) {
      const k = r.keys[j];
      const src = text.slice(r.values[j].start, r.values[j].end);
      let c = colIndex.get(k);
      if (c === undefined) {
        c = cols.length;
        colIndex.set(k, c);
        cols.push(k);
        colValue.push(src);
        colCount.push(0);
      } else if (colValue[c] !== src) colValue[c] = null;
      colCount[c]++;
    }
  }
  const constant = cols.map((_, c) => rows.length >= 2 && colCount[c] === rows.length && colValue[c] !== null);
  const firstWith = new Map<number, JNode>();
  for (const r of rows) for (let j = 0; j < r.keys.length; j++) if (!firstWith.has(colIndex.get(r.keys[j])!)) firstWith.set(colIndex.get(r.keys[j])!, r.values[j]);
  const header = cols.map((k, c) => (constant[c] ? `${encodeKey(k)}=${encodeCell(text, firstWith.get(c))}` : encodeKey(k)));
  const variable = cols.map((_, c) => c).filter((c) => !constant[c]);
  const slot = new Map<number, number>(variable.map((c, i) => [c, i]));
  const lines: string[] = [`${name}[${rows.length}]{${header.join(',')}}`];
  const cells = new Array<string>(variable.length);
  for (const r of rows) {
    cells.fill('');
    for (let j = 0; j < r.keys.length; j++) {
      const at = slot.get(colIndex.get(r.keys[j])!);
      if (at !== undefined) cells[at] = encodeCell(text, r.values[j]);
    }
    lines.push(cells.join(','));
  }
  if (marker !== undefined) lines.push(marker);
  return lines.join('\n');
}

class DecodeError extends Error {}

/** End index (exclusive) of the JSON string starting at s[i] === '"'. */
function stringEnd(s: string, i: number): number {
  let j = i + 1;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    if (c === 0x5c) j += 2;
    else if (c === 0x22) return j + 1;
    else j++;
  }
  throw new DecodeError('unterminated string');
}

/** End index (exclusive) of the JSON container starting at s[i]. */
function containerEnd(s: string, i: number): number {
  let depth = 0;
  let j = i;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    if (c === 0x22) {
      j = stringEnd(s, j);
      continue;
    }
    if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth === 0) return j + 1;
    }
    j++;
  }
  throw new DecodeError('unterminated container');
}

/** End index (exclusive) of the cell starting at line[i]. */
function cellEnd(line: string, i: number, stopAtEquals = false): number {
  const c = line.charCodeAt(i);
  if (c === 0x22) return stringEnd(line, i);
  if (c === 0x7b || c === 0x5b) return containerEnd(line, i);
  let j = i;
  while (j < line.length) {
    const d = line.charCodeAt(j);
    if (d === 0x2c || (stopAtEquals && d === 0x3d)) break;
    j++;
  }
  return j;
}

/** Split a row into raw cells. */
export function splitCells(line: string): string[] {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    if (i >= line.length) {
      cells.push('');
      return cells;
    }
    const j = cellEnd(line, i);
    cells.push(line.slice(i, j));
    if (j >= line.length) return cells;
    if (line.charCodeAt(j) !== 0x2c) throw new DecodeError('expected a comma between cells');
    i = j + 1;
  }
}

/** Split the schema into columns: `name` or `name=value` (a constant column). */
function splitHeader(inner: string): Array<{ key: string; value?: string }> {
  const out: Array<{ key: string; value?: string }> = [];
  if (inner === '') return out;
  let i = 0;
  for (;;) {
    const kEnd = cellEnd(inner, i, true);
    const key = decodeKey(inner.slice(i, kEnd));
    i = kEnd;
    if (inner.charCodeAt(i) === 0x3d) {
      const vEnd = cellEnd(inner, i + 1);
      const value = decodeCell(inner.slice(i + 1, vEnd));
      if (value === undefined) throw new DecodeError('empty constant');
      out.push({ key, value });
      i = vEnd;
    } else out.push({ key });
    if (i >= inner.length) return out;
    if (inner.charCodeAt(i) !== 0x2c) throw new DecodeError('expected a comma between columns');
    i++;
  }
}

function decodeKey(cell: string): string {
  if (cell.startsWith('"')) return JSON.parse(cell) as string;
  if (cell === '') throw new DecodeError('empty column name');
  return cell;
}

/** A cell as JSON text (undefined = missing). */
function decodeCell(cell: string): string | undefined {
  if (cell === '') return undefined;
  const c = cell.charCodeAt(0);
  if (c === 0x22 || c === 0x7b || c === 0x5b) {
    JSON.parse(cell); // validates
    return cell;
  }
  if (cell === 'null' || cell === 'true' || cell === 'false' || NUMBER_FULL.test(cell)) return cell;
  return JSON.stringify(cell);
}

/** Decode one table starting at lines[at]; returns its JSON array text and the next line index. */
function decodeTable(lines: readonly string[], at: number): { name: string; json: string; next: number } {
  const h = HEADER_RE.exec(lines[at]);
  if (!h) throw new DecodeError(`line ${at + 1} is not a table header`);
  const name = h[1] ?? '';
  const count = Number(h[2]);
  const header = splitHeader(h[3]);
  const cols = header.filter((c) => c.value === undefined).map((c) => JSON.stringify(c.key));
  const constants = header
    .filter((c) => c.value !== undefined)
    .map((c) => `${JSON.stringify(c.key)}:${c.value}`)
    .join(',');
  const out: string[] = [];
  let i = at + 1;
  for (let r = 0; r < count; r++, i++) {
    if (i >= lines.length) throw new DecodeError('fewer rows than the header says');
    const cells = cols.length === 0 && lines[i] === '' ? [] : splitCells(lines[i]);
    if (cells.length !== cols.length) throw new DecodeError(`row ${r + 1} has ${cells.length} cells for ${cols.length} columns`);
    const parts: string[] = [];
    for (let j = 0; j < cols.length; j++) {
      const v = decodeCell(cells[j]);
      if (v !== undefined) parts.push(`${cols[j]}:${v}`);
    }
    if (constants !== '') parts.push(constants);
    out.push(`{${parts.join(',')}}`);
  }
  while (i < lines.length) {
    const m = TEXT_MARKER_RE.exec(lines[i]);
    if (!m) break;
    out.push(JSON.stringify({ [JSON_SENTINEL_KEY]: m[1] }));
    i++;
  }
  return { name, json: `[${out.join(',')}]`, next: i };
}

/** Turn compact text back into (minified) JSON text. Throws on text that is not in the compact format. */
export function decodeCompact(compact: string): string {
  const lines = compact.split('\n');
  if (HEADER_RE.test(lines[0]) && !lines[0].startsWith(PLACEHOLDER_PREFIX)) {
    const t = decodeTable(lines, 0);
    if (t.next !== lines.length) throw new DecodeError('text after the root table');
    return t.json;
  }
  let doc = lines[0];
  let i = 1;
  while (i < lines.length) {
    const t = decodeTable(lines, i);
    if (t.name === '') throw new DecodeError('nested table without a name');
    const placeholder = JSON.stringify(t.name);
    const at = doc.indexOf(placeholder);
    if (at < 0) throw new DecodeError(`no placeholder for ${t.name}`);
    doc = doc.slice(0, at) + t.json + doc.slice(at + placeholder.length);
    i = t.next;
  }
  return doc;
}

/** True when the table text decodes to exactly the data of `expectedJson` (an array's JSON text). */
export function tableDecodesTo(table: string, expectedJson: string): boolean {
  try {
    const got = decodeTable(table.split('\n'), 0);
    if (got.next !== table.split('\n').length) return false;
    const a = parseJson(got.json);
    const b = parseJson(expectedJson);
    if (!a.ok || !b.ok) return false;
    return canonical(a.text, a.root) === canonical(b.text, b.root);
  } catch {
    return false;
  }
}
