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
const VOID = ['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr', 'keygen', 'frame', 'basefont', 'bgsound', 'image'];
/** Raw text elements whose content is dropped. */
const RAW_DROP = ['script', 'style', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript', 'plaintext'];
/** Escapable raw text elements (entities decoded, no tags inside). */
const RAW_TEXT = ['title', 'textarea'];
/** Start tags that close an open <p>. */
const CLOSES_P = [
  'address', 'article', 'aside', 'blockquote', 'center', 'details', 'dialog', 'dir', 'div', 'dl', 'fieldset', 'figcaption', 'figure',
  'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr', 'main', 'menu', 'nav', 'ol', 'p', 'pre', 'section',
  'summary', 'table', 'ul', 'li', 'dd', 'dt', 'listing', 'plaintext', 'search',
];
/** Elements an implied-close search does not cross. */
const SCOPE = ['html', 'body', 'table', 'td', 'th', 'caption', 'template', 'button', 'object', 'marquee', 'applet', 'svg', 'math'];
/** Extra stoppers for <li>/<dt>/<dd> searches ("special" elements except address, div, p). */
const LIST_SCOPE = ['ul', 'ol', 'dl', 'menu', 'tr', 'section', 'article', 'nav', 'aside', 'main', 'header', 'footer', 'blockquote', 'form', 'fieldset', 'details', 'figure'];
const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'];
/** Tags ignored as elements (their content goes to the current parent). */
const TRANSPARENT = ['html', 'head', 'body', 'tbody'];
/** Table parts an implied close of thead/tfoot/caption/colgroup pops. */
const SECTION_CLOSE = ['thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'caption', 'colgroup'];

// Tag classes as bits, looked up once per tag (TAG_INFO), and kept per open element on the stack.
const B_VOID = 1;
const B_RAW_DROP = 2;
const B_RAW_TEXT = 4;
const B_CLOSES_P = 8;
const B_SCOPE = 16;
const B_LIST_SCOPE = 32;
const B_HEADING = 64;
const B_TRANSPARENT = 128;
const B_PRE = 256; // pre, listing
const B_TABLE = 512;
const B_TR = 1024;
const B_SECTION = 2048; // SECTION_CLOSE
const B_P = 4096;
const B_LI = 8192;
const B_DTDD = 16384;
const B_CELL = 32768; // td, th
const B_OPTION = 65536;
const B_A = 131072;
/** Bits counted while open, so implied-close searches are skipped when nothing could match. */
const B_COUNTED = B_P | B_LI | B_DTDD | B_CELL | B_TR | B_SECTION | B_OPTION | B_A;

interface TagInfo {
  /** The tag name (one shared string per known tag). */
  readonly name: string;
  readonly bits: number;
}

const TAG_INFO: ReadonlyMap<string, TagInfo> = (() => {
  const bits = new Map<string, number>();
  const add = (names: readonly string[], b: number) => {
    for (const t of names) bits.set(t, (bits.get(t) ?? 0) | b);
  };
  add(VOID, B_VOID);
  add(RAW_DROP, B_RAW_DROP);
  add(RAW_TEXT, B_RAW_TEXT);
  add(CLOSES_P, B_CLOSES_P);
  add(SCOPE, B_SCOPE);
  add(LIST_SCOPE, B_LIST_SCOPE);
  add(HEADINGS, B_HEADING);
  add(TRANSPARENT, B_TRANSPARENT);
  add(['pre', 'listing'], B_PRE);
  add(['table'], B_TABLE);
  add(['tr'], B_TR);
  add(SECTION_CLOSE, B_SECTION);
  add(['p'], B_P);
  add(['li'], B_LI);
  add(['dt', 'dd'], B_DTDD);
  add(['td', 'th'], B_CELL);
  add(['option'], B_OPTION);
  add(['a'], B_A);
  // Other common tags get a shared name too (cheaper comparisons later).
  add(['span', 'b', 'i', 'em', 'strong', 'code', 'img', 'small', 'sup', 'sub', 'label', 'button', 'time', 'abbr', 'cite', 'q', 'u', 's', 'mark', 'kbd', 'samp', 'tt', 'font', 'picture', 'video', 'audio', 'canvas', 'select', 'optgroup', 'input', 'datalist', 'output', 'map', 'colgroup', 'caption', 'thead', 'tfoot', 'figure', 'figcaption', 'nav', 'aside', 'footer', 'header', 'main', 'article', 'section', 'form', 'div', 'ul', 'ol', 'dl'], 0);
  const out = new Map<string, TagInfo>();
  for (const [name, b] of bits) out.set(name, { name, bits: b });
  return out;
})();

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

// Kept attributes, by index (attrIndex).
const A_CLASS = 0;
const A_ID = 1;
const A_ROLE = 2;
const A_STYLE = 3;
const A_HREF = 4;
const A_ITEMPROP = 5;
const A_COLSPAN = 6;
const A_HIDDEN = 7;
const A_ARIA_HIDDEN = 8;
const A_ARIA_LABEL = 9;
const A_PROPERTY = 10;
const A_NAME = 11;
const A_CONTENT = 12;
const A_TYPE = 13;
const A_OPEN = 14;

/**
 * True when s[a, a + lit.length) is `lit` in ASCII case-insensitive form (`lit` is lowercase
 * letters and '-'). The caller guarantees no whitespace in the range, so `c | 0x20` can only
 * equal a letter for that letter in either case, and '-' only for '-'.
 */
function eqLower(s: string, a: number, lit: string): boolean {
  for (let k = 0; k < lit.length; k++) if ((s.charCodeAt(a + k) | 0x20) !== lit.charCodeAt(k)) return false;
  return true;
}

/**
 * Index of the kept attribute named s[a, b) (ASCII case-insensitive), or -1. Same answer as
 * lowercasing the name and looking it up: the only non-ASCII character that lowercases to ASCII
 * is U+212A KELVIN SIGN ('k'), which no kept name contains.
 */
function attrIndex(s: string, a: number, b: number): number {
  switch (b - a) {
    case 2:
      return eqLower(s, a, 'id') ? A_ID : -1;
    case 4: {
      const c = s.charCodeAt(a) | 0x20;
      if (c === 104) return eqLower(s, a, 'href') ? A_HREF : -1;
      if (c === 114) return eqLower(s, a, 'role') ? A_ROLE : -1;
      if (c === 110) return eqLower(s, a, 'name') ? A_NAME : -1;
      if (c === 116) return eqLower(s, a, 'type') ? A_TYPE : -1;
      if (c === 111) return eqLower(s, a, 'open') ? A_OPEN : -1;
      return -1;
    }
    case 5:
      if (eqLower(s, a, 'class')) return A_CLASS;
      return eqLower(s, a, 'style') ? A_STYLE : -1;
    case 6:
      return eqLower(s, a, 'hidden') ? A_HIDDEN : -1;
    case 7:
      if (eqLower(s, a, 'content')) return A_CONTENT;
      return eqLower(s, a, 'colspan') ? A_COLSPAN : -1;
    case 8:
      if (eqLower(s, a, 'itemprop')) return A_ITEMPROP;
      return eqLower(s, a, 'property') ? A_PROPERTY : -1;
    case 10:
      return eqLower(s, a, 'aria-label') ? A_ARIA_LABEL : -1;
    case 11:
      return eqLower(s, a, 'aria-hidden') ? A_ARIA_HIDDEN : -1;
    default:
      return -1;
  }
}

/** An attribute value s[vs, ve), character references decoded. */
function attrValue(s: string, vs: number, ve: number): string {
  const v = s.slice(vs, ve);
  return v.indexOf('&') >= 0 ? decodeEntities(v, true) : v;
}

/** Sets kept attribute `k` from s[vs, ve) unless already set (the first occurrence wins, as in browsers). */
function setAttr(a: Attrs, k: number, s: string, vs: number, ve: number): void {
  switch (k) {
    case A_CLASS:
      if (a.class === undefined) a.class = attrValue(s, vs, ve);
      break;
    case A_ID:
      if (a.id === undefined) a.id = attrValue(s, vs, ve);
      break;
    case A_ROLE:
      if (a.role === undefined) a.role = attrValue(s, vs, ve);
      break;
    case A_STYLE:
      if (a.style === undefined) a.style = attrValue(s, vs, ve);
      break;
    case A_HREF:
      if (a.href === undefined) a.href = attrValue(s, vs, ve);
      break;
    case A_ITEMPROP:
      if (a.itemprop === undefined) a.itemprop = attrValue(s, vs, ve);
      break;
    case A_COLSPAN:
      if (a.colspan === undefined) a.colspan = attrValue(s, vs, ve);
      break;
    case A_HIDDEN:
      if (a.hidden === undefined) a.hidden = attrValue(s, vs, ve);
      break;
    case A_ARIA_HIDDEN:
      if (a['aria-hidden'] === undefined) a['aria-hidden'] = attrValue(s, vs, ve);
      break;
    case A_ARIA_LABEL:
      if (a['aria-label'] === undefined) a['aria-label'] = attrValue(s, vs, ve);
      break;
    case A_PROPERTY:
      if (a.property === undefined) a.property = attrValue(s, vs, ve);
      break;
    case A_NAME:
      if (a.name === undefined) a.name = attrValue(s, vs, ve);
      break;
    case A_CONTENT:
      if (a.content === undefined) a.content = attrValue(s, vs, ve);
      break;
    case A_TYPE:
      if (a.type === undefined) a.type = attrValue(s, vs, ve);
      break;
    case A_OPEN:
      if (a.open === undefined) a.open = attrValue(s, vs, ve);
      break;
  }
}

function makeEl(tag: string, attrs: Attrs | null, parent: El | null): El {
  return { tag, attrs, children: [], parent, text: 0, link: 0, commas: 0, score: 0, flags: 0 };
}

// The extractor makes `score` fractional on some elements. Widening that field (integer → double)
// while the parser is being optimized deprecates the element shape and V8 abandons the optimized
// parser (then it runs unoptimized, several times slower); widen it once, here, before any parse.
makeEl('#shape', null, null).score = 0.5;

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

/** True when s[a, b) is all HTML whitespace. */
function allSpace(s: string, a: number, b: number): boolean {
  for (let i = a; i < b; i++) if (!isSpace(s.charCodeAt(i))) return false;
  return true;
}

export function parseHtml(html: string): ParsedDocument {
  const s = html;
  const n = s.length;
  const finder = new Finder(s);
  const root = makeEl('#root', null, null);
  const stack: El[] = [root];
  /** TagInfo bits of each open element (parallel to `stack`; the root has none). */
  const stackBits: number[] = [0];
  /** How many open elements carry each B_COUNTED bit (implied-close searches need one). */
  let openP = 0;
  let openLi = 0;
  let openDtDd = 0;
  let openCell = 0;
  let openTr = 0;
  let openSection = 0;
  let openOption = 0;
  let openA = 0;
  let top = root;
  let preDepth = 0;
  let title = '';
  const meta = new Map<string, string>();
  const skipped = new Map<string, number>();
  let elementCount = 0;
  let textChars = 0;
  const h1s: El[] = [];
  let firstH2: El | null = null;

  /** Adds the text s[a, b). */
  const pushText = (a: number, b: number) => {
    if (b <= a) return;
    if (preDepth === 0 && allSpace(s, a, b)) {
      const kids = top.children;
      if (kids.length > 0 && kids[kids.length - 1] === ' ') return;
      kids.push(' ');
      textChars++;
      return;
    }
    // Whitespace is collapsed when rendering (only kept text pays for it).
    const raw = s.slice(a, b);
    const t = raw.indexOf('&') >= 0 ? decodeEntities(raw) : raw;
    textChars += t.length;
    const kids = top.children;
    const last = kids.length - 1;
    if (last >= 0 && typeof kids[last] === 'string') kids[last] = (kids[last] as string) + t;
    else kids.push(t);
  };

  const count = (b: number, d: number) => {
    if (b & B_P) openP += d;
    if (b & B_LI) openLi += d;
    if (b & B_DTDD) openDtDd += d;
    if (b & B_CELL) openCell += d;
    if (b & B_TR) openTr += d;
    if (b & B_SECTION) openSection += d;
    if (b & B_OPTION) openOption += d;
    if (b & B_A) openA += d;
  };

  const popTo = (idx: number) => {
    // Pops stack[idx] and everything above it.
    while (stack.length > idx) {
      stack.pop();
      const b = stackBits.pop() as number;
      if (b & B_PRE) preDepth--;
      if (b & B_COUNTED) count(b, -1);
    }
    top = stack[idx - 1];
  };

  /** Index of the nearest open element with a `mask` bit above a scope boundary (or a `stop` bit), or -1. */
  const findOpen = (mask: number, stop: number): number => {
    const lo = Math.max(1, stack.length - IMPLIED_DEPTH);
    const stopper = B_SCOPE | stop;
    for (let k = stack.length - 1; k >= lo; k--) {
      const b = stackBits[k];
      if (b & mask) return k;
      if (b & stopper) return -1;
    }
    return -1;
  };

  /** Lowest stack index (outermost) of an open element with a `mask` bit inside the nearest open table, or -1. */
  const findInTable = (mask: number): number => {
    const lo = Math.max(1, stack.length - IMPLIED_DEPTH);
    let found = -1;
    for (let k = stack.length - 1; k >= lo; k--) {
      const b = stackBits[k];
      if (b & B_TABLE) break;
      if (b & mask) found = k;
    }
    return found;
  };

  const closeImplied = (tag: string, bits: number) => {
    if (bits & B_CLOSES_P && openP > 0) {
      const k = findOpen(B_P, 0);
      if (k > 0) popTo(k);
    }
    if (bits & B_LI) {
      if (openLi > 0) {
        const k = findOpen(B_LI, B_LIST_SCOPE);
        if (k > 0) popTo(k);
      }
    } else if (bits & B_DTDD) {
      if (openDtDd > 0) {
        const k = findOpen(B_DTDD, B_LIST_SCOPE);
        if (k > 0) popTo(k);
      }
    } else if (bits & B_TR) {
      if (openTr > 0) {
        const k = findInTable(B_TR);
        if (k > 0) popTo(k);
      }
    } else if (bits & B_CELL) {
      if (openCell > 0) {
        const k = findOpen(B_CELL, B_TR);
        if (k > 0) popTo(k);
      }
    } else if (tag === 'thead' || tag === 'tfoot' || tag === 'caption' || tag === 'colgroup') {
      if (openSection > 0) {
        const k = findInTable(B_SECTION);
        if (k > 0) popTo(k);
      }
    } else if (tag === 'option' || tag === 'optgroup') {
      if (openOption > 0) {
        const k = findOpen(B_OPTION, 0);
        if (k > 0 && k === stack.length - 1) popTo(k);
      }
    } else if (bits & B_A) {
      if (openA > 0) {
        const k = findOpen(B_A, 0);
        if (k > 0) popTo(k);
      }
    } else if (bits & B_HEADING && stackBits[stack.length - 1] & B_HEADING) {
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
      let tag = lowerSlice(s, lt + 1, p);
      const info = TAG_INFO.get(tag);
      let bits = 0;
      if (info !== undefined) {
        tag = info.name;
        bits = info.bits;
      }
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
        // Only attributes the extractor reads are materialised.
        const kept = attrIndex(s, ns, p);
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
        if (kept >= 0) {
          if (attrs === null) attrs = newAttrs();
          setAttr(attrs, kept, s, vs, ve);
        }
      }
      if (!closed) {
        // A tag cut off by the end of input is dropped (as browsers do).
        pushText(textStart, lt);
        textStart = n;
        break;
      }
      pushText(textStart, lt);
      i = p;
      textStart = p;
      elementCount++;

      if (bits & (B_RAW_DROP | B_RAW_TEXT)) {
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
        if (bits & B_RAW_TEXT) {
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
      if (bits & B_TRANSPARENT) continue;
      closeImplied(tag, bits);
      const el = makeEl(tag, attrs, top);
      top.children.push(el);
      if (tag === 'h1') h1s.push(el);
      else if (tag === 'h2' && firstH2 === null) firstH2 = el;
      if (!(bits & B_VOID) && !selfClosing && stack.length < MAX_DEPTH) {
        stack.push(el);
        stackBits.push(bits);
        top = el;
        if (bits & B_PRE) preDepth++;
        if (bits & B_COUNTED) count(bits, 1);
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
        let tag = lowerSlice(s, lt + 2, p);
        const info = TAG_INFO.get(tag);
        let bits = 0;
        if (info !== undefined) {
          tag = info.name;
          bits = info.bits;
        }
        const gt = finder.find('>', p);
        pushText(textStart, lt);
        const after = gt < 0 ? n : gt + 1;
        i = after;
        textStart = after;
        if (tag === 'br') {
          top.children.push(makeEl('br', null, top));
          elementCount++;
          continue;
        }
        if (bits & B_TRANSPARENT) continue;
        const stop = bits & B_LI ? B_LIST_SCOPE : 0;
        const lo = Math.max(1, stack.length - SEARCH_DEPTH);
        for (let k = stack.length - 1; k >= lo; k--) {
          if (stack[k].tag === tag) {
            popTo(k);
            break;
          }
          if (stackBits[k] & stop) break;
        }
        continue;
      }
      if (c2 === 62) {
        // "</>" is ignored.
        pushText(textStart, lt);
        i = textStart = lt + 3;
        continue;
      }
      // Bogus comment.
      pushText(textStart, lt);
      const gt = finder.find('>', lt + 2);
      i = textStart = gt < 0 ? n : gt + 1;
      continue;
    }

    if (c === 33 /* ! */) {
      pushText(textStart, lt);
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
      pushText(textStart, lt);
      const gt = finder.find('>', lt + 2);
      i = textStart = gt < 0 ? n : gt + 1;
      continue;
    }

    // A literal '<'.
    i = lt + 1;
  }
  if (textStart < n) pushText(textStart, n);
  return { root, title: title.replace(/\s+/g, ' ').trim(), meta, skipped, elementCount, textChars, h1s, firstH2 };
}
