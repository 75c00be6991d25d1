/**
 * HTML extractor and TextCompressor bench.
 *
 * - HTML: per labelled page (test/fixtures/compressors/html, hand-written gold), token-level F1
 *   of the extracted main content, tokens before/after the compressor and its time; then speed
 *   on three 1 MB pages (content-heavy, structure-heavy, script-heavy) beside a naive regex tag
 *   strip of the same input measured in the same process.
 * - Text: the hand-written prose cases (query matches kept, savings), the reference TextCrusher
 *   fixtures (their kept tokens vs ours, with and without our marker), and speed on 1 MB of
 *   generated prose with and without a query, beside one regex sentence split.
 *
 * Token counts are o200k_base (gpt-tokenizer, uncached, as the smart-crusher bench); kernels are
 * the routed WASM ones. Times are medians; MB/s = input characters / 10^6 per second.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { countTokens } from 'gpt-tokenizer';
import { initKernelsSync } from '../engine/kernels/index.js';
import type { TokenCounter } from '../engine/tokenizer/types.js';
import { extractMainContent, htmlCompressor } from '../engine/transforms/html/index.js';
import { DEFAULT_TEXT_CONFIG, resolveTextConfig, selectSegments, textCompressor } from '../engine/transforms/text/index.js';
import { labelledPages, tokenF1 } from '../test/fixtures/compressors/html/labelled.js';
import { ms, timeBoth } from './timing.js';

const counter: TokenCounter = {
  model: 'gpt-4o',
  encoding: 'o200k_base',
  exact: true,
  countText: (t) => countTokens(t),
  countMessage: () => 0,
  countMessages: () => 0,
};
const deps = { counter, ccr: { record: () => undefined } };
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const mbps = (chars: number, msv: number) => (chars / 1e6 / (msv / 1000)).toFixed(1);

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TARGET = 1_000_000;

/** ~1 MB pages built from the labelled fixtures. */
function bigPages(pages: ReturnType<typeof labelledPages>): Array<[string, string]> {
  const news = pages.find((p) => p.name === 'news-article')!.html;
  const a = news.indexOf('<p>The city council');
  const b = news.indexOf('<div class="newsletter-signup"');
  const body = news.slice(a, b);
  let article = news.slice(0, a);
  while (article.length + body.length < TARGET) article += body;
  article += news.slice(b);

  const bodies = pages.map((p) => {
    const s = p.html.search(/<body[^>]*>/i);
    const e = p.html.search(/<\/body>/i);
    return s >= 0 && e > s ? p.html.slice(p.html.indexOf('>', s) + 1, e) : p.html;
  });
  let mixed = '<!doctype html><html><head><title>Portal</title></head><body>';
  for (let k = 0; mixed.length < TARGET; k++) mixed += `<section id="s${k}">${bodies[k % bodies.length]}</section>`;
  mixed += '</body></html>';

  const r = rng(3);
  const words = 'cache route token user session layout render hydrate bundle chunk module export default props state effect memo'.split(' ');
  let script = '';
  while (script.length < TARGET * 0.85) {
    const w = () => words[Math.floor(r() * words.length)];
    script += `function ${w()}_${Math.floor(r() * 1e6)}(e,t){var n=t.${w()}||{};return n.${w()}?e.${w()}(n,${Math.floor(r() * 100)}):"${w()}-${w()}"}`;
  }
  const heavy = news.replace('</head>', `<script>${script}</script><script type="application/json" id="__DATA__">${JSON.stringify({ blob: script.slice(0, TARGET * 0.1) })}</script></head>`);
  return [
    ['content-heavy (news article, body repeated)', article],
    ['structure-heavy (15 page bodies, repeated)', mixed],
    ['script-heavy (news article + 0.95 MB inline JS/JSON)', heavy],
  ];
}

/** ~1 MB of generated prose: headed sections of paragraphs, some ids, numbers and error sentences. */
function bigProse(): string {
  const r = rng(11);
  const vocab = (
    'the a of to and in for on with as by at from that this system service request cache retry token user session ' +
    'latency shard replica backup deploy release config value timeout gateway proxy policy budget queue worker batch ' +
    'stream client server database index query plan table column page route handler module export report metric alert ' +
    'dashboard incident owner team review change rollout canary region cluster node volume bucket object archive'
  ).split(' ');
  const w = () => vocab[Math.floor(r() * vocab.length)];
  const parts: string[] = [];
  let size = 0;
  for (let sec = 0; size < TARGET; sec++) {
    const h = `## Section ${sec}: ${w()} ${w()}\n\n`;
    parts.push(h);
    size += h.length;
    for (let p = 0; p < 6; p++) {
      const sents: string[] = [];
      for (let s = 0; s < 3 + Math.floor(r() * 5); s++) {
        let t = Array.from({ length: 8 + Math.floor(r() * 18) }, w).join(' ');
        const x = r();
        if (x < 0.08) t += ` failed with error E${Math.floor(r() * 9000) + 1000}`;
        else if (x < 0.16) t += ` for id-${Math.floor(r() * 1e6).toString(16)}`;
        else if (x < 0.26) t += ` at ${Math.floor(r() * 100)}.${Math.floor(r() * 10)} percent`;
        sents.push(t[0].toUpperCase() + t.slice(1) + '.');
      }
      const para = sents.join(' ') + '\n\n';
      parts.push(para);
      size += para.length;
    }
  }
  return parts.join('');
}

function htmlSection(): string[] {
  const pages = labelledPages();
  const out: string[] = [
    '### HTML extraction (labelled pages)',
    '',
    `${pages.length} hand-written pages, each with a hand-written gold main text (test/fixtures/compressors/html, index.json). F1 = token-level F1 of extractMainContent().text against the gold (bags of lowercase letter/digit runs). Tokens: the page before, and the compressor's output (main content as markdown + one CCR marker) after.`,
    '',
    '| page | kind | F1 | precision | recall | HTML tokens | output tokens | savings | ms |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  let f1Sum = 0;
  let before = 0;
  let after = 0;
  const heavy = ['spa-nextjs', 'big-nav-footer', 'release-notes', 'docs-page'];
  let hb = 0;
  let ha = 0;
  for (const p of pages) {
    const s = tokenF1(extractMainContent(p.html).text, p.gold);
    const r = htmlCompressor.compress({ text: p.html, query: '' }, deps, {});
    const a = countTokens(p.html);
    const b = countTokens(r.output);
    const t = timeSync(() => htmlCompressor.compress({ text: p.html, query: '' }, deps, {}), 15);
    f1Sum += s.f1;
    before += a;
    after += b;
    if (heavy.includes(p.name)) {
      hb += a;
      ha += b;
    }
    out.push(`| ${p.name}${p.heldOut ? ' (held out)' : ''} | ${p.kind} | ${s.f1.toFixed(3)} | ${s.precision.toFixed(3)} | ${s.recall.toFixed(3)} | ${a.toLocaleString('en-US')} | ${b.toLocaleString('en-US')} | ${pct(1 - b / a)} | ${ms(t)} |`);
  }
  const held = pages.filter((p) => p.heldOut);
  const heldF1 = held.length ? held.reduce((s, p) => s + tokenF1(extractMainContent(p.html).text, p.gold).f1, 0) / held.length : NaN;
  out.push('');
  out.push(
    `Mean F1 **${(f1Sum / pages.length).toFixed(3)}** (target about 0.92, the reference's figure on its own benchmark; test floor 0.85)${held.length ? `; on the ${held.length} held-out pages written after the extractor was frozen: **${heldF1.toFixed(3)}**` : ''}. ` +
      `Savings over all pages ${pct(1 - after / before)}; on the boilerplate-heavy ones (${heavy.join(', ')}) ${pct(1 - ha / hb)} (reference: about 95% on HTML). ` +
      'Pages with little markup around a long text (legacy-table-layout, table-heavy) save less because there is little boilerplate to drop.',
  );
  out.push('');
  return out;
}



function timeSync(fn: () => unknown, runs: number, warmup = 2): number {
  for (let i = 0; i < warmup; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

function htmlSpeed(): string[] {
  const out: string[] = [
    '### HTML speed on 1 MB pages (target ≥ 20 MB/s)',
    '',
    'One compress() call: extraction, the SHA-256 CCR key of the whole page, the marker, and the never-larger check (it counts tokens only when the output keeps more than 85% of the characters). **CPU ms** = process.cpuUsage, best of 15 after warm-up (the claim); wall ms = median. Baseline: `html.replace(/<[^>]*>/g, " ")`, a naive tag strip of the same input, same measure.',
    '',
    '| page | chars | output chars | extract CPU ms | compressor CPU ms | **MB/s** | wall ms | naive strip CPU ms | compressor ÷ strip |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const [name, html] of bigPages(labelledPages())) {
    const ex = timeBoth(() => extractMainContent(html), 15);
    let outLen = 0;
    const c = timeBoth(() => {
      outLen = htmlCompressor.compress({ text: html, query: '' }, deps, {}).output.length;
    }, 15);
    const base = timeBoth(() => html.replace(/<[^>]*>/g, ' '), 15);
    out.push(
      `| ${name} | ${html.length.toLocaleString('en-US')} | ${outLen.toLocaleString('en-US')} | ${ms(ex.cpu)} | ${ms(c.cpu)} | **${mbps(html.length, c.cpu)}** | ${ms(c.wall)} | ${ms(base.cpu)} | ${(c.cpu / Math.max(base.cpu, 0.01)).toFixed(1)} |`,
    );
  }
  out.push('');
  return out;
}

function textSection(): string[] {
  const dir = new URL('../test/fixtures/compressors/text/', import.meta.url);
  const idx = JSON.parse(readFileSync(new URL('index.json', dir), 'utf8')) as { cases: Array<{ file: string; query: string; mustKeep: string[] }> };
  const out: string[] = [
    '### TextCompressor on hand-written prose',
    '',
    'Default config (keep ~45% of tokens; headings, protected tags and query matches always kept). "Query matches" = segments holding an exact anchor or a distinctive term of the question; "must keep" = the fixture\'s hand-picked strings (matches, headings, tags, the answer sentence).',
    '',
    '| file | query | tokens | output tokens | savings | query matches kept | must-keep strings kept | ms |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const c of idx.cases) {
    const text = readFileSync(new URL(c.file, dir), 'utf8');
    const r = textCompressor.compress({ text, query: c.query }, deps, {});
    const sel = selectSegments(text, c.query, counter, DEFAULT_TEXT_CONFIG);
    let m = 0;
    let mk = 0;
    for (let i = 0; i < sel.segments.length; i++) {
      if (!sel.queryMatch[i]) continue;
      m++;
      if (r.output.includes(text.slice(sel.segments[i].start, sel.segments[i].end))) mk++;
    }
    const a = countTokens(text);
    const b = countTokens(r.output);
    const t = timeSync(() => textCompressor.compress({ text, query: c.query }, deps, {}), 15);
    const must = c.mustKeep.filter((s) => r.output.includes(s)).length;
    out.push(`| ${c.file} | ${c.query === '' ? '(none)' : c.query.replace(/\|/g, '\\|')} | ${a} | ${b} | ${pct(1 - b / a)} | ${mk}/${m} | ${must}/${c.mustKeep.length} | ${ms(t)} |`);
  }
  out.push('', 'The reference documents 43–46% savings on plain text (limitations.md) and 60–80% for its TextCompressor; ours sits near 50% at the default ratio, with the marker included.', '');

  const fdir = new URL('../test/fixtures/headroom-parity/text_crusher/', import.meta.url);
  out.push(
    '### TextCompressor vs the reference TextCrusher fixtures',
    '',
    'Same inputs, query and target ratio as recorded (thresholds off so these short texts are compressed). Reference output has no marker and no CCR entry; ours carries a ~25-token marker, shown separately. "Their query-matching segments kept" = segments that match the query (exact anchor or distinctive term) and that the reference kept, also kept by us.',
    '',
    '| fixture | query | ratio | input tokens | reference tokens | ours | ours without marker | their query-matching segments kept |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const f of readdirSync(fdir).filter((x) => x.endsWith('.json')).sort()) {
    const fx = JSON.parse(readFileSync(new URL(f, fdir), 'utf8')) as { label: string; input: { content: string; context: string; target_ratio: number | null }; output: { compressed: string } };
    const cfg = { minTokens: 0, targetRatio: fx.input.target_ratio ?? 0.5 };
    const r = textCompressor.compress({ text: fx.input.content, query: fx.input.context }, deps, cfg);
    const body = r.changed ? r.output.replace(/\n\n\[headroom: [^\]]*\]$/, '') : r.output;
    const sel = selectSegments(fx.input.content, fx.input.context, counter, resolveTextConfig(cfg));
    let theirs = 0;
    let both = 0;
    for (let i = 0; i < sel.segments.length; i++) {
      const s = fx.input.content.slice(sel.segments[i].start, sel.segments[i].end);
      if (sel.queryMatch[i] && fx.output.compressed.includes(s)) {
        theirs++;
        if (r.output.includes(s)) both++;
      }
    }
    out.push(
      `| ${fx.label} | ${fx.input.context === '' ? '(none)' : fx.input.context} | ${fx.input.target_ratio ?? '–'} | ${countTokens(fx.input.content)} | ${countTokens(fx.output.compressed)} | ${countTokens(r.output)} | ${countTokens(body)} | ${theirs === 0 ? '–' : `${both}/${theirs}`} |`,
    );
  }
  out.push(
    '',
    'On these small synthetic inputs the marker costs more than it saves; in the pipeline texts under 300 tokens pass through. Differences by design: we drop sentences that repeat another with the same numbers (redundant), keep the start of a document rather than its end (plain_prose), split CJK sentences (unicode: the reference keeps all 60 tokens as one segment), and keep every distinctive query match even past the ratio (salient_heavy).',
    '',
  );
  return out;
}

function textSpeed(): string[] {
  const prose = bigProse();
  const out: string[] = [
    '### TextCompressor speed on 1 MB of prose (target ≥ 20 MB/s)',
    '',
    `${prose.length.toLocaleString('en-US')} characters of generated prose (${countTokens(prose).toLocaleString('en-US')} tokens). One compress() call: segmentation, token sizes (sampled above 64 KB), scoring, SimHash grouping, selection, the SHA-256 CCR key and the marker. **CPU ms** = best of 15 (process.cpuUsage); wall = median. Baseline: one regex sentence split, \`text.split(/(?<=[.!?])\\s+/)\`, same measure.`,
    '',
    '| query | segments kept | output tokens | savings | CPU ms | **MB/s** | wall ms | regex split CPU ms | compressor ÷ split |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const base = timeBoth(() => prose.split(/(?<=[.!?])\s+/), 15);
  for (const q of ['', 'why did the gateway timeout alert fire for shard E4821?']) {
    let r = textCompressor.compress({ text: prose, query: q }, deps, {});
    const t = timeBoth(() => {
      r = textCompressor.compress({ text: prose, query: q }, deps, {});
    }, 15);
    const b = countTokens(r.output);
    const a = countTokens(prose);
    out.push(
      `| ${q === '' ? '(none)' : q} | ${r.labels[0]?.replace('text:segments=', '') ?? '–'} | ${b.toLocaleString('en-US')} | ${pct(1 - b / a)} | ${ms(t.cpu)} | **${mbps(prose.length, t.cpu)}** | ${ms(t.wall)} | ${ms(base.cpu)} | ${(t.cpu / Math.max(base.cpu, 0.01)).toFixed(1)} |`,
    );
  }
  out.push('');
  return out;
}

export async function runHtmlTextBench(): Promise<string> {
  initKernelsSync();
  const out: string[] = ['## HTML extraction and text compression', ''];
  // Speed first, while the heap is small (the labelled-page and fixture sections load the BPE
  // tables and leave garbage that shows up in later CPU times); printed in reading order.
  const hs = htmlSpeed();
  const ts = textSpeed();
  out.push(...htmlSection());
  out.push(...hs);
  out.push(...textSection());
  out.push(...ts);
  out.push(
    `Load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores while this ran: wall times run above CPU times on a busy machine; the ratio columns compare with a trivial pass over the same input measured the same way.`,
    '',
  );
  return out.join('\n');
}
