/** The SearchCompressor: grep/ripgrep/ag output down to the matches that answer the question. */
import { failOpenCompressor, unchanged, type CompressorDeps, type CompressorInput, type CompressorOutput, type ContentCompressor } from '../compressor.js';
import { finishLossy, hasMarker } from '../log/finish.js';
import { splitLines } from '../log/lines.js';
import { queryTerms } from '../log/terms.js';
import { resolveSearchConfig, type ResolvedSearchCompressorConfig, type SearchCompressorConfig } from './config.js';
import { emitSearch } from './emit.js';
import { BLANK, OTHER, parseSearch } from './parse.js';
import { selectMatches } from './select.js';

function compressSearch(input: CompressorInput, deps: CompressorDeps, cfg: ResolvedSearchCompressorConfig): CompressorOutput {
  const { text } = input;
  if (hasMarker(text)) return unchanged(text, 'search: already compressed');
  const src = splitLines(text);
  const p = parseSearch(src.lines);
  if (p.matches < cfg.minMatches) return unchanged(text, `search: ${p.matches} matches, fewer than ${cfg.minMatches}`);
  let other = 0;
  let nonBlank = 0;
  for (let i = 0; i < p.kind.length; i++) {
    if (p.kind[i] === BLANK) continue;
    nonBlank++;
    if (p.kind[i] === OTHER) other++;
  }
  if (other * 2 > nonBlank) return unchanged(text, `search: ${other} of ${nonBlank} lines are not search results`);
  const sel = selectMatches(src.lines, p, cfg, input.query, queryTerms(input.query));
  const e = emitSearch(src, p, sel, cfg);
  const files = p.files.length;
  const parts = [`kept ${sel.kept} of ${p.matches} in ${e.keptFiles} of ${files} files`];
  if (e.omittedContext > 0) parts.push(`${e.omittedContext} context lines`);
  if (e.omittedOther > 0) parts.push(`${e.omittedOther} unparsed lines`);
  const byMatches = e.omittedMatches > 0;
  return finishLossy(
    {
      text,
      source: 'search',
      writer: e.writer,
      omitted: byMatches ? e.omittedMatches : e.omittedLines,
      unit: byMatches ? 'matches' : 'lines',
      note: parts.join(', '),
      labels: [`search:matches=${p.matches}->${sel.kept}`],
      meta: { matches: p.matches, kept: sel.kept, files, tool: input.toolName },
    },
    deps,
  );
}

export const searchCompressor: ContentCompressor<SearchCompressorConfig | undefined> = failOpenCompressor('search', resolveSearchConfig, compressSearch);
