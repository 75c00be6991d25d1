/**
 * HtmlCompressor: an HTML page becomes its main content as markdown-ish text (extract.ts),
 * followed by one marker naming the full original page in CCR. The reference (trafilatura)
 * drops the page without a marker (spec ALGORITHMS.md §4.6 ⚠); here every cut is retrievable.
 *
 * Output shape:
 *
 *   # <title>
 *
 *   <main content: headings, paragraphs, lists, tables, code>
 *
 *   [headroom: 41 elements omitted (HTML page reduced to main content as markdown; dropped
 *   script 12, style 3, nav 2, header/footer 3, ads/share/widgets 9, outside main content 12).
 *   Retrieve: hash=<24 hex>]
 *
 * The count is of dropped subtrees (an element and everything in it), by reason.
 */
import { ccrHash } from '../../ccr/hash.js';
import { formatTextMarker, parseMarkers } from '../../ccr/markers.js';
import { unchanged, type CompressorDeps, type CompressorInput, type CompressorOutput, type ContentCompressor } from '../compressor.js';
import { resolveHtmlConfig, type HtmlConfig } from './config.js';
import { extractMainContent, type Extraction } from './extract.js';

export { extractMainContent } from './extract.js';
export type { Extraction, ExtractOptions, ExtractedLink, ExtractionStats } from './extract.js';
export type { LinkMode } from './flags.js';
export { DEFAULT_HTML_CONFIG, resolveHtmlConfig, resolveHtmlSection, type HtmlConfig, type ResolvedHtmlConfig } from './config.js';
export { parseHtml, type El, type ParsedDocument } from './dom.js';
export { decodeEntities } from './entities.js';

/** CCR `source` of entries this compressor records. */
export const HTML_SOURCE = 'html';

const REASON_LABEL: Readonly<Record<string, string>> = {
  'boilerplate class': 'ads/share/widgets',
  'link list': 'link lists',
  form: 'forms/controls',
  'outside main content': 'outside main content',
};
const REASON_ORDER = ['script', 'style', 'nav', 'header/footer', 'aside', 'boilerplate class', 'form', 'hidden', 'media', 'link list', 'outside main content'];

/** Looks like markup: at least one start or end tag. */
const TAG = /<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>/;

/**
 * Output this much shorter than the input (in characters) is fewer tokens without counting:
 * the output is the page's own text (entities decoded, whitespace collapsed) plus at most a few
 * markdown characters per block, each block having lost at least one tag pair (≥ 2 tokens) to
 * the conversion. The router counts again before it uses the result.
 */
const SURE_CHAR_RATIO = 0.85;

function dropNote(ex: Extraction): { count: number; note: string } {
  const d = ex.stats.dropped;
  const parts: string[] = [];
  let count = 0;
  const seen = new Set<string>();
  const add = (k: string) => {
    const v = d[k];
    if (v === undefined || v === 0 || seen.has(k)) return;
    seen.add(k);
    count += v;
    parts.push(`${REASON_LABEL[k] ?? k} ${v}`);
  };
  for (const k of REASON_ORDER) add(k);
  for (const k of Object.keys(d).sort()) add(k);
  return { count, note: parts.join(', ') };
}

function alreadyCompressed(text: string): boolean {
  return (text.includes('[headroom: ') || text.includes('"_headroom"')) && parseMarkers(text).length > 0;
}

export const htmlCompressor: ContentCompressor<HtmlConfig> = {
  name: 'html',
  compress(input: CompressorInput, deps: CompressorDeps, config: HtmlConfig): CompressorOutput {
    const cfg = resolveHtmlConfig(config);
    const text = input.text;
    if (!cfg.enabled) return unchanged(text, 'html compressor disabled');
    if (text.length === 0 || !TAG.test(text)) return unchanged(text, 'no HTML tags');
    if (alreadyCompressed(text)) return unchanged(text, 'already compressed');
    // Counting is only needed near the threshold: a token is rarely more than 16 characters.
    let inputTokens = -1;
    if (cfg.minTokens > 0 && text.length < cfg.minTokens * 16) {
      inputTokens = deps.counter.countText(text);
      if (inputTokens < cfg.minTokens) return unchanged(text, `below ${cfg.minTokens} tokens`);
    }
    let ex: Extraction;
    try {
      ex = extractMainContent(text, { links: cfg.links });
    } catch {
      return unchanged(text, 'extraction failed');
    }
    const hash = ccrHash(text);
    const { count, note } = dropNote(ex);
    const body = ex.text.trim();
    const marker =
      count > 0
        ? formatTextMarker({
            count,
            unit: 'elements',
            hash,
            note: `HTML page reduced to ${body === '' ? 'nothing readable' : 'main content as markdown'}; dropped ${note}`,
          })
        : formatTextMarker({ count: ex.stats.elements, unit: 'tags', hash, note: 'HTML markup converted to markdown; text kept' });
    const output = body === '' ? marker : `${body}\n\n${marker}`;
    // Never larger: sure below SURE_CHAR_RATIO of the characters (see there); otherwise count both.
    if (output.length >= text.length) return unchanged(text, 'extraction not smaller');
    if (output.length > text.length * SURE_CHAR_RATIO) {
      if (inputTokens < 0) inputTokens = deps.counter.countText(text);
      if (deps.counter.countText(output) >= inputTokens) return unchanged(text, 'extraction not smaller in tokens');
    }
    deps.ccr.record({
      hash,
      content: text,
      source: HTML_SOURCE,
      meta: { title: ex.title, elements: ex.stats.elements, dropped: ex.stats.dropped, fallback: ex.stats.fallback, toolName: input.toolName },
    });
    return {
      changed: true,
      output,
      labels: [`html:chars=${text.length}->${output.length}`],
      hashes: [hash],
      ...(ex.stats.fallback ? { note: 'main container unclear; kept all non-boilerplate text' } : {}),
    };
  },
};
