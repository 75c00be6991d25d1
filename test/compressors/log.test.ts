/**
 * LogCompressor: realistic generated logs (pytest, jest, vitest, npm, cargo, go test, maven,
 * gradle, service logs) keep every failure, error, assertion message, traceback and summary;
 * the contract (one marker recorded first with the byte-exact input, never larger, deterministic,
 * idempotent); garbage never throws; the reference fixtures' error lines are all kept.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMarkers } from '../../engine/ccr/markers.js';
import { classifyFull } from '../../engine/transforms/log/classify.js';
import { classifyLine, DEFAULT_LOG_CONFIG, logCompressor, validateLogConfig } from '../../engine/transforms/log/index.js';
import { logFixtures, pytestLog } from '../fixtures/compressors/log/generate.js';
import { binaryish, bpe, charCounter, contractProblems, linesOf, run } from '../fixtures/compressors/log/harness.js';

const fixtures = logFixtures();

describe('LogCompressor on realistic logs', () => {
  for (const f of fixtures) {
    it(`${f.name}: keeps every important line, marker resolves, smaller`, () => {
      const r = run(logCompressor, { text: f.text, query: f.query }, undefined);
      expect(r.out.changed).toBe(true);
      expect(contractProblems(f.text, r)).toEqual([]);
      const kept = new Set(linesOf(r.out.output));
      expect(f.important.filter((l) => !kept.has(l))).toEqual([]);
      expect(r.entries[0].source).toBe('log');
      expect(r.out.labels[0]).toMatch(/^log:lines=\d+->\d+$/);
    });
  }

  it('a 2,000-line pytest run with two failures keeps both failures, their assertions, tracebacks and the summary', () => {
    const f = pytestLog(101, 2000, 2);
    const r = run(logCompressor, { text: f.text, query: '' }, undefined);
    const out = r.out.output;
    const lines = linesOf(out);
    expect(lines.filter((l) => / FAILED +\[/.test(l))).toHaveLength(2);
    expect(lines.filter((l) => /^E {7}assert \d+ == \d+$/.test(l))).toHaveLength(2);
    expect(lines.filter((l) => /^>\s+assert response/.test(l))).toHaveLength(2);
    expect(lines.filter((l) => /^tests\/test_\w+\.py:\d+: AssertionError$/.test(l))).toHaveLength(2);
    expect(lines.filter((l) => l.startsWith('FAILED tests/'))).toHaveLength(2);
    expect(lines.some((l) => /2 failed, 1998 passed in/.test(l))).toBe(true);
    expect(lines.some((l) => l.includes('=== FAILURES ==='))).toBe(true);
    expect(bpe.countText(out) / bpe.countText(f.text)).toBeLessThan(0.06);
    // the collapsed passing runs say what they were
    expect(out).toMatch(/\[\.\.\. \d+ lines omitted: \d+ passed\]/);
  });

  it('a failure block longer than maxTraceLines keeps its head, tail and every error line in between', () => {
    const lines = ['============================= test session starts ==============================', 'collected 80 items'];
    for (let i = 0; i < 79; i++) lines.push(`tests/test_x.py::test_${i} PASSED`);
    lines.push('tests/test_x.py::test_long FAILED', '=================================== FAILURES ===================================', '________________ test_long ________________');
    for (let i = 0; i < 40; i++) lines.push(`    step_${i}()`);
    lines.push('>       assert total == 10', 'E       assert 7 == 10', 'tests/test_x.py:99: AssertionError', '----------------------------- Captured log call -----------------------------');
    for (let i = 0; i < 120; i++) lines.push(`DEBUG    app:worker.py:${i} polling queue, ${i} jobs pending`);
    lines.push('=========================== short test summary info ============================', 'FAILED tests/test_x.py::test_long - assert 7 == 10', '========================= 1 failed, 79 passed in 3.21s =========================');
    const r = run(logCompressor, { text: lines.join('\n'), query: '' }, undefined);
    const kept = new Set(linesOf(r.out.output));
    for (const l of ['>       assert total == 10', 'E       assert 7 == 10', 'tests/test_x.py:99: AssertionError', '________________ test_long ________________', 'FAILED tests/test_x.py::test_long - assert 7 == 10']) expect(kept.has(l), l).toBe(true);
    expect(r.out.output).toMatch(/trace lines/);
  });

  it('is deterministic and idempotent', () => {
    for (const f of fixtures) {
      const a = run(logCompressor, { text: f.text, query: f.query }, undefined);
      const b = run(logCompressor, { text: f.text, query: f.query }, undefined);
      expect(b.out.output).toBe(a.out.output);
      const again = run(logCompressor, { text: a.out.output, query: f.query }, undefined);
      expect(again.out.changed).toBe(false);
      expect(again.out.output).toBe(a.out.output);
      expect(again.entries).toHaveLength(0);
    }
  });

  it('records the original before handing out a marker, with the marker counting omitted lines', () => {
    const f = fixtures[0];
    const r = run(logCompressor, { text: f.text, query: '' }, undefined);
    const [m] = parseMarkers(r.out.output);
    expect(r.events).toEqual(['record']);
    expect(m.unit).toBe('lines');
    // input lines (the text ends with a newline) minus kept lines (output minus notes, the marker and the final empty string)
    const kept = linesOf(r.out.output).length - 2 - (r.out.output.match(/^\[\.\.\. /gm) ?? []).length;
    const omitted = f.text.split('\n').length - 1 - kept;
    expect(m.count).toBe(omitted);
    expect(r.out.output.trimEnd().endsWith(']')).toBe(true);
  });

  it('warnings are deduplicated with a count', () => {
    const f = fixtures.find((x) => x.name.startsWith('npm'))!;
    const r = run(logCompressor, { text: f.text, query: '' }, undefined);
    const inflight = 'npm WARN deprecated inflight@1.0.6: This module is not supported, and leaks memory. Do not use it.';
    const n = f.text.split('\n').filter((l) => l === inflight).length;
    expect(n).toBeGreaterThan(2);
    const lines = linesOf(r.out.output);
    expect(lines.filter((l) => l === inflight)).toHaveLength(1);
    expect(lines[lines.indexOf(inflight) + 1]).toBe(`[... warning above repeated ${n - 1} more times]`);
  });

  it('keeps lines with rare words of the question', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `2024-05-01T10:00:${String(i % 60).padStart(2, '0')}Z INFO worker - processed batch ${i} in ${i % 17}ms`);
    lines[123] = '2024-05-01T10:02:03Z INFO billing - invoice 42 rounded with the legacy currency table';
    const text = lines.join('\n');
    const r = run(logCompressor, { text, query: 'why is the invoice rounding wrong?' }, undefined);
    expect(linesOf(r.out.output)).toContain(lines[123]);
    const r2 = run(logCompressor, { text, query: '' }, undefined);
    expect(linesOf(r2.out.output)).not.toContain(lines[123]);
  });

  it('collapses repeated same-template lines into one example and a count', () => {
    const lines = ['starting'];
    for (let i = 0; i < 500; i++) lines.push(`GET /api/items/${i} 200 ${i % 30}ms`);
    lines.push('ERROR upstream timeout after 30000ms', 'done');
    const r = run(logCompressor, { text: lines.join('\n'), query: '' }, undefined);
    expect(r.out.output).toMatch(/\[\.\.\. \d+ more lines like the one above\]/);
    expect(linesOf(r.out.output)).toContain('ERROR upstream timeout after 30000ms');
  });

  it('repeated errors keep first occurrences and the last', () => {
    const lines: string[] = [];
    for (let i = 0; i < 200; i++) lines.push(i % 2 ? `INFO tick ${i}` : `ERROR connection refused to 10.0.0.${i % 250}:5432 (attempt ${i})`);
    const r = run(logCompressor, { text: lines.join('\n'), query: '' }, undefined);
    const errs = linesOf(r.out.output).filter((l) => l.startsWith('ERROR'));
    expect(errs).toHaveLength(DEFAULT_LOG_CONFIG.maxRepeats);
    expect(errs[errs.length - 1]).toBe(lines[198]);
    expect(r.out.output).toMatch(/repeated errors/);
  });

  it('passes small logs through (under minLines), configurable', () => {
    const f = pytestLog(5, 10, 1);
    const n = f.text.split('\n').length;
    expect(n).toBeLessThan(50);
    expect(run(logCompressor, { text: f.text, query: '' }, undefined).out).toMatchObject({ changed: false, output: f.text });
    const r = run(logCompressor, { text: f.text, query: '' }, { minLines: 10 });
    expect(contractProblems(f.text, r)).toEqual([]);
  });

  it('validates config', () => {
    expect(validateLogConfig(undefined)).toEqual([]);
    expect(validateLogConfig({ contextLines: 5 })).toEqual([]);
    expect(validateLogConfig({ contextLines: -1, nope: 1 })).toHaveLength(2);
    // bad values fall back to defaults rather than throwing
    const f = fixtures[0];
    expect(() => run(logCompressor, { text: f.text, query: '' }, { contextLines: -3, maxTraceLines: Number.NaN } as never)).not.toThrow();
  });
});

describe('LogCompressor on garbage', () => {
  it('binary-looking text, huge single lines, invalid surrogates: no throw, contract kept', () => {
    const inputs = [
      binaryish(1, 200_000),
      'x'.repeat(5_000_000),
      'ERROR ' + 'a'.repeat(5_000_000) + '\n' + Array.from({ length: 80 }, (_, i) => `INFO line ${i}`).join('\n'),
      Array.from({ length: 120 }, (_, i) => `INFO \ud800 lone ${i} \udfff`).join('\n') + '\nERROR bad \ud83d\n',
      '\n'.repeat(1000),
      '\r\n'.repeat(500) + 'ERROR x\r\n',
    ];
    for (const text of inputs) {
      const r = run(logCompressor, { text, query: 'q' }, undefined, charCounter);
      expect(contractProblems(text, r, charCounter)).toEqual([]);
    }
  });

  it('preserves mixed CRLF/LF endings on kept lines', () => {
    const lines: string[] = [];
    for (let i = 0; i < 200; i++) lines.push(`INFO step ${i}${i % 3 ? '\r\n' : '\n'}`);
    lines[100] = 'ERROR exploded at step 100\r\n';
    lines[150] = 'ERROR second failure\n';
    const text = lines.join('');
    const r = run(logCompressor, { text, query: '' }, undefined);
    expect(r.out.output).toContain('ERROR exploded at step 100\r\n');
    expect(r.out.output).toContain('ERROR second failure\n');
    expect(r.out.output).not.toContain('ERROR second failure\r\n');
    // every kept input line keeps its own terminator
    const outLines = r.out.output.split(/(?<=\n)/);
    const ins = new Set(text.split(/(?<=\n)/));
    for (const l of outLines) if (!l.startsWith('[')) expect(ins.has(l)).toBe(true);
  });
});

describe('LogCompressor against the reference fixtures', () => {
  const dir = new URL('../fixtures/headroom-parity/log_compressor/', import.meta.url).pathname;
  const refs = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ f, ...(JSON.parse(readFileSync(join(dir, f), 'utf8')) as { input: string; output: { compressed: string } }) }));
  const ERRORISH = /error|fail|exception|traceback|fatal|panic|^E\s|^\s+File "|^\w+Error:/i;

  it('keeps every error/failure line the reference kept, and is never larger', () => {
    for (const r of refs) {
      const res = run(logCompressor, { text: r.input, query: '' }, undefined);
      expect(contractProblems(r.input, res)).toEqual([]);
      const ours = new Set(linesOf(res.out.output));
      const theirs = linesOf(r.output.compressed).filter((l) => ERRORISH.test(l) && !l.startsWith('['));
      expect(theirs.filter((l) => !ours.has(l)), r.f).toEqual([]);
    }
  });
});

describe('LogCompressor properties', () => {
  const routine = fc.oneof(
    fc.nat(99999).map((i) => `tests/test_mod.py::test_case_${i} PASSED`),
    fc.nat(99999).map((i) => `2024-01-01T00:00:00Z INFO handled request ${i} in ${i % 90}ms`),
    fc.nat(9999).map((i) => `   Compiling crate-${i} v0.${i % 10}.0`),
    fc.nat(9999).map((i) => `DEBUG cache hit ratio ${i % 100}%`),
    fc.constant(''),
  );
  const planted = fc.oneof(
    fc.nat(99999).map((i) => [`ERROR payment ${i} declined by gateway`]),
    fc.nat(99999).map((i) => [`tests/test_api.py::test_refund_${i} FAILED`]),
    fc.nat(99999).map((i) => ['Traceback (most recent call last):', `  File "app.py", line ${i}, in main`, '    run()', `ValueError: bad input ${i}`]),
    fc.nat(99999).map((i) => [`java.lang.IllegalStateException: state ${i}`, '\tat com.x.Main.run(Main.java:10)', '\tat com.x.Main.main(Main.java:3)']),
  );

  it('planted failures and their traces always survive; marker always resolves; never larger', () => {
    fc.assert(
      fc.property(fc.array(routine, { minLength: 60, maxLength: 400 }), fc.array(fc.tuple(fc.nat(1000), planted), { minLength: 1, maxLength: 5 }), fc.boolean(), (base, plants, crlf) => {
        const lines = base.slice();
        const want: string[] = [];
        for (const [at, block] of plants) {
          lines.splice(at % (lines.length + 1), 0, ...block);
          want.push(...block);
        }
        const text = lines.join(crlf ? '\r\n' : '\n');
        const r = run(logCompressor, { text, query: '' }, undefined);
        expect(contractProblems(text, r)).toEqual([]);
        const kept = new Set(linesOf(r.out.output));
        // distinct planted lines: a repeated planted error may be thinned to first/last
        const distinct = [...new Set(want)].filter((l) => want.filter((x) => x === l).length === 1);
        expect(distinct.filter((l) => !kept.has(l))).toEqual([]);
      }),
      { numRuns: 60, seed: 7 },
    );
  });

  it('the classifier short path agrees with the full classifier', () => {
    const words = ['ERROR', 'error', 'WARN', 'INFO', 'DEBUG', 'PASSED', 'FAILED', 'ok', 'test', 'Compiling', '===', '---', 'Traceback', 'Exception', '12 passed', '1 failed', 'Tests:', 'BUILD', 'SUCCESS', 'panic:', '✓', '×', 'at', '[INFO]', 'E  ', '::', '...', 'x'];
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...words), fc.string({ maxLength: 6 })), { maxLength: 8 }), fc.constantFrom('', ' ', '   '), (parts, lead) => {
        const line = lead + parts.join(' ');
        expect(classifyLine(line)).toBe(classifyFull(line));
      }),
      { numRuns: 2000, seed: 3 },
    );
    for (const f of fixtures) for (const l of f.text.split('\n')) expect(classifyLine(l), l).toBe(classifyFull(l));
  });
});
