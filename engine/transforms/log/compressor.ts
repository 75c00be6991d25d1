/** The LogCompressor: build and test output down to what a reader of the log needs. */
import { failOpenCompressor, unchanged, type CompressorDeps, type CompressorInput, type CompressorOutput, type ContentCompressor } from '../compressor.js';
import { resolveLogConfig, type LogCompressorConfig, type ResolvedLogCompressorConfig } from './config.js';
import { emitLog } from './emit.js';
import { finishLossy, hasMarker } from './finish.js';
import { splitLines } from './lines.js';
import { selectLogLines } from './select.js';
import { queryTerms } from './terms.js';

function compressLog(input: CompressorInput, deps: CompressorDeps, cfg: ResolvedLogCompressorConfig): CompressorOutput {
  const { text } = input;
  if (hasMarker(text)) return unchanged(text, 'log: already compressed');
  const src = splitLines(text);
  const n = src.lines.length;
  if (n < cfg.minLines) return unchanged(text, `log: ${n} lines, fewer than ${cfg.minLines}`);
  const sel = selectLogLines(src.lines, cfg, queryTerms(input.query));
  const { writer, omitted, keptLines } = emitLog(src, sel);
  return finishLossy(
    {
      text,
      source: 'log',
      writer,
      omitted: omitted.total,
      unit: 'lines',
      note: omitted.describe(),
      labels: [`log:lines=${n}->${keptLines}`],
      meta: { lines: n, kept: keptLines, tool: input.toolName },
    },
    deps,
  );
}

export const logCompressor: ContentCompressor<LogCompressorConfig | undefined> = failOpenCompressor('log', resolveLogConfig, compressLog);
