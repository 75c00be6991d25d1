/**
 * Writes the compressed diff. Every changed line of a kept hunk stays, with `contextLines`
 * unchanged lines around each change (context.ts); where more unchanged lines were cut, the hunk
 * is split and each part gets a recomputed header, so the output is still a patch that applies
 * (the new side's start also discounts the hunks left out before it in the same file). A hunk
 * that keeps all its lines keeps its original header byte for byte. With compactHeaders, plain
 * modifications lose their `index` and `diff --git` lines (headers.ts). Lockfiles and generated
 * files, files and hunks left out are listed in notes between file sections, which patch tools
 * skip: `[... lockfile package-lock.json: 45 hunks, +64 -64 lines omitted]`, `[... generated
 * file dist/app.min.js: …]`, `[... 2 hunks omitted in src/a.ts: +4 -4 lines]`, `[... 3 more
 * files omitted: src/b.ts +3 -4, …]`.
 */
import { LineWriter, type SplitText } from '../log/lines.js';
import type { ResolvedDiffCompressorConfig } from './config.js';
import { hunkMask } from './context.js';
import { compactHeader } from './headers.js';
import type { DiffPlan } from './plan.js';
import type { FileSection, Hunk, ParsedDiff } from './parse.js';

export interface DiffEmit {
  readonly writer: LineWriter;
  /** Input lines reproduced (verbatim, or a hunk header replaced by recomputed ones). */
  readonly represented: number;
  readonly contextOmitted: number;
  readonly hunksOmitted: number;
  readonly filesOmitted: number;
  /** Lockfiles and generated files summarised in one line each. */
  readonly summarized: string[];
  /** File header lines left out by compactHeaders (`index …`, redundant `diff --git …`). */
  readonly headersDropped: number;
  readonly splitHunks: number;
  /** True when something was cut that a patch needs (binary payloads): the output is an excerpt. */
  readonly excerpt: boolean;
}

const plural = (k: number, one: string, many = `${one}s`) => `${k} ${k === 1 ? one : many}`;

function range(start: number, count: number, always: boolean): string {
  return always || count !== 1 ? `${start},${count}` : `${start}`;
}

function changes(f: FileSection): { added: number; deleted: number } {
  let added = 0;
  let deleted = 0;
  for (const h of f.hunks) {
    added += h.added;
    deleted += h.deleted;
  }
  return { added, deleted };
}

export function emitDiff(src: SplitText, d: ParsedDiff, plan: DiffPlan, cfg: ResolvedDiffCompressorConfig): DiffEmit {
  const { lines } = src;
  const w = new LineWriter(src);
  let represented = 0;
  let contextOmitted = 0;
  let hunksOmitted = 0;
  let splitHunks = 0;
  let excerpt = false;
  const summarized: string[] = [];
  const omittedFiles: FileSection[] = [];
  let headersDropped = 0;
  const C = cfg.contextLines;

  const keepRange = (s: number, e: number) => {
    for (let i = s; i < e; i++) w.keep(i);
    represented += e - s;
  };

  const emitHunk = (h: Hunk, droppedDelta: number): void => {
    const P = h.parents;
    const s0 = h.bodyStart;
    const len = h.bodyEnd - s0;
    const { keep } = plan.masks.get(h) ?? hunkMask(lines, h, C);

    let all = true;
    for (let b = 0; b < len; b++) if (!keep[b]) all = false;
    represented++; // the header, reproduced or recomputed
    if (all && (droppedDelta === 0 || P > 1)) {
      w.keep(h.header);
      keepRange(s0, h.bodyEnd);
      return;
    }

    // Walk the body with line cursors; emit each run of kept lines as its own hunk.
    const oldCur = h.oldStart.map((s, p) => (h.oldCount[p] === 0 ? s + 1 : s));
    let newCur = h.newCount === 0 ? h.newStart + 1 : h.newStart;
    let parts = 0;
    let b = 0;
    while (b < len) {
      if (!keep[b]) {
        const l = lines[s0 + b];
        if (l.charCodeAt(0) !== 92) {
          let inNew = true;
          for (let p = 0; p < P; p++) {
            const c = l.length === 0 ? 32 : l.charCodeAt(p);
            if (c !== 43) oldCur[p]++;
            if (c === 45) inNew = false;
          }
          if (inNew) newCur++;
        }
        contextOmitted++;
        b++;
        continue;
      }
      let e = b;
      while (e < len && keep[e]) e++;
      const startOld = oldCur.slice();
      const startNew = newCur;
      const cntOld = new Array<number>(P).fill(0);
      let cntNew = 0;
      for (let k = b; k < e; k++) {
        const l = lines[s0 + k];
        if (l.charCodeAt(0) === 92) continue;
        let inNew = true;
        for (let p = 0; p < P; p++) {
          const c = l.length === 0 ? 32 : l.charCodeAt(p);
          if (c !== 43) {
            oldCur[p]++;
            cntOld[p]++;
          }
          if (c === 45) inNew = false;
        }
        if (inNew) {
          newCur++;
          cntNew++;
        }
      }
      const at = '@'.repeat(P + 1);
      const olds = startOld.map((s, p) => `-${range(cntOld[p] > 0 ? s : s - 1, cntOld[p], P > 1)}`).join(' ');
      const ns = (cntNew > 0 ? startNew : startNew - 1) - (P === 1 ? droppedDelta : 0);
      w.note(`${at} ${olds} +${range(ns, cntNew, P > 1)} ${at}${parts === 0 ? h.heading : ''}`);
      for (let k = b; k < e; k++) w.keep(s0 + k);
      represented += e - b;
      parts++;
      b = e;
    }
    if (parts > 1) splitHunks += parts - 1;
  };

  for (const seg of d.segments) {
    if (seg.type === 'text') {
      const n = seg.end - seg.start;
      if (n <= cfg.maxTextLines) keepRange(seg.start, seg.end);
      else {
        const h = Math.floor(cfg.maxTextLines / 2);
        const t = cfg.maxTextLines - h;
        keepRange(seg.start, seg.start + h);
        w.note(`[... ${n - h - t} lines of text omitted]`);
        keepRange(seg.end - t, seg.end);
      }
      continue;
    }
    const f = seg.file;
    if (plan.droppedFiles.has(f)) {
      hunksOmitted += f.hunks.length;
      const kind = plan.summarized.get(f);
      if (kind) {
        const c = changes(f);
        summarized.push(f.path);
        w.note(`[... ${kind} ${f.path}: ${plural(f.hunks.length, 'hunk')}, +${c.added} -${c.deleted} lines omitted]`);
      } else omittedFiles.push(f);
      continue;
    }
    const headerEnd = f.binaryData ? f.binaryData[0] - 1 : f.headerEnd;
    if (cfg.compactHeaders && !f.binaryData) {
      const drop = compactHeader(lines, f.start, headerEnd);
      for (let i = f.start; i < headerEnd; i++) {
        if (drop[i - f.start]) headersDropped++;
        else keepRange(i, i + 1);
      }
    } else keepRange(f.start, headerEnd);
    if (f.binaryData) {
      excerpt = true;
      w.note(`[... binary patch data omitted: ${plural(f.binaryData[1] - f.binaryData[0] + 1, 'line')}]`);
    }
    let droppedDelta = 0;
    let cut = 0;
    let cutAdd = 0;
    let cutDel = 0;
    for (const h of f.hunks) {
      if (!plan.keptHunks.has(h)) {
        droppedDelta += h.added - h.deleted;
        cut++;
        cutAdd += h.added;
        cutDel += h.deleted;
        continue;
      }
      if (!h.valid) {
        keepRange(h.header, h.bodyEnd);
        continue;
      }
      emitHunk(h, droppedDelta);
    }
    if (cut > 0) {
      hunksOmitted += cut;
      w.note(`[... ${plural(cut, 'hunk')} omitted in ${f.path}: +${cutAdd} -${cutDel} lines]`);
    }
  }

  if (omittedFiles.length > 0) {
    const shown = omittedFiles.slice(0, 10).map((f) => {
      const c = changes(f);
      return `${f.path} +${c.added} -${c.deleted}`;
    });
    const rest = omittedFiles.length - shown.length;
    w.note(`[... ${plural(omittedFiles.length, 'more file')} omitted: ${shown.join(', ')}${rest > 0 ? ` and ${rest} more` : ''}]`);
  }
  return { writer: w, represented, contextOmitted, hunksOmitted, filesOmitted: omittedFiles.length + summarized.length, summarized, headersDropped, splitHunks, excerpt };
}
