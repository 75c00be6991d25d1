/** SearchCompressor: grep/ripgrep/ag results (`path:line:content`, context lines, `--heading` groups). */
export { searchCompressor } from './compressor.js';
export { DEFAULT_SEARCH_CONFIG, resolveSearchConfig, validateSearchConfig, type SearchCompressorConfig, type ResolvedSearchCompressorConfig } from './config.js';
export { parseSearch, type ParsedSearch } from './parse.js';
