/**
 * Which files and hunks of a diff survive. Every hunk is kept unless a cap forces a cut, and
 * cuts go in this order: lockfiles (summarised in one line unless the question names them or
 * they changed only a few lines), then files beyond maxFiles (those naming the question's words
 * and with most changes win; generated and minified files lose first), then hunks beyond
 * maxHunksPerFile (first, last and best-scored kept), then the lowest-scored hunks until at
 * most maxChangedLines changed lines remain (each file keeps its best hunk while possible).
 * Hunk score: up to .3 for size, .5 per question word in its changed lines or heading, .3 for
 * error/security/todo words.
 */
import { hasTerm, termHits } from '../log/terms.js';
import type { ResolvedDiffCompressorConfig } from './config.js';
import type { FileSection, Hunk, ParsedDiff } from './parse.js';

const LOCKFILES = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lockb',
  'bun.lock',
  'Cargo.lock',
  'poetry.lock',
  'Pipfile.lock',
  'uv.lock',
  'Gemfile.lock',
  'go.sum',
  'composer.lock',
  'flake.lock',
  'mix.lock',
  'pubspec.lock',
  'Podfile.lock',
  'packages.lock.json',
  'gradle.lockfile',
]);

const GENERATED = /(?:\.min\.(?:js|css)|\.map|\.snap|\.pb\.go|_pb2\.py|\.generated\.\w+)$|(?:^|\/)(?:dist|build|vendor|node_modules|__snapshots__)\//;
const PRIORITY = /\b(?:error|exception|fail|fatal|panic|security|auth|password|secret|token|credential|todo|fixme|hack|xxx|bug|fix|important|deprecated)\b/i;

export function basename(path: string): string {
  const i = path.lastIndexOf('/');
  return i >= 0 ? path.slice(i + 1) : path;
}

export function isLockfile(path: string): boolean {
  return LOCKFILES.has(basename(path));
}

export interface DiffPlan {
  /** Kept hunks (by object identity). */
  readonly keptHunks: Set<Hunk>;
  /** Files whose section is left out entirely. */
  readonly droppedFiles: Set<FileSection>;
  /** Lockfiles summarised in one line (a subset of droppedFiles). */
  readonly lockfiles: Set<FileSection>;
}

function hunkScore(lines: readonly string[], h: Hunk, terms: readonly string[]): number {
  let s = Math.min(0.3, 0.03 * h.changed);
  if (terms.length > 0) {
    const seen = new Set<string>();
    const head = h.heading.toLowerCase();
    for (const t of terms) if (hasTerm(head, t)) seen.add(t);
    for (let i = h.bodyStart; i < h.bodyEnd && seen.size < terms.length; i++) {
      const l = lines[i];
      if (l.length === 0 || l.charCodeAt(0) === 32) continue;
      const low = (l.length > 500 ? l.slice(0, 500) : l).toLowerCase();
      for (const t of terms) if (!seen.has(t) && hasTerm(low, t)) seen.add(t);
    }
    s += 0.5 * seen.size;
  }
  for (let i = h.bodyStart; i < h.bodyEnd; i++) {
    const l = lines[i];
    if (l.length > 0 && l.charCodeAt(0) !== 32 && PRIORITY.test(l.length > 500 ? l.slice(0, 500) : l)) {
      s += 0.3;
      break;
    }
  }
  return s;
}

export function planDiff(lines: readonly string[], d: ParsedDiff, cfg: ResolvedDiffCompressorConfig, terms: readonly string[]): DiffPlan {
  const keptHunks = new Set<Hunk>();
  const droppedFiles = new Set<FileSection>();
  const lockfiles = new Set<FileSection>();
  const score = new Map<Hunk, number>();
  const fileHits = new Map<FileSection, number>();

  for (const f of d.files) {
    const pathHits = termHits(f.path.toLowerCase(), terms);
    let best = 0;
    for (const h of f.hunks) {
      const s = hunkScore(lines, h, terms) + (pathHits > 0 ? 0.5 : 0);
      score.set(h, s);
      if (s > best) best = s;
    }
    fileHits.set(f, pathHits * 10 + best);
    const changed = f.hunks.reduce((a, h) => a + h.changed, 0);
    if (isLockfile(f.path) && changed > cfg.lockfileLines && pathHits === 0) {
      lockfiles.add(f);
      droppedFiles.add(f);
    }
  }

  // Files beyond maxFiles.
  const live = d.files.filter((f) => !droppedFiles.has(f));
  if (live.length > cfg.maxFiles) {
    const changed = (f: FileSection) => f.hunks.reduce((a, h) => a + h.changed, 0);
    const rank = live
      .map((f, i) => ({ f, i, gen: GENERATED.test(f.path) || isLockfile(f.path) ? 1 : 0, hits: fileHits.get(f)!, changed: changed(f) }))
      .sort((a, b) => a.gen - b.gen || b.hits - a.hits || b.changed - a.changed || a.i - b.i);
    for (const r of rank.slice(cfg.maxFiles)) droppedFiles.add(r.f);
  }

  // Hunks beyond maxHunksPerFile.
  for (const f of d.files) {
    if (droppedFiles.has(f)) continue;
    const hs = f.hunks;
    if (hs.length <= cfg.maxHunksPerFile) {
      for (const h of hs) keptHunks.add(h);
      continue;
    }
    const keep = new Set<Hunk>([hs[0], hs[hs.length - 1]]);
    const middle = hs.slice(1, -1).map((h, i) => ({ h, i })).sort((a, b) => score.get(b.h)! - score.get(a.h)! || a.i - b.i);
    for (const { h } of middle) {
      if (keep.size >= cfg.maxHunksPerFile) break;
      keep.add(h);
    }
    for (const h of hs) if (keep.has(h)) keptHunks.add(h);
  }

  // The changed-line budget.
  let total = 0;
  for (const h of keptHunks) total += h.changed;
  if (total > cfg.maxChangedLines) {
    const owner = new Map<Hunk, FileSection>();
    const left = new Map<FileSection, number>();
    for (const f of d.files) {
      let k = 0;
      for (const h of f.hunks) {
        owner.set(h, f);
        if (keptHunks.has(h)) k++;
      }
      left.set(f, k);
    }
    const order = [...keptHunks].sort((a, b) => score.get(a)! - score.get(b)! || b.changed - a.changed || b.header - a.header);
    for (const pass of [0, 1]) {
      for (const h of order) {
        if (total <= cfg.maxChangedLines) break;
        if (!keptHunks.has(h)) continue;
        const f = owner.get(h)!;
        if (pass === 0 && left.get(f)! <= 1) continue;
        if (keptHunks.size <= 1) break;
        keptHunks.delete(h);
        left.set(f, left.get(f)! - 1);
        total -= h.changed;
        if (left.get(f) === 0 && f.hunks.length > 0) droppedFiles.add(f);
      }
    }
  }
  return { keptHunks, droppedFiles, lockfiles };
}
