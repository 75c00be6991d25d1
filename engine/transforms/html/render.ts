/**
 * Renders extracted elements as markdown-ish text: `#` headings, paragraphs, `-`/`1.` lists
 * (nested by indentation), fenced code (language from `language-*`/`lang-*` classes), inline
 * code in backticks, `>` quotes, and data tables as pipe tables (a separator line only under a
 * real header row). Layout tables (nested tables, long block cells, one column) are rendered
 * cell by cell as ordinary blocks. Images, media and dropped subtrees produce nothing; links
 * become their text, or `[text](href)` in inline mode.
 */
import type { El, Node } from './dom.js';
import { F_BLOCK, F_DROP, F_HAS_BLOCK, type LinkMode } from './flags.js';

export interface RenderedLink {
  readonly text: string;
  readonly href: string;
}

export interface RenderOptions {
  readonly links: LinkMode;
  readonly linkSink: RenderedLink[];
}

const HEADING_LEVEL: Readonly<Record<string, number>> = { h1: 1, h2: 2, h3: 3, h4: 4, h5: 5, h6: 6 };
const SILENT = new Set(['img', 'picture', 'wbr', 'source', 'track', 'area', 'col', 'colgroup', 'hr', 'param']);
const CODE_INLINE = new Set(['code', 'kbd', 'samp', 'tt']);
const ZERO_WIDTH = /[\u200b\ufeff\u00ad]/g;
const SPACES = /[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+/g;
const MAX_COLSPAN = 20;

const WS_RUN = /[ \t\n\r\f]+/g;
const NEEDS_COLLAPSE = /[\t\n\r\f]| {2}/;

/** Source whitespace (newlines included) becomes one space; '\n' in the inline buffer then only comes from <br>. */
function collapse(s: string): string {
  return NEEDS_COLLAPSE.test(s) ? s.replace(WS_RUN, ' ') : s;
}

function isBlockish(el: El): boolean {
  return (el.flags & (F_BLOCK | F_HAS_BLOCK)) !== 0;
}

const SPECIAL = /[\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff\u00ad]|  /;

/** Collapses spaces per line, drops empty lines (lines come from <br>). */
function finishInline(buf: string): string {
  if (buf === '') return '';
  const plain = !SPECIAL.test(buf);
  if (plain && buf.indexOf('\n') < 0) return buf.trim();
  const cleaned = plain ? buf : buf.replace(ZERO_WIDTH, '');
  if (cleaned.indexOf('\n') < 0) return cleaned.replace(SPACES, ' ').trim();
  const lines: string[] = [];
  for (const line of cleaned.split('\n')) {
    const t = line.replace(SPACES, ' ').trim();
    if (t !== '') lines.push(t);
  }
  return lines.join('\n');
}

/** Appends loose list text as one `- ` item unless it is empty. */
function flushLooseItem(items: string[], loose: string): void {
  const t = finishInline(loose);
  if (t !== '') items.push(`- ${t}`);
}

/** Appends the finished inline buffer to `out` unless it is empty. */
function flushInline(out: string[], buf: string): void {
  const t = finishInline(buf);
  if (t !== '') out.push(t);
}

/** Text of a <pre> subtree (<br> as '\n', dropped subtrees left out). */
function preText(e: El, parts: string[]): void {
  for (const c of e.children) {
    if (typeof c === 'string') parts.push(c);
    else if (c.tag === 'br') parts.push('\n');
    else if (!(c.flags & F_DROP)) preText(c, parts);
  }
}

class Renderer {
  constructor(private readonly opts: RenderOptions) {}

  /** Block strings of `children`, appended to `out` (one shared sink, so deep nesting stays linear). */
  blocks(children: readonly Node[], out: string[] = []): string[] {
    let buf = '';
    for (const c of children) {
      if (typeof c === 'string') {
        buf += collapse(c);
        continue;
      }
      if (c.flags & F_DROP) {
        if (c.flags & F_BLOCK) {
          flushInline(out, buf);
          buf = '';
        }
        continue;
      }
      if (isBlockish(c)) {
        flushInline(out, buf);
        buf = '';
        this.block(c, out);
      } else buf += this.inline(c);
    }
    flushInline(out, buf);
    return out;
  }

  inlineChildren(el: El): string {
    let s = '';
    for (const c of el.children) {
      if (typeof c === 'string') s += collapse(c);
      else if (!(c.flags & F_DROP)) s += isBlockish(c) ? ` ${this.blocks([c]).join(' ')} ` : this.inline(c);
    }
    return s;
  }

  /** Single-line text of an element (for headings and table cells). */
  line(el: El): string {
    const t = this.blocks(el.children).join(' ');
    return (t.indexOf('\n') >= 0 ? t.replace(/\s*\n\s*/g, ' ') : t).trim();
  }

  inline(el: El): string {
    const tag = el.tag;
    if (tag === 'br') return '\n';
    if (SILENT.has(tag)) return '';
    if (CODE_INLINE.has(tag)) {
      const t = this.inlineChildren(el).replace(/\s+/g, ' ').trim();
      if (t === '') return '';
      const tick = t.includes('`') ? '``' : '`';
      return `${tick}${t}${tick}`;
    }
    if (tag === 'a') {
      const inner = this.inlineChildren(el);
      const text = inner.replace(/\s+/g, ' ').trim();
      const href = el.attrs?.href?.trim() ?? '';
      if (text !== '' && href !== '' && !href.startsWith('#') && !/^javascript:/i.test(href)) {
        this.opts.linkSink.push({ text, href });
        if (this.opts.links === 'inline') return `[${text.replace(/[[\]]/g, '')}](${href.replace(/[\s)]/g, encodeURIComponent)})`;
      }
      return inner;
    }
    return this.inlineChildren(el);
  }

  /** Appends the block strings of one block-level element to `out`. */
  block(el: El, out: string[] = []): string[] {
    const tag = el.tag;
    const level = HEADING_LEVEL[tag];
    if (level !== undefined) {
      const t = this.line(el);
      if (t !== '') out.push(`${'#'.repeat(level)} ${t}`);
      return out;
    }
    switch (tag) {
      case 'pre':
      case 'listing':
      case 'textarea':
        addBlock(out, this.pre(el));
        return out;
      case 'ul':
      case 'ol':
      case 'menu':
      case 'dir':
        addBlock(out, this.list(el, tag === 'ol'));
        return out;
      case 'dl':
        addBlock(out, this.dl(el));
        return out;
      case 'table':
        this.table(el, out);
        return out;
      case 'blockquote': {
        const inner = this.blocks(el.children).join('\n\n');
        if (inner !== '') out.push(inner.replace(/^/gm, '> '));
        return out;
      }
      case 'li':
        addBlock(out, this.item(el, '- '));
        return out;
      case 'hr':
        return out;
      default:
        return this.blocks(el.children, out);
    }
  }

  private item(li: El, prefix: string): string {
    const parts = this.blocks(li.children);
    if (parts.length === 0) return '';
    const pad = ' '.repeat(prefix.length);
    return prefix + parts.map((p) => p.replace(/\n/g, `\n${pad}`)).join(`\n${pad}`);
  }

  private list(el: El, ordered: boolean): string {
    const items: string[] = [];
    let n = 0;
    let loose = '';
    for (const c of el.children) {
      if (typeof c === 'string') {
        loose += collapse(c);
        continue;
      }
      if (c.flags & F_DROP) continue;
      if (c.tag === 'li') {
        flushLooseItem(items, loose);
        loose = '';
        const it = this.item(c, ordered ? `${n + 1}. ` : '- ');
        if (it !== '') {
          items.push(it);
          n++;
        }
      } else if (isBlockish(c)) {
        flushLooseItem(items, loose);
        loose = '';
        for (const b of this.block(c)) items.push(c.tag === 'ul' || c.tag === 'ol' ? b.replace(/^/gm, '  ') : `- ${b.replace(/\n/g, '\n  ')}`);
      } else loose += this.inline(c);
    }
    flushLooseItem(items, loose);
    return items.join('\n');
  }

  private dl(el: El): string {
    const lines: string[] = [];
    for (const c of el.children) {
      if (typeof c === 'string' || c.flags & F_DROP) continue;
      const parts = c.tag === 'dt' || c.tag === 'dd' ? this.blocks(c.children) : this.block(c);
      if (parts.length > 0) lines.push(parts.join('\n'));
    }
    return lines.join('\n');
  }

  private pre(el: El): string {
    const parts: string[] = [];
    preText(el, parts);
    let code = parts.join('').replace(ZERO_WIDTH, '');
    if (code.startsWith('\r\n')) code = code.slice(2);
    else if (code.startsWith('\n')) code = code.slice(1);
    code = code.replace(/\s+$/, '');
    if (code.trim() === '') return '';
    const lang = codeLanguage(el);
    let fence = '```';
    const runs = code.match(/`{3,}/g);
    if (runs !== null) fence = '`'.repeat(runs.reduce((m, r) => Math.max(m, r.length), 0) + 1);
    return `${fence}${lang}\n${code}\n${fence}`;
  }

  /** Rows (and caption blocks) of a table, through thead/tbody/tfoot. */
  private collectRows(e: El, inHead: boolean, rows: { cells: El[]; head: boolean }[], before: string[]): void {
    for (const c of e.children) {
      if (typeof c === 'string' || c.flags & F_DROP) continue;
      if (c.tag === 'tr') {
        const cells: El[] = [];
        for (const d of c.children) {
          if (typeof d === 'string' || d.flags & F_DROP) continue;
          if (d.tag === 'td' || d.tag === 'th') cells.push(d);
        }
        if (cells.length > 0) rows.push({ cells, head: inHead || cells.every((d) => d.tag === 'th') });
      } else if (c.tag === 'thead' || c.tag === 'tfoot' || c.tag === 'tbody') this.collectRows(c, c.tag === 'thead', rows, before);
      else if (c.tag === 'caption') before.push(...this.blocks(c.children));
      else if (c.tag === 'td' || c.tag === 'th') rows.push({ cells: [c], head: c.tag === 'th' });
    }
  }

  private table(el: El, sink: string[]): string[] {
    const rows: { cells: El[]; head: boolean }[] = [];
    const before: string[] = [];
    let layout = false;
    this.collectRows(el, false, rows, before);
    for (const b of before) sink.push(b);
    if (rows.length === 0) return this.blocks(el.children, sink);
    let maxCells = 0;
    for (const r of rows) {
      maxCells = Math.max(maxCells, r.cells.length);
      for (const c of r.cells) if (hasNestedTable(c) || (c.flags & F_HAS_BLOCK && c.text > 250)) layout = true;
    }
    if (maxCells <= 1) layout = true;
    if (layout) {
      for (const r of rows) for (const c of r.cells) this.blocks(c.children, sink);
      return sink;
    }
    const lines: string[][] = [];
    let headerRows = 0;
    let ncols = 0;
    for (const r of rows) {
      const cells: string[] = [];
      for (const c of r.cells) {
        cells.push(this.line(c).replace(/\|/g, '\\|'));
        const span = Math.min(MAX_COLSPAN, Math.max(1, parseInt(c.attrs?.colspan ?? '1', 10) || 1));
        for (let k = 1; k < span; k++) cells.push('');
      }
      if (cells.every((x) => x === '')) continue;
      if (lines.length === 0 && r.head) headerRows = 1;
      lines.push(cells);
      ncols = Math.max(ncols, cells.length);
    }
    if (lines.length === 0) return sink;
    const out = lines.map((cells) => {
      while (cells.length < ncols) cells.push('');
      return `| ${cells.join(' | ')} |`;
    });
    if (headerRows === 1) out.splice(1, 0, `|${' --- |'.repeat(ncols)}`);
    sink.push(out.join('\n'));
    return sink;
  }
}

function addBlock(out: string[], b: string): void {
  if (b !== '') out.push(b);
}

function hasNestedTable(el: El): boolean {
  for (const c of el.children) {
    if (typeof c === 'string' || c.flags & F_DROP) continue;
    if (c.tag === 'table' || hasNestedTable(c)) return true;
  }
  return false;
}

function codeLanguage(pre: El): string {
  const find = (e: El, depth: number): string => {
    const m = /(?:^|\s)(?:language|lang)-([\w+#.-]+)/.exec(e.attrs?.class ?? '');
    if (m !== null) return m[1].toLowerCase();
    if (depth >= 2) return '';
    for (const c of e.children) {
      if (typeof c !== 'string' && c.tag === 'code') {
        const r = find(c, depth + 1);
        if (r !== '') return r;
      }
    }
    return '';
  };
  return find(pre, 0);
}

/** Markdown-ish text of the given elements, in order; blocks separated by blank lines. */
export function renderMarkdown(elements: readonly El[], opts: RenderOptions): string {
  const r = new Renderer(opts);
  const blocks: string[] = [];
  for (const el of elements) {
    if (el.tag === '#root') r.blocks(el.children, blocks);
    else if (isBlockish(el)) r.block(el, blocks);
    else {
      const t = finishInline(r.inline(el));
      if (t !== '') blocks.push(t);
    }
  }
  return blocks.join('\n\n');
}
