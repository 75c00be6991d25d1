/**
 * Grammars for compress(): the pipeline is synchronous, so it cannot load a grammar when the
 * router sends it code. Instead the code compressor notes each language whose grammar it needed
 * (code that passed every gate: size, recency, intent) and left alone for want of it
 * (engine/transforms/code/grammars.ts `noteMissingGrammar`). compress() takes those notes right
 * after the run, loads the grammars and runs once more; the router's cache key includes the
 * loaded grammars, so the second run routes those blocks afresh.
 *
 * Only the grammars the conversation needs are loaded, once per process (per worker); a
 * conversation whose code is gated, or has no code, loads nothing and runs once. A grammar that
 * cannot be loaded is reported once (a warning) and its code passes through; it is tried again
 * after the grammars change (configureCodeGrammars(), a grammar loaded or unloaded).
 */
import { grammarGeneration, takeMissingGrammars } from '../../engine/transforms/code/grammars.js';
import type { CodeLanguage } from '../../engine/transforms/code/languages.js';
import { ensureLanguages } from './load.js';

/** Languages whose grammar failed to load, with the grammar generation they failed under. */
const failed = new Map<CodeLanguage, number>();

/** Forget grammar requests left over from other callers (call right before a synchronous run). */
export function clearGrammarRequests(): void {
  takeMissingGrammars();
}

/**
 * Load the grammars the run that just finished asked for. Call it right after the synchronous
 * run (before any other await). Resolves true when a grammar was loaded, i.e. the run should be
 * repeated; never rejects (failures become warnings).
 */
export async function loadRequestedGrammars(warnings: string[]): Promise<boolean> {
  const gen = grammarGeneration();
  const wanted = takeMissingGrammars().filter((l) => failed.get(l) !== gen);
  if (wanted.length === 0) return false;
  try {
    const r = await ensureLanguages(wanted);
    warnings.push(...r.warnings);
    for (const f of r.failed) failed.set(f.language, gen);
    return r.loaded.length > 0;
  } catch (err) {
    warnings.push(`code grammars could not be loaded (${err instanceof Error ? err.message : String(err)}); code passes through uncompressed`);
    for (const l of wanted) failed.set(l, gen);
    return false;
  }
}
