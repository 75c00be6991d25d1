export { compressCode, type CompressCodeOptions, type CompressCodeResult } from './compress-code.js';
export {
  configureCodeGrammars,
  ensureLanguages,
  ensureLanguagesFor,
  grammarLoadStats,
  isLanguageLoaded,
  unloadLanguages,
  type EnsureResult,
  type GrammarLoadInfo,
  type GrammarOptions,
  type TreeSitterModule,
  type WasmSource,
} from './load.js';
export { GRAMMAR_ASSETS, RUNTIME_ASSET, copyGrammarAssets, defaultGrammarUrl, type GrammarAsset } from './assets.js';
