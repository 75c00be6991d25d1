/**
 * Lossless encodings of an array, in JSON (tried before anything is dropped, spec
 * ALGORITHMS.md §2.1), each applied only where it pays and only after decode-and-compare
 * proves the decoded array equal to the input:
 *
 * - runs of identical items: the item once, then `{"_headroom_repeat": k}` = "the previous
 *   item k more times";
 * - constant fields: `{"_headroom_constant": {…}}` as the first element = "every object
 *   element below also has these fields" (key order inside objects is not significant in JSON
 *   and is not preserved for the factored fields).
 *
 * `expandLossless` undoes both anywhere in a document (sentinels `{"_headroom": …}` of lossy
 * drops are left in place); the CCR store keeps the byte-exact original regardless.
 */
import { isMarkerObject } from './classify.js';
import { canonical, hasDuplicateKeys, parseJson, rawKey, type JNode, type JObject } from './parse.js';

export const REPEAT_KEY = '_headroom_repeat';
export const CONSTANT_KEY = '_headroom_constant';

/** An encoding must save at least this share of the array's characters to be used. */
export const MIN_LOSSLESS_SAVING = 0.05;

/** Number of runs of consecutive identical texts. */
export function countRuns(texts: readonly string[]): number {
  let runs = texts.length > 0 ? 1 : 0;
  for (let i = 1; i < texts.length; i++) if (texts[i] !== texts[i - 1]) runs++;
  return runs;
}

/** A run of identical items: the first index and how many identical copies follow it (0 = not collapsed). */
export interface Run {
  readonly first: number;
  readonly extra: number;
}

export function repeatMarker(extra: number): string {
  return `{"${REPEAT_KEY}":${extra}}`;
}

/** Runs of identical consecutive texts, collapsed only where the marker is shorter than the copies. */
export function encodeRuns(texts: readonly string[]): { runs: Run[]; collapsed: number } {
  const runs: Run[] = [];
  let collapsed = 0;
  for (let i = 0; i < texts.length; ) {
    let j = i + 1;
    while (j < texts.length && texts[j] === texts[i]) j++;
    const extra = j - i - 1;
    if (extra > 0 && repeatMarker(extra).length < extra * (texts[i].length + 1)) {
      runs.push({ first: i, extra });
      collapsed += extra;
    } else for (let r = i; r < j; r++) runs.push({ first: r, extra: 0 });
    i = j;
  }
  return { runs, collapsed };
}

/**
 * Factor the fields every object has with one value. Returns the constant object's text and
 * the objects without those fields, or null when no field is constant, an object repeats a
 * key, or it does not pay.
 */
export function factorConstants(text: string, objs: readonly JObject[]): { constant: string; items: string[] } | null {
  if (objs.length < 2) return null;
  for (const o of objs) if (hasDuplicateKeys(o)) return null;
  const first = objs[0];
  const constIdx: number[] = [];
  for (let j = 0; j < first.keys.length; j++) {
    const key = first.keys[j];
    const src = text.slice(first.values[j].start, first.values[j].end);
    let constant = true;
    for (let i = 1; i < objs.length && constant; i++) {
      const o = objs[i];
      const at = o.keys.indexOf(key);
      if (at < 0 || text.slice(o.values[at].start, o.values[at].end) !== src) constant = false;
    }
    if (constant) constIdx.push(j);
  }
  if (constIdx.length === 0) return null;
  const constKeys = new Set(constIdx.map((j) => first.keys[j]));
  const constant = `{"${CONSTANT_KEY}":{${constIdx.map((j) => `${rawKey(text, first, j)}:${text.slice(first.values[j].start, first.values[j].end)}`).join(',')}}}`;
  let before = 0;
  let after = constant.length + 1;
  const items = objs.map((o) => {
    before += o.end - o.start + 1;
    const parts: string[] = [];
    for (let j = 0; j < o.keys.length; j++) {
      if (constKeys.has(o.keys[j])) continue;
      parts.push(`${rawKey(text, o, j)}:${text.slice(o.values[j].start, o.values[j].end)}`);
    }
    const s = `{${parts.join(',')}}`;
    after += s.length + 1;
    return s;
  });
  if (after > before * (1 - MIN_LOSSLESS_SAVING)) return null;
  return { constant, items };
}

function mergeInto(obj: string, constantInner: string): string {
  if (constantInner === '') return obj;
  return obj === '{}' ? `{${constantInner}}` : `${obj.slice(0, -1)},${constantInner}}`;
}

function expandNode(text: string, node: JNode): string {
  if (node.kind === 'object') {
    return `{${node.keys.map((_, i) => `${rawKey(text, node, i)}:${expandNode(text, node.values[i])}`).join(',')}}`;
  }
  if (node.kind !== 'array') return text.slice(node.start, node.end);
  const out: string[] = [];
  let constInner: string | null = null;
  for (let i = 0; i < node.items.length; i++) {
    const el = node.items[i];
    if (el.kind === 'object' && isMarkerObject(el)) {
      const key = el.keys[0];
      const v = el.values[0];
      if (key === CONSTANT_KEY && i === 0 && v.kind === 'object') {
        constInner = text.slice(v.start + 1, v.end - 1);
        continue;
      }
      if (key === REPEAT_KEY && v.kind === 'number' && Number.isInteger(v.value) && v.value >= 1 && out.length > 0) {
        const prev = out[out.length - 1];
        for (let r = 0; r < v.value; r++) out.push(prev);
        continue;
      }
      out.push(text.slice(el.start, el.end));
      continue;
    }
    let s = expandNode(text, el);
    if (constInner !== null && el.kind === 'object') s = mergeInto(s, constInner);
    out.push(s);
  }
  return `[${out.join(',')}]`;
}

/** Undo the lossless encodings anywhere in a JSON document; returns minified JSON, or null when the text is not JSON. */
export function expandLossless(json: string): string | null {
  const p = parseJson(json);
  if (!p.ok) return null;
  return expandNode(p.text, p.root);
}

/** True when `encoded` (an array's JSON text) decodes to exactly the data of `expected` (also JSON text). */
export function decodesTo(encoded: string, expected: string): boolean {
  const dec = expandLossless(encoded);
  if (dec === null) return false;
  const a = parseJson(dec);
  const b = parseJson(expected);
  if (!a.ok || !b.ok) return false;
  return canonical(a.text, a.root) === canonical(b.text, b.root);
}
