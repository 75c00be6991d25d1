/**
 * What each language's placeholder looks like, and that it keeps the file valid: `...` in Python,
 * a comment in C-like bodies (`{ /* … *\/ }` on one line when the whole body goes), and, with
 * `compilableBodies`, a statement that ends the body where the function must return a value
 * (Go `panic`, Rust `todo!()`, Java/TS `throw`). The first placeholder of a file carries the full
 * marker, the others a ref to it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseMarkers } from '../../engine/ccr/markers.js';
import { compressCodeSync } from '../../engine/transforms/code/compress.js';
import { resolveCodeConfig, type CodeConfig } from '../../engine/transforms/code/config.js';
import type { CodeLanguage } from '../../engine/transforms/code/languages.js';
import { ensureLanguages } from '../../sdk/code/load.js';
import { problemsOf, recordingSink, wordCounter } from './helpers.js';

beforeAll(async () => {
  await ensureLanguages('all');
}, 60_000);

function run(text: string, language: CodeLanguage, config: CodeConfig = {}) {
  const sink = recordingSink();
  const r = compressCodeSync(text, { counter: wordCounter, ccr: sink }, resolveCodeConfig({ aggressive: true, targetRatio: 1, ...config }), { language });
  if (r.changed) expect(problemsOf(r.output, r.language as CodeLanguage)).toEqual([]);
  return { ...r, sink };
}

const longBody = (stmt: (i: number) => string, n = 12, indent = '    ') => Array.from({ length: n }, (_, i) => indent + stmt(i)).join('\n');

describe('placeholders', () => {
  it('python: `...` with the marker, at the body indentation, after the first lines', () => {
    const src = `import os\n\ndef work(items: list[str]) -> int:\n    """Count things.\n\n    Longer text.\n    """\n${longBody((i) => `total_${i} = compute_value(items, ${i}) + offset_${i}`)}\n    return total_0\n`;
    const r = run(src, 'python', { maxBodyLines: 2 });
    expect(r.changed).toBe(true);
    expect(r.output).toContain('def work(items: list[str]) -> int:\n    """Count things."""\n    total_0 = compute_value(items, 0) + offset_0\n    total_1 = compute_value(items, 1) + offset_1\n    ...  # [headroom: 11 lines omitted. Retrieve: hash=');
    expect(r.output).not.toContain('total_5');
    expect(parseMarkers(r.output)).toHaveLength(1);
  });

  it('go: a comment (a ref after the first), plus panic() with compilableBodies when the function has results', () => {
    const src = `package p\n\nfunc sum(xs []int) (int, error) {\n${longBody((i) => `total${i} := compute(xs, ${i}) + offset${i}`, 10, '\t')}\n\treturn total0, nil\n}\n\nfunc log(xs []int) {\n${longBody((i) => `fmt.Println(compute(xs, ${i}), "value number", ${i})`, 10, '\t')}\n}\n`;
    const r = run(src, 'go', { maxBodyLines: 1 });
    expect(r.output).toMatch(/func sum\(xs \[\]int\) \(int, error\) \{\n\ttotal0 := compute\(xs, 0\) \+ offset0\n\t\/\/ \[headroom: 10 lines omitted\. Retrieve: hash=[0-9a-f]{24}\]\n\}/);
    expect(r.output).toMatch(/func log\(xs \[\]int\) \{\n\tfmt\.Println\(compute\(xs, 0\), "value number", 0\)\n\t\/\/ \[headroom: 9 lines omitted\]\n\}/);
    const c = run(src, 'go', { maxBodyLines: 1, compilableBodies: true });
    expect(c.output).toMatch(/\t\/\/ \[headroom: 10 lines omitted\. Retrieve: hash=[0-9a-f]{24}\]\n\tpanic\("omitted"\)\n\}/);
    expect(c.output).toMatch(/\t\/\/ \[headroom: 9 lines omitted\]\n\}/);
  });

  it('rust: todo!() ends a body whose function returns a value (compilableBodies)', () => {
    const src = `pub fn parse(s: &str) -> Result<u32, String> {\n${longBody((i) => `let v${i} = step(s, ${i}).map_err(|e| e.to_string())?;`)}\n    Ok(v0)\n}\n\nfn side(s: &str) {\n${longBody((i) => `println!("{} {}", s, ${i});`)}\n}\n`;
    const r = run(src, 'rust', { maxBodyLines: 0, compilableBodies: true });
    expect(r.output).toMatch(/-> Result<u32, String> \{ \/\* \[headroom: 13 lines omitted\. Retrieve: hash=[0-9a-f]{24}\] \*\/ todo!\(\) \}/);
    expect(r.output).toMatch(/fn side\(s: &str\) \{ \/\* \[headroom: 12 lines omitted\] \*\/ \}/);
    const plain = run(src, 'rust', { maxBodyLines: 0 });
    expect(plain.output).not.toContain('todo!()');
  });

  it('java: a body elided whole collapses onto one line; throw in non-void methods with compilableBodies', () => {
    const body = longBody((i) => `int value${i} = compute(input, ${i}) + offset${i};`, 10, '        ');
    const src = `class A {\n    A(int input) {\n${body}\n    }\n\n    int f(int input) {\n${body}\n        return value0;\n    }\n\n    void g(int input) {\n${body}\n    }\n}\n`;
    const r = run(src, 'java', { maxBodyLines: 0 });
    expect(r.output).toMatch(/^ {4}A\(int input\) \{ \/\* \[headroom: 10 lines omitted\. Retrieve: hash=[0-9a-f]{24}\] \*\/ \}$/m);
    expect(r.output).toContain('    int f(int input) { /* [headroom: 11 lines omitted] */ }\n');
    expect(r.output).toContain('    void g(int input) { /* [headroom: 10 lines omitted] */ }\n');
    const c = run(src, 'java', { maxBodyLines: 0, compilableBodies: true });
    expect(c.output).toContain('    int f(int input) { /* [headroom: 11 lines omitted] */ throw new UnsupportedOperationException(); }\n');
    expect(c.output).toContain('    void g(int input) { /* [headroom: 10 lines omitted] */ }\n');
  });

  it('typescript: throw when a return type needs a value (compilableBodies); nothing for void, Promise<void> and JS', () => {
    const body = longBody((i) => `const value${i} = compute(input, ${i}) + offset${i};`, 10, '  ');
    const src = `export function f(input: number): number {\n${body}\n  return value0;\n}\n\nexport async function g(input: number): Promise<void> {\n${body}\n}\n\nexport const h = (input: number): string => {\n${body}\n  return String(value0);\n};\n`;
    const r = run(src, 'typescript', { maxBodyLines: 0, compilableBodies: true });
    expect(r.output).toMatch(/: number \{ \/\* \[headroom: 11 lines omitted\. Retrieve: hash=[0-9a-f]{24}\] \*\/ throw new Error\("omitted"\); \}/);
    expect(r.output).toContain('Promise<void> { /* [headroom: 10 lines omitted] */ }');
    expect(r.output).toContain('(input: number): string => { /* [headroom: 11 lines omitted] */ throw new Error("omitted"); };');
    expect(run(src, 'typescript', { maxBodyLines: 0 }).output).not.toContain('throw');
    const js = run(src.replace(/: (number|string|Promise<void>)(?= [{=])/g, '').replace(/\(input: number\)/g, '(input)'), 'javascript', { maxBodyLines: 0, compilableBodies: true });
    expect(js.changed).toBe(true);
    expect(js.output).not.toContain('throw');
  });

  it('c and c++: a comment alone (valid, a missing return is only a warning)', () => {
    const body = longBody((i) => `int value${i} = compute(input, ${i}) + offset${i};`, 10, '    ');
    const src = `#include <stdio.h>\n\nint f(int input)\n{\n${body}\n    return value0;\n}\n`;
    for (const lang of ['c', 'cpp'] as const) {
      for (const compilableBodies of [false, true]) {
        const r = run(src, lang, { maxBodyLines: 0, compilableBodies });
        expect(r.output).toMatch(/int f\(int input\)\n\{ \/\* \[headroom: 11 lines omitted[^\n]*\] \*\/ \}\n/);
      }
    }
  });

  it('a body that keeps its first lines gets a line comment; one whose closing brace shares the last line, an inline block comment', () => {
    const src = `function f(input) {\n${longBody((i) => `const value${i} = compute(input, ${i}) + offset${i};`, 10, '  ')}\n  return value0; }\n`;
    const r = run(src, 'javascript', { maxBodyLines: 1 });
    expect(r.output).toMatch(/function f\(input\) \{\n  const value0 = compute\(input, 0\) \+ offset0;\n  \/\* \[headroom: 10 lines omitted[^\n]*\] \*\/ \}\n/);
    const kept = run(src.replace(' }\n', '\n}\n'), 'javascript', { maxBodyLines: 1 });
    expect(kept.output).toMatch(/function f\(input\) \{\n  const value0 = compute\(input, 0\) \+ offset0;\n  \/\/ \[headroom: 10 lines omitted[^\n]*\]\n\}\n/);
  });

  it('nested definitions stay (as signatures); statements after the budget go', () => {
    const src = `def deco(fn):\n    import functools\n\n    @functools.wraps(fn)\n    def wrapper(*args, **kwargs):\n${longBody((i) => `step_${i} = call_something(args, kwargs, ${i})`, 10, '        ')}\n        return fn(*args, **kwargs)\n\n    wrapper.extra = compute_a_long_attribute_value(fn, "some text here")\n    wrapper.other = compute_a_long_attribute_value(fn, "other text here")\n    return wrapper\n`;
    const r = run(src, 'python', { maxBodyLines: 1 });
    expect(r.output).toContain('    import functools\n');
    expect(r.output).toContain('    @functools.wraps(fn)\n    def wrapper(*args, **kwargs):\n        step_0 = call_something(args, kwargs, 0)\n        ...  # ');
    expect(r.output).toContain('\n\n    ...  # [headroom: 3 lines omitted]\n');
  });

  it('definitions local to a function go too once the target ratio still is not met at 0 lines', () => {
    const src = `class Box:\n    def deco(self, fn):\n        @functools.wraps(fn)\n        def wrapper(*args, **kwargs):\n${longBody((i) => `step_${i} = call_something(args, kwargs, ${i})`, 10, '            ')}\n            return fn(*args, **kwargs)\n\n        return wrapper\n`;
    const loose = run(src, 'python', { maxBodyLines: 0 });
    expect(loose.output).toContain('def wrapper(*args, **kwargs):');
    const tight = run(src, 'python', { maxBodyLines: 5, targetRatio: 0.1 });
    expect(tight.budget).toBe(0);
    expect(tight.output).not.toContain('def wrapper');
    expect(tight.output).toMatch(/class Box:\n {4}def deco\(self, fn\):\n {8}\.\.\.  # \[headroom: 15 lines omitted\. Retrieve: hash=[0-9a-f]{24}\]\n$/);
  });

  it('error handlers past the budget stay as skeletons', () => {
    const src = `def load(path):\n${longBody((i) => `value_${i} = prepare_the_input(path, ${i})`, 6)}\n    try:\n        data = read(path)\n${longBody((i) => `parsed_${i} = parse_the_data(data, ${i})`, 6, '        ')}\n    except (OSError, ValueError) as exc:\n        log.warning("failed %s", exc)\n        raise LoadError(path) from exc\n    finally:\n        close(path)\n${longBody((i) => `after_${i} = finish_the_work(path, ${i})`, 6)}\n`;
    const r = run(src, 'python', { maxBodyLines: 1 });
    expect(r.output).toContain('    try:\n        data = read(path)\n        ...  # [headroom: 6 lines omitted]\n    except (OSError, ValueError) as exc:\n        log.warning("failed %s", exc)\n        raise LoadError(path) from exc\n    finally:\n        close(path)\n    ...  # [headroom: 6 lines omitted]\n');
    const off = run(src, 'python', { maxBodyLines: 1, keepErrorHandlers: false });
    expect(off.output).not.toContain('except');
  });

  it('a try with only finally (cleanup, not error handling) is elided like any statement', () => {
    const body = longBody((i) => `int value${i} = compute(input, ${i}) + offset${i};`, 6, '            ');
    const src = `class A {\n    int f(int input) {\n        lock.lock();\n        try {\n${body}\n            return value0;\n        } finally {\n            lock.unlock();\n        }\n    }\n\n    int g(int input) {\n        lock.lock();\n        try {\n${body}\n            return value0;\n        } catch (IllegalStateException e) {\n            return -1;\n        }\n    }\n}\n`;
    const r = run(src, 'java', { maxBodyLines: 0 });
    expect(r.output).toMatch(/int f\(int input\) \{ \/\* \[headroom: 12 lines omitted[^\n]*\] \*\/ \}/);
    expect(r.output).toContain('        try { /* [headroom: 7 lines omitted] */ } catch (IllegalStateException e) {\n            return -1;\n        }\n');
  });

  it('go keeps short `if err != nil` paths past the budget', () => {
    const src = `package p\n\nfunc load(path string) (*Config, error) {\n${longBody((i) => `step${i} := prepare(path, ${i}, "some longer argument")`, 5, '\t')}\n\tdata, err := os.ReadFile(path)\n\tif err != nil {\n\t\treturn nil, fmt.Errorf("read %s: %w", path, err)\n\t}\n${longBody((i) => `more${i} := parse(data, ${i}, "some longer argument")`, 5, '\t')}\n\treturn cfg, nil\n}\n`;
    const r = run(src, 'go', { maxBodyLines: 1 });
    expect(r.output).toContain('\tif err != nil {\n\t\treturn nil, fmt.Errorf("read %s: %w", path, err)\n\t}\n');
  });

  it('every placeholder names the original: the full marker once and refs after it, or the full marker each time (markerEachBody)', () => {
    const fn = (name: string) => `def ${name}(x):\n${longBody((i) => `value_${i} = compute_value(x, ${i}) + offset_${i}`, 8)}\n    return value_0\n`;
    const src = [fn('a'), fn('b'), fn('c')].join('\n\n');
    // Default: the first placeholder has the full marker, the others a ref resolving to the same hash.
    const refs = run(src, 'python', { maxBodyLines: 0 });
    expect(parseMarkers(refs.output).map((m) => [m.hash, m.ref === true])).toEqual([
      [refs.hash, false],
      [refs.hash, true],
      [refs.hash, true],
    ]);
    expect(refs.output.match(/Retrieve: hash=/g)).toHaveLength(1);
    const each = run(src, 'python', { maxBodyLines: 0, markerEachBody: true });
    expect(parseMarkers(each.output).map((m) => [m.hash, m.ref === true])).toEqual([
      [each.hash, false],
      [each.hash, false],
      [each.hash, false],
    ]);
  });

  it('small bodies are not worth a placeholder and stay whole', () => {
    const src = `def a(x):\n    y = x + 1\n    return y\n\n\ndef b(x):\n${longBody((i) => `value_${i} = compute_value(x, ${i}) + offset_${i}`, 8)}\n    return value_0\n`;
    const r = run(src, 'python', { maxBodyLines: 0 });
    expect(r.output).toContain('def a(x):\n    y = x + 1\n    return y\n');
  });

  it('the target ratio lowers the budget until it is met', () => {
    const src = Array.from({ length: 6 }, (_, k) => `def f${k}(x):\n${longBody((i) => `value_${i} = compute_value(x, ${i}) + offset_${i}`, 10)}\n    return value_0\n`).join('\n\n');
    const loose = run(src, 'python', { maxBodyLines: 5, targetRatio: 1 });
    const tight = run(src, 'python', { maxBodyLines: 5, targetRatio: 0.1 });
    expect(loose.budget).toBe(5);
    expect(tight.budget).toBe(0);
    expect(tight.tokensAfter).toBeLessThan(loose.tokensAfter);
  });
});
