/**
 * The DOM-less HTML parser and entity decoder: forgiving tokenisation (unclosed tags, '>' inside
 * quoted attributes, comments, CDATA, raw-text script/style, numeric and legacy entities),
 * implied end tags, bounded nesting, and linear behaviour on hostile inputs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseHtml, type El } from '../../engine/transforms/html/dom.js';
import { decodeEntities } from '../../engine/transforms/html/entities.js';
import { extractMainContent } from '../../engine/transforms/html/extract.js';

function tags(el: El): string {
  const kids = el.children.map((c) => (typeof c === 'string' ? JSON.stringify(c) : tags(c))).join(',');
  return el.tag === '#root' ? kids : `${el.tag}(${kids})`;
}

function find(el: El, tag: string): El | undefined {
  for (const c of el.children) {
    if (typeof c === 'string') continue;
    if (c.tag === tag) return c;
    const r = find(c, tag);
    if (r) return r;
  }
  return undefined;
}

describe('entities', () => {
  it('decodes named, decimal and hex references', () => {
    expect(decodeEntities('a &amp; b &lt;c&gt; &quot;d&quot; &copy; &mdash; &hellip;')).toBe('a & b <c> "d" © — …');
    expect(decodeEntities('&#65;&#x42;&#X43; &#128512; &#x1F600;')).toBe('ABC 😀 😀');
  });
  it('follows the WHATWG edge cases', () => {
    expect(decodeEntities('&#0; &#xD800; &#x110000;')).toBe('\ufffd \ufffd \ufffd');
    expect(decodeEntities('&#128; &#150;')).toBe('€ –'); // C1 range through Windows-1252
    expect(decodeEntities('&copy 2008 &amp AT&T')).toBe('© 2008 & AT&T'); // legacy names without ';'
    expect(decodeEntities('?a=1&copy=2', true)).toBe('?a=1&copy=2'); // not in attributes before '='
    expect(decodeEntities('&nosuchthing; & &; &#; &#x;')).toBe('&nosuchthing; & &; &#; &#x;');
    expect(decodeEntities('&#99999999999999;')).toBe('\ufffd');
  });
});

describe('parseHtml', () => {
  it('keeps ">" inside quoted attributes and handles unquoted and missing values', () => {
    const d = parseHtml('<a href="/x?a>b" class=\'c>d\' data-x=1 disabled>link</a>');
    const a = find(d.root, 'a')!;
    expect(a.attrs?.href).toBe('/x?a>b');
    expect(a.attrs?.class).toBe('c>d');
    expect(tags(d.root)).toBe('a("link")');
  });

  it('drops comments, doctype, processing instructions and bogus comments; keeps CDATA text', () => {
    const d = parseHtml('<!DOCTYPE html><!-- a <p>hidden</p> --><?xml x?><p>one<!---->two</p></ foo><![CDATA[raw <b>text</b>]]>');
    expect(tags(d.root)).toBe('p("onetwo"),"raw <b>text</b>"');
  });

  it('treats script/style/noscript content as raw text and counts it', () => {
    const d = parseHtml('<p>a</p><script>if (a < b && c > d) document.write("</p><p>x")</script><style>p>a{}</style><noscript><img src=x></noscript><p>b</p>');
    expect(tags(d.root)).toBe('p("a"),p("b")');
    expect(d.skipped.get('script')).toBe(1);
    expect(d.skipped.get('style')).toBe(1);
    expect(d.skipped.get('noscript')).toBe(1);
  });

  it('finds raw-text end tags case-insensitively and runs to the end when unclosed', () => {
    expect(tags(parseHtml('<SCRIPT>x</Script ><p>after</p>').root)).toBe('p("after")');
    expect(tags(parseHtml('<p>before</p><script>never closed <p>x</p>').root)).toBe('p("before")');
  });

  it('reads the title (entities decoded) and meta tags', () => {
    const d = parseHtml('<head><title>A &amp; B</title><meta property="og:title" content="OG"><meta name=description content="D"></head>');
    expect(d.title).toBe('A & B');
    expect(d.meta.get('og:title')).toBe('OG');
    expect(d.meta.get('description')).toBe('D');
  });

  it('closes implied end tags: p, li, dt/dd, tr, td, option, headings, nested a', () => {
    expect(tags(parseHtml('<p>one<p>two<div>three</div>').root)).toBe('p("one"),p("two"),div("three")');
    expect(tags(parseHtml('<ul><li>a<li>b<ul><li>c</ul><li>d</ul>').root)).toBe('ul(li("a"),li("b",ul(li("c"))),li("d"))');
    expect(tags(parseHtml('<dl><dt>t<dd>d<dt>t2</dl>').root)).toBe('dl(dt("t"),dd("d"),dt("t2"))');
    expect(tags(parseHtml('<table><tr><td>1<td>2<tr><th>3</table>').root)).toBe('table(tr(td("1"),td("2")),tr(th("3")))');
    expect(tags(parseHtml('<a href=1>x<a href=2>y</a>').root)).toBe('a("x"),a("y")');
    expect(tags(parseHtml('<h1>x<h2>y</h2>').root)).toBe('h1("x"),h2("y")');
  });

  it('ignores stray end tags, treats </br> as <br>, and closes to the nearest open element', () => {
    expect(tags(parseHtml('</div><p>a</span>b</p></p>c</br>d').root)).toBe('p("ab"),"c",br(),"d"');
    expect(tags(parseHtml('<div><span><b>x</div>y').root)).toBe('div(span(b("x"))),"y"');
  });

  it('accepts void and self-closing elements and uppercase names', () => {
    expect(tags(parseHtml('<P>a<BR>b<IMG SRC=x>c<custom-el/>d</P>').root)).toBe('p("a",br(),"b",img(),"c",custom-el(),"d")');
  });

  it('keeps whitespace inside <pre> and shares whitespace-only text elsewhere', () => {
    const d = parseHtml('<div>\n   <pre>  a\n    b</pre>\n  </div>');
    const pre = find(d.root, 'pre')!;
    expect(pre.children).toEqual(['  a\n    b']);
    expect(find(d.root, 'div')!.children.filter((c) => c === ' ').length).toBe(2);
  });

  it('drops a tag cut off by the end of input and treats a lone "<" as text', () => {
    expect(tags(parseHtml('<p>a < b and c<d').root)).toBe('p("a < b and c")');
    expect(tags(parseHtml('x <3 y <').root)).toBe('"x <3 y <"');
  });

  it('falls back to an unquoted value when a quote never closes', () => {
    const d = parseHtml('<a href="oops>text</a><p>after</p>');
    expect(find(d.root, 'p')).toBeDefined();
  });

  it('flattens nesting deeper than MAX_DEPTH and stays linear on hostile inputs', () => {
    const deep = '<div>'.repeat(50_000) + 'core' + '</div>'.repeat(50_000);
    const d = parseHtml(deep);
    let depth = 0;
    for (let el: El | undefined = d.root; el; el = el.children.find((c): c is El => typeof c !== 'string')) depth++;
    expect(depth).toBeLessThan(300);
    // Thousands of unterminated quotes, comments and raw-text openers must not rescan the input.
    const hostile = '<a href="x'.repeat(20_000) + '<!--'.repeat(20_000) + '<script>'.repeat(20_000);
    expect(() => parseHtml(hostile)).not.toThrow();
    expect(() => extractMainContent(deep)).not.toThrow();
  });

  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (s) => {
        parseHtml(s);
        extractMainContent(s);
      }),
      { numRuns: 300 },
    );
    const pieces = ['<', '>', '</', '/>', '<!--', '-->', '"', "'", '=', 'div', 'p', 'script', 'a href', '&amp;', '&#', ' ', '\n', 'text', '<![CDATA[', ']]>'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 200 }), (parts) => {
        const s = parts.join('');
        parseHtml(s);
        extractMainContent(s);
      }),
      { numRuns: 500 },
    );
  });
});
