/** The DiffCompressor: unified and combined diffs down to their changes and a little context. */
import { failOpenCompressor, unchanged, type CompressorDeps, type CompressorInput, type CompressorOutput, type ContentCompressor } from '../compressor.js';
import { finishLossy, hasMarker } from '../log/finish.js';
import { splitLines } from '../log/lines.js';
import { queryTerms } from '../log/terms.js';
import { resolveDiffConfig, type DiffCompressorConfig, type ResolvedDiffCompressorConfig } from './config.js';
import { emitDiff } from './emit.js';
import { parseDiff } from './parse.js';
import { planDiff, tokensPerChar } from './plan.js';

function compressDiff(input: CompressorInput, deps: CompressorDeps, cfg: ResolvedDiffCompressorConfig): CompressorOutput {
  const { text } = input;
  if (hasMarker(text)) return unchanged(text, 'diff: already compressed');
  const src = splitLines(text);
  const n = src.lines.length;
  if (n < cfg.minLines) return unchanged(text, `diff: ${n} lines, fewer than ${cfg.minLines}`);
  const d = parseDiff(src.lines);
  if (d.files.length === 0) return unchanged(text, 'diff: no file header (diff --git, diff --cc, --- / +++)');
  const plan = planDiff(src.lines, d, cfg, queryTerms(input.query), () => tokensPerChar(text, (s) => deps.counter.countText(s)));
  const e = emitDiff(src, d, plan, cfg);
  const hunks = d.files.reduce((a, f) => a + f.hunks.length, 0);
  const parts: string[] = [];
  if (e.contextOmitted > 0) parts.push(`unchanged lines beyond ${cfg.contextLines} of context`);
  if (e.headersDropped > 0) parts.push(`${e.headersDropped} index/diff --git header lines`);
  if (e.hunksOmitted > 0) parts.push(`${e.hunksOmitted} of ${hunks} hunks`);
  if (plan.budgetCut > 0) parts.push(`${plan.budgetCut} hunks over the ${cfg.maxTokens}-token budget`);
  if (e.filesOmitted > 0) parts.push(`${e.filesOmitted} of ${d.files.length} files`);
  if (e.summarized.length > 0) parts.push(`summarised ${e.summarized.slice(0, 3).join(' ')}${e.summarized.length > 3 ? ' …' : ''}`);
  parts.push(e.excerpt ? 'binary data cut, an excerpt, not an applicable patch' : 'kept hunks renumbered, still applies as a patch');
  const omitted = n - e.represented;
  return finishLossy(
    {
      text,
      source: 'diff',
      writer: e.writer,
      omitted,
      unit: 'lines',
      note: parts.join(', '),
      labels: [`diff:lines=${n}->${e.represented}`],
      meta: { lines: n, files: d.files.length, hunks, tool: input.toolName },
    },
    deps,
  );
}

export const diffCompressor: ContentCompressor<DiffCompressorConfig | undefined> = failOpenCompressor('diff', resolveDiffConfig, compressDiff);
