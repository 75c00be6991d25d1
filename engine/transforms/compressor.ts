/**
 * The plug-in contract for content compressors (logs, search results, diffs, HTML, text, code,
 * JSON). The ContentRouter detects a block's type and hands its text to one compressor.
 *
 * Rules every compressor follows:
 * - Pure and deterministic: same input and query → same output, byte for byte.
 * - Lossy output is reversible: call `deps.ccr.record({ hash: ccrHash(original), content: original, source })`
 *   BEFORE putting a marker (engine/ccr/markers.ts: `formatTextMarker`) naming that hash into the
 *   output; `content` is the exact input text. Counts in markers are in the source's own units.
 * - Never throw on bad data; return `{ changed: false }` to pass through.
 * - Return `changed: false` when the result would not be smaller (the router checks tokens again).
 * - Running on its own output changes nothing (recognise your markers and leave them).
 */
import type { CCRSink } from '../ccr/types.js';
import type { TokenCounter } from '../tokenizer/types.js';

export interface CompressorInput {
  /** The block's text, exactly as the caller sent it. */
  readonly text: string;
  /** The question that was current when this content arrived (latest user message before it); '' if none. */
  readonly query: string;
  /** Tool that produced the content, when known. */
  readonly toolName?: string;
  /** That tool call's arguments (JSON text), when known: file paths, patterns, commands. */
  readonly toolArgs?: string;
  /** Language or subtype hint from detection (e.g. 'python' for code, 'pytest' for logs). */
  readonly hint?: string;
}

export interface CompressorDeps {
  readonly counter: TokenCounter;
  readonly ccr: CCRSink;
}

export interface CompressorOutput {
  readonly changed: boolean;
  /** The compressed text (equal to the input when `changed` is false). */
  readonly output: string;
  /** Short labels for `transformsApplied`, e.g. `log:lines=2000->74`. */
  readonly labels: ReadonlyArray<string>;
  /** CCR hashes the output's markers name (each was recorded through deps.ccr first). */
  readonly hashes: ReadonlyArray<string>;
  /** Why nothing changed, or other facts worth a routing-decision note. */
  readonly note?: string;
}

export interface ContentCompressor<Config = unknown> {
  /** Stable name used in routing decisions and config, e.g. 'log', 'search', 'diff', 'html', 'text'. */
  readonly name: string;
  compress(input: CompressorInput, deps: CompressorDeps, config: Config): CompressorOutput;
}

/** The unchanged result, for early exits. */
export function unchanged(text: string, note?: string): CompressorOutput {
  return note === undefined ? { changed: false, output: text, labels: [], hashes: [] } : { changed: false, output: text, labels: [], hashes: [], note };
}

/**
 * A compressor's entry point around its `run`: the config is resolved first (a bad one throws:
 * the caller's mistake), empty text passes through, and any internal error means passthrough
 * with a note, never an exception into the caller's pipeline.
 */
export function failOpenCompressor<Config, Resolved>(
  name: string,
  resolve: (config: Config | undefined) => Resolved,
  run: (input: CompressorInput, deps: CompressorDeps, config: Resolved) => CompressorOutput,
): ContentCompressor<Config | undefined> {
  return {
    name,
    compress(input, deps, config) {
      const cfg = resolve(config);
      const text = typeof input?.text === 'string' ? input.text : '';
      if (text === '') return unchanged(text, `${name}: empty`);
      try {
        return run(input, deps, cfg);
      } catch (e) {
        return unchanged(text, `${name}: passed through after an internal error (${e instanceof Error ? e.message : String(e)})`);
      }
    },
  };
}
