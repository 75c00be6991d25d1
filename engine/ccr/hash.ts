import { sha256Hex } from '../util/sha256.js';

/** Length of every CCR key: one key format everywhere (24 lowercase hex chars of SHA-256). */
export const CCR_HASH_LENGTH = 24;

/** The one CCR key function: first 24 hex chars of SHA-256 over the UTF-8 original. */
export function ccrHash(content: string): string {
  return sha256Hex(content).slice(0, CCR_HASH_LENGTH);
}
