/**
 * Main-content extraction without a DOM: parse (dom.ts), drop boilerplate subtrees
 * (boilerplate.ts), pick the main container by content density, clean it, and render
 * markdown-ish text (render.ts).
 *
 * Container choice follows Readability (mozilla/readability, Apache-2.0), re-implemented:
 * every paragraph-like block of at least 25 characters scores 1 + commas + min(3, length/100)
 * and passes that score to its parent (full), grandparent (half) and further ancestors
 * (score / (3 · level)); containers start from a tag bonus (div +5; pre, td, blockquote +3;
 * lists −3; headings −5) plus a ±25 class weight; a container's final score is scaled by
 * (1 − link density). The best container may move up to a shared ancestor of several strong
 * candidates, or to a parent that scores higher, and takes in siblings that score at least
 * max(10, 20% of it) or are link-poor paragraphs. Inside it, short link-dense blocks (share
 * rows, tag lists) and link lists are dropped. When that leaves little text (under 500
 * characters and under half of the page's non-boilerplate text) the extraction falls back to
 * everything that survived the boilerplate pass (favour recall, as trafilatura does).
 */
import { ClassMemo, classSignals, DROP_ROLES, DROP_TAGS, isHidden, WEAK_MAX_CHARS, type DropReason } from './boilerplate.js';
import { parseHtml, type El, type ParsedDocument } from './dom.js';
import { F_BLOCK, F_CLEANED, F_DROP, F_HAS_BLOCK, F_SCORED, type LinkMode } from './flags.js';
import { renderMarkdown, type RenderedLink } from './render.js';

export type { LinkMode };

export interface ExtractOptions {
  /** `'text'` (default): links become their text. `'inline'`: `[text](href)`. */
  readonly links?: LinkMode;
}

export interface ExtractedLink {
  readonly text: string;
  readonly href: string;
}

export interface ExtractionStats {
  /** Elements in the page (every start tag, including script/style). */
  readonly elements: number;
  /** Subtrees left out, by reason (script, style, nav, header/footer, boilerplate class, outside main content…). */
  readonly dropped: Readonly<Record<string, number>>;
  /** Characters of visible text in the page before and after extraction. */
  readonly pageTextChars: number;
  readonly mainTextChars: number;
  /** True when the density pick kept too little and everything non-boilerplate was used instead. */
  readonly fallback: boolean;
}

export interface Extraction {
  /** Page title: the main heading when it matches the <title>/og:title, else the cleaned <title>. */
  readonly title: string;
  /** `<meta name="description">` or og:description, '' if none. */
  readonly description: string;
  /** Markdown-ish main content, starting with `# title` when there is one. */
  readonly text: string;
  /** Links inside the extracted content, in order (text and href as written). */
  readonly links: ReadonlyArray<ExtractedLink>;
  readonly stats: ExtractionStats;
}

const BLOCK_TAGS = new Set([
  'address', 'article', 'aside', 'blockquote', 'center', 'details', 'dialog', 'dd', 'div', 'dl', 'dt', 'fieldset', 'figcaption',
  'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre',
  'section', 'table', 'thead', 'tfoot', 'tr', 'td', 'th', 'ul', 'summary', 'caption', 'menu', 'legend', 'search', 'listing', 'dir',
  'textarea',
]);

const PARAGRAPH_TAGS = new Set(['p', 'pre', 'td', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'dd', 'blockquote', 'summary', 'figcaption', 'dt']);

const MIN_PARAGRAPH = 25;
/** Headings are never dropped for their class (CSS-module names like `anchorWithStickyNavbar_x` describe looks, not roles). */
const HEADING_TAGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const NB_TOP = 5;

function tagBonus(tag: string): number {
  switch (tag) {
    case 'div':
    case 'article':
    case 'main':
    case 'section':
      return 5;
    case 'pre':
    case 'td':
    case 'blockquote':
      return 3;
    case 'address':
    case 'ol':
    case 'ul':
    case 'dl':
    case 'dd':
    case 'dt':
    case 'li':
    case 'form':
      return -3;
    case 'h1':
    case 'h2':
    case 'h3':
    case 'h4':
    case 'h5':
    case 'h6':
    case 'th':
      return -5;
    default:
      return 0;
  }
}

/** Characters of visible text under `el` (dropped subtrees excluded), with link text and commas. */
function measure(el: El, inLink: boolean): void {
  let text = 0;
  let link = 0;
  let commas = 0;
  let hasBlock = false;
  const isLink = inLink || el.tag === 'a';
  for (const c of el.children) {
    if (typeof c === 'string') {
      text += c.length;
      if (isLink) link += c.length;
      commas += countCommas(c);
      continue;
    }
    if (c.flags & F_DROP) continue;
    measure(c, isLink);
    text += c.text;
    link += c.link;
    commas += c.commas;
    if (c.flags & (F_BLOCK | F_HAS_BLOCK)) hasBlock = true;
  }
  el.text = text;
  el.link = link;
  el.commas = commas;
  if (hasBlock) el.flags |= F_HAS_BLOCK;
  else el.flags &= ~F_HAS_BLOCK;
}

/** Text under `el` (dropped subtrees excluded), for comma counts and sibling checks. */
function textOf(el: El, out: string[] = []): string[] {
  for (const c of el.children) {
    if (typeof c === 'string') out.push(c);
    else if (!(c.flags & F_DROP)) textOf(c, out);
  }
  return out;
}

function countCommas(s: string): number {
  let n = 0;
  for (let i = s.indexOf(','); i >= 0; i = s.indexOf(',', i + 1)) n++;
  for (let i = s.indexOf('，'); i >= 0; i = s.indexOf('，', i + 1)) n++;
  return n;
}

interface DropCounter {
  add(reason: string): void;
}

/** Pre-order boilerplate pass: marks dropped subtrees. `total` = page text (characters) before dropping. */
function prune(el: El, total: number, inArticle: boolean, inCode: boolean, drops: DropCounter, memo: ClassMemo): void {
  for (const c of el.children) {
    if (typeof c === 'string') continue;
    c.flags &= ~F_DROP;
    if (BLOCK_TAGS.has(c.tag)) c.flags |= F_BLOCK;
    let reason: DropReason | null = null;
    const tag = c.tag;
    const byTag = DROP_TAGS.get(tag);
    if (byTag !== undefined) reason = byTag;
    else if (tag === 'header' && !inArticle) reason = 'header/footer';
    else if (tag === 'form' && !exceeds(c, 0.25 * total)) reason = 'form';
    else if (c.attrs !== null) {
      const role = c.attrs.role;
      if (role !== undefined && DROP_ROLES.has(role.trim().toLowerCase())) reason = role.trim().toLowerCase() === 'navigation' ? 'nav' : 'aside';
      else if (isHidden(c)) reason = 'hidden';
      else if (!inCode && !HEADING_TAGS.has(tag)) {
        const sig = classSignals(c, memo);
        if (sig.hidden) reason = 'hidden';
        else if (!sig.save && (sig.negative || (sig.weak && tag !== 'article' && tag !== 'main'))) {
          if (sig.negative ? !exceeds(c, 0.6 * total) : !exceeds(c, Math.min(WEAK_MAX_CHARS, 0.6 * total))) reason = 'boilerplate class';
        }
      }
    }
    if (reason !== null) {
      c.flags |= F_DROP;
      drops.add(reason);
      continue;
    }
    const article =
      inArticle ||
      tag === 'article' ||
      tag === 'main' ||
      tag === 'section' ||
      (c.attrs !== null && (c.attrs.role === 'main' || c.attrs.itemprop === 'articleBody'));
    prune(c, total, article, inCode || tag === 'pre' || tag === 'code', drops, memo);
  }
}

/** True when the raw (pre-prune) text under `el` is longer than `limit` characters; stops counting once it is. */
function exceeds(el: El, limit: number): boolean {
  return rawTextUpTo(el, 0, limit) < 0;
}

/** `t` plus the raw text under `e`, or -1 as soon as that passes `limit`. */
function rawTextUpTo(e: El, t: number, limit: number): number {
  for (const c of e.children) {
    if (typeof c === 'string') {
      t += c.length;
      if (t > limit) return -1;
    } else {
      t = rawTextUpTo(c, t, limit);
      if (t < 0) return -1;
    }
  }
  return t;
}

function initCandidate(el: El, candidates: El[], memo: ClassMemo): void {
  if (el.flags & F_SCORED) return;
  el.flags |= F_SCORED;
  el.score = tagBonus(el.tag) + classSignals(el, memo).weight;
  candidates.push(el);
}

/** Block containers whose text counts as one paragraph when they hold no blocks (Readability's div → p). */
const DIV_LIKE = new Set(['div', 'section', 'article', 'main', 'center', 'details', 'header', 'figure', 'form', 'address', 'hgroup']);

/** Scores every paragraph-like block into its ancestors; returns the scored containers. */
function scoreBlocks(root: El, memo: ClassMemo): El[] {
  const candidates: El[] = [];
  const propagate = (from: El | null, score: number) => {
    let a = from;
    for (let level = 0; a !== null && level < 5; level++, a = a.parent) {
      initCandidate(a, candidates, memo);
      a.score += level === 0 ? score : level === 1 ? score / 2 : score / (level * 3);
      if (a === root) break;
    }
  };
  const visit = (el: El) => {
    for (const c of el.children) {
      if (typeof c === 'string' || c.flags & F_DROP) continue;
      visit(c);
    }
    if (el === root) return;
    const tag = el.tag;
    const hasBlock = (el.flags & F_HAS_BLOCK) !== 0;
    if (!hasBlock && (PARAGRAPH_TAGS.has(tag) || DIV_LIKE.has(tag))) {
      if (el.text < MIN_PARAGRAPH) return;
      propagate(el.parent, 1 + el.commas + Math.min(3, Math.floor(el.text / 100)));
    } else if (hasBlock && (PARAGRAPH_TAGS.has(tag) || DIV_LIKE.has(tag) || tag === 'font' || tag === 'span')) {
      // Loose text directly inside a container is a paragraph of that container.
      let len = 0;
      let commas = 0;
      for (const c of el.children) {
        if (typeof c === 'string') {
          if (c !== ' ') {
            len += c.trim().length;
            commas += countCommas(c);
          }
        } else if (!(c.flags & (F_DROP | F_BLOCK | F_HAS_BLOCK))) {
          len += c.text;
          commas += c.commas;
        }
      }
      if (len >= MIN_PARAGRAPH) propagate(el, 1 + commas + Math.min(3, Math.floor(len / 100)));
    }
  };
  visit(root);
  for (const c of candidates) c.score *= 1 - (c.text > 0 ? c.link / c.text : 0);
  return candidates;
}

function ancestorsOf(el: El): El[] {
  const out: El[] = [];
  for (let a = el.parent; a !== null; a = a.parent) out.push(a);
  return out;
}

/** Readability's top-candidate choice. Returns null when nothing scored. */
function pickTop(root: El, candidates: El[]): El | null {
  if (candidates.length === 0) return null;
  const sorted = candidates.slice().sort((x, y) => y.score - x.score);
  const top = sorted.slice(0, NB_TOP);
  let best = top[0];
  if (best === root) return root;
  // Several strong candidates under one ancestor: use the ancestor.
  const alt: El[][] = [];
  for (let i = 1; i < top.length; i++) if (top[i].score / best.score >= 0.75) alt.push(ancestorsOf(top[i]));
  if (alt.length >= 3) {
    for (let p = best.parent; p !== null && p !== root; p = p.parent) {
      let lists = 0;
      for (const l of alt) if (l.includes(p)) lists++;
      if (lists >= 3) {
        best = p;
        break;
      }
    }
  }
  // Walk up while a scored parent beats the candidate.
  let lastScore = best.score;
  const threshold = lastScore / 3;
  for (let p = best.parent; p !== null && p !== root; p = p.parent) {
    if (!(p.flags & F_SCORED)) continue;
    if (p.score < threshold) break;
    if (p.score > lastScore) {
      best = p;
      break;
    }
    lastScore = p.score;
  }
  // An only child stands for its parent.
  for (let p = best.parent; p !== null && p !== root && liveChildCount(p) === 1; p = p.parent) best = p;
  return best;
}

function liveChildCount(el: El): number {
  let n = 0;
  for (const c of el.children) {
    if (typeof c === 'string') {
      if (c.trim() !== '') n++;
    } else if (!(c.flags & F_DROP)) n++;
  }
  return n;
}

/** The chosen container plus qualifying siblings, in document order. */
function gatherContent(top: El): El[] {
  const parent = top.parent;
  if (parent === null) return [top];
  const threshold = Math.max(10, top.score * 0.2);
  const cls = top.attrs?.class ?? '';
  const out: El[] = [];
  for (const s of parent.children) {
    if (typeof s === 'string' || s.flags & F_DROP) continue;
    if (s === top) {
      out.push(s);
      continue;
    }
    let bonus = 0;
    if (cls !== '' && s.attrs?.class === cls) bonus += top.score * 0.2;
    if (s.flags & F_SCORED && s.score + bonus >= threshold) {
      out.push(s);
      continue;
    }
    if (s.tag === 'p' || s.tag === 'pre' || s.tag === 'blockquote' || s.tag === 'table' || s.tag === 'ul' || s.tag === 'ol') {
      const ld = s.text > 0 ? s.link / s.text : 0;
      const len = s.text;
      if (len > 80 && ld < 0.25) out.push(s);
      else if (len > 0 && len <= 80 && ld === 0 && /[.!?:]( |$)/.test(textOf(s).join('').trim())) out.push(s);
    }
  }
  return out;
}

/** Containers that may be dropped as link lists (never headings, links or cells themselves). */
const CLEANABLE = new Set(['div', 'section', 'ul', 'ol', 'dl', 'menu', 'p', 'center', 'font', 'span', 'details', 'figure', 'form', 'header']);

/** Drops link-dense blocks inside the content (share rows, tag lists, link lists). */
function cleanContent(el: El, drops: DropCounter): void {
  for (const c of el.children) {
    if (typeof c === 'string' || c.flags & F_DROP) continue;
    const tag = c.tag;
    if (tag === 'pre' || tag === 'code' || tag === 'table') continue;
    if (CLEANABLE.has(tag) && c.text > 0) {
      const ld = c.link / c.text;
      const nonLink = c.text - c.link;
      const isList = tag === 'ul' || tag === 'ol' || tag === 'dl';
      // A paragraph must be almost all links ("Read more", "Tags: a, b"); other blocks half.
      const limit = tag === 'p' ? 0.8 : 0.5;
      if ((ld > limit && nonLink < 200 && (isList || c.text < 120)) || (isList && ld > 0.8)) {
        c.flags |= F_DROP | F_CLEANED;
        drops.add('link list');
        continue;
      }
    }
    cleanContent(c, drops);
  }
}

const TITLE_SPLIT = /\s+[|\-–—·:»/]\s+|\s+::\s+/;

function normTitle(s: string): string {
  return s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

function cleanTitle(raw: string): string {
  const t = raw.replace(/\s+/g, ' ').trim();
  if (!TITLE_SPLIT.test(t)) return t;
  const parts = t.split(TITLE_SPLIT).map((p) => p.trim()).filter((p) => p !== '');
  let best = parts[0] ?? t;
  for (const p of parts) if (p.length > best.length) best = p;
  // A site name suffix is usually short; keep the whole title when the split leaves a stub.
  return best.split(/\s+/).length >= 3 ? best : t;
}

/** A heading's text on one line (<br> and element boundaries become spaces). */
function headingText(h: El): string {
  const parts: string[] = [];
  const walk = (e: El) => {
    for (const c of e.children) {
      if (typeof c === 'string') parts.push(c);
      else if (c.tag === 'br') parts.push(' ');
      else walk(c);
    }
  };
  walk(h);
  return parts.join('').replace(/\s+/g, ' ').trim();
}

function chooseTitle(doc: ParsedDocument): string {
  const og = (doc.meta.get('og:title') ?? doc.meta.get('twitter:title') ?? '').replace(/\s+/g, ' ').trim();
  const raw = doc.title;
  const candidates = [og, raw].filter((s) => s !== '').map(normTitle);
  const matches = (text: string) => {
    const nt = normTitle(text);
    return nt.length >= 2 && candidates.some((nc) => nc.includes(nt) || nt.includes(nc));
  };
  // Dropped h1s count too: a page header often holds the article's own h1.
  const h1s = doc.h1s.map(headingText);
  for (const t of h1s) if (matches(t)) return t;
  // Pages without an h1 often title themselves with their first h2.
  if (h1s.length === 0 && doc.firstH2 !== null) {
    const t = headingText(doc.firstH2);
    if (matches(t)) return t;
  }
  if (og !== '') return og;
  if (raw !== '') return cleanTitle(raw);
  return h1s.find((t) => t.length > 1) ?? '';
}

class Drops implements DropCounter {
  readonly counts = new Map<string, number>();
  add(reason: string): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
  }
  toRecord(): Record<string, number> {
    const o: Record<string, number> = {};
    for (const [k, v] of this.counts) o[k] = v;
    return o;
  }
}

/** Marks every live element outside `keep` (and not an ancestor of one) as dropped; returns how many subtrees. */
function dropOutside(root: El, keep: readonly El[]): number {
  const keepSet = new Set(keep);
  const holds = new Set<El>();
  for (const k of keep) for (let a = k.parent; a !== null; a = a.parent) holds.add(a);
  let n = 0;
  const visit = (el: El): void => {
    for (const c of el.children) {
      if (typeof c === 'string' || c.flags & F_DROP || keepSet.has(c)) continue;
      if (holds.has(c)) visit(c);
      else {
        c.flags |= F_DROP;
        n++;
      }
    }
  };
  visit(root);
  return n;
}

/** Extracts the main content of an HTML page as markdown-ish text. Pure; never throws on bad markup. */
export function extractMainContent(html: string, options: ExtractOptions = {}): Extraction {
  const doc = parseHtml(html);
  const root = doc.root;
  const total = doc.textChars;
  const drops = new Drops();
  for (const [tag, n] of doc.skipped) drops.counts.set(tag, n);

  const memo = new ClassMemo();
  prune(root, total, false, false, drops, memo);
  measure(root, false);
  const pageText = root.text;

  const candidates = scoreBlocks(root, memo);
  const top = pickTop(root, candidates);
  let fallback = false;
  let content: El[] = [root];
  /** Text under the gathered content, measured after cleaning (nothing changes it later), or -1. */
  let kept = -1;
  if (top !== null && top !== root) {
    content = gatherContent(top);
    for (const c of content) cleanContent(c, drops);
    kept = 0;
    for (const c of content) {
      measure(c, false);
      kept += c.text;
    }
    if (kept < 500 && kept < 0.5 * pageText) {
      // Too little: favour recall and keep everything that survived the boilerplate pass.
      fallback = true;
      content = [root];
    }
  }
  if (content.length === 1 && content[0] === root) {
    fallback = fallback || top === null;
    cleanContent(root, drops);
    kept = -1;
  } else {
    const outside = dropOutside(root, content);
    if (outside > 0) drops.counts.set('outside main content', outside);
  }

  const title = chooseTitle(doc);
  const links: RenderedLink[] = [];
  const body = renderMarkdown(content, { links: options.links ?? 'text', linkSink: links });
  const text = assemble(title, body);
  let mainChars = kept;
  if (kept < 0) {
    mainChars = 0;
    for (const c of content) {
      measure(c, false);
      mainChars += c.text;
    }
  }
  const description = (doc.meta.get('description') ?? doc.meta.get('og:description') ?? '').replace(/\s+/g, ' ').trim();
  return {
    title,
    description,
    text,
    links,
    stats: { elements: doc.elementCount, dropped: drops.toRecord(), pageTextChars: pageText, mainTextChars: mainChars, fallback },
  };
}

function assemble(title: string, body: string): string {
  if (title === '') return body;
  // Skip a leading heading that repeats the title.
  const m = /^(#{1,6}) ([^\n]*)(\n\n|\n|$)/.exec(body);
  let rest = body;
  if (m !== null && normTitle(m[2]) === normTitle(title)) rest = body.slice(m[0].length);
  return rest === '' ? `# ${title}` : `# ${title}\n\n${rest}`;
}

