/**
 * The library under `Content-Security-Policy: script-src 'self' 'wasm-unsafe-eval'` (an MV3
 * extension page's policy): a tiny page bundled by Vite from the built package compresses
 * in-thread with the WASM kernels and through the module worker, with no CSP violation. Under
 * a policy without 'wasm-unsafe-eval' the same page still compresses (TypeScript kernels, with
 * a warning), which also proves the header is enforced. The page also cancels a running worker
 * call and points a compressor at a worker script that does not exist (in-thread fallback).
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launch, type Launched } from './chromium.js';
import { serveStatic, type StaticServer } from './server.js';

const root = new URL('../../', import.meta.url);
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const shots = fileURLToPath(new URL('test-results/browser/', root));
const LONG = 240_000;
const STRICT = "script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'";
const NO_WASM = "script-src 'self'; object-src 'none'; base-uri 'none'";

let dir: string;
let strict: StaticServer;
let noWasm: StaticServer;
let browser: Launched;

interface Report {
  inThread: { before: number; after: number; counting: string; warnings: string[] };
  worker: { before: number; after: number; warnings: string[]; mode: string };
  retrieved: number;
  abort: { aborted: string; afterAbort: number; warnings: string[] };
  fallback: { after: number; warnings: string[]; mode: string };
  kernels: string;
  violations: string[];
}

async function run(url: string): Promise<Report> {
  const page = await browser.context.newPage();
  const console: string[] = [];
  page.on('console', (m) => console.push(m.text()));
  await page.goto(url);
  await page.waitForSelector('#out:not([data-state=running])', { timeout: LONG });
  const state = await page.getAttribute('#out', 'data-state');
  const text = (await page.textContent('#out')) ?? '';
  expect(state, text).toBe('done');
  await page.screenshot({ path: join(shots, `csp-${url.includes(String(new URL(strict.url).port)) ? 'strict' : 'no-wasm'}.png`) });
  await page.close();
  return JSON.parse(text) as Report;
}

describe.skipIf(!hasChromium)('the library under a strict CSP (extension pages)', () => {
  beforeAll(async () => {
    const { build } = await import('vite');
    dir = mkdtempSync(join(tmpdir(), 'headroom-csp-'));
    mkdirSync(shots, { recursive: true });
    await build({
      configFile: false,
      root: here('./csp-page'),
      base: './',
      logLevel: 'error',
      resolve: {
        alias: [
          { find: /^headroom-wasm$/, replacement: fileURLToPath(new URL('dist/sdk/index.js', root)) },
          { find: /^headroom-wasm\/engine$/, replacement: fileURLToPath(new URL('dist/engine/index.js', root)) },
        ],
      },
      worker: { format: 'es' },
      build: { outDir: dir, emptyOutDir: true, target: 'es2022' },
    });
    strict = await serveStatic(dir, { headers: { 'content-security-policy': STRICT } });
    noWasm = await serveStatic(dir, { headers: { 'content-security-policy': NO_WASM } });
    browser = await launch();
  }, LONG);

  afterAll(async () => {
    await browser?.close();
    await strict?.close();
    await noWasm?.close();
  });

  it("imports and compresses under script-src 'self' 'wasm-unsafe-eval': WASM kernels, the worker, IndexedDB", async () => {
    const r = await run(strict.url);
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
    const r = await run(noWasm.url);
    expect(r.kernels).toBe('ts');
    expect(r.inThread.warnings.some((w) => /WASM kernels unavailable/.test(w))).toBe(true);
    expect(r.inThread.after).toBe(r.worker.after);
    expect(r.worker.mode).toBe('worker');
  }, LONG);
});
