/**
 * The languages the code compressor parses (one tree-sitter grammar each), and how a block's
 * language is decided: an explicit language, then a file path (tool arguments), then a fence tag
 * or detector hint, then the content itself.
 *
 * TypeScript and TSX are two grammars: `.tsx` paths and `tsx` fences pick TSX, and content that
 * looks like JSX (`<Foo`, `</div>`, `/>`) inside TypeScript does too. JSX in `.js`/`.jsx` is part
 * of the JavaScript grammar.
 */

export type CodeLanguage = 'python' | 'javascript' | 'typescript' | 'tsx' | 'go' | 'rust' | 'java' | 'c' | 'cpp';

export const CODE_LANGUAGES: ReadonlyArray<CodeLanguage> = ['python', 'javascript', 'typescript', 'tsx', 'go', 'rust', 'java', 'c', 'cpp'];

/** Names, fence tags and extensions accepted for each language (lower case). */
const ALIASES: Readonly<Record<string, CodeLanguage>> = (() => {
  const m: Record<string, CodeLanguage> = {};
  const add = (lang: CodeLanguage, ...names: string[]) => names.forEach((n) => (m[n] = lang));
  add('python', 'python', 'py', 'python3', 'py3', 'pyi', 'pyw', 'gyp');
  add('javascript', 'javascript', 'js', 'jsx', 'mjs', 'cjs', 'node', 'ecmascript', 'es6');
  add('typescript', 'typescript', 'ts', 'mts', 'cts');
  add('tsx', 'tsx');
  add('go', 'go', 'golang');
  add('rust', 'rust', 'rs');
  add('java', 'java');
  add('c', 'c', 'h');
  add('cpp', 'cpp', 'c++', 'cc', 'cxx', 'hpp', 'hh', 'hxx', 'h++', 'ipp', 'inl', 'tpp', 'cplusplus');
  return m;
})();

/** A language name, alias, fence tag or extension → CodeLanguage (undefined when not one of ours). */
export function normalizeLanguage(name: string | undefined): CodeLanguage | undefined {
  if (!name) return undefined;
  const key = name.trim().toLowerCase().replace(/^\./, '');
  return Object.prototype.hasOwnProperty.call(ALIASES, key) ? ALIASES[key] : undefined;
}

/** The language a file path names by its extension. */
export function languageFromPath(path: string | undefined): CodeLanguage | undefined {
  if (!path) return undefined;
  const base = path.trim().split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  if (dot <= 0 && !base.startsWith('.')) return undefined;
  return normalizeLanguage(base.slice(dot + 1));
}

/** Keys of tool-call arguments that name the file that was read. */
const PATH_KEYS = ['file_path', 'filePath', 'path', 'file', 'filename', 'fileName', 'target_file', 'targetFile', 'uri', 'relative_workspace_path', 'absolute_path'];

/** A source-file path found in a tool call's arguments (JSON text), or undefined. */
export function pathFromToolArgs(toolArgs: string | undefined): string | undefined {
  if (!toolArgs || toolArgs.length > 100_000) return undefined;
  let args: unknown;
  try {
    args = JSON.parse(toolArgs);
  } catch {
    return undefined;
  }
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return undefined;
  const rec = args as Record<string, unknown>;
  for (const k of PATH_KEYS) {
    const v = rec[k];
    if (typeof v === 'string' && languageFromPath(v)) return v;
  }
  return undefined;
}

/** How the language was decided. */
export type LanguageSource = 'option' | 'path' | 'hint' | 'content';

export interface LanguageChoice {
  readonly language: CodeLanguage;
  readonly via: LanguageSource;
}

export interface LanguageHints {
  /** Explicit language (an option, or the router's detection). Aliases accepted. */
  readonly language?: string;
  /** File path (its extension decides). */
  readonly path?: string;
  /** Tool-call arguments (JSON) that may carry a path. */
  readonly toolArgs?: string;
  /** A fence tag or a detector's language hint. */
  readonly hint?: string;
}

// ---------------------------------------------------------------------------------------------
// Content detection

/** Line patterns counted per language over the first 200 lines; the best count wins. */
const PATTERNS: ReadonlyArray<readonly [CodeLanguage, RegExp]> = [
  ['python', /^\s*(?:def \w+\s*\(|async def \w+|class \w+\s*(?:\([^)]*\))?\s*:|from [\w.]+ import |import [\w.]+(?: as \w+)?\s*$|@[\w.]+(?:\(.*\))?\s*$|if __name__ ==|elif .*:\s*$|except(?:\s+[\w.(), ]+(?:\s+as \w+)?)?\s*:|try:\s*$|(?:return|raise|yield)\b.*[^;{]\s*$|self\.\w+ = )/],
  ['javascript', /^\s*(?:(?:async\s+)?function\s*\*?\s*[\w$]*\s*\(|(?:const|let|var) [\w${}[\], ]+ = |export (?:default |const |let |function |class |async |\{)|import (?:[\w${}*, ]+ from )?['"]|module\.exports|(?:const|let|var) \w+ = require\(|\}\);?\s*$|\w+\.addEventListener\()/],
  ['typescript', /^\s*(?:export\s+)?(?:declare\s+)?(?:interface \w+|type \w+(?:<[^>]*>)?\s*=|(?:const\s+)?enum \w+|namespace \w+|abstract class \w+)|^\s*(?:private|public|protected|readonly) [\w$]+\??: |^\s*import type |\): (?:void|string|number|boolean|Promise<)|^\s*(?:const|let) \w+: [\w<>[\]| ]+ = /],
  ['go', /^\s*(?:package \w+\s*$|func [\w(]|import \(|import "|type \w+ (?:struct|interface)\b|var \w+ [\w*[\]]|const \w+ = |defer |go func|if err != nil|\w+ := )/],
  ['rust', /^\s*(?:(?:pub(?:\([\w:]+\))? )?(?:async )?(?:unsafe )?fn \w+|pub (?:struct|enum|mod|trait|use|const|static|type|crate)\b|use [\w:]+(?:::\{.*\}|::\*)?;|impl\b|struct \w+|enum \w+|mod \w+;|let (?:mut )?\w+(?:: [\w<>&]+)? = |#!?\[|trait \w+|match .+ \{\s*$|Some\(|Ok\(|Err\()/],
  ['java', /^\s*(?:package [\w.]+;|import (?:static )?[\w.]+(?:\.\*)?;|(?:public|private|protected)\s+(?:static\s+)?(?:final\s+)?(?:abstract\s+)?(?:synchronized\s+)?(?:class|interface|enum|record|[\w<>[\],?]+\s+\w+\s*\()|@Override\b|System\.out\.|throw new \w+)/],
  ['c', /^\s*(?:#include\s*[<"]|#define \w+|#if(?:n?def)? |#endif|typedef |(?:static |extern |inline )*(?:void|int|char|long|short|unsigned|float|double|size_t|bool|struct \w+)\s*\**\s*\w+\s*\([^;]*\)\s*\{?\s*$|(?:malloc|free|printf|sizeof)\()/],
];

/** C++ signals that turn a C verdict into C++. */
const CPP_SIGNALS = /^\s*(?:#include\s*<(?:iostream|vector|string|map|unordered_map|memory|algorithm|functional|utility|optional|array|thread|mutex)>|using namespace|template\s*<|namespace \w+\s*\{|class \w+(?:\s*final)?\s*(?::\s*(?:public|private|protected)\b|\{)|public:|private:|protected:)|std::|::\w+\(|\bnullptr\b|\bauto\s+\w+\s*=/;

/** JSX signals inside TypeScript (a `.tsx` file read without a path). */
const JSX_SIGNALS = /<\/[A-Za-z][\w.-]*\s*>|<\/>|[\w"'}]\s*\/>/;

/** Guess the language from the text (no hints): pattern votes over the first 200 lines. */
export function detectLanguageFromContent(text: string): CodeLanguage | undefined {
  const sample = text.length > 65_536 ? text.slice(0, 65_536) : text;
  const lines = sample.split('\n', 200);
  const hits = new Array<number>(PATTERNS.length).fill(0);
  let nonEmpty = 0;
  for (const raw of lines) {
    const l = raw.length > 2000 ? raw.slice(0, 2000) : raw;
    if (l.trim() === '') continue;
    nonEmpty++;
    for (let k = 0; k < PATTERNS.length; k++) if (PATTERNS[k][1].test(l)) hits[k]++;
  }
  // TypeScript lines also match the JavaScript patterns; any TypeScript-only line makes it TypeScript.
  const ts = hits[2];
  if (ts > 0) hits[2] += hits[1];
  let best = 0;
  for (let k = 1; k < hits.length; k++) if (hits[k] > hits[best]) best = k;
  if (hits[best] < 2 || nonEmpty === 0) return undefined;
  let lang = PATTERNS[best][0];
  if (lang === 'c' && lines.some((l) => CPP_SIGNALS.test(l))) lang = 'cpp';
  if (lang === 'typescript' && JSX_SIGNALS.test(sample)) lang = 'tsx';
  return lang;
}

/** The extension of a path's file name, lower case, or undefined. */
function extensionOf(path: string | undefined): string | undefined {
  const base = path?.trim().split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : undefined;
}

/**
 * A language the caller named that we do not parse (`kotlin`, a `.kt` path): code in it is left
 * alone instead of being guessed at from its content.
 */
export function unsupportedLanguage(hints: LanguageHints = {}): string | undefined {
  if (hints.language !== undefined && !normalizeLanguage(hints.language)) return hints.language;
  const path = hints.path ?? pathFromToolArgs(hints.toolArgs);
  const ext = extensionOf(path);
  if (ext !== undefined && !normalizeLanguage(ext)) return `.${ext}`;
  if (hints.hint !== undefined && hints.hint !== '' && !normalizeLanguage(hints.hint) && !path) return hints.hint;
  return undefined;
}

/** Decide the language: explicit language, path (own or in tool args), hint, then content. */
export function chooseLanguage(text: string, hints: LanguageHints = {}): LanguageChoice | undefined {
  if (unsupportedLanguage(hints) !== undefined) return undefined;
  const explicit = normalizeLanguage(hints.language);
  const path = hints.path ?? pathFromToolArgs(hints.toolArgs);
  const fromPath = languageFromPath(path);
  if (explicit) {
    // A router verdict of 'typescript' for a `.tsx` path: the path is more precise.
    if (explicit === 'typescript' && fromPath === 'tsx') return { language: 'tsx', via: 'path' };
    return { language: explicit, via: 'option' };
  }
  if (fromPath) return { language: fromPath, via: 'path' };
  const hinted = normalizeLanguage(hints.hint);
  if (hinted) {
    if (hinted === 'typescript' && JSX_SIGNALS.test(text.slice(0, 65_536))) return { language: 'tsx', via: 'hint' };
    return { language: hinted, via: 'hint' };
  }
  const detected = detectLanguageFromContent(text);
  return detected ? { language: detected, via: 'content' } : undefined;
}

/**
 * Languages to try when the chosen grammar reports syntax errors on the input: TypeScript ↔ TSX,
 * JavaScript → TSX (Flow/TS annotations), C → C++, C++ → C. Only when the choice was not explicit.
 */
export function alternativeLanguages(lang: CodeLanguage): CodeLanguage[] {
  switch (lang) {
    case 'typescript':
      return ['tsx'];
    case 'tsx':
      return ['typescript'];
    case 'javascript':
      return ['tsx'];
    case 'c':
      return ['cpp'];
    case 'cpp':
      return ['c'];
    default:
      return [];
  }
}
