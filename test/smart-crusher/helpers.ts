import { countTokens } from 'gpt-tokenizer';
import type { CCREntry } from '../../engine/ccr/types.js';
import { parseMarkers } from '../../engine/ccr/markers.js';
import { initKernelsSync } from '../../engine/kernels/index.js';
import type { TokenCounter } from '../../engine/tokenizer/types.js';
import { crushJson, type CrushResult, type SmartCrusherOptions } from '../../engine/transforms/smart-crusher/index.js';
import { expandLossless } from '../../engine/transforms/smart-crusher/lossless.js';

initKernelsSync();

/** Exact o200k counts (gpt-tokenizer), the same family compress() uses for OpenAI models. */
export const bpeCounter: TokenCounter = {
  model: 'gpt-4o',
  encoding: 'o200k_base',
  exact: true,
  countText: (t) => countTokens(t),
  countMessage: () => 0,
  countMessages: () => 0,
};

export interface Crushed extends CrushResult {
  readonly entries: CCREntry[];
}

export function crush(text: string, options: SmartCrusherOptions = {}, query?: string): Crushed {
  const entries: CCREntry[] = [];
  const r = crushJson(text, options, { counter: bpeCounter, query, ccr: { record: (e) => void entries.push(e) } });
  return { ...r, entries };
}

/** JSON with keys sorted at every level: equality that ignores key order. */
export function canon(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canon((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

export function isMarker(v: unknown): boolean {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && keys[0].startsWith('_headroom');
}

/** The data an output stands for: lossless encodings expanded, parsed. */
export function decoded(output: string): unknown {
  const exp = expandLossless(output);
  if (exp === null) throw new Error('output is not JSON');
  return JSON.parse(exp);
}

/** Non-marker items of an array after expansion. */
export function items(arr: unknown[]): unknown[] {
  return arr.filter((x) => !isMarker(x));
}

export function sentinels(arr: unknown[]): Array<{ _headroom: string }> {
  return arr.filter((x) => isMarker(x) && '_headroom' in (x as object)) as Array<{ _headroom: string }>;
}

/** Every marker's hash resolves to a recorded entry whose content is the byte-exact input. */
export function markersResolve(r: Crushed, input: string): boolean {
  const ms = parseMarkers(r.output);
  for (const m of ms) {
    const e = r.entries.find((x) => x.hash === m.hash);
    if (!e || e.content !== input) return false;
  }
  return ms.every((m) => r.hashes.includes(m.hash));
}

/** A small deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
