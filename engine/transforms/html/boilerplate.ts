/**
 * Boilerplate signals for the extractor: tags, ARIA roles, hidden markers and class/id words.
 *
 * Class and id values are split into words (on whitespace, '-', '_', digits and camelCase
 * humps) and matched word by word, so `entry-meta` and `Post__Meta` hit "meta" while
 * `metadata-table` does not hit "tag". Lists after Readability's "unlikely candidates" and
 * class weights (mozilla/readability), extended with the widgets common today (consent
 * banners, share bars, newsletter boxes, recommendation carousels, vote cells).
 */
import type { El } from './dom.js';

/** Why an element (and its subtree) is left out of the extracted text. */
export type DropReason = 'nav' | 'header/footer' | 'aside' | 'form' | 'hidden' | 'media' | 'boilerplate class' | 'link list';

/** Elements dropped by tag alone (`header` only outside article/main/section, see extract.ts). */
export const DROP_TAGS: ReadonlyMap<string, DropReason> = new Map<string, DropReason>([
  ['nav', 'nav'],
  ['footer', 'header/footer'],
  ['aside', 'aside'],
  ['menu', 'nav'],
  ['dialog', 'hidden'],
  ['template', 'hidden'],
  ['button', 'form'],
  ['select', 'form'],
  ['option', 'form'],
  ['optgroup', 'form'],
  ['input', 'form'],
  ['textarea', 'form'],
  ['label', 'form'],
  ['datalist', 'form'],
  ['output', 'form'],
  ['svg', 'media'],
  ['canvas', 'media'],
  ['video', 'media'],
  ['audio', 'media'],
  ['object', 'media'],
  ['embed', 'media'],
  ['map', 'media'],
]);

/** ARIA landmark and widget roles that never hold the main text. */
export const DROP_ROLES: ReadonlySet<string> = new Set([
  'navigation',
  'banner',
  'contentinfo',
  'complementary',
  'search',
  'dialog',
  'alertdialog',
  'menu',
  'menubar',
  'toolbar',
  'tablist',
  'tooltip',
  'marquee',
  'button',
  'form',
]);

/** Words in class/id values that mark boilerplate wherever they appear. */
const STRONG_WORDS = new Set(
  (
    'nav navbar navigation menu menubar submenu breadcrumb breadcrumbs crumbs footer masthead topbar sidebar sidenav ' +
    'widget widgets ad ads adv advert adverts advertisement advertising adslot adunit sponsor sponsored promo promos ' +
    'promoted banner cookie cookies consent gdpr share shares sharing sharebar social related recommended ' +
    'recommendations reco newsletter subscribe subscription signup login signin popup modal overlay lightbox comment ' +
    'comments commentlist disqus respond replies pagination pager paging toolbar outbrain taboola carousel subnav toc ' +
    'editsection navbox catlinks noprint reflist references hatnote announcement ticker paywall'
  ).split(' '),
);

/**
 * Words that mark small widgets (bylines, tag lists, buttons) but also show up on content
 * wrappers (WordPress puts `tag-<slug>` and `author-<slug>` on the article): they drop an
 * element only when it holds little text (WEAK_MAX_CHARS) and is not an article or main.
 */
const WEAK_WORDS = new Set(
  (
    'follow reply print tags tagcloud taglist tag author bio byline dateline meta jump cta rating ratings reactions ' +
    'feedback vote votes voting signature credit credits chat launcher dropdown tooltip copyright disclosure skip'
  ).split(' '),
);

/** Most text a weak-word element may hold and still be dropped. */
export const WEAK_MAX_CHARS = 400;

/** Whole class names that hide content from sighted readers. */
const HIDDEN_CLASSES = new Set(['hidden', 'sr-only', 'screen-reader-text', 'visually-hidden', 'visuallyhidden', 'd-none', 'hide', 'invisible', 'screen-reader-only']);

/** Words that keep an element even when a negative word matches (Readability's "maybe candidate"). */
const SAVE_WORDS = new Set(['article', 'body', 'column', 'content', 'main', 'shadow']);

/** Words that raise a container's content score (Readability's positive class weight). */
const POSITIVE_WORDS = new Set(['article', 'body', 'content', 'entry', 'hentry', 'main', 'page', 'post', 'text', 'blog', 'story', 'prose', 'markdown', 'answer', 'question', 'recipe']);

const WORD_SPLIT = /[^a-z]+/;

function words(value: string): string[] {
  // camelCase humps become separate words ("tocCollapsible" → toc collapsible).
  const spaced = value.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return spaced.split(WORD_SPLIT);
}

export interface ClassSignals {
  /** A strong negative word matched. */
  readonly negative: boolean;
  /** A weak negative word matched (and no strong one). */
  readonly weak: boolean;
  /** A "save" word matched (negative words are then ignored for dropping). */
  readonly save: boolean;
  /** -25 / 0 / +25 / 0: Readability-style class weight. */
  readonly weight: number;
  /** A whole class name says the element is visually hidden. */
  readonly hidden: boolean;
}

const NONE: ClassSignals = Object.freeze({ negative: false, weak: false, save: false, weight: 0, hidden: false });

/**
 * Memo of class/id signals (pages repeat the same class strings many times): by class, then by
 * id, without building a joined key per element. Pairs with a NUL in either value use the
 * joined key "class\0id" (where distinct pairs can share a key, first one wins), as before.
 */
export class ClassMemo {
  readonly byClass = new Map<string, Map<string, ClassSignals>>();
  readonly joined = new Map<string, ClassSignals>();
}

/** Class/id signals of one element, memoised in `memo` when given. */
export function classSignals(el: El, memo?: ClassMemo): ClassSignals {
  const a = el.attrs;
  if (a === null) return NONE;
  const cls = a.class ?? '';
  const id = a.id ?? '';
  if (cls === '' && id === '') return NONE;
  if (memo === undefined) return computeSignals(cls, id);
  let sig: ClassSignals | undefined;
  if (cls.indexOf('\u0000') >= 0 || id.indexOf('\u0000') >= 0) {
    const key = `${cls}\u0000${id}`;
    sig = memo.joined.get(key);
    if (sig === undefined) memo.joined.set(key, (sig = computeSignals(cls, id)));
    return sig;
  }
  let byId = memo.byClass.get(cls);
  if (byId === undefined) memo.byClass.set(cls, (byId = new Map()));
  sig = byId.get(id);
  if (sig === undefined) byId.set(id, (sig = computeSignals(cls, id)));
  return sig;
}

function computeSignals(cls: string, id: string): ClassSignals {
  let negative = false;
  let weak = false;
  let save = false;
  let positive = false;
  let hidden = false;
  if (cls !== '') {
    for (const c of cls.split(/\s+/)) if (c !== '' && HIDDEN_CLASSES.has(c.toLowerCase())) hidden = true;
  }
  for (const v of [cls, id]) {
    if (v === '') continue;
    for (const w of words(v)) {
      if (w.length < 2) continue;
      if (STRONG_WORDS.has(w)) negative = true;
      else if (WEAK_WORDS.has(w)) weak = true;
      if (SAVE_WORDS.has(w)) save = true;
      if (POSITIVE_WORDS.has(w)) positive = true;
    }
  }
  const weight = (negative || weak ? -25 : 0) + (positive ? 25 : 0);
  return { negative, weak: weak && !negative, save, weight, hidden };
}

/** True when inline style or attributes hide the element. */
export function isHidden(el: El): boolean {
  const a = el.attrs;
  if (a === null) return false;
  if (a.hidden !== undefined) return true;
  if (a['aria-hidden'] !== undefined && a['aria-hidden'].trim().toLowerCase() === 'true') return true;
  const st = a.style;
  if (st !== undefined && st.length > 0) {
    const s = st.toLowerCase().replace(/\s+/g, '');
    if (s.includes('display:none') || s.includes('visibility:hidden')) return true;
  }
  return false;
}
