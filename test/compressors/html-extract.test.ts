/**
 * Main-content extraction: token-level F1 against hand-written gold text on the labelled pages
 * (test/fixtures/compressors/html), boilerplate removal, and the markdown rendering of
 * headings, paragraphs, lists, tables, code and links.
 */
import { describe, expect, it } from 'vitest';
import { extractMainContent } from '../../engine/transforms/html/index.js';
import { labelledPages, tokenF1 } from '../fixtures/compressors/html/labelled.js';

const pages = labelledPages();

describe('labelled pages (token-level F1 vs hand-written gold)', () => {
  const scores = pages.map((p) => ({ page: p, ...tokenF1(extractMainContent(p.html).text, p.gold) }));

  it('has at least 12 varied labelled pages', () => {
    expect(pages.length).toBeGreaterThanOrEqual(12);
    expect(new Set(pages.map((p) => p.kind)).size).toBeGreaterThanOrEqual(12);
  });

  it('mean F1 is at least 0.85 (the reference reports about 0.92 on its benchmark)', () => {
    const mean = scores.reduce((s, x) => s + x.f1, 0) / scores.length;
    expect(mean).toBeGreaterThanOrEqual(0.85);
  });

  for (const s of scores) {
    it(`${s.page.name} (${s.page.kind}): F1 ≥ 0.7`, () => {
      expect(s.f1).toBeGreaterThanOrEqual(0.7);
    });
  }

  it('keeps every gold heading of every page', () => {
    const missing: string[] = [];
    for (const p of pages) {
      const out = extractMainContent(p.html).text;
      for (const line of p.gold.split('\n')) {
        const m = /^#{2,6} (.+)$/.exec(line);
        if (m && !out.includes(m[1])) missing.push(`${p.name}: ${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('boilerplate removal', () => {
  const page = (body: string, head = '<title>T</title>') => `<!doctype html><html><head>${head}</head><body>${body}</body></html>`;
  const article = '<article><h1>The headline</h1><p>' + 'This is the main text of the article, with enough words to count as content. '.repeat(8) + '</p><p>' + 'A second paragraph follows, again long enough, with commas, clauses, and detail. '.repeat(6) + '</p></article>';

  it('drops nav, header, footer, aside, forms, cookie banners, share bars and hidden elements', () => {
    const html = page(
      '<header><a href="/">Site</a></header><nav><a href="/a">Alpha section</a> <a href="/b">Beta section</a></nav>' +
        '<div class="cookie-banner">We use cookies to improve your experience</div>' +
        '<div class="share-buttons"><a href="#">Share on Facebook</a></div>' +
        article +
        '<aside><h3>Trending</h3><a href="/t">Something else entirely</a></aside>' +
        '<form><input name=q><button>Subscribe now</button></form>' +
        '<div style="display: none">Hidden promo text</div><div aria-hidden="true">Icon label</div><div hidden>Also hidden</div>' +
        '<footer>Copyright 2024 Example Corp, all rights reserved</footer>',
    );
    const ex = extractMainContent(html);
    expect(ex.text).toContain('The headline');
    expect(ex.text).toContain('This is the main text of the article');
    for (const junk of ['Alpha section', 'cookies', 'Share on Facebook', 'Trending', 'Subscribe now', 'Hidden promo', 'Icon label', 'Also hidden', 'Copyright']) {
      expect(ex.text).not.toContain(junk);
    }
    expect(ex.stats.dropped['nav']).toBeGreaterThanOrEqual(1);
    expect(ex.stats.dropped['header/footer']).toBeGreaterThanOrEqual(2);
  });

  it('picks the article over a longer comment section made of short replies', () => {
    const replies = Array.from({ length: 30 }, (_, i) => `<div class="reply"><a href="/u/${i}">user${i}</a><p>I think reply number ${i} has an opinion about this.</p><a href="#">Like</a></div>`).join('');
    const ex = extractMainContent(page(`<main>${article}<section class="responses">${replies}</section></main>`));
    expect(ex.text).toContain('A second paragraph follows');
    expect(ex.text).not.toContain('reply number 7');
  });

  it('falls back to all non-boilerplate text when no container stands out', () => {
    const ex = extractMainContent(page('<div>Short note one.</div><div>Short note two.</div><nav><a href="/">Home</a></nav>'));
    expect(ex.text).toContain('Short note one.');
    expect(ex.text).toContain('Short note two.');
    expect(ex.text).not.toContain('Home');
  });

  it('returns empty text (never throws) for pages without readable text', () => {
    const ex = extractMainContent('<html><head><script>var a = 1;</script><style>p{}</style></head><body><div id="root"></div></body></html>');
    expect(ex.text).toBe('');
    expect(ex.stats.dropped['script']).toBe(1);
  });
});

describe('markdown rendering', () => {
  const render = (body: string, links: 'text' | 'inline' = 'text') => extractMainContent(`<html><body><main>${body}</main></body></html>`, { links }).text;

  it('renders headings, paragraphs and inline code, collapsing whitespace', () => {
    expect(render('<h2>Setup</h2><p>Run   <code>npm  ci</code>\n then\tbuild.</p>')).toBe('## Setup\n\nRun `npm ci` then build.');
  });

  it('renders nested lists', () => {
    expect(render('<ul><li>one<ul><li>inner</li></ul></li><li>two</li></ul><ol><li>first</li><li>second</li></ol>')).toBe('- one\n  - inner\n- two\n\n1. first\n2. second');
  });

  it('renders data tables as pipe tables with a header separator only under a header row', () => {
    expect(render('<table><thead><tr><th>A</th><th>B|C</th></tr></thead><tr><td>1</td><td>2</td></tr><tr><td colspan="2">wide</td></tr></table>')).toBe(
      '| A | B\\|C |\n| --- | --- |\n| 1 | 2 |\n| wide |  |',
    );
    expect(render('<table><tr><th>Weight</th><td>5 lb</td></tr><tr><th>Size</th><td>Large</td></tr></table>')).toBe('| Weight | 5 lb |\n| Size | Large |');
  });

  it('renders layout tables cell by cell', () => {
    const long = (w: string) => `${w}: layout cell text that is long enough, with commas, to be a real paragraph of content. `.repeat(4).trim();
    const nav = '<a href="/1">Home</a><br><a href="/2">Radios</a><br><a href="/3">Links</a>';
    const out = render(`<table><tr><td>${nav}</td><td><p>${long('one')}</p><table><tr><td><p>${long('two')}</p><p>${long('three')}</p></td></tr></table></td></tr></table>`);
    expect(out).toBe(`${long('one')}\n\n${long('two')}\n\n${long('three')}`);
  });

  it('renders code blocks with their language and keeps whitespace; <br> inside pre is a newline', () => {
    expect(render('<pre class="language-python"><code>def f():\n    return 1</code></pre>')).toBe('```python\ndef f():\n    return 1\n```');
    expect(render('<pre><code><span class="token comment">// a</span><br><span>b()</span></code></pre>')).toBe('```\n// a\nb()\n```');
    expect(render('<pre>has ``` inside</pre>')).toBe('````\nhas ``` inside\n````');
  });

  it('renders blockquotes, definition lists and line breaks', () => {
    expect(render('<blockquote><p>quoted</p><p>twice</p></blockquote>')).toBe('> quoted\n> \n> twice');
    expect(render('<dl><dt>Term</dt><dd>Meaning</dd></dl>')).toBe('Term\nMeaning');
    expect(render('<p>line one<br>line two</p>')).toBe('line one\nline two');
  });

  it('writes links as text by default and [text](href) inline on request; collects them', () => {
    expect(render('<p>See <a href="/docs">the docs</a> and <a href="#top">top</a>.</p>')).toBe('See the docs and top.');
    expect(render('<p>See <a href="/docs">the docs</a>.</p>', 'inline')).toBe('See [the docs](/docs).');
    const ex = extractMainContent('<main><p>See <a href="https://x.example/a">A</a> and <a href="javascript:void(0)">B</a>.</p></main>');
    expect(ex.links).toEqual([{ text: 'A', href: 'https://x.example/a' }]);
  });

  it('decodes entities in text and drops zero-width characters', () => {
    expect(render('<p>Fish &amp; chips &mdash; caf&eacute;&#8203; &nbsp;ok</p>')).toBe('Fish & chips — café ok');
  });
});

describe('title', () => {
  it('uses the main heading when it matches the <title>, else the cleaned <title>', () => {
    expect(extractMainContent('<title>Deep dive into caches | Blog Name</title><main><h1>Deep dive into caches</h1><p>x</p></main>').title).toBe('Deep dive into caches');
    expect(extractMainContent('<title>A long descriptive page title here | Site</title><main><p>text</p></main>').title).toBe('A long descriptive page title here');
    expect(extractMainContent('<main><h1>Only heading</h1><p>text</p></main>').title).toBe('Only heading');
  });

  it('does not repeat the title as the first heading', () => {
    const ex = extractMainContent('<title>Hello world</title><main><h1>Hello world</h1><p>Body text.</p></main>');
    expect(ex.text).toBe('# Hello world\n\nBody text.');
  });
});
