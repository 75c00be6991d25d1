import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Tiktoken } from 'js-tiktoken/lite';
import o200kRanks from 'js-tiktoken/ranks/o200k_base';
import cl100kRanks from 'js-tiktoken/ranks/cl100k_base';
import * as gtO200k from 'gpt-tokenizer/encoding/o200k_base';
import * as gtCl100k from 'gpt-tokenizer/encoding/cl100k_base';
import { BpeCore } from '../../engine/tokenizer/bpe.js';
import { pieceEnd, scanModeFor, type ScanMode } from '../../engine/tokenizer/ascii-scan.js';
import { genClass, mixedCorpus, varietyStrings } from '../../bench/tokenizer-corpus.js';

const encodings = [
  { name: 'o200k_base' as const, ranks: o200kRanks, gt: gtO200k, mode: 'o200k' as ScanMode },
  { name: 'cl100k_base' as const, ranks: cl100kRanks, gt: gtCl100k, mode: 'cl100k' as ScanMode },
];

// js-tiktoken's own encoder is quadratic on long pieces: keep reference inputs modest.
const REF_MAX = 2_500;

describe.each(encodings)('BpeCore $name', ({ name, ranks, gt, mode }) => {
  const core = new BpeCore(name, ranks);
  const ref = new Tiktoken(ranks);
  const refEncode = (s: string) => ref.encode(s, [], []);

  it('uses the ASCII scanner for the shipped pattern', () => {
    expect(scanModeFor(ranks.pat_str)).toBe(mode);
  });

  it('matches js-tiktoken token ids and counts on the variety corpus', () => {
    let checked = 0;
    for (const s of varietyStrings(11)) {
      if (s.length > REF_MAX) continue;
      const expected = refEncode(s);
      expect(core.encode(s)).toEqual(expected);
      expect(core.count(s)).toBe(expected.length);
      checked++;
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('matches js-tiktoken on random strings (full unicode, lone surrogates, ASCII-heavy)', () => {
    const asciiHeavy = fc.string({
      unit: fc.constantFrom(
        ...'aAbBzZ09 \t\r\n\'"sStTreREvVmMlLdD.,;:/-_{}()[]<>=+*&%$#@!?`~|\\'.split(''),
        'é', 'ß', '中', '\u00a0', '\u3000', '²', '🙂', '\u0301',
      ),
      maxLength: 200,
    });
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 120 }), fc.string({ unit: 'grapheme', maxLength: 80 }), asciiHeavy), (s) => {
        const expected = refEncode(s);
        expect(core.count(s)).toBe(expected.length);
        expect(core.encode(s)).toEqual(expected);
      }),
      { numRuns: 600 },
    );
  });

  it('ASCII scanner ends every piece where the split regex does', () => {
    const re = new RegExp(ranks.pat_str, 'gu');
    const unit = fc.constantFrom(...'aAzZ09 \t\n\r\u000b\'sStTrReEvVlLmMdD.,:/-_{}"#'.split(''), '中', 'é', '\u00a0', '½');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 60 }), (s) => {
        const units = Uint16Array.from(s, (_, i) => s.charCodeAt(i));
        let p = 0;
        while (p < s.length) {
          re.lastIndex = p;
          const m = re.exec(s)!;
          expect(m.index).toBe(p);
          const end = p + m[0].length;
          const e = pieceEnd(mode, units, p, s.length);
          if (e !== -1) expect(e).toBe(end);
          p = end;
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('matches gpt-tokenizer on large mixed inputs', () => {
    for (const s of [mixedCorpus(200_000, 3), genClass('code', 100_000, 9), genClass('cjk', 50_000, 4)]) {
      expect(core.count(s)).toBe(gt.countTokens(s));
    }
  });

  it('counts special-token strings as plain text and never throws', () => {
    for (const s of ['<|endoftext|>', 'a<|endofprompt|>b', '<|fim_prefix|><|im_start|>user', '<|endoftext|>'.repeat(50)]) {
      expect(() => core.count(s)).not.toThrow();
      expect(core.count(s)).toBe(refEncode(s).length);
      expect(core.count(s)).toBeGreaterThan(1);
    }
  });

  it('handles long single-character runs fast (heap merge)', () => {
    for (const ch of ['a', ' ', '-', '\n', '🙂', '0']) {
      const t0 = performance.now();
      const n = core.count(ch.repeat(300_000));
      expect(performance.now() - t0).toBeLessThan(3_000);
      expect(n).toBeGreaterThan(0);
      // gpt-tokenizer is quadratic on one long piece too: compare on a shorter run
      const s = ch.repeat(6_000);
      expect(core.count(s)).toBe(gt.countTokens(s));
    }
    // agreement with the reference on runs just over the heap threshold
    for (const ch of ['a', ' ', '=', 'é']) {
      for (const len of [95, 96, 97, 150, 400]) expect(core.count(ch.repeat(len))).toBe(refEncode(ch.repeat(len)).length);
    }
  });

  it('is unaffected by its piece cache', () => {
    const s = mixedCorpus(40_000, 5);
    const a = core.count(s);
    core.clearCache();
    expect(core.count(s)).toBe(a);
    expect(core.count(s)).toBe(a);
  });

  it('returns 0 for the empty string', () => {
    expect(core.count('')).toBe(0);
  });
});

describe('BpeCore input validation', () => {
  it('rejects data without pat_str / bpe_ranks', () => {
    expect(() => new BpeCore('o200k_base', {} as never)).toThrow(TypeError);
  });
});
