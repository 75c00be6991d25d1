/**
 * compressCode(): compress one source file on its own (tools, the playground, editors), outside
 * a conversation. Always aggressive — the caller asked for it — so the size, recency and
 * analysis-intent gates are off; the re-parse guarantee and the "smaller" check still hold.
 *
 * Loads the grammar it needs first (ensureLanguages), and stores the original in the CCR store
 * before the result, and its markers, reach the caller.
 */
import type { CCREntry, CCRStore } from '../../engine/ccr/types.js';
import { ConfigurationError } from '../../engine/errors.js';
import { compressCodeSync, type CodeCompression } from '../../engine/transforms/code/compress.js';
import { resolveCodeConfig, type CodeConfig } from '../../engine/transforms/code/config.js';
import { codeGrammar } from '../../engine/transforms/code/grammars.js';
import { alternativeLanguages, chooseLanguage, type CodeLanguage } from '../../engine/transforms/code/languages.js';
import { getTokenCounter, type ModelTokenCounter } from '../../engine/tokenizer/index.js';
import { getDefaultStore } from '../ccr/default-store.js';
import { ensureLanguages, type GrammarOptions } from './load.js';

export interface CompressCodeOptions extends Omit<CodeConfig, 'aggressive' | 'minTokens' | 'protectRecentMessages' | 'protectAnalysisContext'>, GrammarOptions {
  /** Language name or alias (python, ts, tsx, c++…). Default: from `path`, else detected from the content. */
  language?: string;
  /** File path; its extension names the language. */
  path?: string;
  /** Model whose tokenizer counts tokens. Default 'gpt-4o'. */
  model?: string;
  /** Where the original goes. Default: the process-wide store (getDefaultStore()). */
  store?: CCRStore;
}

export interface CompressCodeResult {
  /** The compressed source, or the input unchanged. */
  readonly compressed: string;
  readonly changed: boolean;
  /** Language used, null when it could not be decided. */
  readonly language: CodeLanguage | null;
  /** `compressed` parses without ERROR/MISSING nodes (false for malformed input passed through or an unknown language). */
  readonly syntaxValid: boolean;
  readonly tokensBefore: number;
  readonly tokensAfter: number;
  /** CCR key of the stored original (what the markers name); null when unchanged. */
  readonly ccrHash: string | null;
  /** What was done, or why the source was left alone. */
  readonly note: string;
  /** Grammar loading or storage problems (the source then comes back unchanged). */
  readonly warnings: ReadonlyArray<string>;
}

const OWN_KEYS = ['language', 'path', 'model', 'store', 'grammars', 'grammarBaseUrl', 'runtimeWasm', 'treeSitter', 'onWarning'];

const counters = new Map<string, ModelTokenCounter>();

async function counterFor(model: string): Promise<ModelTokenCounter> {
  let c = counters.get(model);
  if (!c) {
    c = await getTokenCounter(model);
    if (counters.size >= 8) counters.delete(counters.keys().next().value as string);
    counters.set(model, c);
  }
  return c;
}

function result(r: CodeCompression, warnings: string[]): CompressCodeResult {
  return {
    compressed: r.output,
    changed: r.changed,
    language: r.language,
    syntaxValid: r.syntaxValid,
    tokensBefore: r.tokensBefore,
    tokensAfter: r.tokensAfter,
    ccrHash: r.hash,
    note: r.note,
    warnings,
  };
}

/** Compress one source file (aggressive). Throws only for invalid options. */
export async function compressCode(source: string, options: CompressCodeOptions = {}): Promise<CompressCodeResult> {
  if (typeof source !== 'string') throw new ConfigurationError(`compressCode(source): source must be a string (got ${source === null ? 'null' : typeof source})`);
  if (typeof options !== 'object' || options === null) throw new ConfigurationError('compressCode(source, options): options must be an object');
  const { language, path, model, store, grammars, grammarBaseUrl, runtimeWasm, treeSitter, onWarning, ...rest } = options;
  const config = resolveCodeConfig({ ...(rest as CodeConfig), aggressive: true }, 'compressCode options', OWN_KEYS);
  const grammarOptions: GrammarOptions = { grammars, grammarBaseUrl, runtimeWasm, treeSitter, onWarning };
  const warnings: string[] = [];
  const counter = await counterFor(model ?? 'gpt-4o');
  warnings.push(...counter.warnings);

  const entries: CCREntry[] = [];
  const deps = { counter, ccr: { record: (e: CCREntry) => void entries.push(e) } };
  const hints = { language, path };
  const run = () => compressCodeSync(source, deps, config, hints);

  const choice = chooseLanguage(source, hints);
  if (choice && config.languages.includes(choice.language)) {
    const ensured = await ensureLanguages([choice.language], grammarOptions);
    warnings.push(...ensured.warnings);
  }
  let r = run();
  if (r.skip === 'input_errors' && r.language) {
    // The sibling grammar (TS ↔ TSX, C ↔ C++) may parse it: load it and try again.
    const alts = alternativeLanguages(r.language).filter((l) => config.languages.includes(l) && !codeGrammar(l));
    if (alts.length > 0) {
      const ensured = await ensureLanguages(alts, grammarOptions);
      warnings.push(...ensured.warnings);
      if (ensured.loaded.length > 0) r = run();
    }
  }
  if (!r.changed) return result(r, warnings);

  // Markers must never reach the caller without their original in the store.
  const target = store ?? getDefaultStore();
  try {
    for (const e of entries) await target.put(e);
  } catch (err) {
    const w = `CCR store failed (${err instanceof Error ? err.message : String(err)}); source returned uncompressed`;
    warnings.push(w);
    return { ...result(r, warnings), compressed: source, changed: false, tokensAfter: r.tokensBefore, ccrHash: null, note: w, syntaxValid: r.syntaxValid };
  }
  return result(r, warnings);
}
