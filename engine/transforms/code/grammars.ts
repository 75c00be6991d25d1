/**
 * The grammars the code compressor can use right now. The engine never loads anything: the SDK
 * (sdk/code/load.ts `ensureLanguages`) fetches or reads a grammar's .wasm, builds a web-tree-sitter
 * Parser for it and registers it here. Compression is synchronous once a grammar is registered;
 * a language whose grammar is missing passes through with a note.
 *
 * Only types come from web-tree-sitter here, so the engine bundle does not pull the runtime in.
 */
import type { Parser } from 'web-tree-sitter';
import type { CodeLanguage } from './languages.js';

export interface CodeGrammar {
  readonly language: CodeLanguage;
  /** A parser with this language set. Parsing is synchronous; one parser is reused for every call. */
  readonly parser: Parser;
}

const grammars = new Map<CodeLanguage, CodeGrammar>();
const missing = new Set<CodeLanguage>();
let generation = 0;

/** Register (or replace) the parser of a language. */
export function registerCodeGrammar(grammar: CodeGrammar): void {
  grammars.set(grammar.language, grammar);
  generation++;
}

/** Forget a language's parser (the SDK's unload frees the WASM memory). */
export function unregisterCodeGrammar(language: CodeLanguage): CodeGrammar | undefined {
  const g = grammars.get(language);
  if (grammars.delete(language)) generation++;
  return g;
}

/**
 * Changes whenever what the code compressor can parse may have changed: a grammar registered or
 * removed, or (bumpGrammarGeneration) where grammars are loaded from. The router puts it in its
 * cache key, so code left alone for a missing grammar is looked at again after such a change.
 */
export function grammarGeneration(): number {
  return generation;
}

/** A grammar that failed to load may load now (the SDK calls this when its grammar sources change). */
export function bumpGrammarGeneration(): void {
  generation++;
}

export function codeGrammar(language: CodeLanguage): CodeGrammar | undefined {
  return grammars.get(language);
}

/** Languages whose grammar is registered. */
export function loadedCodeLanguages(): CodeLanguage[] {
  return [...grammars.keys()];
}

/**
 * Record that code in `language` passed the gates but was left alone because its grammar is not
 * registered. The SDK's compress() takes these right after the synchronous pipeline, loads them
 * and runs again (the router's cache key includes the registered grammars, so the new run
 * routes those blocks afresh). Engine-only callers can ignore it.
 */
export function noteMissingGrammar(language: CodeLanguage): void {
  missing.add(language);
  notes++;
}

let notes = 0;

/**
 * How many missing grammars were noted so far (monotonic). A result computed while this moved is
 * provisional (a grammar is about to be loaded), so the router does not cache it.
 */
export function missingGrammarNotes(): number {
  return notes;
}

/** The languages noted as missing since the last call (and forget them). */
export function takeMissingGrammars(): CodeLanguage[] {
  const out = [...missing];
  missing.clear();
  return out;
}
