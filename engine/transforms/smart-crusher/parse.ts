/**
 * A safe JSON reader for SmartCrusher: iterative (an explicit stack, so 10,000 levels of
 * nesting cannot overflow the call stack), bounded (documents nested deeper than `maxDepth`
 * are refused and pass through), and lossless about what it reads:
 *
 * - it minifies while parsing (whitespace outside strings removed; string escapes re-spelled the
 *   shortest way, `\u00e9` → `é`, which is the same JSON value) and every node records its
 *   span in that minified text, so a kept item is re-emitted from its own source (number
 *   spellings such as `1.0` or 20-digit ids and key order stay exactly as written) — never
 *   through JSON.stringify(JSON.parse(...)), which would round big numbers;
 * - strings are decoded (for statistics and keyword checks); numbers also keep their value.
 *
 * Grammar: RFC 8259 (no BOM, no comments, no trailing commas). Anything else is 'invalid'.
 */

export interface JObject {
  readonly kind: 'object';
  readonly start: number;
  end: number;
  /** Decoded keys in source order (duplicates kept). */
  readonly keys: string[];
  /** Start of each key's quoted source in the minified text; its raw form ends at values[i].start − 1. */
  readonly keyStarts: number[];
  readonly values: JNode[];
}
export interface JArray {
  readonly kind: 'array';
  readonly start: number;
  end: number;
  readonly items: JNode[];
}
export interface JString {
  readonly kind: 'string';
  readonly start: number;
  readonly end: number;
  readonly value: string;
}
export interface JNumber {
  readonly kind: 'number';
  readonly start: number;
  readonly end: number;
  readonly value: number;
}
export interface JBool {
  readonly kind: 'bool';
  readonly start: number;
  readonly end: number;
  readonly value: boolean;
}
export interface JNull {
  readonly kind: 'null';
  readonly start: number;
  readonly end: number;
}
export type JNode = JObject | JArray | JString | JNumber | JBool | JNull;
export type JContainer = JObject | JArray;

export interface ParsedJson {
  readonly ok: true;
  /** The document minified (whitespace outside strings removed, escapes re-spelled); every span points into it. */
  readonly text: string;
  readonly root: JNode;
}
export interface ParseFailure {
  readonly ok: false;
  readonly reason: 'invalid' | 'too_deep';
}

/** Containers nested deeper than this make the whole document pass through. */
export const MAX_DEPTH = 64;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** End of the JSON number starting at p (`-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`), or −1. */
function numberEnd(s: string, p: number): number {
  let i = p;
  if (s.charCodeAt(i) === 0x2d) i++;
  const c = s.charCodeAt(i);
  if (c === 0x30) i++;
  else if (c >= 0x31 && c <= 0x39) {
    i++;
    while (isDigit(s.charCodeAt(i))) i++;
  } else return -1;
  if (s.charCodeAt(i) === 0x2e) {
    i++;
    if (!isDigit(s.charCodeAt(i))) return -1;
    while (isDigit(s.charCodeAt(i))) i++;
  }
  const e = s.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    i++;
    const sign = s.charCodeAt(i);
    if (sign === 0x2b || sign === 0x2d) i++;
    if (!isDigit(s.charCodeAt(i))) return -1;
    while (isDigit(s.charCodeAt(i))) i++;
  }
  return i;
}
/** A run of string characters that need no attention (no quote, backslash or control character). */
// eslint-disable-next-line no-control-regex
const PLAIN_RUN = /[^"\\\u0000-\u001f]*/y;

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

class Fail extends Error {
  constructor(readonly reason: 'invalid' | 'too_deep') {
    super(reason);
  }
}

/** Parse `src` as one JSON document. Never throws. */
export function parseJson(src: string, maxDepth: number = MAX_DEPTH): ParsedJson | ParseFailure {
  try {
    return new Parser(src, maxDepth).run();
  } catch (e) {
    if (e instanceof Fail) return { ok: false, reason: e.reason };
    return { ok: false, reason: 'invalid' };
  }
}

class Parser {
  private pos = 0;
  private removed = 0;
  private segStart = 0;
  private readonly segs: string[] = [];
  private readonly len: number;

  constructor(
    private readonly src: string,
    private readonly maxDepth: number,
  ) {
    this.len = src.length;
  }

  private ws(): void {
    const src = this.src;
    let p = this.pos;
    if (p >= this.len || !isWs(src.charCodeAt(p))) return;
    const from = p;
    while (p < this.len && isWs(src.charCodeAt(p))) p++;
    if (from > this.segStart) this.segs.push(src.slice(this.segStart, from));
    this.segStart = p;
    this.removed += p - from;
    this.pos = p;
  }

  private string(): JString {
    const src = this.src;
    const start = this.pos;
    let j = start + 1;
    let escaped = false;
    for (;;) {
      PLAIN_RUN.lastIndex = j;
      PLAIN_RUN.test(src);
      j = PLAIN_RUN.lastIndex;
      if (j >= this.len) throw new Fail('invalid');
      const c = src.charCodeAt(j);
      if (c === 0x22) break;
      if (c === 0x5c) {
        escaped = true;
        j += 2;
        continue;
      }
      if (c < 0x20) throw new Fail('invalid');
      j++;
    }
    const end = j + 1;
    if (!escaped) {
      this.pos = end;
      const m = this.removed;
      return { kind: 'string', start: start - m, end: end - m, value: src.slice(start + 1, j) };
    }
    let value: string;
    try {
      value = JSON.parse(src.slice(start, end)) as string;
    } catch {
      throw new Fail('invalid');
    }
    // Escapes are re-spelled the shortest way JSON allows (JSON.stringify: \u00e9 → é, \/ → /;
    // quotes, backslashes, control characters and lone surrogates stay escaped): same value,
    // far fewer tokens for non-ASCII text.
    const spelled = JSON.stringify(value);
    const m = this.removed;
    if (spelled.length < end - start) {
      if (start > this.segStart) this.segs.push(src.slice(this.segStart, start));
      this.segs.push(spelled);
      this.segStart = end;
      this.removed += end - start - spelled.length;
    }
    this.pos = end;
    return { kind: 'string', start: start - m, end: start - m + Math.min(spelled.length, end - start), value };
  }

  private scalar(): JNode {
    const src = this.src;
    const p = this.pos;
    const c = src.charCodeAt(p);
    const m = this.removed;
    if (c === 0x22) return this.string();
    if (c === 0x74 && src.startsWith('true', p)) {
      this.pos = p + 4;
      return { kind: 'bool', start: p - m, end: p + 4 - m, value: true };
    }
    if (c === 0x66 && src.startsWith('false', p)) {
      this.pos = p + 5;
      return { kind: 'bool', start: p - m, end: p + 5 - m, value: false };
    }
    if (c === 0x6e && src.startsWith('null', p)) {
      this.pos = p + 4;
      return { kind: 'null', start: p - m, end: p + 4 - m };
    }
    const end = numberEnd(src, p);
    if (end < 0) throw new Fail('invalid');
    this.pos = end;
    return { kind: 'number', start: p - m, end: end - m, value: Number(src.slice(p, end)) };
  }

  /** The key seen last at each position of an object: objects in an array repeat their keys in order, so most keys are reused instead of sliced again. */
  private readonly keyHints: string[] = [];

  private key(obj: JObject): void {
    const src = this.src;
    const p = this.pos;
    if (src.charCodeAt(p) !== 0x22) throw new Fail('invalid');
    const slot = obj.keys.length;
    const hint = this.keyHints[slot];
    if (hint !== undefined && src.charCodeAt(p + 1 + hint.length) === 0x22 && src.startsWith(hint, p + 1)) {
      // Same plain key as last time (hints never hold escapes or quotes).
      obj.keys.push(hint);
      obj.keyStarts.push(p - this.removed);
      this.pos = p + hint.length + 2;
    } else {
      const k = this.string();
      obj.keys.push(k.value);
      obj.keyStarts.push(k.start);
      if (this.pos - p === k.value.length + 2 && slot < 64) this.keyHints[slot] = k.value;
    }
    this.ws();
    if (this.src.charCodeAt(this.pos) !== 0x3a) throw new Fail('invalid');
    this.pos++;
    this.ws();
  }

  run(): ParsedJson {
    const src = this.src;
    const stack: JContainer[] = [];
    let value: JNode;
    this.ws();
    for (;;) {
      // Parse one value at pos (opening containers push and loop back here).
      if (this.pos >= this.len) throw new Fail('invalid');
      const c = src.charCodeAt(this.pos);
      if (c === 0x7b || c === 0x5b) {
        if (stack.length >= this.maxDepth) throw new Fail('too_deep');
        const start = this.pos - this.removed;
        this.pos++;
        this.ws();
        const node: JContainer =
          c === 0x7b
            ? { kind: 'object', start, end: -1, keys: [], keyStarts: [], values: [] }
            : { kind: 'array', start, end: -1, items: [] };
        const close = c === 0x7b ? 0x7d : 0x5d;
        if (src.charCodeAt(this.pos) === close) {
          this.pos++;
          node.end = this.pos - this.removed;
          value = node;
        } else {
          stack.push(node);
          if (node.kind === 'object') this.key(node);
          continue;
        }
      } else value = this.scalar();

      // Attach completed values to their parents, closing containers as they end.
      for (;;) {
        const top = stack[stack.length - 1];
        if (top === undefined) {
          this.ws();
          if (this.pos !== this.len) throw new Fail('invalid');
          if (this.segStart < this.len) this.segs.push(src.slice(this.segStart));
          const text = this.removed === 0 ? src : this.segs.join('');
          return { ok: true, text, root: value };
        }
        if (top.kind === 'object') top.values.push(value);
        else top.items.push(value);
        this.ws();
        const d = src.charCodeAt(this.pos);
        if (d === 0x2c) {
          this.pos++;
          this.ws();
          if (top.kind === 'object') this.key(top);
          break;
        }
        if ((top.kind === 'object' && d === 0x7d) || (top.kind === 'array' && d === 0x5d)) {
          this.pos++;
          top.end = this.pos - this.removed;
          stack.pop();
          value = top;
          continue;
        }
        throw new Fail('invalid');
      }
    }
  }
}

/** The raw (quoted, minified) source of key i of an object. */
export function rawKey(text: string, obj: JObject, i: number): string {
  return text.slice(obj.keyStarts[i], obj.values[i].start - 1);
}

/** The minified source of a node. */
export function source(text: string, node: JNode): string {
  return text.slice(node.start, node.end);
}

/** True for objects that repeat a key (such objects are never re-encoded, only kept or dropped whole). */
export function hasDuplicateKeys(obj: JObject): boolean {
  if (obj.keys.length < 2) return false;
  return new Set(obj.keys).size !== obj.keys.length;
}

/**
 * A canonical text of a node for equality checks: keys sorted, strings re-encoded with
 * JSON.stringify (so different escape spellings of one string compare equal), numbers as
 * written. Recursion depth is bounded by the parser's MAX_DEPTH.
 */
export function canonical(text: string, node: JNode): string {
  switch (node.kind) {
    case 'string':
      return JSON.stringify(node.value);
    case 'number':
    case 'bool':
    case 'null':
      return text.slice(node.start, node.end);
    case 'array':
      return '[' + node.items.map((c) => canonical(text, c)).join(',') + ']';
    case 'object': {
      const idx = node.keys.map((_, i) => i);
      idx.sort((a, b) => (node.keys[a] < node.keys[b] ? -1 : node.keys[a] > node.keys[b] ? 1 : a - b));
      return '{' + idx.map((i) => JSON.stringify(node.keys[i]) + ':' + canonical(text, node.values[i])).join(',') + '}';
    }
  }
}
