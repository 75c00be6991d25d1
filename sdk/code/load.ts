/**
 * Lazy grammar loading for the code compressor: the web-tree-sitter runtime once, then one
 * grammar per language the first time it is needed. Each loaded grammar becomes a Parser that
 * the engine uses synchronously (engine/transforms/code/grammars.ts).
 *
 * The same code runs in Node, Web Workers, pages and MV3 extensions:
 * - Node reads the grammar packages' own .wasm files from node_modules (`createRequire` + fs).
 * - Elsewhere each grammar is fetched from `options.grammars[lang]` (URL or bytes), else from
 *   `options.grammarBaseUrl` + file name, else from `./grammars/<file>` next to this module (the
 *   assets a bundler emits; see assets.ts). Never a CDN.
 * - web-tree-sitter is imported with a dynamic `import()`; hosts without it (MV3 service workers)
 *   import the module statically and pass it as `treeSitter`. Its own runtime .wasm can be given
 *   as `runtimeWasm` (URL or bytes); by default web-tree-sitter finds it next to its module.
 *
 * Loading never throws for a missing or broken grammar: the language is reported as failed,
 * a warning is emitted, and code in that language passes through uncompressed.
 */
import type { Language, Parser } from 'web-tree-sitter';
import { ConfigurationError } from '../../engine/errors.js';
import { bumpGrammarGeneration, codeGrammar, registerCodeGrammar, unregisterCodeGrammar } from '../../engine/transforms/code/grammars.js';
import { CODE_LANGUAGES, chooseLanguage, normalizeLanguage, type CodeLanguage, type LanguageHints } from '../../engine/transforms/code/languages.js';
import { env } from '../env.js';
import { GRAMMAR_ASSETS, RUNTIME_ASSET, defaultGrammarUrl, readAssetFromPackage, readFileUrl } from './assets.js';

/** A .wasm given by location or content. Strings are URLs (or file paths in Node). */
export type WasmSource = string | URL | ArrayBuffer | ArrayBufferView | Response;

export type TreeSitterModule = typeof import('web-tree-sitter');

export interface GrammarOptions {
  /** Per-language source of the grammar .wasm (URL, path in Node, bytes or a Response). */
  grammars?: Partial<Record<CodeLanguage, WasmSource>>;
  /** Directory (URL) holding `tree-sitter-<lang>.wasm` files. */
  grammarBaseUrl?: string | URL;
  /** web-tree-sitter's runtime .wasm (URL or bytes). Default: next to web-tree-sitter's own module. */
  runtimeWasm?: WasmSource;
  /** The web-tree-sitter module, for hosts that cannot `import()` (MV3 service workers). */
  treeSitter?: TreeSitterModule;
  /** Receives each warning as it happens (they are also returned). */
  onWarning?: (warning: string) => void;
}

export interface GrammarLoadInfo {
  readonly language: CodeLanguage;
  /** Size of the grammar .wasm. */
  readonly bytes: number;
  /** Reading/fetching plus compiling, in ms. */
  readonly loadMs: number;
  /** Where it came from: 'package' (node_modules), 'url', 'bytes'. */
  readonly source: 'package' | 'url' | 'bytes';
}

export interface EnsureResult {
  /** Languages ready to use (already loaded or loaded now). */
  readonly loaded: CodeLanguage[];
  /** Languages that could not be loaded, with the reason. */
  readonly failed: Array<{ readonly language: CodeLanguage; readonly error: string }>;
  readonly warnings: string[];
}

let defaults: GrammarOptions = {};

/** Set process-wide defaults (e.g. the grammar base URL of an extension) used by every later load. */
export function configureCodeGrammars(options: GrammarOptions): void {
  defaults = { ...options };
  // A grammar that failed to load may load now: compress() tries again.
  bumpGrammarGeneration();
}

let runtime: Promise<TreeSitterModule> | undefined;
let runtimeInfo: { loadMs: number } | undefined;
const pending = new Map<CodeLanguage, Promise<GrammarLoadInfo>>();
const infos = new Map<CodeLanguage, GrammarLoadInfo>();

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function toBytes(src: WasmSource): Promise<{ bytes: Uint8Array; source: GrammarLoadInfo['source'] }> {
  if (src instanceof Uint8Array) return { bytes: src, source: 'bytes' };
  if (src instanceof ArrayBuffer) return { bytes: new Uint8Array(src), source: 'bytes' };
  if (ArrayBuffer.isView(src)) return { bytes: new Uint8Array(src.buffer, src.byteOffset, src.byteLength), source: 'bytes' };
  if (typeof Response !== 'undefined' && src instanceof Response) {
    if (!src.ok) throw new Error(`HTTP ${src.status} for ${src.url || 'the given Response'}`);
    return { bytes: new Uint8Array(await src.arrayBuffer()), source: 'url' };
  }
  const s = src as string | URL;
  const href = typeof s === 'string' ? s : s.href;
  // Node: file URLs and plain paths are read from disk.
  if (env.isNode && (href.startsWith('file:') || !/^[a-z][a-z0-9+.-]*:/i.test(href))) {
    if (href.startsWith('file:')) return { bytes: await readFileUrl(new URL(href)), source: 'url' };
    const fs = await import('node:fs/promises');
    return { bytes: new Uint8Array(await fs.readFile(href)), source: 'url' };
  }
  const res = await fetch(href);
  if (!res.ok) throw new Error(`HTTP ${res.status} fetching ${href}`);
  return { bytes: new Uint8Array(await res.arrayBuffer()), source: 'url' };
}

function loadRuntime(options: GrammarOptions): Promise<TreeSitterModule> {
  runtime ??= (async () => {
    const t0 = now();
    const mod = options.treeSitter ?? defaults.treeSitter ?? (await import('web-tree-sitter'));
    const wasm = options.runtimeWasm ?? defaults.runtimeWasm;
    let init: Record<string, unknown> | undefined;
    if (wasm !== undefined) {
      if (typeof wasm === 'string' || wasm instanceof URL) {
        const href = typeof wasm === 'string' ? wasm : wasm.href;
        init = env.isNode ? { wasmBinary: (await toBytes(wasm)).bytes } : { locateFile: () => href };
      } else init = { wasmBinary: (await toBytes(wasm)).bytes };
    } else if (env.isNode) {
      // Resolve through the package (works whatever the bundler did to import.meta.url).
      try {
        init = { wasmBinary: await readAssetFromPackage(RUNTIME_ASSET) };
      } catch {
        init = undefined;
      }
    }
    await mod.Parser.init(init);
    runtimeInfo = { loadMs: now() - t0 };
    return mod;
  })();
  // A failed init may be retried by a later call.
  runtime.catch(() => {
    runtime = undefined;
  });
  return runtime;
}

async function grammarBytes(language: CodeLanguage, options: GrammarOptions): Promise<{ bytes: Uint8Array; source: GrammarLoadInfo['source'] }> {
  const explicit = options.grammars?.[language] ?? defaults.grammars?.[language];
  if (explicit !== undefined) return toBytes(explicit);
  const base = options.grammarBaseUrl ?? defaults.grammarBaseUrl;
  const file = GRAMMAR_ASSETS[language].file;
  if (base !== undefined) {
    const b = typeof base === 'string' ? base : base.href;
    const baseUrl = b.endsWith('/') ? b : b + '/';
    return toBytes(/^[a-z][a-z0-9+.-]*:/i.test(baseUrl) ? new URL(file, baseUrl) : baseUrl + file);
  }
  if (env.isNode) {
    try {
      return { bytes: await readAssetFromPackage(GRAMMAR_ASSETS[language]), source: 'package' };
    } catch (err) {
      // Not installed next to us: try the copy next to this module before giving up.
      try {
        return await toBytes(defaultGrammarUrl(language));
      } catch {
        throw err;
      }
    }
  }
  return toBytes(defaultGrammarUrl(language));
}

async function loadOne(language: CodeLanguage, options: GrammarOptions): Promise<GrammarLoadInfo> {
  const mod = await loadRuntime(options);
  const t0 = now();
  const { bytes, source } = await grammarBytes(language, options);
  const lang: Language = await mod.Language.load(bytes);
  const parser: Parser = new mod.Parser();
  parser.setLanguage(lang);
  registerCodeGrammar({ language, parser });
  const info: GrammarLoadInfo = { language, bytes: bytes.byteLength, loadMs: now() - t0, source };
  infos.set(language, info);
  return info;
}

/** Parse a list of language names; unknown names are the caller's mistake. */
function toLanguages(langs: Iterable<string> | 'all'): CodeLanguage[] {
  if (langs === 'all') return [...CODE_LANGUAGES];
  const out: CodeLanguage[] = [];
  const bad: string[] = [];
  for (const name of langs) {
    const l = normalizeLanguage(name);
    if (!l) bad.push(String(name));
    else if (!out.includes(l)) out.push(l);
  }
  if (bad.length > 0) throw new ConfigurationError(`Unknown code language(s): ${bad.join(', ')} (supported: ${CODE_LANGUAGES.join(', ')})`, { languages: bad });
  return out;
}

/**
 * Make sure these languages' grammars are loaded (in parallel, each once per process). Resolves
 * with what is ready and what failed; never rejects for a grammar that cannot be loaded.
 */
export async function ensureLanguages(langs: Iterable<string> | 'all', options: GrammarOptions = {}): Promise<EnsureResult> {
  const wanted = toLanguages(langs);
  const warnings: string[] = [];
  const warn = (w: string) => {
    warnings.push(w);
    try {
      (options.onWarning ?? defaults.onWarning)?.(w);
    } catch {
      /* a throwing callback must not break loading */
    }
  };
  const results = await Promise.all(
    wanted.map(async (language) => {
      if (codeGrammar(language)) return { language, ok: true as const };
      let p = pending.get(language);
      if (!p) {
        p = loadOne(language, options);
        pending.set(language, p);
        // Failures are forgotten so a later call can retry (e.g. after configuring a URL).
        p.catch(() => pending.delete(language));
      }
      try {
        await p;
        return { language, ok: true as const };
      } catch (err) {
        return { language, ok: false as const, error: errorText(err) };
      }
    }),
  );
  const loaded: CodeLanguage[] = [];
  const failed: Array<{ language: CodeLanguage; error: string }> = [];
  for (const r of results) {
    if (r.ok) loaded.push(r.language);
    else {
      failed.push({ language: r.language, error: r.error });
      warn(`code grammar for ${r.language} could not be loaded (${r.error}); ${r.language} code passes through uncompressed`);
    }
  }
  return { loaded, failed, warnings };
}

/** Load the grammars these blocks need (language from hints or content), e.g. before a compress() run. */
export async function ensureLanguagesFor(blocks: Iterable<{ readonly text: string } & LanguageHints>, options: GrammarOptions = {}): Promise<EnsureResult> {
  const langs = new Set<CodeLanguage>();
  for (const b of blocks) {
    const c = chooseLanguage(b.text, b);
    if (c) langs.add(c.language);
  }
  return ensureLanguages(langs, options);
}

export function isLanguageLoaded(language: string): boolean {
  const l = normalizeLanguage(language);
  return l !== undefined && codeGrammar(l) !== undefined;
}

/** Free the parsers of these languages (all when omitted); a later ensureLanguages loads them again. */
export function unloadLanguages(langs?: Iterable<string>): void {
  const list = langs === undefined ? [...CODE_LANGUAGES] : toLanguages(langs);
  for (const l of list) {
    const g = unregisterCodeGrammar(l);
    g?.parser.delete();
    pending.delete(l);
    infos.delete(l);
  }
}

/** Load statistics (bench and diagnostics): runtime init time and each grammar's size and load time. */
export function grammarLoadStats(): { runtimeMs: number | null; grammars: GrammarLoadInfo[] } {
  return { runtimeMs: runtimeInfo?.loadMs ?? null, grammars: [...infos.values()] };
}
