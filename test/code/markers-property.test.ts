/**
 * Property: whatever the program and the settings, every marker a placeholder carries (the full
 * one or a ref to it) resolves, through parseMarkers and retrieve(), to the original byte for
 * byte; and the output still parses.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ccrHash } from '../../engine/ccr/hash.js';
import { parseMarkers } from '../../engine/ccr/markers.js';
import type { CodeLanguage } from '../../engine/transforms/code/languages.js';
import { MemoryStore } from '../../sdk/ccr/memory-store.js';
import { retrieve } from '../../sdk/ccr/retrieve.js';
import { compressCode } from '../../sdk/code/compress-code.js';
import { ensureLanguages } from '../../sdk/code/load.js';
import { problemsOf } from './helpers.js';

beforeAll(async () => {
  await ensureLanguages(['python', 'java', 'typescript', 'go']);
}, 60_000);

const ident = fc.constantFrom('alpha', 'beta', 'gamma', 'delta', 'value', 'items', 'count', 'total');

/** One function: a name, statement count, optional nested function, optional try/catch. */
const fnShape = fc.record({
  name: ident,
  stmts: fc.integer({ min: 0, max: 14 }),
  nested: fc.boolean(),
  handler: fc.constantFrom('none', 'catch', 'finally'),
  returns: fc.boolean(),
});

type Shape = { name: string; stmts: number; nested: boolean; handler: string; returns: boolean };

function python(fns: Shape[]): string {
  const out = ['import os', ''];
  fns.forEach((f, k) => {
    out.push(`def ${f.name}_${k}(x: int) -> int:`, `    """Do ${f.name}."""`);
    for (let i = 0; i < f.stmts; i++) out.push(`    ${f.name}_${i} = compute(x, ${i}) + os.getpid() * ${i}`);
    if (f.nested) out.push('    def inner(y):', '        a = y + 1', '        b = a * 2', '        return a + b');
    if (f.handler !== 'none') out.push('    try:', '        r = risky(x)', '        s = risky(r)', f.handler === 'catch' ? '    except ValueError as e:' : '    finally:', '        log(x)');
    out.push(f.returns ? '    return x' : '    pass', '');
  });
  return out.join('\n');
}

function java(fns: Shape[]): string {
  const out = ['package p;', '', 'import java.util.List;', '', 'class Gen {'];
  fns.forEach((f, k) => {
    out.push(`    ${f.returns ? 'int' : 'void'} ${f.name}${k}(int x) {`);
    for (let i = 0; i < f.stmts; i++) out.push(`        int ${f.name}_${i} = compute(x, ${i}) + offset(${i});`);
    if (f.nested) out.push('        Runnable r = () -> {', '            int a = x + 1;', '            System.out.println(a);', '        };');
    if (f.handler !== 'none') out.push('        try {', '            risky(x);', '            risky(x + 1);', f.handler === 'catch' ? '        } catch (IllegalStateException e) {' : '        } finally {', '            log(x);', '        }');
    if (f.returns) out.push('        return x;');
    out.push('    }', '');
  });
  out.push('}', '');
  return out.join('\n');
}

function typescript(fns: Shape[]): string {
  const out = ["import { readFileSync } from 'node:fs';", ''];
  fns.forEach((f, k) => {
    out.push(`export function ${f.name}${k}(x: number): ${f.returns ? 'number' : 'void'} {`);
    for (let i = 0; i < f.stmts; i++) out.push(`  const ${f.name}_${i} = compute(x, ${i}) + readFileSync('f${i}').length;`);
    if (f.nested) out.push('  const inner = (y: number) => {', '    const a = y + 1;', '    return a * 2;', '  };');
    if (f.handler !== 'none') out.push('  try {', '    risky(x);', '    risky(x + 1);', f.handler === 'catch' ? '  } catch (e) {' : '  } finally {', '    log(x);', '  }');
    if (f.returns) out.push('  return x;');
    out.push('}', '');
  });
  return out.join('\n');
}

function go(fns: Shape[]): string {
  const out = ['package p', '', 'import "fmt"', ''];
  fns.forEach((f, k) => {
    out.push(`func ${f.name}${k}(x int) ${f.returns ? 'int ' : ''}{`);
    for (let i = 0; i < f.stmts; i++) out.push(`\t${f.name}${i} := compute(x, ${i}) + offset(${i})`, `\tfmt.Println(${f.name}${i})`);
    if (f.nested) out.push('\tinner := func(y int) int {', '\t\ta := y + 1', '\t\treturn a * 2', '\t}', '\t_ = inner');
    if (f.returns) out.push('\treturn x');
    out.push('}', '');
  });
  return out.join('\n');
}

const GEN: Record<string, (fns: Shape[]) => string> = { python, java, typescript, go };

describe('every placeholder marker resolves to the original (property)', () => {
  it('full marker, refs, any settings: parseMarkers + retrieve give the input byte for byte', async () => {
    let changed = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('python', 'java', 'typescript', 'go'),
        fc.array(fnShape, { minLength: 1, maxLength: 7 }),
        fc.record({
          maxBodyLines: fc.integer({ min: 0, max: 6 }),
          targetRatio: fc.constantFrom(0.1, 0.3, 0.5, 1),
          markerEachBody: fc.boolean(),
          compilableBodies: fc.boolean(),
          docstrings: fc.constantFrom('full', 'first_line', 'remove' as const),
        }),
        async (lang, fns, config) => {
          const source = GEN[lang](fns);
          const store = new MemoryStore();
          const r = await compressCode(source, { language: lang, store, ...config });
          runs++;
          if (r.changed) changed++;
          if (!r.changed) {
            expect(r.compressed).toBe(source);
            return;
          }
          expect(problemsOf(r.compressed, r.language as CodeLanguage)).toEqual([]);
          expect(r.ccrHash).toBe(ccrHash(source));
          const markers = parseMarkers(r.compressed);
          // Every placeholder's marker was found (the output's only "[headroom: " are placeholders).
          expect(markers.length).toBe(r.compressed.split('[headroom: ').length - 1);
          expect(markers.filter((m) => !m.ref).length).toBe(config.markerEachBody ? markers.length : 1);
          for (const m of markers) {
            expect(m.hash).toBe(r.ccrHash);
            const got = await retrieve(m.hash, { store });
            expect(got && 'content' in got ? got.content : null).toBe(source);
          }
        },
      ),
      { numRuns: 150 },
    );
    // The property is about compressed outputs: most generated programs must compress.
    expect(changed / runs).toBeGreaterThan(0.6);
  });
});
