/**
 * A forgiving, linear HTML parser that builds a small element tree without a DOM (Node, browsers
 * and workers alike). It is not the WHATWG tree builder, but it follows the parts of it that
 * decide what text belongs to which block:
 *
 * - tags: names end at whitespace, '/' or '>'; attribute values may be quoted ('>' inside quotes
 *   is part of the value), unquoted, or missing; an unterminated quote falls back to an unquoted
 *   value; `/>` closes any element; a tag cut off by the end of input is dropped;
 * - comments (`<!-- -->`, `<!-->`, bogus `<! >` / `<? >` / `</ >`), CDATA (kept as text),
 *   doctype;
 * - raw text: `<script>`, `<style>` and friends run to their own end tag and are dropped (only
 *   counted); `<title>` and `<textarea>` are escapable raw text;
 * - implied end tags: a block start closes an open `<p>`, `<li>` closes `<li>`, `<dt>/<dd>`,
 *   `<tr>`, `<td>/<th>`, `<option>`, table sections and nested `<a>` and headings likewise;
 *   end tags close the nearest open element of that name (searched a bounded depth), stray end
 *   tags are ignored, `</br>` is a `<br>`;
 * - character references are decoded (entities.ts); whitespace-only text is shared as " "
 *   outside `<pre>`; other whitespace is left for the renderer to collapse (only kept text pays).
 *
 * Every search that could rescan the input remembers where a terminator does not occur, so
 * hostile inputs (thousands of unterminated quotes or comments) stay linear. Nesting beyond
 * MAX_DEPTH is flattened, so later recursive passes are bounded.
 */
import { decodeEntities } from './entities.js';

export interface Attrs {
  class?: string;
  id?: string;
  role?: string;
  style?: string;
  href?: string;
  itemprop?: string;
  colspan?: string;
  hidden?: string;
  'aria-hidden'?: string;
  'aria-label'?: string;
  property?: string;
  name?: string;
  content?: string;
  type?: string;
  open?: string;
}

const KEPT_ATTRS = new Set<string>([
  'class',
  'id',
  'role',
  'style',
  'href',
  'itemprop',
  'colspan',
  'hidden',
  'aria-hidden',
  'aria-label',
  'property',
  'name',
  'content',
  'type',
  'open',
]);

export interface El {
  readonly tag: string;
  readonly attrs: Attrs | null;
  readonly children: Node[];
  parent: El | null;
  /** Scratch fields used by the extractor (filled in later passes). */
  text: number;
  link: number;
  commas: number;
  score: number;
  flags: number;
}

export type Node = El | string;

export interface ParsedDocument {
  readonly root: El;
  readonly title: string;
  /** `<meta>` name/property → content (lowercased keys), first one wins. */
  readonly meta: ReadonlyMap<string, string>;
  /** Raw-text elements skipped while parsing, by tag (script, style, ...). */
  readonly skipped: ReadonlyMap<string, number>;
  /** Elements created (all tags, including skipped raw-text ones). */
  readonly elementCount: number;
  /** Characters of text in the tree (whitespace-only runs count 1). */
  readonly textChars: number;
  /** Every <h1>, and the first <h2>, in document order (for the title). */
  readonly h1s: readonly El[];
  readonly firstH2: El | null;
}

/** Elements with no content or end tag. */
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr', 'keygen', 'frame', 'basefont', 'bgsound', 'image']);
/** Raw text elements whose content is dropped. */
const RAW_DROP = new Set(['script', 'style', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript', 'plaintext']);
/** Escapable raw text elements (entities decoded, no tags inside). */
const RAW_TEXT = new Set(['title', 'textarea']);
/** Start tags that close an open <p>. */
const CLOSES_P = new Set([
  'address', 'article', 'aside', 'blockquote', 'center', 'details', 'dialog', 'dir', 'div', 'dl', 'fieldset', 'figcaption', 'figure',
  'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr', 'main', 'menu', 'nav', 'ol', 'p', 'pre', 'section',
  'summary', 'table', 'ul', 'li', 'dd', 'dt', 'listing', 'plaintext', 'search',
]);
/** Elements an implied-close search does not cross. */
const SCOPE = new Set(['html', 'body', 'table', 'td', 'th', 'caption', 'template', 'button', 'object', 'marquee', 'applet', 'svg', 'math']);
/** Extra stoppers for <li>/<dt>/<dd> searches ("special" elements except address, div, p). */
const LIST_SCOPE = new Set(['ul', 'ol', 'dl', 'menu', 'tr', 'section', 'article', 'nav', 'aside', 'main', 'header', 'footer', 'blockquote', 'form', 'fieldset', 'details', 'figure']);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
/** Tags ignored as elements (their content goes to the current parent). */
const TRANSPARENT = new Set(['html', 'head', 'body', 'tbody']);

/** Deepest element nesting kept; deeper start tags are treated as void. */
export const MAX_DEPTH = 256;
/** How far down the stack an end tag searches for its element. */
const SEARCH_DEPTH = 128;
/** How far down the stack an implied close (p, li, tr, ...) searches; such elements are near the top. */
const IMPLIED_DEPTH = 32;

function isAsciiAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12;
}

/** Attribute bags all share one shape (every field present), so reads and writes stay monomorphic. */
function newAttrs(): Attrs {
  return {
    class: undefined,
    id: undefined,
    role: undefined,
    style: undefined,
    href: undefined,
    itemprop: undefined,
    colspan: undefined,
    hidden: undefined,
    'aria-hidden': undefined,
    'aria-label': undefined,
    property: undefined,
    name: undefined,
    content: undefined,
    type: undefined,
    open: undefined,
  };
}

/** Sets a kept attribute from s[vs, ve) unless already set (the first occurrence wins, as in browsers). */
function setAttr(a: Attrs, name: string, s: string, vs: number, ve: number): void {
  const read = () => {
    const v = s.slice(vs, ve);
    return v.indexOf('&') >= 0 ? decodeEntities(v, true) : v;
  };
  switch (name) {
    case 'class':
      if (a.class === undefined) a.class = read();
      break;
    case 'id':
      if (a.id === undefined) a.id = read();
      break;
    case 'role':
      if (a.role === undefined) a.role = read();
      break;
    case 'style':
      if (a.style === undefined) a.style = read();
      break;
    case 'href':
      if (a.href === undefined) a.href = read();
      break;
    case 'itemprop':
      if (a.itemprop === undefined) a.itemprop = read();
      break;
    case 'colspan':
      if (a.colspan === undefined) a.colspan = read();
      break;
    case 'hidden':
      if (a.hidden === undefined) a.hidden = read();
      break;
    case 'aria-hidden':
      if (a['aria-hidden'] === undefined) a['aria-hidden'] = read();
      break;
    case 'aria-label':
      if (a['aria-label'] === undefined) a['aria-label'] = read();
      break;
    case 'property':
      if (a.property === undefined) a.property = read();
      break;
    case 'name':
      if (a.name === undefined) a.name = read();
      break;
    case 'content':
      if (a.content === undefined) a.content = read();
      break;
    case 'type':
      if (a.type === undefined) a.type = read();
      break;
    case 'open':
      if (a.open === undefined) a.open = read();
      break;
  }
}

function makeEl(tag: string, attrs: Attrs | null, parent: El | null): El {
  return { tag, attrs, children: [], parent, text: 0, link: 0, commas: 0, score: 0, flags: 0 };
}

/** indexOf with a memo of "not found from here on", so repeated failing searches stay linear. */
class Finder {
  private readonly needles: string[] = [];
  private readonly misses: number[] = [];
  constructor(private readonly s: string) {}
  find(needle: string, from: number): number {
    const k = this.needles.indexOf(needle);
    if (k >= 0 && from >= this.misses[k]) return -1;
    const i = this.s.indexOf(needle, from);
    if (i < 0) {
      if (k < 0) {
        this.needles.push(needle);
        this.misses.push(from);
      } else this.misses[k] = Math.min(this.misses[k], from);
    }
    return i;
  }
}

/** s.slice(a, b) lowercased, without the extra copy when it has no uppercase ASCII (the common case). */
function lowerSlice(s: string, a: number, b: number): string {
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) return s.slice(a, b).toLowerCase();
  }
  return s.slice(a, b);
}

function allSpace(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (!isSpace(s.charCodeAt(i))) return false;
  return true;
}

export function parseHtml(html: string): ParsedDocument {
  const s = html;
  const n = s.length;
  const finder = new Finder(s);
  const root = makeEl('#root', null, null);
  const stack: El[] = [root];
  let top = root;
  let preDepth = 0;
  let title = '';
  const meta = new Map<string, string>();
  const skipped = new Map<string, number>();
  let elementCount = 0;
  let textChars = 0;
  const h1s: El[] = [];
  let firstH2: El | null = null;

  const pushText = (raw: string) => {
    if (raw.length === 0) return;
    if (preDepth === 0 && allSpace(raw)) {
      const kids = top.children;
      if (kids.length > 0 && kids[kids.length - 1] === ' ') return;
      kids.push(' ');
      textChars++;
      return;
    }
    // Whitespace is collapsed when rendering (only kept text pays for it).
    const t = raw.indexOf('&') >= 0 ? decodeEntities(raw) : raw;
    textChars += t.length;
    const kids = top.children;
    const last = kids.length - 1;
    if (last >= 0 && typeof kids[last] === 'string') kids[last] = (kids[last] as string) + t;
    else kids.push(t);
  };

  const popTo = (idx: number) => {
    // Pops stack[idx] and everything above it.
    while (stack.length > idx) {
      const t = (stack.pop() as El).tag;
      if (t === 'pre' || t === 'listing') preDepth--;
    }
    top = stack[idx - 1];
  };

  /** Index of the nearest open `name` above a scope boundary, or -1. */
  const findOpen = (names: ReadonlySet<string> | string, stoppers: ReadonlySet<string> | null): number => {
    const lo = Math.max(1, stack.length - IMPLIED_DEPTH);
    for (let k = stack.length - 1; k >= lo; k--) {
      const t = stack[k].tag;
      if (typeof names === 'string' ? t === names : names.has(t)) return k;
      if (SCOPE.has(t) || (stoppers !== null && stoppers.has(t))) return -1;
    }
    return -1;
  };

  /** Lowest stack index (outermost) of an open element in `names` inside the nearest open table, or -1. */
  const findInTable = (names: ReadonlySet<string>): number => {
    const lo = Math.max(1, stack.length - IMPLIED_DEPTH);
    let found = -1;
    for (let k = stack.length - 1; k >= lo; k--) {
      const t = stack[k].tag;
      if (t === 'table') break;
      if (names.has(t)) found = k;
    }
    return found;
  };

  const closeImplied = (tag: string) => {
    if (CLOSES_P.has(tag)) {
      const k = findOpen('p', null);
      if (k > 0) popTo(k);
    }
    if (tag === 'li') {
      const k = findOpen('li', LIST_SCOPE);
      if (k > 0) popTo(k);
    } else if (tag === 'dt' || tag === 'dd') {
      const k = findOpen(DTDD, LIST_SCOPE);
      if (k > 0) popTo(k);
    } else if (tag === 'tr') {
      const k = findInTable(TR_ONLY);
      if (k > 0) popTo(k);
    } else if (tag === 'td' || tag === 'th') {
      const k = findOpen(CELL, TR_STOP);
      if (k > 0) popTo(k);
    } else if (tag === 'thead' || tag === 'tfoot' || tag === 'caption' || tag === 'colgroup') {
      const k = findInTable(SECTION_CLOSE);
      if (k > 0) popTo(k);
    } else if (tag === 'option' || tag === 'optgroup') {
      const k = findOpen('option', null);
      if (k > 0 && k === stack.length - 1) popTo(k);
    } else if (tag === 'a') {
      const k = findOpen('a', null);
      if (k > 0) popTo(k);
    } else if (HEADINGS.has(tag) && HEADINGS.has(top.tag)) {
      popTo(stack.length - 1);
    }
  };

  let i = 0;
  let textStart = 0;
  while (i < n) {
    const lt = s.indexOf('<', i);
    if (lt < 0 || lt + 1 >= n) break;
    const c = s.charCodeAt(lt + 1);
    if (isAsciiAlpha(c)) {
      // ---- start tag
      let p = lt + 1;
      while (p < n) {
        const d = s.charCodeAt(p);
        if (isSpace(d) || d === 47 || d === 62) break;
        p++;
      }
      const tag = lowerSlice(s, lt + 1, p);
      let attrs: Attrs | null = null;
      let selfClosing = false;
      let closed = false;
      while (p < n) {
        let d = s.charCodeAt(p);
        if (isSpace(d)) {
          p++;
          continue;
        }
        if (d === 62) {
          closed = true;
          p++;
          break;
        }
        if (d === 47) {
          if (p + 1 < n && s.charCodeAt(p + 1) === 62) {
            selfClosing = true;
            closed = true;
            p += 2;
            break;
          }
          p++;
          continue;
        }
        const ns = p;
        p++;
        while (p < n) {
          d = s.charCodeAt(p);
          if (isSpace(d) || d === 61 || d === 62 || d === 47) break;
          p++;
        }
        // Only attributes the extractor reads are materialised (names 2–11 characters long).
        const alen = p - ns;
        const aname = alen >= 2 && alen <= 11 ? lowerSlice(s, ns, p) : '';
        const kept = aname !== '' && KEPT_ATTRS.has(aname);
        while (p < n && isSpace(s.charCodeAt(p))) p++;
        let vs = p;
        let ve = p;
        if (p < n && s.charCodeAt(p) === 61) {
          p++;
          while (p < n && isSpace(s.charCodeAt(p))) p++;
          const q = p < n ? s.charCodeAt(p) : 0;
          vs = p;
          ve = -1;
          if (q === 34 || q === 39) {
            const close = finder.find(q === 34 ? '"' : "'", p + 1);
            if (close >= 0) {
              vs = p + 1;
              ve = close;
              p = close + 1;
            } else vs = p + 1;
          }
          if (ve < 0) {
            p = vs;
            while (p < n) {
              d = s.charCodeAt(p);
              if (isSpace(d) || d === 62) break;
              p++;
            }
            ve = p;
          }
        }
        if (kept) {
          if (attrs === null) attrs = newAttrs();
          setAttr(attrs, aname, s, vs, ve);
        }
      }
      if (!closed) {
        // A tag cut off by the end of input is dropped (as browsers do).
        pushText(s.slice(textStart, lt));
        textStart = n;
        break;
      }
      pushText(s.slice(textStart, lt));
      i = p;
      textStart = p;
      elementCount++;

      if (RAW_DROP.has(tag) || RAW_TEXT.has(tag)) {
        // Raw text runs to the matching end tag (case-insensitive) or the end of input.
        let end = n;
        let after = n;
        if (tag !== 'plaintext' && !selfClosing) {
          let q = p;
          for (;;) {
            const k = finder.find('</', q);
            if (k < 0) break;
            if (s.slice(k + 2, k + 2 + tag.length).toLowerCase() === tag) {
              const d = k + 2 + tag.length < n ? s.charCodeAt(k + 2 + tag.length) : 62;
              if (isSpace(d) || d === 47 || d === 62) {
                end = k;
                const gt = finder.find('>', k);
                after = gt < 0 ? n : gt + 1;
                break;
              }
            }
            q = k + 2;
          }
        } else if (selfClosing) {
          end = p;
          after = p;
        }
        if (RAW_TEXT.has(tag)) {
          const body = decodeEntities(s.slice(p, end));
          if (tag === 'title') {
            if (title === '') title = body;
          } else if (body.trim() !== '') {
            textChars += body.length;
            const el = makeEl(tag, attrs, top);
            el.children.push(body);
            top.children.push(el);
          }
        } else {
          skipped.set(tag, (skipped.get(tag) ?? 0) + 1);
        }
        i = after;
        textStart = after;
        continue;
      }

      if (tag === 'meta') {
        if (attrs !== null && attrs.content !== undefined) {
          const key = (attrs.property ?? attrs.name ?? '').toLowerCase();
          if (key !== '' && !meta.has(key)) meta.set(key, attrs.content);
        }
        continue;
      }
      if (TRANSPARENT.has(tag)) continue;
      closeImplied(tag);
      const el = makeEl(tag, attrs, top);
      top.children.push(el);
      if (tag === 'h1') h1s.push(el);
      else if (tag === 'h2' && firstH2 === null) firstH2 = el;
      if (!VOID.has(tag) && !selfClosing && stack.length < MAX_DEPTH) {
        stack.push(el);
        top = el;
        if (tag === 'pre' || tag === 'listing') preDepth++;
      }
      continue;
    }

    if (c === 47 /* / */) {
      const c2 = lt + 2 < n ? s.charCodeAt(lt + 2) : 0;
      if (isAsciiAlpha(c2)) {
        // ---- end tag
        let p = lt + 2;
        while (p < n) {
          const d = s.charCodeAt(p);
          if (isSpace(d) || d === 47 || d === 62) break;
          p++;
        }
        const tag = lowerSlice(s, lt + 2, p);
        const gt = finder.find('>', p);
        pushText(s.slice(textStart, lt));
        const after = gt < 0 ? n : gt + 1;
        i = after;
        textStart = after;
        if (tag === 'br') {
          top.children.push(makeEl('br', null, top));
          elementCount++;
          continue;
        }
        if (TRANSPARENT.has(tag)) continue;
        const stop = tag === 'li' ? LIST_SCOPE : null;
        const lo = Math.max(1, stack.length - SEARCH_DEPTH);
        for (let k = stack.length - 1; k >= lo; k--) {
          const t = stack[k].tag;
          if (t === tag) {
            popTo(k);
            break;
          }
          if (stop !== null && stop.has(t)) break;
        }
        continue;
      }
      if (c2 === 62) {
        // "</>" is ignored.
        pushText(s.slice(textStart, lt));
        i = textStart = lt + 3;
        continue;
      }
      // Bogus comment.
      pushText(s.slice(textStart, lt));
      const gt = finder.find('>', lt + 2);
      i = textStart = gt < 0 ? n : gt + 1;
      continue;
    }

    if (c === 33 /* ! */) {
      pushText(s.slice(textStart, lt));
      if (s.startsWith('--', lt + 2)) {
        let end: number;
        if (s.startsWith('>', lt + 4)) end = lt + 5;
        else if (s.startsWith('->', lt + 4)) end = lt + 6;
        else {
          const k = finder.find('-->', lt + 4);
          end = k < 0 ? n : k + 3;
        }
        i = textStart = end;
        continue;
      }
      if (s.startsWith('[CDATA[', lt + 2)) {
        const k = finder.find(']]>', lt + 9);
        const body = s.slice(lt + 9, k < 0 ? n : k);
        if (body.length > 0) {
          textChars += body.length;
          const kids = top.children;
          const last = kids.length - 1;
          if (last >= 0 && typeof kids[last] === 'string') kids[last] = (kids[last] as string) + body;
          else kids.push(body);
        }
        i = textStart = k < 0 ? n : k + 3;
        continue;
      }
      const gt = finder.find('>', lt + 2);
      i = textStart = gt < 0 ? n : gt + 1;
      continue;
    }

    if (c === 63 /* ? */) {
      pushText(s.slice(textStart, lt));
      const gt = finder.find('>', lt + 2);
      i = textStart = gt < 0 ? n : gt + 1;
      continue;
    }

    // A literal '<'.
    i = lt + 1;
  }
  if (textStart < n) pushText(s.slice(textStart, n));
  return { root, title: title.replace(/\s+/g, ' ').trim(), meta, skipped, elementCount, textChars, h1s, firstH2 };
}

const DTDD = new Set(['dt', 'dd']);
const CELL = new Set(['td', 'th']);
const TR_ONLY = new Set(['tr']);
const SECTION_CLOSE = new Set(['thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'caption', 'colgroup']);
const TR_STOP = new Set(['tr', 'table']);
