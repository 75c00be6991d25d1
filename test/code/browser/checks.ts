/// <reference types="vite/client" />
/**
 * Code compression in a browser or a worker: grammar loading by URL and by bytes (no CDN, no
 * node_modules at run time), lazy per language, a failing grammar as a warning, and
 * compressCode() on Python, Rust, Go and TSX. Shared by the page (main.ts) and its worker
 * (worker.ts); the report is plain JSON.
 *
 * Run by test/browser/csp.test.ts: it builds this folder with Vite (root = test/code/browser,
 * alias `headroom-wasm` → dist/sdk/index.js), serves it with the extension-page CSP
 * `script-src 'self' 'wasm-unsafe-eval'`, opens index.html, waits for `#out[data-state=done]`
 * and reads the JSON in `#out`. Expected: `page.ok` and `worker.ok` true, no CSP violations,
 * `evalRefused` true (the policy was in force); see `Report` for the fields.
 *
 * The grammar URLs come from Vite's `?url` imports of the grammar packages' own .wasm files:
 * the way a bundler user wires them (any bundler that emits an asset URL works the same way).
 */
import { compressCode, configureCodeGrammars, ensureLanguages, grammarLoadStats, isLanguageLoaded } from 'headroom-wasm';
import runtimeWasm from 'web-tree-sitter/web-tree-sitter.wasm?url';
import pythonWasm from 'tree-sitter-python/tree-sitter-python.wasm?url';
import typescriptWasm from 'tree-sitter-typescript/tree-sitter-typescript.wasm?url';
import tsxWasm from 'tree-sitter-typescript/tree-sitter-tsx.wasm?url';
import goWasm from 'tree-sitter-go/tree-sitter-go.wasm?url';
import rustWasm from 'tree-sitter-rust/tree-sitter-rust.wasm?url';

/** Content-Security-Policy violations seen in this realm (page or worker), as `directive blockedURI`. */
const violations: string[] = [];
globalThis.addEventListener?.('securitypolicyviolation', (e) => {
  const v = e as SecurityPolicyViolationEvent;
  violations.push(`${v.effectiveDirective} ${v.blockedURI}`);
});

/** Whether this realm refuses `eval` (a CSP without 'unsafe-eval'). Probed after the checks (a refusal is reported as a violation too). */
function evalRefused(): boolean {
  try {
    (0, eval)('1');
    return false;
  } catch {
    return true;
  }
}

const body = (indent: string, n: number, line: (i: number) => string) => Array.from({ length: n }, (_, i) => indent + line(i)).join('\n');

const PYTHON = `import math\n\n\ndef area(shapes: list[dict]) -> float:\n    """Total area of the shapes."""\n${body('    ', 14, (i) => `part_${i} = math.pi * shapes[${i}]["r"] ** 2 + shapes[${i}].get("extra", 0)`)}\n    return part_0\n`;
const RUST = `pub fn total(xs: &[f64]) -> Result<f64, String> {\n${body('    ', 14, (i) => `let v${i} = xs.get(${i}).copied().ok_or_else(|| format!("missing {}", ${i}))?;`)}\n    Ok(v0)\n}\n`;
const GO = `package geo\n\nimport "math"\n\nfunc Area(rs []float64) (float64, error) {\n${body('\t', 14, (i) => `a${i} := math.Pi * rs[${i}] * rs[${i}] + float64(${i})`)}\n\treturn a0, nil\n}\n`;
const TSX = `import { useState } from 'react';\n\nexport function Counter({ start }: { start: number }) {\n  const [n, setN] = useState(start);\n${body('  ', 12, (i) => `const label${i} = \`count \${n + ${i}} of \${start * ${i}}\`;`)}\n  return <button onClick={() => setN(n + 1)}>{label0}</button>;\n}\n`;

export interface Report {
  ok: boolean;
  where: 'page' | 'worker';
  /** Languages loaded before anything was asked (must be none: loading is lazy). */
  loadedAtStart: string[];
  python: { changed: boolean; valid: boolean; before: number; after: number; language: string | null; hash: string | null };
  rust: { changed: boolean; valid: boolean; viaBytes: boolean };
  go: { changed: boolean; valid: boolean };
  /** compressCode(..., { language: 'typescript' }) on TSX: the TSX grammar is loaded on demand. */
  tsx: { changed: boolean; language: string | null };
  /** A grammar URL that 404s: a warning and a passthrough, no exception. */
  missing: { failed: string[]; warning: boolean; changed: boolean; note: string };
  grammars: Array<{ language: string; bytes: number; loadMs: number; source: string }>;
  runtimeMs: number | null;
  /** CSP violations reported while the checks ran (must be none under `script-src 'self' 'wasm-unsafe-eval'`). */
  violations: string[];
  /** `eval` throws here (checked after the checks): true under a CSP without 'unsafe-eval', which proves the policy was in force. */
  evalRefused: boolean;
  errors: string[];
}

export async function runChecks(where: 'page' | 'worker'): Promise<Report> {
  const errors: string[] = [];
  const loadedAtStart = ['python', 'javascript', 'typescript', 'tsx', 'go', 'rust', 'java', 'c', 'cpp'].filter(isLanguageLoaded);
  configureCodeGrammars({ runtimeWasm, grammars: { python: pythonWasm, typescript: typescriptWasm, tsx: tsxWasm, go: goWasm } });

  const py = await compressCode(PYTHON, { path: 'geo/area.py' });
  const rustBytes = new Uint8Array(await (await fetch(rustWasm)).arrayBuffer());
  const rustLoad = await ensureLanguages(['rust'], { grammars: { rust: rustBytes } });
  const rs = await compressCode(RUST, { language: 'rust' });
  const go = await compressCode(GO, { path: 'geo/area.go' });
  const tsx = await compressCode(TSX, { language: 'typescript' });
  const missingLoad = await ensureLanguages(['java'], { grammars: { java: './no-such-grammar.wasm' } });
  const java = await compressCode(`class A {\n  int f() {\n${body('    ', 12, (i) => `int v${i} = ${i} * 2 + ${i};`)}\n    return v0;\n  }\n}\n`, { language: 'java', grammars: { java: './no-such-grammar.wasm' } });

  const report: Report = {
    ok: false,
    where,
    loadedAtStart,
    python: { changed: py.changed, valid: py.syntaxValid, before: py.tokensBefore, after: py.tokensAfter, language: py.language, hash: py.ccrHash },
    rust: { changed: rs.changed, valid: rs.syntaxValid, viaBytes: rustLoad.loaded.includes('rust') && grammarLoadStats().grammars.some((g) => g.language === 'rust' && g.source === 'bytes') },
    go: { changed: go.changed, valid: go.syntaxValid },
    tsx: { changed: tsx.changed, language: tsx.language },
    missing: { failed: missingLoad.failed.map((f) => f.language), warning: missingLoad.warnings.length > 0, changed: java.changed, note: java.note },
    grammars: grammarLoadStats().grammars.map((g) => ({ language: g.language, bytes: g.bytes, loadMs: Math.round(g.loadMs), source: g.source })),
    runtimeMs: grammarLoadStats().runtimeMs,
    violations: [...violations],
    evalRefused: evalRefused(),
    errors,
  };
  report.ok =
    loadedAtStart.length === 0 &&
    py.changed && py.syntaxValid && py.language === 'python' &&
    rs.changed && report.rust.viaBytes &&
    go.changed &&
    tsx.changed && tsx.language === 'tsx' &&
    report.missing.failed.includes('java') && !java.changed;
  return report;
}
