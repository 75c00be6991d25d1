/**
 * TextCompressor through the ContentCompressor contract: query matches and headings kept,
 * protected agent tags intact, one marker recorded with the byte-exact input, never larger,
 * deterministic, idempotent, order preserved, near-duplicates dropped, the target ratio
 * respected, pass-through for short texts, no throw on garbage; and the reference
 * TextCrusher fixtures (keep what they keep that matches their query).
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMarkers } from '../../engine/ccr/markers.js';
import { ConfigurationError } from '../../engine/errors.js';
import { analyzeQuery, DEFAULT_TEXT_CONFIG, resolveTextConfig, selectSegments, textCompressor } from '../../engine/transforms/text/index.js';
import { bpe, contractProblems, garbageInputs, rng, run } from '../fixtures/compressors/text/harness.js';

const DIR = new URL('../fixtures/compressors/text/', import.meta.url);
const index = JSON.parse(readFileSync(new URL('index.json', DIR), 'utf8')) as { cases: Array<{ file: string; query: string; mustKeep: string[] }> };
const read = (f: string) => readFileSync(new URL(f, DIR), 'utf8');

/** Kept segments appear in the output in their original order. */
function inOrder(input: string, output: string): boolean {
  const sel = selectSegments(input, '', bpe, DEFAULT_TEXT_CONFIG);
  let pos = 0;
  for (let i = 0; i < sel.segments.length; i++) {
    if (!sel.kept[i]) continue;
    const piece = input.slice(sel.segments[i].start, sel.segments[i].end);
    const at = output.indexOf(piece, pos);
    if (at < 0) return false;
    pos = at + piece.length;
  }
  return true;
}

describe('TextCompressor on hand-written prose', () => {
  for (const c of index.cases) {
    it(`${c.file} with ${c.query === '' ? 'no query' : JSON.stringify(c.query)}: keeps what the reader needs`, () => {
      const text = read(c.file);
      const r = run(textCompressor, { text, query: c.query }, {});
      expect(r.out.changed).toBe(true);
      expect(contractProblems(text, r)).toEqual([]);
      expect(c.mustKeep.filter((m) => !r.out.output.includes(m))).toEqual([]);
      expect(r.entries[0].source).toBe('text');
      expect(r.out.labels[0]).toMatch(/^text:segments=\d+->\d+$/);
      const saved = 1 - bpe.countText(r.out.output) / bpe.countText(text);
      expect(saved).toBeGreaterThan(0.3);
      expect(saved).toBeLessThan(0.75);
      // Deterministic and idempotent.
      expect(run(textCompressor, { text, query: c.query }, {}).out.output).toBe(r.out.output);
      expect(run(textCompressor, { text: r.out.output, query: c.query }, {}).out).toMatchObject({ changed: false, note: 'already compressed' });
    });
  }

  it('keeps 100% of query matches: every segment holding an exact anchor or a distinctive query term', () => {
    for (const c of index.cases.filter((x) => x.query !== '')) {
      const text = read(c.file);
      const sel = selectSegments(text, c.query, bpe, DEFAULT_TEXT_CONFIG);
      const out = run(textCompressor, { text, query: c.query }, {}).out.output;
      let matches = 0;
      for (let i = 0; i < sel.segments.length; i++) {
        if (!sel.queryMatch[i]) continue;
        matches++;
        expect(out).toContain(text.slice(sel.segments[i].start, sel.segments[i].end));
      }
      expect(matches).toBeGreaterThan(0);
    }
  });

  it('keeps every heading', () => {
    for (const f of ['proxy-guide.md', 'research-notes.md', 'incident-report.txt']) {
      const text = read(f);
      const sel = selectSegments(text, '', bpe, DEFAULT_TEXT_CONFIG);
      const out = run(textCompressor, { text, query: '' }, {}).out.output;
      for (const s of sel.segments) if (s.kind === 'heading') expect(out).toContain(text.slice(s.start, s.end));
    }
  });

  it('keeps segments in their original order and joins them with the original separators', () => {
    for (const f of ['proxy-guide.md', 'incident-report.txt', 'research-notes.md']) {
      const text = read(f);
      const out = run(textCompressor, { text, query: '' }, {}).out.output;
      expect(inOrder(text, out)).toBe(true);
    }
    const out = run(textCompressor, { text: read('proxy-guide.md'), query: '' }, {}).out.output;
    expect(out.startsWith('# Running the gateway behind a corporate proxy\n\nThis guide explains')).toBe(true);
  });

  it('leaves protected agent tags byte-identical even when the budget is tiny', () => {
    const text = read('agent-transcript.txt');
    const r = run(textCompressor, { text, query: 'unrelated question about pricing' }, { targetRatio: 0.05 });
    expect(contractProblems(text, r)).toEqual([]);
    const spans = text.match(/<(system-reminder|thinking)>[\s\S]*?<\/\1>/g)!;
    expect(spans).toHaveLength(2);
    for (const s of spans) expect(r.out.output).toContain(s);
  });

  it('follows targetRatio', () => {
    const text = read('incident-report.txt');
    const total = bpe.countText(text);
    let last = 0;
    for (const ratio of [0.2, 0.45, 0.7]) {
      const r = run(textCompressor, { text, query: '' }, { targetRatio: ratio });
      const kept = bpe.countText(r.out.output);
      expect(kept).toBeGreaterThan(last);
      expect(kept / total).toBeLessThan(ratio + 0.15);
      last = kept;
    }
  });
});

describe('query analysis', () => {
  it('finds exact anchors (ids, versions, paths, hosts, quoted phrases) but not dotted abbreviations', () => {
    const q = analyzeQuery('Why does "connection reset" hit req-9182 on 10.0.0.42 with v2.8.0 in src/main.ts and retry_policy, e.g. getUserById?');
    expect(q.anchors).toEqual(expect.arrayContaining(['connection reset', 'req-9182', '10.0.0.42', 'v2.8.0', 'src/main.ts', 'retry_policy', 'getuserbyid']));
    expect(q.anchors).not.toContain('e.g');
  });

  it('drops stop words and stems terms so "errors" and "charged" match their relatives', () => {
    const q = analyzeQuery('Why were the customers charged twice with errors?');
    expect(q.terms).toEqual(['customer', 'charg', 'twice', 'error']);
    expect(q.termRegex!.test('Duplicate CHARGES and an Error.')).toBe(true);
  });

  it('turns CJK words into character bigrams and caps long questions', () => {
    expect(analyzeQuery('库存数据').softAnchors).toEqual(['库存', '存数', '数据']);
    const long = Array.from({ length: 100 }, (_, i) => `word${'x'.repeat(i % 9)}${i}`).join(' ');
    expect(analyzeQuery(long).terms.length).toBeLessThanOrEqual(32);
  });
});

describe('TextCompressor selection rules', () => {
  const filler = (i: number) => `Paragraph ${i} talks about general matters of the project and its many routine details without anything specific.`;

  it('drops repeats (also when only case, punctuation or spacing differ) but keeps sentences that differ in their numbers', () => {
    const lines: string[] = [];
    const variants = [
      'The nightly backup job finished successfully and uploaded the archive to storage.',
      'The nightly backup job finished successfully, and uploaded the archive to storage!',
      'The  nightly backup job finished successfully and uploaded the archive to STORAGE.',
    ];
    for (let i = 0; i < 12; i++) lines.push(variants[i % 3]);
    for (let i = 0; i < 12; i++) lines.push(`Shard ${i} reported ${100 + i * 7} slow queries during the window.`);
    for (let i = 0; i < 20; i++) lines.push(filler(i));
    const text = lines.join('\n');
    const r = run(textCompressor, { text, query: '' }, { targetRatio: 0.6 });
    expect(contractProblems(text, r)).toEqual([]);
    expect(r.out.output.match(/nightly backup job/gi)).toHaveLength(1);
    const shards = r.out.output.match(/Shard \d+ reported/g) ?? [];
    expect(shards.length).toBeGreaterThan(6);
  });

  it('prefers high-information sentences (ids, numbers, errors) over filler', () => {
    const lines: string[] = [];
    for (let i = 0; i < 30; i++) lines.push(`This is a rather ordinary sentence number that says very little of interest here, version ${i % 2 === 0 ? 'one' : 'two'}.`);
    lines.splice(7, 0, 'ERROR: request req-7f3a9c failed with status 503 after 3 retries on host db-2.internal.');
    lines.splice(19, 0, 'Commit 8f3a2c1 changed retry_policy.max_attempts from 3 to 5 in config/prod.yaml.');
    const text = lines.join(' ');
    const out = run(textCompressor, { text, query: '' }, { targetRatio: 0.3 }).out.output;
    expect(out).toContain('ERROR: request req-7f3a9c failed');
    expect(out).toContain('Commit 8f3a2c1 changed');
  });

  it('a kept table row brings its header row', () => {
    const rows = Array.from({ length: 40 }, (_, i) => `| host-${i} | ${i % 3 === 0 ? 'degraded' : 'healthy'} | ${(i * 13) % 97} ms |`);
    const text = `# Fleet status\n\n| Host | State | Latency |\n| --- | --- | --- |\n${rows.join('\n')}\n\nEverything else is nominal.`;
    const out = run(textCompressor, { text, query: 'what is the latency of host-23?' }, {}).out.output;
    expect(out).toContain('| host-23 |');
    expect(out).toContain('| Host | State | Latency |\n| --- | --- | --- |');
  });

  it('treats a CJK query by character bigrams', () => {
    const text = read('cjk-notes.txt');
    const out = run(textCompressor, { text, query: '库存数据怎么缓存?' }, {}).out.output;
    expect(out).toContain('对于库存这类变化频繁的数据');
  });
});

describe('TextCompressor pass-through and config', () => {
  it('passes through short texts, few segments, empty and disabled', () => {
    const short = 'A short note. It has two sentences.';
    expect(run(textCompressor, { text: short, query: '' }, {}).out).toMatchObject({ changed: false, output: short, note: 'below 300 tokens' });
    expect(run(textCompressor, { text: short, query: '' }, { minTokens: 0 }).out).toMatchObject({ changed: false, note: 'fewer than 6 segments' });
    expect(run(textCompressor, { text: '   \n ', query: '' }, {}).out.changed).toBe(false);
    const long = read('proxy-guide.md');
    expect(run(textCompressor, { text: long, query: '' }, { enabled: false }).out).toMatchObject({ changed: false, output: long });
  });

  it('passes through when every segment must be kept', () => {
    const text = Array.from({ length: 80 }, (_, i) => `## Heading number ${i} of the long table of contents`).join('\n\n');
    expect(run(textCompressor, { text, query: '' }, {}).out).toMatchObject({ changed: false, note: 'every segment kept' });
  });

  it('leaves text holding any headroom marker alone', () => {
    const text = read('research-notes.md') + '\n[headroom: 3 lines omitted. Retrieve: hash=0123456789abcdef01234567]';
    expect(run(textCompressor, { text, query: '' }, {}).out).toMatchObject({ changed: false, note: 'already compressed' });
  });

  it('rejects invalid config with one ConfigurationError', () => {
    expect(() => resolveTextConfig({ targetRatio: 0 })).toThrow(ConfigurationError);
    expect(() => resolveTextConfig({ minSegments: 0, nearDuplicateBits: 99 })).toThrow(/minSegments.*nearDuplicateBits/);
    expect(resolveTextConfig(undefined)).toBe(DEFAULT_TEXT_CONFIG);
  });
});

describe('reference TextCrusher fixtures', () => {
  const dir = new URL('../fixtures/headroom-parity/text_crusher/', import.meta.url);
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.json'))) {
    const fx = JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as {
      label: string;
      input: { content: string; context: string; target_ratio: number | null };
      output: { compressed: string };
    };
    it(`${fx.label}: keeps every segment of theirs that matches the query, contract holds`, () => {
      const text = fx.input.content;
      const cfg = { minTokens: 0, targetRatio: fx.input.target_ratio ?? 0.5 };
      const r = run(textCompressor, { text, query: fx.input.context }, cfg);
      expect(contractProblems(text, r)).toEqual([]);
      const sel = selectSegments(text, fx.input.context, bpe, resolveTextConfig(cfg));
      for (let i = 0; i < sel.segments.length; i++) {
        const seg = text.slice(sel.segments[i].start, sel.segments[i].end);
        if (sel.queryMatch[i] && fx.output.compressed.includes(seg)) expect(r.out.output).toContain(seg);
      }
      if (fx.label === 'salient_heavy') {
        expect(r.out.output).toContain('The authentication module validated tokens against auth.registry before forwarding.');
        expect(r.out.output).toContain('ERROR connection refused at host 10.0.0.42 after 3 retries.');
      }
      if (fx.label === 'short_passthrough') expect(r.out.changed).toBe(false);
    });
  }
});

describe('TextCompressor on garbage and random prose', () => {
  for (const [name, text] of garbageInputs()) {
    it(`${name}: no throw, contract holds`, () => {
      const r = run(textCompressor, { text, query: 'error alpha' }, {});
      expect(contractProblems(text, r)).toEqual([]);
    });
  }

  it('holds the contract, keeps query matches and is idempotent on random documents (property)', () => {
    const vocab = 'the system cache retry token request server client error warning failed config value user session timeout latency shard replica backup deploy release'.split(' ');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 20, max: 120 }), (seed, sentences) => {
        const r = rng(seed);
        const w = () => vocab[Math.floor(r() * vocab.length)];
        const parts: string[] = [];
        for (let i = 0; i < sentences; i++) {
          if (r() < 0.08) parts.push(`\n\n## Section ${i}\n\n`);
          const n = 5 + Math.floor(r() * 14);
          let s = Array.from({ length: n }, w).join(' ');
          if (r() < 0.1) s += ` id-${Math.floor(r() * 1e6)}`;
          if (r() < 0.05) s += ' <system-reminder>keep me. Exactly.</system-reminder>';
          parts.push(s[0].toUpperCase() + s.slice(1) + (r() < 0.9 ? '. ' : '.\n'));
        }
        const text = parts.join('');
        const query = `what about ${w()} id-${Math.floor(r() * 1e6)}`;
        const res = run(textCompressor, { text, query }, {});
        expect(contractProblems(text, res)).toEqual([]);
        if (!res.out.changed) return;
        const sel = selectSegments(text, query, bpe, DEFAULT_TEXT_CONFIG);
        for (let i = 0; i < sel.segments.length; i++) {
          const seg = text.slice(sel.segments[i].start, sel.segments[i].end);
          if (sel.queryMatch[i] || sel.segments[i].kind === 'heading' || sel.segments[i].protected) expect(res.out.output).toContain(seg);
        }
        expect(parseMarkers(res.out.output)).toHaveLength(1);
        expect(run(textCompressor, { text: res.out.output, query }, {}).out.changed).toBe(false);
      }),
      { numRuns: 60 },
    );
  });
});
