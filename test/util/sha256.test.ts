import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../engine/util/sha256.js';
import { ccrHash, CCR_HASH_LENGTH } from '../../engine/ccr/hash.js';

const node = (s: string) => createHash('sha256').update(Buffer.from(new TextEncoder().encode(s))).digest('hex');

describe('sha256Hex', () => {
  it('matches known vectors', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
  it('matches node:crypto at every length around block boundaries', () => {
    for (let len = 0; len < 200; len++) {
      const s = 'x'.repeat(len);
      expect(sha256Hex(s)).toBe(node(s));
    }
  });
  it('matches node:crypto on arbitrary unicode, including lone surrogates', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => sha256Hex(s) === node(s)), { numRuns: 300 });
  });
  it('ccrHash is 24 lowercase hex chars', () => {
    expect(ccrHash('hello')).toMatch(new RegExp(`^[0-9a-f]{${CCR_HASH_LENGTH}}$`));
    expect(CCR_HASH_LENGTH).toBe(24);
  });
});
