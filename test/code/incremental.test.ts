/**
 * With `incrementalReparse`, the output is validated by an incremental re-parse of the edited
 * input tree. That verdict must equal a parse from scratch (the default): random edits over the corpus (ASCII, non-ASCII, CRLF) are parsed
 * both ways and their ERROR/MISSING nodes compared. Compression itself is checked both ways too.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compressCodeSync, editTree } from '../../engine/transforms/code/compress.js';
import { resolveCodeConfig } from '../../engine/transforms/code/config.js';
import { codeGrammar } from '../../engine/transforms/code/grammars.js';
import type { CodeLanguage } from '../../engine/transforms/code/languages.js';
import { LineIndex, applyEdits, normalizeEdits, type Edit } from '../../engine/transforms/code/text.js';
import { syntaxProblems } from '../../engine/transforms/code/validate.js';
import { ensureLanguages } from '../../sdk/code/load.js';
import { fixtures, recordingSink, wordCounter } from './helpers.js';

const LANGS: ReadonlyArray<CodeLanguage> = ['python', 'javascript', 'typescript', 'tsx', 'go', 'rust', 'java', 'c', 'cpp'];

beforeAll(async () => {
  await ensureLanguages('all');
}, 60_000);

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INSERTS = ['', ' ', '\n', '{', '}', ')', '(', ';', '"', "'", '...', '// x\n', '/* y */', '\n    pass\n', 'é😀', '你好', '\r\n', 'x = 1\n'];

function verdict(text: string, lang: CodeLanguage, edits: Edit[]): { incremental: string[]; fresh: string[] } {
  const g = codeGrammar(lang)!;
  const tree = g.parser.parse(text)!;
  const sorted = normalizeEdits(edits);
  const output = applyEdits(text, sorted);
  editTree(tree, new LineIndex(text), sorted);
  const inc = g.parser.parse(output, tree)!;
  const fresh = g.parser.parse(output)!;
  const show = (t: typeof tree) => syntaxProblems(t.rootNode).map((p) => `${p.kind}@${p.start}:${p.what}`).sort();
  const r = { incremental: show(inc), fresh: show(fresh) };
  tree.delete();
  inc.delete();
  fresh.delete();
  return r;
}

describe('incremental re-parse equals a fresh parse', () => {
  for (const lang of LANGS) {
    it(lang, () => {
      const next = rng(LANGS.indexOf(lang) + 1);
      const files = fixtures(lang);
      const variants = files.flatMap((f) => [f.text, f.text.replace(/\n/g, '\r\n'), f.text.replace(/(["'])([a-z]+)\1/g, '$1ü€😀$2$1')]);
      let cases = 0;
      let clean = 0;
      for (const text of variants) {
        for (let round = 0; round < 12; round++) {
          const n = 1 + Math.floor(next() * 5);
          const edits: Edit[] = [];
          for (let k = 0; k < n; k++) {
            if (next() < 0.5) {
              // Whole-line edits (delete a line, add a blank one) often keep the file valid.
              const at = text.indexOf('\n', Math.floor(next() * text.length)) + 1;
              const lineEnd = text.indexOf('\n', at) + 1;
              if (at > 0 && lineEnd > at) edits.push(next() < 0.7 ? { start: at, end: lineEnd, text: '' } : { start: at, end: at, text: text.includes('\r\n') ? '\r\n' : '\n' });
              continue;
            }
            let start = Math.floor(next() * text.length);
            // Never split a surrogate pair or a CRLF (real edits never do).
            if (/[\uDC00-\uDFFF\n]/.test(text[start] ?? '')) start--;
            const len = next() < 0.5 ? 0 : Math.floor(next() * 200);
            let end = Math.min(text.length, start + len);
            if (/[\uDC00-\uDFFF\n]/.test(text[end] ?? '')) end--;
            if (end < start) end = start;
            edits.push({ start, end, text: INSERTS[Math.floor(next() * INSERTS.length)] });
          }
          // Error recovery may differ between the two (tree-sitter does not promise the same
          // ERROR nodes), but "parses cleanly" must agree: that is the verdict the guarantee uses.
          const v = verdict(text, lang, edits);
          expect(v.incremental.length === 0, `${lang} round ${round}: ${v.fresh.slice(0, 3).join(', ')}`).toBe(v.fresh.length === 0);
          if (v.fresh.length === 0) clean++;
          cases++;
        }
      }
      expect(cases).toBeGreaterThan(50);
      // Some edits leave the file valid (deleting whole statements, inserting spaces…).
      expect(clean).toBeGreaterThan(0);
    });
  }
});

describe('compression with non-ASCII text and CRLF line endings', () => {
  const aggressive = resolveCodeConfig({ aggressive: true });
  for (const lang of LANGS) {
    it(`${lang}: same result with incremental and full validation`, () => {
      for (const f of fixtures(lang)) {
        for (const text of [f.text.replace(/\n/g, '\r\n'), f.text.replace(/(["'])([a-z]+)\1/g, '$1ü€😀$2$1')]) {
          const a = compressCodeSync(text, { counter: wordCounter, ccr: recordingSink() }, aggressive, { language: lang });
          const b = compressCodeSync(text, { counter: wordCounter, ccr: recordingSink() }, resolveCodeConfig({ aggressive: true, incrementalReparse: true }), { language: lang });
          expect(a.output).toBe(b.output);
          expect(a.skip).toBe(b.skip);
          expect(a.skip, `${f.name}: ${a.note}`).not.toBe('invalid_output');
          if (a.changed && text.includes('\r\n')) expect(a.output.replace(/\r\n/g, '')).not.toMatch(/\n/);
        }
      }
    });
  }
});
