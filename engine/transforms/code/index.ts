export { codeCompressor, compressCodeSync, budgetLadder, type CodeCompression, type CodeCompressorInput, type CodeDeps, type CodeRunOptions, type CodeSkip } from './compress.js';
export { DEFAULT_CODE_CONFIG, resolveCodeConfig, resolveCodeSection, type CodeConfig, type DocstringMode, type ResolvedCodeConfig } from './config.js';
export { ANALYSIS_INTENT, checkGates, type CodeContext, type GateCode, type GateVerdict } from './gates.js';
export { bumpGrammarGeneration, codeGrammar, grammarGeneration, loadedCodeLanguages, noteMissingGrammar, registerCodeGrammar, takeMissingGrammars, unregisterCodeGrammar, type CodeGrammar } from './grammars.js';
export {
  CODE_LANGUAGES,
  alternativeLanguages,
  chooseLanguage,
  detectLanguageFromContent,
  languageFromPath,
  normalizeLanguage,
  pathFromToolArgs,
  unsupportedLanguage,
  type CodeLanguage,
  type LanguageChoice,
  type LanguageHints,
  type LanguageSource,
} from './languages.js';
export { syntaxProblems, newProblems, type SyntaxProblem } from './validate.js';
