/** LogCompressor: build/test logs (pytest, jest/vitest, npm, cargo, go test, maven/gradle, generic). */
export { logCompressor } from './compressor.js';
export { DEFAULT_LOG_CONFIG, resolveLogConfig, validateLogConfig, type LogCompressorConfig, type ResolvedLogCompressorConfig } from './config.js';
export { classifyLine, type LineKind } from './classify.js';
