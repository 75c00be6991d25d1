/**
 * Parity with the Headroom reference (vendored fixtures, Apache-2.0 data): for every fixture,
 * every item the reference kept *for being an error or an anomaly* is in our output too.
 *
 * "Kept for being an error or anomaly" is decided by the reference's own rules (spec
 * ALGORITHMS.md §1.5, §1.6, §1.9.1), applied to the fixture input and intersected with the
 * reference's recorded output: error keywords as substrings of the item's lowercased JSON,
 * structural outliers (fields in < 20% of items; rare values of common fields by the Pareto
 * rule), numeric values beyond 2σ, string lengths beyond 2σ.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canon, crush, decoded, isMarker } from './helpers.js';

interface Fixture {
  label: string;
  input: { content: string; query: string };
  output: { compressed: string; was_modified: boolean; strategy: string };
}

const dir = new URL('../fixtures/headroom-parity/smart_crusher/', import.meta.url).pathname;
const fixtures: Fixture[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Fixture);

const KEYWORDS = ['error', 'exception', 'failed', 'failure', 'critical', 'fatal', 'crash', 'panic', 'abort', 'timeout', 'denied', 'rejected'];

function pyJson(v: unknown): string {
  return JSON.stringify(v).toLowerCase();
}

function sigmaFlags(values: Array<number | null>): boolean[] {
  const xs = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (xs.length < 2) return values.map(() => false);
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
  if (!(sd > 0)) return values.map(() => false);
  return values.map((v) => v !== null && Math.abs(v - mean) > 2 * sd);
}

/** Indices the reference's rules flag as errors or anomalies. */
function referenceFlags(arr: unknown[]): Set<number> {
  const flags = new Set<number>();
  const n = arr.length;
  if (n < 5) return flags;
  arr.forEach((v, i) => {
    if ((typeof v === 'string' || (typeof v === 'object' && v !== null)) && KEYWORDS.some((k) => pyJson(v).includes(k))) flags.add(i);
  });
  if (arr.every((v) => typeof v === 'number')) sigmaFlags(arr as number[]).forEach((f, i) => f && flags.add(i));
  if (arr.every((v) => typeof v === 'string')) sigmaFlags((arr as string[]).map((s) => s.length)).forEach((f, i) => f && flags.add(i));
  if (arr.every((v) => typeof v === 'object' && v !== null && !Array.isArray(v))) {
    const objs = arr as Array<Record<string, unknown>>;
    const keys = [...new Set(objs.flatMap((o) => Object.keys(o)))];
    for (const k of keys) {
      const present = objs.filter((o) => k in o).length;
      if (present < 0.2 * n) objs.forEach((o, i) => k in o && flags.add(i));
      if (present >= 0.8 * n) {
        const counts = new Map<string, number>();
        for (const o of objs) counts.set(JSON.stringify(o[k] ?? '__none__'), (counts.get(JSON.stringify(o[k] ?? '__none__')) ?? 0) + 1);
        if (counts.size >= 2 && counts.size <= 50) {
          const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
          let covered = 0;
          const top = new Set<string>();
          for (const [val, c] of sorted) {
            if (covered >= Math.ceil(0.8 * n)) break;
            top.add(val);
            covered += c;
          }
          if (top.size <= 5) objs.forEach((o, i) => !top.has(JSON.stringify(o[k] ?? '__none__')) && flags.add(i));
        }
      }
      const nums = objs.map((o) => (typeof o[k] === 'number' ? (o[k] as number) : null));
      if (nums.some((x) => x !== null)) sigmaFlags(nums).forEach((f, i) => f && flags.add(i));
    }
  }
  return flags;
}

/** Every array in a parsed document (depth-first), paired by path with its reference counterpart. */
function arraysByPath(v: unknown, path = '$', out = new Map<string, unknown[]>()): Map<string, unknown[]> {
  if (Array.isArray(v)) {
    out.set(path, v);
    v.forEach((x, i) => typeof x === 'object' && x !== null && arraysByPath(x, `${path}[${i}]`, out));
  } else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) arraysByPath(x, `${path}.${k}`, out);
  return out;
}

function parseOrNull(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

describe('SmartCrusher parity with the reference fixtures', () => {
  it('finds the vendored fixtures', () => expect(fixtures.length).toBeGreaterThanOrEqual(17));

  for (const f of fixtures) {
    it(`${f.label}: keeps every item the reference kept as an error or anomaly`, () => {
      const r = crush(f.input.content, {}, f.input.query || undefined);
      const input = parseOrNull(f.input.content);
      const theirs = parseOrNull(f.output.compressed);
      if (input === undefined) {
        expect(r.changed).toBe(false);
        return;
      }
      const ours = decoded(r.output);
      const inputArrays = arraysByPath(input);
      const theirArrays = arraysByPath(theirs);
      const ourArrays = arraysByPath(ours);
      let required = 0;
      for (const [path, arr] of inputArrays) {
        const flags = referenceFlags(arr);
        const theirKept = new Set((theirArrays.get(path) ?? []).filter((x) => !isMarker(x) && !(typeof x === 'object' && x !== null && '_ccr_dropped' in x)).map(canon));
        const ourKept = new Set((ourArrays.get(path) ?? []).filter((x) => !isMarker(x)).map(canon));
        for (const i of flags) {
          const c = canon(arr[i]);
          if (!theirKept.has(c)) continue;
          required++;
          expect(ourKept.has(c), `${f.label} ${path}[${i}] = ${c}`).toBe(true);
        }
      }
      if (f.label.startsWith('dict_array_30') || f.label === 'dict_array_100_sequential') expect(required).toBeGreaterThan(0);
    });
  }
});
