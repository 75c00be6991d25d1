/**
 * HtmlCompressor through the ContentCompressor contract: one marker whose hash was recorded
 * with the byte-exact page, never larger in tokens, deterministic, idempotent, pass-through
 * below the threshold and for non-HTML, no throw on garbage; savings on boilerplate-heavy pages.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMarkers } from '../../engine/ccr/markers.js';
import { ConfigurationError } from '../../engine/errors.js';
import { htmlCompressor, resolveHtmlConfig } from '../../engine/transforms/html/index.js';
import { labelledPages } from '../fixtures/compressors/html/labelled.js';
import { bpe, contractProblems, garbageInputs, run } from '../fixtures/compressors/text/harness.js';

const pages = labelledPages();

describe('HtmlCompressor contract on the labelled pages', () => {
  for (const p of pages) {
    it(`${p.name}: one recorded marker, smaller, deterministic, idempotent`, () => {
      const r = run(htmlCompressor, { text: p.html, query: '' }, {});
      expect(r.out.changed).toBe(true);
      expect(contractProblems(p.html, r)).toEqual([]);
      const m = parseMarkers(r.out.output);
      expect(m[0].unit).toBe('elements');
      expect(m[0].note).toMatch(/^HTML page reduced to main content as markdown; dropped /);
      expect(r.out.output.endsWith(`Retrieve: hash=${m[0].hash}]`)).toBe(true);
      expect(r.entries[0].source).toBe('html');
      expect(r.out.labels[0]).toMatch(/^html:chars=\d+->\d+$/);
      // Same input, same output; its own output passes through.
      expect(run(htmlCompressor, { text: p.html, query: '' }, {}).out.output).toBe(r.out.output);
      const again = run(htmlCompressor, { text: r.out.output, query: '' }, {});
      expect(again.out.changed).toBe(false);
      expect(again.out.output).toBe(r.out.output);
    });
  }

  it('saves at least 85% of tokens on each boilerplate-heavy page and about 95% in aggregate', () => {
    let before = 0;
    let after = 0;
    for (const name of ['spa-nextjs', 'big-nav-footer', 'release-notes', 'docs-page']) {
      const p = pages.find((x) => x.name === name)!;
      const r = run(htmlCompressor, { text: p.html, query: '' }, {});
      const a = bpe.countText(p.html);
      const b = bpe.countText(r.out.output);
      expect(1 - b / a).toBeGreaterThanOrEqual(0.85);
      before += a;
      after += b;
    }
    expect(1 - after / before).toBeGreaterThanOrEqual(0.94);
  });
});

describe('HtmlCompressor pass-through and config', () => {
  it('passes through small pages, text without tags, and disabled config', () => {
    const small = '<html><body><p>Hello <b>world</b>.</p></body></html>';
    expect(run(htmlCompressor, { text: small, query: '' }, {}).out).toMatchObject({ changed: false, output: small, note: 'below 300 tokens' });
    const plain = 'Just prose without any markup. '.repeat(200);
    expect(run(htmlCompressor, { text: plain, query: '' }, {}).out).toMatchObject({ changed: false, note: 'no HTML tags' });
    const big = pages[0].html;
    expect(run(htmlCompressor, { text: big, query: '' }, { enabled: false }).out).toMatchObject({ changed: false, output: big });
    expect(run(htmlCompressor, { text: big, query: '' }, { minTokens: 1_000_000 }).out.changed).toBe(false);
  });

  it('compresses small pages when the threshold is lowered, with a tags marker when nothing was dropped', () => {
    const row = (i: number) => `<tr class="row-${i}"><td class="cell cell-name" data-id="${i}"><span class="label">Item ${i}</span></td><td class="cell cell-value" style="text-align:right">${i * 7}</td></tr>`;
    const html = `<div class="wrapper"><h2 class="title">Title here</h2><p>Some <b>bold</b> text with <a href="/x" class="link-style">a link</a> in it.</p><table class="data"><tr><th>Name</th><th>Value</th></tr>${Array.from({ length: 12 }, (_, i) => row(i)).join('')}</table></div>`;
    const r = run(htmlCompressor, { text: html, query: '' }, { minTokens: 0 });
    expect(contractProblems(html, r)).toEqual([]);
    expect(r.out.output).toMatch(/^## Title here\n\nSome bold text with a link in it.\n\n\| Name \| Value \|\n\| --- \| --- \|\n\| Item 0 \| 0 \|/);
    expect(r.out.output).toMatch(/\[headroom: \d+ tags omitted \(HTML markup converted to markdown; text kept\)/);
  });

  it('writes inline links on request', () => {
    const p = pages.find((x) => x.name === 'release-notes')!;
    const r = run(htmlCompressor, { text: p.html, query: '' }, { links: 'inline' });
    expect(r.out.output).toContain('[#1204](https://github.example/quillmark/quill/pull/1204)');
    expect(contractProblems(p.html, r)).toEqual([]);
  });

  it('rejects invalid config with one ConfigurationError', () => {
    expect(() => resolveHtmlConfig({ minTokens: -1, links: 'all' as never, enabled: 'yes' as never })).toThrow(ConfigurationError);
    try {
      resolveHtmlConfig({ minTokens: -1, links: 'all' as never });
    } catch (e) {
      expect((e as ConfigurationError).details?.problems).toHaveLength(2);
    }
  });

  it('marks a script-only page as nothing readable, still retrievable', () => {
    const html = `<html><head><title></title><script>${'window.__DATA__ = {"a":[1,2,3]};'.repeat(200)}</script></head><body><div id="app"></div></body></html>`;
    const r = run(htmlCompressor, { text: html, query: '' }, {});
    expect(contractProblems(html, r)).toEqual([]);
    expect(r.out.output).toMatch(/^\[headroom: 1 elements omitted \(HTML page reduced to nothing readable; dropped script 1\)/);
  });
});

describe('HtmlCompressor on garbage', () => {
  for (const [name, text] of garbageInputs()) {
    it(`${name}: no throw, contract holds`, () => {
      const r = run(htmlCompressor, { text, query: '' }, {});
      expect(contractProblems(text, r)).toEqual([]);
    });
  }

  it('holds the contract on random tag soup (property)', () => {
    const pieces = [
      '<div>', '</div>', '<p>', '</p>', '<nav>', '</nav>', '<a href="/x">', '</a>', '<script>var x = "</div>";</script>', '<style>p{}</style>',
      '<!-- c -->', '<ul><li>', '</li></ul>', '<table><tr><td>', '</td></tr></table>', '<pre>', '</pre>', '<h2>', '</h2>', '&amp;', '&#x263A;',
      'Some words of text, with commas. ', 'Another sentence here! ', 'error 0x1F in module ', '\n', '<br>', '<img src=x>', '<footer>', '</footer>',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { minLength: 50, maxLength: 400 }), (parts) => {
        const html = parts.join('');
        const r = run(htmlCompressor, { text: html, query: '' }, { minTokens: 0 });
        expect(contractProblems(html, r)).toEqual([]);
        if (r.out.changed) {
          const again = run(htmlCompressor, { text: r.out.output, query: '' }, { minTokens: 0 });
          expect(again.out.changed).toBe(false);
        }
      }),
      { numRuns: 150 },
    );
  });
});
