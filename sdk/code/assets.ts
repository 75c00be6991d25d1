/**
 * Where each grammar's .wasm lives.
 *
 * - Node: read from the grammar package in node_modules (`tree-sitter-python/tree-sitter-python.wasm`,
 *   resolved from this module with `createRequire`), so nothing has to be copied.
 * - Browsers and workers: by default `./grammars/<file>` next to this module. Each default is a
 *   literal `new URL('./grammars/…', import.meta.url)`, the form bundlers (Vite, webpack 5,
 *   Parcel, Rollup with its URL plugin) recognise and emit as an asset, so the files travel with
 *   the bundle once they sit in `dist/sdk/code/grammars/` (see `copyGrammarAssets`). Hosts can also
 *   pass a URL or the bytes per language (`grammars`) or a directory (`grammarBaseUrl`): no CDN.
 */
import type { CodeLanguage } from '../../engine/transforms/code/languages.js';

export interface GrammarAsset {
  /** npm package that ships the .wasm. */
  readonly package: string;
  /** File name inside that package (and in a served `grammars/` directory). */
  readonly file: string;
}

export const GRAMMAR_ASSETS: Readonly<Record<CodeLanguage, GrammarAsset>> = Object.freeze({
  python: { package: 'tree-sitter-python', file: 'tree-sitter-python.wasm' },
  javascript: { package: 'tree-sitter-javascript', file: 'tree-sitter-javascript.wasm' },
  typescript: { package: 'tree-sitter-typescript', file: 'tree-sitter-typescript.wasm' },
  tsx: { package: 'tree-sitter-typescript', file: 'tree-sitter-tsx.wasm' },
  go: { package: 'tree-sitter-go', file: 'tree-sitter-go.wasm' },
  rust: { package: 'tree-sitter-rust', file: 'tree-sitter-rust.wasm' },
  java: { package: 'tree-sitter-java', file: 'tree-sitter-java.wasm' },
  c: { package: 'tree-sitter-c', file: 'tree-sitter-c.wasm' },
  cpp: { package: 'tree-sitter-cpp', file: 'tree-sitter-cpp.wasm' },
});

/** The web-tree-sitter runtime's own .wasm (package export `web-tree-sitter/web-tree-sitter.wasm`). */
export const RUNTIME_ASSET: GrammarAsset = Object.freeze({ package: 'web-tree-sitter', file: 'web-tree-sitter.wasm' });

/**
 * The default URL of a grammar next to this module. One literal per language, evaluated only when
 * that language is requested, so bundlers can see and emit each file.
 */
export function defaultGrammarUrl(language: CodeLanguage): URL {
  switch (language) {
    case 'python':
      return new URL('./grammars/tree-sitter-python.wasm', import.meta.url);
    case 'javascript':
      return new URL('./grammars/tree-sitter-javascript.wasm', import.meta.url);
    case 'typescript':
      return new URL('./grammars/tree-sitter-typescript.wasm', import.meta.url);
    case 'tsx':
      return new URL('./grammars/tree-sitter-tsx.wasm', import.meta.url);
    case 'go':
      return new URL('./grammars/tree-sitter-go.wasm', import.meta.url);
    case 'rust':
      return new URL('./grammars/tree-sitter-rust.wasm', import.meta.url);
    case 'java':
      return new URL('./grammars/tree-sitter-java.wasm', import.meta.url);
    case 'c':
      return new URL('./grammars/tree-sitter-c.wasm', import.meta.url);
    case 'cpp':
      return new URL('./grammars/tree-sitter-cpp.wasm', import.meta.url);
  }
}

type NodeModule = { createRequire(path: string | URL): { resolve(id: string): string } };
type NodeFs = typeof import('node:fs/promises');

let nodeMods: Promise<{ module: NodeModule; fs: NodeFs }> | undefined;
/** node:module and node:fs, imported on first use so browser bundles never evaluate them. */
function loadNodeModules(): Promise<{ module: NodeModule; fs: NodeFs }> {
  nodeMods ??= Promise.all([import('node:module'), import('node:fs/promises')]).then(([module, fs]) => ({ module: module as NodeModule, fs: fs as NodeFs }));
  return nodeMods;
}

/** Absolute path of an asset inside its npm package, resolved from this module (Node only). */
export async function resolveAssetPath(asset: GrammarAsset): Promise<string> {
  const { module } = await loadNodeModules();
  const require = module.createRequire(import.meta.url);
  // Grammar packages have no `exports` map; web-tree-sitter exports its .wasm by name.
  return require.resolve(`${asset.package}/${asset.file}`);
}

/** Read a grammar (or the runtime) from node_modules (Node only). */
export async function readAssetFromPackage(asset: GrammarAsset): Promise<Uint8Array> {
  const { fs } = await loadNodeModules();
  const path = await resolveAssetPath(asset);
  return new Uint8Array(await fs.readFile(path));
}

/** Read a `file:` URL (Node only). */
export async function readFileUrl(url: URL): Promise<Uint8Array> {
  const { fs } = await loadNodeModules();
  return new Uint8Array(await fs.readFile(url));
}

/**
 * Copy every grammar (and the runtime .wasm) from node_modules into `destDir` (Node only): for a
 * build step that puts them next to the bundle (`dist/sdk/code/grammars/`), or for a static
 * directory a page serves. Returns the files written.
 */
export async function copyGrammarAssets(destDir: string, languages: ReadonlyArray<CodeLanguage> = Object.keys(GRAMMAR_ASSETS) as CodeLanguage[]): Promise<string[]> {
  const { fs } = await loadNodeModules();
  await fs.mkdir(destDir, { recursive: true });
  const out: string[] = [];
  const assets = [...new Set(languages)].map((l) => GRAMMAR_ASSETS[l]).concat(RUNTIME_ASSET);
  for (const asset of assets) {
    const target = destDir.replace(/[\\/]+$/, '') + '/' + asset.file;
    await fs.copyFile(await resolveAssetPath(asset), target);
    out.push(target);
  }
  return out;
}
