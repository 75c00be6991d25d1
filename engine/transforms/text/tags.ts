/**
 * Tag protector (spec ALGORITHMS.md §2.5): finds spans of non-HTML tags such as
 * `<system-reminder>…</system-reminder>`, `<thinking>…</thinking>` or `<headroom:tool_digest …/>`
 * that text compression must leave intact. Instead of swapping spans for placeholders and
 * restoring them (the reference restored by first occurrence and duplicated identical blocks),
 * the compressor works on offsets: a span is atomic and always kept, byte for byte.
 *
 * One linear pass with a stack: a tag name starts with a letter or '_' and continues with
 * letters, digits, '_', '-', '.', ':'; attributes may be quoted ('>' inside quotes is part of
 * the value); `/>` closes the tag at once. A close tag matching an open one protects the span
 * from that open tag to the close (nested spans merge into the outer one); unmatched closes are
 * ignored. HTML5
 * element names are not protected (that is markup, not an agent tag); an unmatched open tag is
 * protected on its own only when its name looks namespaced or custom (contains '-', ':', '_' or
 * '.'), so prose like `List<String>` is not.
 */

/** Protected [start, end) ranges, sorted and non-overlapping. */
export type Ranges = ReadonlyArray<readonly [number, number]>;

/* prettier-ignore */
const HTML5 = new Set((
  'a abbr address area article aside audio b base bdi bdo blockquote body br button canvas caption cite code col colgroup ' +
  'data datalist dd del details dfn dialog div dl dt em embed fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 head ' +
  'header hgroup hr html i iframe img input ins kbd label legend li link main map mark menu meta meter nav noscript object ol ' +
  'optgroup option output p param picture pre progress q rp rt ruby s samp script search section select slot small source span ' +
  'strong style sub summary sup table tbody td template textarea tfoot th thead time title tr track u ul var video wbr svg math ' +
  'center font big tt strike marquee blink frame frameset noframes acronym applet basefont dir isindex listing plaintext xmp'
).split(' '));

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57) || c === 45 || c === 46 || c === 58;
}

interface OpenTag {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

/** Ends of a tag starting at `lt` ('<' followed by a name char or '/'), or -1 when it is not a well-formed tag. */
function tagEnd(s: string, p: number, limit: number): { end: number; selfClosing: boolean } | null {
  const n = Math.min(s.length, limit);
  while (p < n) {
    const c = s.charCodeAt(p);
    if (c === 62) return { end: p + 1, selfClosing: s.charCodeAt(p - 1) === 47 };
    if (c === 60) return null;
    if (c === 34 || c === 39) {
      let q = p + 1;
      while (q < n && s.charCodeAt(q) !== c) q++;
      if (q >= n) return null;
      p = q + 1;
      continue;
    }
    p++;
  }
  return null;
}

/** Open tags tracked at once (deeper nesting is ignored, which keeps close-tag matching bounded). */
const MAX_OPEN = 256;

/** Longest a single tag may be (attributes included); longer candidates are not tags. */
const MAX_TAG_LENGTH = 2048;

/** Finds protected tag spans in `text`. Linear in the text length. */
export function protectedRanges(text: string): Ranges {
  const out: Array<[number, number]> = [];
  const stack: OpenTag[] = [];
  const n = text.length;
  let i = text.indexOf('<');
  while (i >= 0 && i + 1 < n) {
    const c = text.charCodeAt(i + 1);
    const closing = c === 47;
    const ns = closing ? i + 2 : i + 1;
    if (ns >= n || !isNameStart(text.charCodeAt(ns))) {
      i = text.indexOf('<', i + 1);
      continue;
    }
    let p = ns + 1;
    while (p < n && isNameChar(text.charCodeAt(p))) p++;
    const name = text.slice(ns, p);
    const lower = name.toLowerCase();
    if (HTML5.has(lower)) {
      i = text.indexOf('<', p);
      continue;
    }
    const t = tagEnd(text, p, i + MAX_TAG_LENGTH);
    if (t === null) {
      i = text.indexOf('<', p);
      continue;
    }
    if (closing) {
      let k = stack.length - 1;
      while (k >= 0 && stack[k].name !== name) k--;
      if (k >= 0) {
        out.push([stack[k].start, t.end]);
        stack.length = k;
      }
    } else if (t.selfClosing) out.push([i, t.end]);
    else if (stack.length < MAX_OPEN) stack.push({ name, start: i, end: t.end });
    i = text.indexOf('<', t.end);
  }
  // Unclosed opens: protect the tag itself when the name looks like an agent/custom tag.
  for (const o of stack) if (/[-:_.]/.test(o.name)) out.push([o.start, o.end]);
  out.sort((a, b) => a[0] - b[0]);
  // Merge overlaps (an unclosed inner tag inside an outer span).
  const merged: Array<[number, number]> = [];
  for (const r of out) {
    const last = merged[merged.length - 1];
    if (last !== undefined && r[0] < last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}
