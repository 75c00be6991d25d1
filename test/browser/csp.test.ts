/**
 * The library under `Content-Security-Policy: script-src 'self' 'wasm-unsafe-eval'` (an MV3
 * extension page's policy): a tiny page bundled by Vite from the built package compresses
 * in-thread with the WASM kernels and through the module worker, with no CSP violation. Under
 * a policy without 'wasm-unsafe-eval' the same page still compresses (TypeScript kernels, with
 * a warning), which also proves the header is enforced. The page also cancels a running worker
 * call and points a compressor at a worker script that does not exist (in-thread fallback).
 * The code-compression page (test/code/browser/: web-tree-sitter plus grammars, loaded by URL
 * and by bytes, in the page and in a module worker) runs under the same strict policy.
 * Screenshots: test-results/browser/csp-*.png.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report as CodeReport } from '../code/browser/checks.js';
import { hasChromium, launch, type Launched } from './chromium.js';
import { serveStatic, type StaticServer } from './server.js';

const root = new URL('../../', import.meta.url);
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const shots = fileURLToPath(new URL('test-results/browser/', root));
const LONG = 240_000;
const STRICT = "script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'";
const NO_WASM = "script-src 'self'; object-src 'none'; base-uri 'none'";

let strict: StaticServer;
let noWasm: StaticServer;
let codeStrict: StaticServer;
let browser: Launched;

/** Bundle a test page with Vite against the built package (dist/), as an app would. */
async function bundle(pageRoot: string): Promise<string> {
  const { build } = await import('vite');
  const outDir = mkdtempSync(join(tmpdir(), 'headroom-csp-'));
  await build({
    configFile: false,
    root: pageRoot,
    base: './',
    logLevel: 'error',
    resolve: {
      alias: [
        { find: /^headroom-wasm$/, replacement: fileURLToPath(new URL('dist/sdk/index.js', root)) },
        { find: /^headroom-wasm\/engine$/, replacement: fileURLToPath(new URL('dist/engine/index.js', root)) },
      ],
    },
    worker: { format: 'es' },
    build: { outDir, emptyOutDir: true, target: 'es2022' },
  });
  return outDir;
}

interface Report {
  inThread: { before: number; after: number; counting: string; warnings: string[] };
  worker: { before: number; after: number; warnings: string[]; mode: string };
  retrieved: number;
  abort: { aborted: string; afterAbort: number; warnings: string[] };
  fallback: { after: number; warnings: string[]; mode: string };
  kernels: string;
  violations: string[];
}

/** Open a test page, wait for its report in #out (data-state done or failed), screenshot it, return the JSON. */
async function run<T = Report>(url: string, shot: string): Promise<T> {
  const page = await browser.context.newPage();
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  await page.goto(url);
  await page.waitForSelector('#out:not([data-state=running])', { timeout: LONG });
  const state = await page.getAttribute('#out', 'data-state');
  const text = (await page.textContent('#out')) ?? '';
  expect(state, text).toBe('done');
  await page.screenshot({ path: join(shots, `${shot}.png`) });
  await page.close();
  return JSON.parse(text) as T;
}

describe.skipIf(!hasChromium)('the library under a strict CSP (extension pages)', () => {
  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    const dir = await bundle(here('./csp-page'));
    // The code-compression page (grammar loading by URL and by bytes, in the page and a module worker).
    const codeDir = await bundle(fileURLToPath(new URL('test/code/browser/', root)));
    strict = await serveStatic(dir, { headers: { 'content-security-policy': STRICT } });
    noWasm = await serveStatic(dir, { headers: { 'content-security-policy': NO_WASM } });
    codeStrict = await serveStatic(codeDir, { headers: { 'content-security-policy': STRICT } });
    browser = await launch();
  }, LONG);

  afterAll(async () => {
    await browser?.close();
    await strict?.close();
    await noWasm?.close();
    await codeStrict?.close();
  });

  it("imports and compresses under script-src 'self' 'wasm-unsafe-eval': WASM kernels, the worker, IndexedDB", async () => {
    const r = await run(strict.url, 'csp-strict');
    expect(r.violations).toEqual([]);
    expect(r.kernels).toBe('wasm');
    expect(r.inThread.counting).toBe('exact');
    expect(r.inThread.warnings).toEqual([]);
    expect(r.inThread.after).toBeLessThan(r.inThread.before / 2);
    expect(r.worker).toMatchObject({ before: r.inThread.before, after: r.inThread.after, mode: 'worker', warnings: [] });
    expect(r.retrieved).toBeGreaterThan(1000);
    // Abort in a browser: rejected with an AbortError, the next call works (on a fresh worker).
    expect(r.abort).toMatchObject({ aborted: 'AbortError', afterAbort: r.inThread.after, warnings: [] });
    // A worker script that cannot load: in-thread, with a warning, same numbers.
    expect(r.fallback.after).toBe(r.inThread.after);
    expect(r.fallback.mode).toBe('in-thread');
    expect(r.fallback.warnings.some((w) => /worker unavailable/.test(w))).toBe(true);
    expect(browser.external).toEqual([]);
  }, LONG);

  it("still compresses without 'wasm-unsafe-eval' (TypeScript kernels, with a warning): the policy is really enforced", async () => {
    const r = await run(noWasm.url, 'csp-no-wasm');
    expect(r.kernels).toBe('ts');
    expect(r.inThread.warnings.some((w) => /WASM kernels unavailable/.test(w))).toBe(true);
    expect(r.inThread.after).toBe(r.worker.after);
    expect(r.worker.mode).toBe('worker');
  }, LONG);

  it("compresses code under script-src 'self' 'wasm-unsafe-eval': web-tree-sitter and grammars load without eval, in the page and a worker", async () => {
    const r = await run<{ page: CodeReport; worker: CodeReport }>(codeStrict.url, 'csp-code');
    for (const side of [r.page, r.worker]) {
      expect(side.errors).toEqual([]);
      expect(side.ok, JSON.stringify(side)).toBe(true);
      expect(side.violations).toEqual([]);
      // The policy was in force: eval itself is refused in this realm…
      expect(side.evalRefused).toBe(true);
      // …and code was parsed and compressed with grammars (web-tree-sitter's dynamic linking of
      // the grammar side modules never reaches its eval: no grammar has EM_ASM/EM_JS code).
      expect(side.python).toMatchObject({ changed: true, valid: true, language: 'python' });
      expect(side.python.after).toBeLessThan(side.python.before);
      expect(side.rust).toMatchObject({ changed: true, valid: true, viaBytes: true });
      expect(side.go).toMatchObject({ changed: true, valid: true });
      expect(side.tsx).toMatchObject({ changed: true, language: 'tsx' });
      expect(side.grammars.map((g) => g.language)).toEqual(expect.arrayContaining(['go', 'python', 'rust', 'tsx']));
    }
    expect(browser.external).toEqual([]);
  }, LONG);
});
