import { describe, expect, it } from 'vitest';
import { ccrHash } from '../../engine/ccr/hash.js';
import { parseMarkers } from '../../engine/ccr/markers.js';
import { ConfigurationError } from '../../engine/errors.js';
import { crushJson, decodeCompact } from '../../engine/transforms/smart-crusher/index.js';
import { canon, crush, decoded, items, markersResolve, rng, sentinels, bpeCounter } from './helpers.js';

function searchResults(n: number, seed = 1) {
  const r = rng(seed);
  const topics = ['caching', 'wasm', 'tokenizers', 'workers', 'streams', 'indexing', 'retries', 'schedulers'];
  return Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    title: `${topics[i % topics.length]} guide part ${i}`,
    url: `https://docs.example.com/${topics[i % topics.length]}/${i}`,
    snippet: `Notes on ${topics[(i * 7) % topics.length]} and ${topics[(i * 3) % topics.length]} for page ${i}, with examples.`,
    score: Number((0.98 - i * (0.9 / n) + r() * 0.001).toFixed(4)),
    source: 'web',
  }));
}

describe('crushJson: pass-through', () => {
  it('leaves non-JSON, malformed, tiny, short-array, bool-only and too-deep content untouched', () => {
    const cases = [
      'this is not json at all',
      '{"a": [1, 2, 3',
      '[1, 2, 3]',
      JSON.stringify(searchResults(4), null, 2),
      JSON.stringify(Array.from({ length: 500 }, (_, i) => i % 3 === 0)),
      '['.repeat(10_000) + ']'.repeat(10_000),
      '{"a":'.repeat(10_000) + JSON.stringify(searchResults(200)) + '}'.repeat(10_000),
      '{"status": "ok", "count": 3, "message": "' + 'hello '.repeat(100) + '"}',
    ];
    for (const c of cases) {
      const r = crush(c);
      expect(r.changed, c.slice(0, 40)).toBe(false);
      expect(r.output).toBe(c);
      expect(r.entries).toEqual([]);
    }
  });

  it('passes content under minTokensToCrush through (configurable)', () => {
    const small = JSON.stringify(searchResults(8), null, 2);
    expect(crush(small, { minTokensToCrush: 100_000 }).changed).toBe(false);
    expect(crush(small, { minTokensToCrush: 0 }).changed).toBe(true);
  });

  it('passes arrays under minItemsToAnalyze through (configurable)', () => {
    const arr = JSON.stringify(searchResults(30));
    expect(crush(arr, { minItemsToAnalyze: 31 }).changed).toBe(false);
  });

  it('never returns something with more tokens; disabled means untouched', () => {
    const text = JSON.stringify(searchResults(300), null, 2);
    expect(crush(text, { enabled: false }).changed).toBe(false);
    const r = crush(text);
    expect(r.tokensAfter).toBeLessThan(r.tokensBefore);
    expect(r.tokensBefore).toBe(bpeCounter.countText(text));
    expect(r.tokensAfter).toBe(bpeCounter.countText(r.output));
  });

  it('rejects invalid options with a ConfigurationError listing every problem', () => {
    expect(() => crush('[]', { maxItemsAfterCrush: 0, format: 'csv' as never, varianceThreshold: -1 })).toThrow(ConfigurationError);
    try {
      crush('[]', { maxItemsAfterCrush: 0, format: 'csv' as never });
    } catch (e) {
      expect((e as ConfigurationError).details?.problems).toHaveLength(2);
    }
  });
});

describe('crushJson: lossy crush of an array of objects', () => {
  const data = searchResults(1000);
  data[437] = { ...data[437], status: 'error', error: 'upstream timeout after 30s' } as (typeof data)[number];
  data[612].score = 42; // numeric anomaly
  data[800].snippet = 'x'.repeat(3000); // length anomaly
  const text = JSON.stringify(data, null, 2);
  const r = crush(text, {}, 'which pages cover schedulers?');
  const out = decoded(r.output) as unknown[];

  it('outputs valid JSON: kept items in original order, one sentinel at the end counting the dropped items', () => {
    expect(() => JSON.parse(r.output)).not.toThrow();
    const kept = items(out) as Array<{ id: number }>;
    const ids = kept.map((k) => k.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const s = sentinels(out);
    expect(s).toHaveLength(1);
    expect(out[out.length - 1]).toBe(s[0]);
    expect(parseMarkers(r.output)[0].count).toBe(1000 - kept.length);
    expect(r.itemsBefore).toBe(1000);
    expect(r.itemsAfter).toBe(kept.length);
  });

  it('keeps first, last, the error, the anomalies and relevant items; kept items are byte-identical', () => {
    const kept = items(out) as Array<{ id: number; url: string }>;
    const ids = new Set(kept.map((k) => k.id));
    for (const id of [1, 1000, 438, 613, 801]) expect(ids.has(id), `id ${id}`).toBe(true);
    expect(kept.some((k) => k.url.includes('/schedulers/'))).toBe(true);
    const byId = new Map(data.map((d) => [d.id, d]));
    for (const k of kept) expect(canon(k)).toBe(canon(byId.get(k.id)));
  });

  it('saves at least 90% of the tokens', () => {
    expect(1 - r.tokensAfter / r.tokensBefore).toBeGreaterThan(0.9);
  });

  it('records the whole original, byte-exact, under the hash every sentinel carries', () => {
    expect(r.entries).toHaveLength(1);
    expect(r.entries[0].content).toBe(text);
    expect(r.entries[0].hash).toBe(ccrHash(text));
    expect(r.hashes).toEqual([ccrHash(text)]);
    expect(markersResolve(r, text)).toBe(true);
  });

  it('is deterministic and idempotent', () => {
    expect(crush(text, {}, 'which pages cover schedulers?').output).toBe(r.output);
    const again = crush(r.output, {}, 'which pages cover schedulers?');
    expect(again.changed).toBe(false);
    expect(again.output).toBe(r.output);
  });

  it('honours maxItemsAfterCrush exactly, plus errors and anomalies', () => {
    for (const k of [1, 2, 7, 40]) {
      const rk = crush(text, { maxItemsAfterCrush: k });
      const kept = items(decoded(rk.output) as unknown[]) as Array<{ id: number }>;
      expect(kept.length).toBe(Math.max(k, 3));
      const ids = new Set(kept.map((x) => x.id));
      for (const id of [438, 613, 801]) expect(ids.has(id)).toBe(true);
    }
  });

  it('compact format is a schema line plus rows and decodes to the same data as the JSON output', () => {
    const c = crush(text, { format: 'compact' }, 'which pages cover schedulers?');
    expect(c.output.split('\n')[0]).toMatch(/^\[\d+\]\{id,title,url,snippet,score,source=web,status,error\}$/);
    expect(c.strategies).toContain('compact');
    expect(canon(JSON.parse(decodeCompact(c.output)))).toBe(canon(out));
    expect(c.tokensAfter).toBeLessThan(r.tokensAfter);
    expect(markersResolve(c, text)).toBe(true);
  });
});

describe('crushJson: errors are recognised by value, not by substring', () => {
  const base = (i: number) => ({ id: i, name: `worker ${i}`, error_count: 0, errors: [], timeout_ms: 3000, last_error: null, ok: true, latency: 100 + (i % 7) });
  const make = (patch: Record<number, Record<string, unknown>>) =>
    JSON.stringify(Array.from({ length: 200 }, (_, i) => ({ ...base(i), ...(patch[i] ?? {}) })));

  it('keeps every error shape and does not treat error_count: 0 / errors: [] / timeout_ms as errors', () => {
    const patches: Record<number, Record<string, unknown>> = {
      20: { status: 503 },
      40: { ok: false },
      60: { last_error: 'connection refused' },
      80: { errors: [{ code: 'E1' }] },
      100: { name: 'worker crashed with NullPointerException' },
      120: { exit_code: 137 },
      140: { level: 'FATAL' },
      160: { state: 'failed' },
    };
    const text = make(patches);
    const r = crush(text, { maxItemsAfterCrush: 3 });
    const kept = items(decoded(r.output) as unknown[]) as Array<{ id: number }>;
    const ids = kept.map((k) => k.id);
    for (const id of Object.keys(patches).map(Number)) expect(ids).toContain(id);
    // Nothing else: the error-free items are only the 3 budgeted ones at most.
    expect(kept.length).toBe(Object.keys(patches).length);
  });

  it('keyword hits in long topical text common to many items are not errors', () => {
    const text = JSON.stringify(
      Array.from({ length: 300 }, (_, i) => ({
        id: i,
        title: `Handling errors in part ${i}`,
        body: `This chapter explains error handling, retries after a timeout and what to do when a request failed, part ${i} of the series on resilient services.`,
      })),
    );
    const r = crush(text);
    expect(r.itemsAfter).toBeLessThan(40);
  });
});

describe('crushJson: lossless first', () => {
  it('identical items collapse to one item plus a repeat count, with nothing dropped', () => {
    const hb = JSON.stringify(Array.from({ length: 40 }, () => ({ event: 'heartbeat', ok: true })), null, 2);
    const r = crush(hb);
    expect(r.changed).toBe(true);
    expect(r.entries).toEqual([]);
    expect(r.hashes).toEqual([]);
    expect(r.strategies).toContain('dedup');
    expect(r.output).toBe('[{"event":"heartbeat","ok":true},{"_headroom_repeat":39}]');
    expect(decoded(r.output)).toEqual(JSON.parse(hb));
  });

  it('factors constant fields and decodes back to the same data', () => {
    const rows = Array.from({ length: 12 }, (_, i) => ({ id: i, region: 'eu-west-1', service: 'checkout', tier: 'gold', value: i * 3 }));
    const text = JSON.stringify(rows, null, 2);
    const r = crush(text, { minTokensToCrush: 0, maxItemsAfterCrush: 100 });
    expect(r.strategies).toContain('factor_constants');
    expect(JSON.parse(r.output)[0]).toEqual({ _headroom_constant: { region: 'eu-west-1', service: 'checkout', tier: 'gold' } });
    expect(canon(decoded(r.output))).toBe(canon(rows));
    expect(r.entries).toEqual([]);
  });

  it('does not factor or dedup when switched off', () => {
    const rows = Array.from({ length: 12 }, (_, i) => ({ id: i, region: 'eu-west-1', service: 'checkout', tier: 'gold' }));
    const r = crush(JSON.stringify(rows, null, 2), { minTokensToCrush: 0, maxItemsAfterCrush: 100, factorConstants: false, dedupIdenticalItems: false });
    expect(r.output).toBe(JSON.stringify(rows));
    expect(r.strategies).toEqual(['minify']);
  });
});

describe('crushJson: strings, numbers, mixed, nesting', () => {
  it('string arrays: keeps error lines and anomalies, drops repeats first', () => {
    const lines = Array.from({ length: 400 }, (_, i) => (i % 50 === 7 ? `ERROR db timeout on shard ${i}` : `GET /health 200 ${i % 3 === 0 ? 'fast' : 'ok'}`));
    lines[333] = 'z'.repeat(600);
    const text = JSON.stringify(lines, null, 1);
    const r = crush(text);
    const out = decoded(r.output) as unknown[];
    const kept = items(out) as string[];
    for (let i = 7; i < 400; i += 50) expect(kept).toContain(lines[i]);
    expect(kept).toContain(lines[333]);
    expect(r.strategies).toContain('string_sample');
    expect(sentinels(out)[0]._headroom).toMatch(/error lines/);
    expect(markersResolve(r, text)).toBe(true);
  });

  it('number arrays: keeps outliers, change points and the values carrying the summary, stated in the marker', () => {
    const r0 = rng(3);
    const nums = Array.from({ length: 300 }, (_, i) => Math.round((i < 150 ? 10 : 60) + r0() * 4));
    nums[77] = 500;
    const text = JSON.stringify(nums);
    const r = crush(text);
    const out = decoded(r.output) as unknown[];
    const kept = items(out) as number[];
    expect(kept).toContain(500);
    expect(kept).toContain(Math.min(...nums));
    expect(kept[0]).toBe(nums[0]);
    expect(kept[kept.length - 1]).toBe(nums[nums.length - 1]);
    const note = parseMarkers(r.output)[0].note!;
    expect(note).toMatch(/min=\d+ max=500 mean=[\d.]+ median=[\d.]+ std=[\d.]+ p25=[\d.]+ p75=[\d.]+/);
    expect(note).toMatch(/1 outlier/);
  });

  it('mixed arrays: each type group by its rule, one sentinel', () => {
    const mixed: unknown[] = [];
    for (let i = 0; i < 120; i++) mixed.push(i % 3 === 0 ? { id: i, kind: 'row', v: `value ${i}` } : i % 3 === 1 ? `line ${i} of the log output` : i * 2);
    mixed.push(null, true);
    const text = JSON.stringify(mixed);
    const r = crush(text);
    const out = decoded(r.output) as unknown[];
    expect(sentinels(out)).toHaveLength(1);
    expect(out).toContain(null);
    expect(out).toContain(true);
    expect(r.strategies).toContain('mixed_sample');
  });

  it('crushes arrays nested in objects up to depth 5 and leaves deeper ones alone', () => {
    const arr = searchResults(200);
    const at = (depth: number) => {
      let v: unknown = arr;
      for (let d = 0; d < depth; d++) v = { [`l${d}`]: v, meta: { page: 1 } };
      return v;
    };
    const shallow = crush(JSON.stringify(at(5)));
    expect(shallow.changed).toBe(true);
    expect(shallow.hashes).toHaveLength(1);
    const deep = crush(JSON.stringify(at(6)));
    expect(deep.hashes).toHaveLength(0);
  });

  it('every sentinel of a multi-array document carries the one hash of the whole text', () => {
    const doc = { query: 'x', results: searchResults(300), related: searchResults(200, 2), logs: Array.from({ length: 300 }, (_, i) => `line ${i} processed batch ${i * 7}`) };
    const text = JSON.stringify(doc, null, 2);
    const r = crush(text);
    const ms = parseMarkers(r.output);
    expect(ms.length).toBe(3);
    expect(new Set(ms.map((m) => m.hash))).toEqual(new Set([ccrHash(text)]));
    expect(r.entries).toHaveLength(1);
    expect(markersResolve(r, text)).toBe(true);
  });

  it('compact format round-trips nested tables (placeholders) and falls back to JSON when names collide', () => {
    const doc = { query: 'x', results: searchResults(300), total: 300 };
    const c = crush(JSON.stringify(doc), { format: 'compact' });
    expect(c.output.split('\n')[0]).toContain('"results":"@t1"');
    const j = crush(JSON.stringify(doc));
    expect(canon(JSON.parse(decodeCompact(c.output)))).toBe(canon(decoded(j.output)));
    const clash = crush(JSON.stringify({ ...doc, note: '@t1' }), { format: 'compact' });
    expect(() => JSON.parse(clash.output)).not.toThrow();
  });

  it('compact tables round-trip awkward values: commas, quotes, literals as strings, missing vs null vs empty, nested values', () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({
      a: i % 5 === 0 ? 'x, y' : i % 5 === 1 ? 'say "hi"' : i % 5 === 2 ? 'true' : i % 5 === 3 ? '12' : ' pad',
      ...(i % 4 === 0 ? {} : { b: i % 4 === 1 ? null : i % 4 === 2 ? '' : 'null' }),
      c: i % 3 === 0 ? { x: [1, 2], y: 'z' } : [i, 'k,l'],
      d: i % 2 === 0 ? 1.5e3 : -0.25,
      'odd key,': i % 2 ? '[headroom: not a marker]' : 'plain',
      e: i % 3 ? 'multi\nline' : 'single',
      f: 'constant, with comma',
      'g=h': 'x=y',
    }));
    const text = JSON.stringify(rows, null, 2);
    const c = crush(text, { format: 'compact', minTokensToCrush: 0, maxItemsAfterCrush: 10 });
    const j = crush(text, { minTokensToCrush: 0, maxItemsAfterCrush: 10 });
    expect(c.strategies).toContain('compact');
    expect(c.output.split('\n')[0]).toContain('f="constant, with comma"');
    expect(canon(JSON.parse(decodeCompact(c.output)))).toBe(canon(decoded(j.output)));
  });
});

describe('crushJson: relevance', () => {
  it('keeps the items matching the query (BM25 with IDF, stop-words ignored), capped', () => {
    const data = searchResults(500);
    data[321].title = 'kubernetes autoscaling deep dive';
    const text = JSON.stringify(data);
    const r = crush(text, {}, 'what does the kubernetes autoscaling page say?');
    const kept = items(decoded(r.output) as unknown[]) as Array<{ id: number }>;
    expect(kept.map((k) => k.id)).toContain(322);
    // A query of stop-words alone picks nothing extra.
    const plain = crush(text, {}, 'what is the');
    const none = crush(text);
    expect(plain.output).toBe(none.output);
  });

  it('an exact id in the query (anchor) is kept', () => {
    const data = searchResults(500);
    const text = JSON.stringify(data);
    const r = crush(text, {}, 'open https://docs.example.com/wasm/249 please');
    const kept = items(decoded(r.output) as unknown[]) as Array<{ id: number }>;
    expect(kept.map((k) => k.id)).toContain(250);
  });

  it('relevance can be switched off', () => {
    const data = searchResults(500);
    data[321].title = 'kubernetes autoscaling deep dive';
    const text = JSON.stringify(data);
    const r = crush(text, { relevance: { enabled: false } }, 'kubernetes autoscaling');
    expect(r.output).toBe(crush(text).output);
  });
});

describe('crushJson: deps', () => {
  it('uses the given counter and never throws on odd inputs', () => {
    const weird = ['[', '{}', '[]', '[{}]', '[[],[],[],[],[],[]]', '{"a":[null,null,null,null,null,null]}', '[1e400, 2, 3, 4, 5, 6]', '"string"', '12', 'null'];
    for (const w of weird) expect(() => crushJson(w, { minTokensToCrush: 0 }, { counter: bpeCounter, ccr: { record() {} } })).not.toThrow();
  });
});
