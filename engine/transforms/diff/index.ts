/** DiffCompressor: unified diffs (git diff/show/log -p, diff -u) and combined diffs (diff --cc). */
export { diffCompressor } from './compressor.js';
export { DEFAULT_DIFF_CONFIG, resolveDiffConfig, validateDiffConfig, type DiffCompressorConfig, type ResolvedDiffCompressorConfig } from './config.js';
export { parseDiff, type ParsedDiff, type FileSection, type Hunk } from './parse.js';
export { isLockfile } from './plan.js';
