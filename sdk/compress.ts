/**
 * compress(): the public entry point. Validates options (the only thing that throws, besides
 * `strict`), loads what the model needs (BPE ranks, WASM kernels), runs the engine, and
 * persists every CCR original before the result — and its markers — reach the caller.
 */
import type { CCREntry, CCRStore } from '../engine/ccr/types.js';
import { compressPrepared, validateOptions, type PreparedModel } from '../engine/compress.js';
import { ConfigurationError, HeadroomError, ProviderError, TransformError } from '../engine/errors.js';
import { initKernels } from '../engine/kernels/index.js';
import { mergeModelOverrides, resolveModel, type ModelInfo } from '../engine/models/index.js';
import type { CompressOptions, CompressResult } from '../engine/options.js';
import { getTokenCounter, type ModelTokenCounter } from '../engine/tokenizer/index.js';
import { drainStoreWarnings, getDefaultStore } from './ccr/default-store.js';
import { clearGrammarRequests, loadRequestedGrammars } from './code/auto.js';
import { readEnvModelOverrides } from './env-model-limits.js';

const DEFAULT_MODEL = 'gpt-4o';

/** One counter per resolved model, so its memo of counted strings outlives a single call. */
const counters = new Map<string, ModelTokenCounter>();

/** Model names resolved without overrides (resolution is a pure function of the name then). */
const resolvedByName = new Map<string, { info: ModelInfo; warnings: ReadonlyArray<string>; key: string }>();

/** Resolve the model and load its token counter (BPE ranks are fetched lazily, once per encoding). */
export async function prepareModel(options: CompressOptions, warnings: string[]): Promise<PreparedModel> {
  // Deep merge: an option override of one price keeps the env's other fields for that model.
  const overrides = mergeModelOverrides(readEnvModelOverrides({ onWarning: (w) => void warnings.push(w) }), options.modelOverrides);
  const name = options.model ?? DEFAULT_MODEL;
  // Without overrides a name always resolves the same way: skip resolving and keying each call.
  let resolved = overrides === undefined ? resolvedByName.get(name) : undefined;
  if (!resolved) {
    const { info, warnings: w } = resolveModel(name, overrides);
    resolved = { info, warnings: w, key: JSON.stringify(info) };
    if (overrides === undefined) {
      if (resolvedByName.size >= 64) resolvedByName.delete(resolvedByName.keys().next().value as string);
      resolvedByName.set(name, resolved);
    }
  }
  const { info, key } = resolved;
  warnings.push(...resolved.warnings);
  let counter = counters.get(key);
  if (!counter) {
    counter = await getTokenCounter(info);
    // Counters remember the strings they counted: reusing one across calls makes re-sent history cheap.
    if (counters.size >= 32) counters.delete(counters.keys().next().value as string);
    counters.set(key, counter);
  }
  warnings.push(...counter.warnings);
  return { info, counter };
}

let kernelsReady: Promise<unknown> | undefined;
async function ensureKernels(warnings: string[]): Promise<void> {
  kernelsReady ??= initKernels().catch((err: unknown) => {
    // The TypeScript kernels give the same results, only slower.
    warnings.push(`WASM kernels unavailable, using the TypeScript fallback: ${(err as Error)?.message ?? String(err)}`);
  });
  await kernelsReady;
}

/** Store every original; a failing store falls back to the in-memory default, so no marker is left unresolvable. */
async function persist(entries: ReadonlyArray<CCREntry>, store: CCRStore, warnings: string[]): Promise<boolean> {
  for (const entry of entries) {
    try {
      await store.put(entry);
      continue;
    } catch (err) {
      const fallback = getDefaultStore();
      if (fallback === store) return false;
      warnings.push(`CCR store failed (${(err as Error)?.message ?? String(err)}); original ${entry.hash} kept in memory instead`);
      try {
        await fallback.put(entry);
      } catch {
        return false;
      }
    }
  }
  return true;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function failOpen<M>(messages: M[], options: CompressOptions, warnings: string[], reason: string, prepared?: PreparedModel): CompressResult<M> {
  warnings.push(reason);
  let tokens = 0;
  try {
    const text = JSON.stringify(messages) ?? '';
    tokens = prepared ? prepared.counter.countText(text) : Math.ceil(text.length / 4);
  } catch {
    tokens = 0;
  }
  const limit = prepared?.info.contextLimit ?? 128_000;
  const budget = options.tokenBudget ?? limit;
  return {
    messages,
    tokensBefore: tokens,
    tokensAfter: tokens,
    tokensSaved: 0,
    compressionRatio: 1,
    savingsPercent: 0,
    transformsApplied: [],
    ccrHashes: [],
    compressed: false,
    warnings,
    format: null,
    model: {
      id: prepared?.info.id ?? options.model ?? DEFAULT_MODEL,
      canonical: prepared?.info.canonical ?? options.model ?? DEFAULT_MODEL,
      provider: prepared?.info.provider ?? 'unknown',
      contextLimit: limit,
    },
    tokenCounting: prepared?.counter.exact ? 'exact' : 'estimate',
    tokenBudget: budget,
    fitsBudget: tokens <= budget,
    stablePrefixHash: null,
  };
}

/**
 * Compress a conversation so it costs fewer tokens and fits its budget, in-process.
 *
 * @example
 * ```ts
 * import { compress } from 'headroom-wasm';
 * const result = await compress(messages, { model: 'gpt-4o', tokenBudget: 100_000 });
 * await openai.chat.completions.create({ model: 'gpt-4o', messages: result.messages });
 * console.log(`${result.tokensBefore} → ${result.tokensAfter} tokens (${result.savingsPercent.toFixed(1)}% saved)`);
 * ```
 *
 * Messages may be OpenAI chat, Anthropic Messages, Vercel AI SDK or Gemini `contents`; the
 * result is in the same format, and messages no transform changed are the caller's own objects.
 * Throws `ConfigurationError` for invalid options and `ProviderError` when a forced `format`
 * cannot express the input; any other failure passes the input through with a warning
 * (or throws, with `strict: true`).
 */
export async function compress<M>(messages: M[], options?: CompressOptions): Promise<CompressResult<M>> {
  const opts = validateOptions(options);
  const warnings: string[] = [];
  let prepared: PreparedModel | undefined;
  try {
    prepared = await prepareModel(opts, warnings);
    await ensureKernels(warnings);
    const mark = warnings.length;
    clearGrammarRequests();
    let run = compressPrepared(messages, opts, prepared, warnings);
    // Code that passed the router's gates needs its tree-sitter grammar: load what the run asked
    // for and run again (the first time a language shows up in this process).
    // A fallback grammar (TypeScript first read as JavaScript) is only asked for once the first
    // one has been tried, hence a few rounds.
    const grammarWarnings: string[] = [];
    for (let round = 0; round < 3 && (await loadRequestedGrammars(grammarWarnings)); round++) {
      warnings.length = mark;
      run = compressPrepared(messages, opts, prepared, warnings);
    }
    warnings.push(...grammarWarnings);
    if (run.ccrEntries.length > 0) {
      const store = opts.store ?? getDefaultStore();
      const stored = await persist(run.ccrEntries, store, warnings);
      // Stores that fall back internally (IndexedDB → memory) report it here, not by throwing.
      warnings.push(...drainStoreWarnings(store));
      if (store !== getDefaultStore()) warnings.push(...drainStoreWarnings(getDefaultStore()));
      if (!stored) {
        if (opts.strict) throw new HeadroomError('CCR originals could not be stored', { hashes: run.ccrEntries.map((e) => e.hash) }, 'STORAGE');
        return failOpen(messages, opts, warnings, 'CCR originals could not be stored, so nothing lossy was applied; passed through unchanged', prepared);
      }
    }
    return run.result;
  } catch (err) {
    if (opts.strict || err instanceof ConfigurationError || err instanceof ProviderError) {
      throw err instanceof HeadroomError ? err : new TransformError(`compress failed: ${errorMessage(err)}`, { cause: err });
    }
    return failOpen(messages, opts, warnings, `compress failed and passed the input through unchanged: ${errorMessage(err)}`, prepared);
  }
}
