/**
 * Reproduces the estimator's CALIBRATION constants (engine/tokenizer/estimator.ts).
 *
 *   npx tsx bench/tokenizer-calibrate.ts        # prints the fitted weights as TypeScript
 *
 * Fit: for each encoding, exact BPE counts of 12 generated samples (~8 000 chars) per corpus
 * class (prose, code, json, cjk, other scripts, logs, machine strings, emoji-heavy chat), then non-negative least squares on the
 * relative error |estimate − exact| / exact (coordinate descent, deterministic).
 */

import { BpeCore, type BpeRanksData } from '../engine/tokenizer/bpe.js';
import { FEATURES, linearEstimate, textStats, type TextStats, type Weights } from '../engine/tokenizer/estimator.js';
import type { EncodingName } from '../engine/tokenizer/types.js';
import { genClass, genEmoji, genLogs, genMachine, genOtherLang } from './tokenizer-corpus.js';

export const TRAIN_SAMPLES = 12;
export const TRAIN_CHARS = 8_000;
export const TRAIN_GROUPS = ['prose', 'code', 'json', 'cjk', 'other', 'logs', 'machine', 'emoji'] as const;
export type TrainGroup = (typeof TRAIN_GROUPS)[number];

export function groupSample(group: TrainGroup, chars: number, seed: number): string {
  switch (group) {
    case 'other':
      return genOtherLang(chars, seed);
    case 'logs':
      return genLogs(chars, seed);
    case 'machine':
      return genMachine(chars, seed);
    case 'emoji':
      return genEmoji(chars, seed);
    default:
      return genClass(group, chars, seed);
  }
}

/** Seeds used for training; evaluation uses disjoint seeds (≥ 10 000). */
export function trainSeed(group: TrainGroup, i: number): number {
  return 1000 * (TRAIN_GROUPS.indexOf(group) + 1) + i;
}

export async function loadRanks(enc: EncodingName): Promise<BpeRanksData> {
  return enc === 'o200k_base'
    ? (await import('js-tiktoken/ranks/o200k_base')).default
    : (await import('js-tiktoken/ranks/cl100k_base')).default;
}

function vec(st: TextStats): number[] {
  return FEATURES.map((f) => st[f]);
}

/** Non-negative least squares on relative error. */
export function fitWeights(rows: ReadonlyArray<{ stats: TextStats; tokens: number }>): Weights {
  const k = FEATURES.length;
  const A = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const b = new Array<number>(k).fill(0);
  for (const r of rows) {
    const f = vec(r.stats);
    const w = 1 / (r.tokens * r.tokens);
    for (let i = 0; i < k; i++) {
      b[i]! += w * f[i]! * r.tokens;
      for (let j = 0; j < k; j++) A[i]![j]! += w * f[i]! * f[j]!;
    }
  }
  const x = new Array<number>(k).fill(0);
  for (let iter = 0; iter < 200_000; iter++) {
    let delta = 0;
    for (let i = 0; i < k; i++) {
      if (A[i]![i]! === 0) continue;
      let s = b[i]!;
      for (let j = 0; j < k; j++) if (j !== i) s -= A[i]![j]! * x[j]!;
      const v = Math.max(0, s / A[i]![i]!);
      delta = Math.max(delta, Math.abs(v - x[i]!));
      x[i] = v;
    }
    if (delta < 1e-12) break;
  }
  const out: Record<string, number> = {};
  FEATURES.forEach((f, i) => (out[f] = Math.round(x[i]! * 1e5) / 1e5));
  return out as unknown as Weights;
}

export interface CalibrationRun {
  encoding: EncodingName;
  weights: Weights;
  /** Mean |relative error| on the training rows, per group. */
  trainError: Record<TrainGroup, number>;
}

export async function calibrate(enc: EncodingName, core?: BpeCore): Promise<CalibrationRun> {
  const c = core ?? new BpeCore(enc, await loadRanks(enc));
  const rows: Array<{ group: TrainGroup; stats: TextStats; tokens: number }> = [];
  for (const group of TRAIN_GROUPS) {
    for (let i = 0; i < TRAIN_SAMPLES; i++) {
      const s = groupSample(group, TRAIN_CHARS, trainSeed(group, i));
      rows.push({ group, stats: textStats(s), tokens: c.count(s) });
    }
  }
  const weights = fitWeights(rows);
  const trainError = {} as Record<TrainGroup, number>;
  for (const group of TRAIN_GROUPS) {
    const rs = rows.filter((r) => r.group === group);
    trainError[group] = rs.reduce((a, r) => a + Math.abs(linearEstimate(r.stats, weights) / r.tokens - 1), 0) / rs.length;
  }
  return { encoding: enc, weights, trainError };
}

export function formatWeights(runs: ReadonlyArray<CalibrationRun>): string {
  const lines = ['export const CALIBRATION: Readonly<Record<EncodingName, Weights>> = {'];
  for (const r of runs) {
    lines.push(`  ${r.encoding}: {`);
    for (const f of FEATURES) lines.push(`    ${f}: ${r.weights[f]},`);
    lines.push('  },');
  }
  lines.push('};');
  return lines.join('\n');
}

const isMain = typeof process !== 'undefined' && process.argv[1] !== undefined && /tokenizer-calibrate\.ts$/.test(process.argv[1]);
if (isMain) {
  const runs = [await calibrate('o200k_base'), await calibrate('cl100k_base')];
  console.log(formatWeights(runs));
  for (const r of runs) {
    console.log(
      `// ${r.encoding} mean |error| on training samples: ` +
        TRAIN_GROUPS.map((g) => `${g} ${(r.trainError[g] * 100).toFixed(1)}%`).join(', '),
    );
  }
}
