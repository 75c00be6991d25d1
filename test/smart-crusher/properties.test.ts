import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMarkers } from '../../engine/ccr/markers.js';
import { getKernels } from '../../engine/kernels/index.js';
import { analyzeDictArray } from '../../engine/transforms/smart-crusher/analyze.js';
import { parseJson, type JObject } from '../../engine/transforms/smart-crusher/parse.js';
import { decodeCompact } from '../../engine/transforms/smart-crusher/index.js';
import { bpeCounter, canon, crush, decoded, items, markersResolve, rng, sentinels } from './helpers.js';

const WORDS = 'alpha beta gamma delta shard replica region cache index queue worker build deploy token budget model prompt window batch stream cluster node pod volume bucket table column page route'.split(' ');
const UNICODE = ['café', '中文 字段', 'русский', '🙂 emoji', 'naïve résumé', 'ünïcödé', 'lone \ud800 surrogate', 'tab\there', 'quote " and \\ slash'];
const NAMES = ['name', 'title', 'region', 'count', 'price', 'tags', 'meta', 'path', 'city', 'note', 'size', 'owner', 'color'];
const KINDS = ['seq', 'int', 'float', 'cat', 'text', 'url', 'time', 'bool', 'nested', 'list', 'unicode'] as const;
type Kind = (typeof KINDS)[number];

const ERROR_SHAPES: Array<Record<string, unknown>> = [
  { status: 'error' },
  { level: 'FATAL' },
  { message: 'NullPointerException in request handler' },
  { error: 'connection refused by upstream' },
  { http_status: 503 },
  { exit_code: 2 },
  { detail: 'job failed after 3 retries' },
];

function value(kind: Kind, i: number, r: () => number): unknown {
  const w = () => WORDS[Math.floor(r() * WORDS.length)];
  switch (kind) {
    case 'seq':
      return i;
    case 'int':
      return Math.floor(r() * 100);
    case 'float':
      return Math.round(r() * 1000) / 10;
    case 'cat':
      return WORDS[Math.floor(r() * 4)];
    case 'text':
      return Array.from({ length: 3 + Math.floor(r() * 8) }, w).join(' ');
    case 'url':
      return `https://ex.com/${w()}/${i}`;
    case 'time':
      return new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
    case 'bool':
      return r() < 0.5;
    case 'nested':
      return { a: Math.floor(r() * 10), b: w() };
    case 'list':
      return [Math.floor(r() * 10), w()];
    case 'unicode':
      return `${UNICODE[Math.floor(r() * UNICODE.length)]} ${i}`;
  }
}

interface Case {
  fields: Array<{ name: string; kind: Kind; optional: boolean }>;
  n: number;
  seed: number;
  errors: Array<{ at: number; shape: number }>;
  numericAnomaly: number | null;
  lengthAnomaly: number | null;
  wrap: 'root' | 'nested' | 'deep5';
  pretty: boolean;
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  fields: fc.uniqueArray(fc.record({ name: fc.constantFrom(...NAMES), kind: fc.constantFrom(...KINDS), optional: fc.boolean() }), {
    minLength: 1,
    maxLength: 7,
    selector: (f) => f.name,
  }),
  n: fc.oneof(
    { weight: 5, arbitrary: fc.integer({ min: 0, max: 40 }) },
    { weight: 3, arbitrary: fc.integer({ min: 41, max: 400 }) },
    { weight: 1, arbitrary: fc.integer({ min: 401, max: 5000 }) },
  ),
  seed: fc.integer(),
  errors: fc.array(fc.record({ at: fc.nat(), shape: fc.nat({ max: ERROR_SHAPES.length - 1 }) }), { maxLength: 4 }),
  numericAnomaly: fc.option(fc.nat(), { nil: null }),
  lengthAnomaly: fc.option(fc.nat(), { nil: null }),
  wrap: fc.constantFrom('root' as const, 'nested' as const, 'deep5' as const),
  pretty: fc.boolean(),
});

/** Build the array; returns it with the indices of planted error/anomaly items. */
function build(c: Case): { arr: Array<Record<string, unknown>>; planted: number[] } {
  const r = rng(c.seed);
  const arr: Array<Record<string, unknown>> = [];
  for (let i = 0; i < c.n; i++) {
    const o: Record<string, unknown> = {};
    for (const f of c.fields) if (!f.optional || r() < 0.7) o[f.name] = value(f.kind, i, r);
    arr.push(o);
  }
  const planted: number[] = [];
  if (c.n === 0) return { arr, planted };
  for (const e of c.errors) {
    const at = e.at % c.n;
    Object.assign(arr[at], ERROR_SHAPES[e.shape]);
    planted.push(at);
  }
  // Anomalies need enough items for one value to lie beyond 2σ ((n−1)/√n > 2 needs n ≥ 6; use 20).
  if (c.n >= 20 && c.numericAnomaly !== null) {
    for (const o of arr) o.latency = 90 + Math.floor(r() * 20);
    const at = c.numericAnomaly % c.n;
    arr[at].latency = 10_000_000;
    planted.push(at);
  }
  if (c.n >= 20 && c.lengthAnomaly !== null) {
    for (const o of arr) o.summary = Array.from({ length: 2 + Math.floor(r() * 3) }, () => WORDS[Math.floor(r() * WORDS.length)]).join(' ');
    const at = c.lengthAnomaly % c.n;
    arr[at].summary = 'long '.repeat(400);
    planted.push(at);
  }
  return { arr, planted };
}

function wrapDoc(arr: unknown[], wrap: Case['wrap']): unknown {
  if (wrap === 'root') return arr;
  if (wrap === 'nested') return { query: 'q', page: 1, data: { results: arr, total: arr.length } };
  return { a: { b: { c: { d: { e: arr } } } } };
}

function dig(doc: unknown, wrap: Case['wrap']): unknown {
  if (wrap === 'root') return doc;
  if (wrap === 'nested') return (doc as { data: { results: unknown } }).data.results;
  return (doc as { a: { b: { c: { d: { e: unknown } } } } }).a.b.c.d.e;
}

const QUERIES = [undefined, 'which shard replica failed?', 'show region alpha pages', 'what is the'];

describe('SmartCrusher properties over generated arrays', () => {
  it('valid JSON; planted errors and anomalies kept; markers resolve to the byte-exact original; never more tokens; deterministic; idempotent', () => {
    fc.assert(
      fc.property(caseArb, fc.constantFrom(...QUERIES), (c, q) => {
        const { arr, planted } = build(c);
        const text = c.pretty ? JSON.stringify(wrapDoc(arr, c.wrap), null, 2) : JSON.stringify(wrapDoc(arr, c.wrap));
        const r = crush(text, {}, q);
        expect(r.tokensAfter).toBeLessThanOrEqual(r.tokensBefore);
        expect(bpeCounter.countText(r.output)).toBeLessThanOrEqual(bpeCounter.countText(text));
        expect(() => JSON.parse(r.output)).not.toThrow();
        const got = dig(decoded(r.output), c.wrap);
        expect(Array.isArray(got)).toBe(true);
        const out = got as unknown[];
        const kept = new Set(items(out).map(canon));
        for (const at of planted) expect(kept.has(canon(arr[at])), `planted item ${at}`).toBe(true);
        const s = sentinels(out);
        expect(s.length).toBeLessThanOrEqual(1);
        if (s.length === 1) {
          expect(out[out.length - 1]).toBe(s[0]);
          expect(parseMarkers(JSON.stringify(s[0]))[0].count + items(out).length).toBe(arr.length);
        } else expect(items(out).length).toBe(arr.length);
        expect(markersResolve(r, text)).toBe(true);
        if (r.hashes.length > 0) expect(r.entries).toHaveLength(1);
        expect(crush(text, {}, q).output).toBe(r.output);
        const again = crush(r.output, {}, q);
        expect(again.output).toBe(r.output);
      }),
      { numRuns: 70 },
    );
  });

  it('compact format decodes to the same data as the JSON format', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { arr } = build(c);
        const text = JSON.stringify(wrapDoc(arr, c.wrap));
        const j = crush(text);
        const k = crush(text, { format: 'compact' });
        expect(k.tokensAfter).toBeLessThanOrEqual(k.tokensBefore);
        expect(canon(JSON.parse(decodeCompact(k.output)))).toBe(canon(decoded(j.output)));
        expect(markersResolve(k, text)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('maxItemsAfterCrush is honoured exactly, plus every error and anomaly', () => {
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 1, max: 30 }), (c, k) => {
        const { arr, planted } = build({ ...c, wrap: 'root' });
        const text = JSON.stringify(arr);
        const r = crush(text, { maxItemsAfterCrush: k });
        const out = decoded(r.output) as unknown[];
        const kept = items(out);
        if (sentinels(out).length === 0) {
          expect(kept.length).toBe(arr.length);
          return;
        }
        const p = parseJson(text);
        if (!p.ok || p.root.kind !== 'array') throw new Error('unreachable');
        const a = analyzeDictArray(p.text, p.root.items as JObject[], getKernels(), { varianceThreshold: 2, minItems: 5 });
        let must = 0;
        for (let i = 0; i < a.n; i++) if (a.errors[i] || a.anomalies[i]) must++;
        expect(kept.length).toBe(Math.min(arr.length, Math.max(k, must)));
        const keptSet = new Set(kept.map(canon));
        for (let i = 0; i < a.n; i++) if (a.errors[i] || a.anomalies[i]) expect(keptSet.has(canon(arr[i]))).toBe(true);
        for (const at of planted) expect(keptSet.has(canon(arr[at]))).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('string and number arrays: errors, outliers kept; exact K; valid JSON', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer(), fc.integer({ min: 1, max: 25 }), fc.boolean(), (n, seed, k, strings) => {
        const r0 = rng(seed);
        const arr: unknown[] = strings
          ? Array.from({ length: n }, (_, i) => (i % 97 === 13 ? `ERROR request ${i} failed` : `GET /api/${WORDS[Math.floor(r0() * 6)]} 200 ${Math.floor(r0() * 3)}ms`))
          : Array.from({ length: n }, () => Math.round(r0() * 100));
        if (!strings && n >= 20) arr[Math.floor(r0() * n)] = 1e9;
        const text = JSON.stringify(arr);
        for (const opts of [{}, { maxItemsAfterCrush: k }]) {
          const r = crush(text, opts);
          const out = decoded(r.output) as unknown[];
          const kept = items(out);
          for (let i = 0; i < n; i++) {
            const v = arr[i];
            if ((typeof v === 'string' && v.startsWith('ERROR')) || v === 1e9) expect(kept).toContain(v);
          }
          if ('maxItemsAfterCrush' in opts && sentinels(out).length > 0) {
            let must: number;
            if (strings) must = arr.filter((v) => (v as string).startsWith('ERROR')).length;
            else must = getKernels().fieldStats(Float64Array.from(arr as number[]), 2).outliers.reduce((a, b) => a + b, 0);
            expect(kept.length).toBe(Math.min(n, Math.max(k, must)));
          }
          expect(markersResolve(r, text)).toBe(true);
          expect(r.tokensAfter).toBeLessThanOrEqual(r.tokensBefore);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('never throws on arbitrary, malformed or deeply nested text; changed output is JSON', () => {
    const deep = fc.integer({ min: 1, max: 12_000 }).map((d) => '['.repeat(d) + ']'.repeat(d));
    const deepObj = fc.integer({ min: 1, max: 12_000 }).map((d) => '{"a":'.repeat(d) + '[1,2,3,4,5,6]' + '}'.repeat(d));
    const truncated = fc.tuple(caseArb, fc.nat()).map(([c, cut]) => {
      const t = JSON.stringify(build(c).arr);
      return t.slice(0, cut % (t.length + 1));
    });
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.json(), deep, deepObj, truncated), (s) => {
        const r = crush(s, { minTokensToCrush: 0 });
        if (r.changed) expect(() => JSON.parse(r.output)).not.toThrow();
        else expect(r.output).toBe(s);
      }),
      { numRuns: 200 },
    );
  });
});
