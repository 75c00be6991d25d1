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

/** Register (or replace) the parser of a language. */
export function registerCodeGrammar(grammar: CodeGrammar): void {
  grammars.set(grammar.language, grammar);
}

/** Forget a language's parser (the SDK's unload frees the WASM memory). */
export function unregisterCodeGrammar(language: CodeLanguage): CodeGrammar | undefined {
  const g = grammars.get(language);
  grammars.delete(language);
  return g;
}

export function codeGrammar(language: CodeLanguage): CodeGrammar | undefined {
  return grammars.get(language);
}

/** Languages whose grammar is registered. */
export function loadedCodeLanguages(): CodeLanguage[] {
  return [...grammars.keys()];
}
