/**
 * The BUILT playground in Debian's Chromium (playwright-core), served from a sub-path by a tiny
 * static server (the build's URLs must be relative). Everything waits for states the page
 * exposes (`[data-testid=status][data-phase=…]`, `data-status` on the original panel), never
 * for time. Screenshots go to test-results/browser/.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Lib from '../../sdk/index.js';
import type * as Samples from '../../sdk/cli/samples.js';
import { hasChromium, launch, type Launched } from './chromium.js';
import { serveStatic, type StaticServer } from './server.js';

const root = new URL('../../', import.meta.url);
const shots = fileURLToPath(new URL('test-results/browser/', root));
const DONE = '[data-testid=status][data-phase=done]';
const LONG = 240_000;

let lib: typeof Lib;
let samples: typeof Samples;
let server: StaticServer;
let browser: Launched;

async function buildPlayground(): Promise<string> {
  const { build } = await import('vite');
  const outDir = mkdtempSync(join(tmpdir(), 'headroom-playground-'));
  await build({ configFile: fileURLToPath(new URL('playground/vite.config.ts', root)), logLevel: 'error', build: { outDir, emptyOutDir: true } });
  return outDir;
}

async function open(path = ''): Promise<Page> {
  const page = await browser.context.newPage();
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  await page.goto(server.url + path);
  await page.waitForSelector('[data-testid=status]');
  return page;
}

/**
 * Put text into the payload editor the way a paste ends: the value changes and an `input` event
 * fires. (Playwright's fill() types through the editing pipeline, which takes minutes for
 * 100 KB of multi-line text.)
 */
async function paste(page: Page, text: string): Promise<void> {
  await page.locator('[data-testid=payload]').evaluate((el, value) => {
    (el as HTMLTextAreaElement).value = value;
    el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
  }, text);
}

async function figures(page: Page) {
  const value = async (id: string) => Number(await page.getAttribute(`[data-testid=${id}]`, 'data-value'));
  return { before: await value('tokens-before'), after: await value('tokens-after'), percent: await value('percent-saved'), usd: await value('usd-saved') };
}

describe.skipIf(!hasChromium)('playground in Chromium (built, served statically)', () => {
  beforeAll(async () => {
    lib = await import(new URL('dist/sdk/index.js', root).href);
    samples = await import(new URL('dist/sdk/cli/samples.js', root).href);
    mkdirSync(shots, { recursive: true });
    server = await serveStatic(await buildPlayground(), { prefix: 'hosted/under/a/sub-path' });
    browser = await launch();
  }, LONG);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  let markerHash = '';

  it('paste a JSON payload: the figures and the compressed view appear, and match compress() in Node', async () => {
    const page = await open();
    await page.screenshot({ path: join(shots, '1-empty.png') });
    const text = JSON.stringify(samples.ordersJson(300), null, 2);
    await paste(page, text);
    await page.waitForSelector(DONE, { timeout: LONG });

    const expected = await lib.compress(lib.parsePayload(text).messages, { model: 'gpt-4o' });
    const shown = await figures(page);
    expect(shown.before).toBe(expected.tokensBefore);
    expect(shown.after).toBe(expected.tokensAfter);
    expect(shown.percent).toBeCloseTo(expected.savingsPercent, 6);
    expect(shown.usd).toBeCloseTo(((expected.tokensBefore - expected.tokensAfter) * 2.5) / 1000, 6); // gpt-4o: $2.5/1M input
    expect(await page.getAttribute('[data-testid=status]', 'data-mode')).toBe('worker');
    expect(await page.textContent('[data-testid=read-as]')).toMatch(/raw json tool output/);
    expect(await page.locator('[data-testid=decision]').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid=row]').count()).toBeGreaterThan(10);
    expect(await page.textContent('[data-testid=diff-stats]')).toMatch(/unchanged/);
    expect(await page.locator('[data-testid=waste]').count()).toBe(1);
    await page.screenshot({ path: join(shots, '2-result.png'), fullPage: true });

    // Click a marker: its original comes back from IndexedDB, byte-exact.
    await page.click('[data-testid=next-marker]');
    const marker = page.locator('[data-testid=marker]').first();
    markerHash = (await marker.getAttribute('data-hash')) ?? '';
    expect(markerHash).toMatch(/^[0-9a-f]{24}$/);
    await marker.click();
    await page.waitForSelector('[data-testid=original][data-status=found]');
    const original = JSON.parse((await page.textContent('[data-testid=original-content]')) ?? '');
    expect(original).toHaveLength(300);
    expect(original).toEqual(samples.ordersJson(300));
    await page.screenshot({ path: join(shots, '3-original.png') });

    // Everything came from the local server: no CDN, nothing external.
    expect(browser.external).toEqual([]);
    expect(server.requests.some((u) => /o200k_base.*\.js$/.test(u))).toBe(true); // the ranks: a lazy chunk
    expect(server.requests.some((u) => /cl100k_base/.test(u))).toBe(false); // …loaded only when needed
    await page.close();
  }, LONG);

  it('reload: the original is still retrievable (IndexedDB persists)', async () => {
    expect(markerHash).not.toBe('');
    const page = await open();
    await page.reload();
    await page.waitForSelector('[data-testid=status][data-phase=idle]');
    await page.fill('[data-testid=lookup-hash]', markerHash);
    await page.click('[data-testid=lookup-go]');
    await page.waitForSelector('[data-testid=original][data-status=found]');
    expect(JSON.parse((await page.textContent('[data-testid=original-content]')) ?? '')).toHaveLength(300);
    await page.click('[data-testid=original-close]');
    // A deep link opens it too; an unknown hash says so.
    await page.goto(`${server.url}#hash=${markerHash}`);
    await page.waitForSelector('[data-testid=original][data-status=found]');
    await page.goto(`${server.url}#hash=0123456789abcdef01234567`);
    await page.waitForSelector('[data-testid=original][data-status=missing]');
    expect(await page.textContent('[data-testid=original-missing]')).toMatch(/Nothing is stored under hash=0123456789abcdef01234567/);
    await page.close();
  }, LONG);

  it('compresses in the worker: the main thread keeps running tasks through a 10 MB paste', async () => {
    const page = await open();
    // Two facts, no clock: (1) the library says its worker answered the call (status.lastCall,
    // shown as [data-testid=worker-call]); (2) a main-thread counter (an interval: each tick is a
    // task this thread ran) advanced while the page's stage was 'compress', read by a
    // MutationObserver at each change of the status's data-stage. (2) alone does not tell a worker
    // from an in-thread run: an in-thread run also has async steps (loading the ranks chunk,
    // writing IndexedDB) where the counter moves — about 20 ticks against about 500 through the
    // worker when tried — so (1) is what rules the in-thread path out.
    await page.evaluate(() => {
      const w = window as unknown as { __ticks: number; __stages: Array<{ stage: string | null; ticks: number }> };
      w.__ticks = 0;
      w.__stages = [];
      setInterval(() => w.__ticks++, 10);
      const status = document.querySelector('[data-testid=status]') as HTMLElement;
      let last = status.dataset.stage ?? null;
      new MutationObserver(() => {
        const stage = status.dataset.stage ?? null;
        if (stage === last) return;
        last = stage;
        w.__stages.push({ stage, ticks: w.__ticks });
      }).observe(status, { attributes: true, attributeFilter: ['data-stage'] });
    });
    // Build ~10 MB of API records in the page and paste them, as a user would.
    const size = await page.evaluate(() => {
      const rows: string[] = [];
      let size = 2;
      for (let i = 0; size < 10_000_000; i++) {
        const r = JSON.stringify({
          id: `ord_${i}`,
          created_at: new Date(1.7e12 + i * 37_000).toISOString(),
          customer: { id: `cus_${(i * 7919) % 100_000}`, city: ['Berlin', 'Lisbon', 'Austin', 'Osaka'][i % 4] },
          amount_usd: ((i * 7_331) % 20_000) / 100,
          status: i % 97 === 41 ? 'payment_failed' : 'paid',
          region: 'eu-west-1',
        });
        rows.push(r);
        size += r.length + 1;
      }
      const data = new DataTransfer();
      data.setData('text/plain', `[${rows.join(',')}]`);
      document.querySelector('[data-testid=payload]')?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      return size;
    });
    expect(size).toBeGreaterThanOrEqual(10_000_000);
    await page.waitForSelector('[data-testid=large-payload]');
    await page.waitForSelector('[data-testid=status][data-phase=working]', { timeout: LONG });
    // Progress: the elapsed-time readout moves while the worker works (or the run is already done).
    const firstReading = await page.textContent('[data-testid=elapsed]');
    await page.waitForFunction((t) => document.querySelector('[data-testid=elapsed]')?.textContent !== t, firstReading, { timeout: LONG });
    await page.screenshot({ path: join(shots, '4-large-working.png') });
    await page.waitForSelector(DONE, { timeout: LONG });

    const stages = await page.evaluate(() => (window as unknown as { __stages: Array<{ stage: string | null; ticks: number }> }).__stages);
    // One run: compress (the library's worker), then the view (the view worker), then none.
    expect(stages.map((s) => s.stage)).toEqual(['compress', 'view', null]);
    const ticksWhileCompressing = stages[1].ticks - stages[0].ticks;
    console.log(`10 MB paste: the main thread ran ${ticksWhileCompressing} timer tasks while the worker compressed, ${stages[2].ticks - stages[1].ticks} while the view was built`);
    expect(ticksWhileCompressing).toBeGreaterThanOrEqual(5);
    // The library says the call was answered by its worker (status.lastCall, shown by the page).
    expect(await page.getAttribute('[data-testid=status]', 'data-mode')).toBe('worker');
    expect(await page.getAttribute('[data-testid=worker-call]', 'data-label')).toBe('simulatePayload');
    // It was real work: millions of tokens in, most of them cut.
    const shown = await figures(page);
    expect(shown.before).toBeGreaterThan(1_000_000);
    expect(shown.after).toBeLessThan(shown.before / 10);
    await page.screenshot({ path: join(shots, '5-large-done.png') });
    await page.close();
  }, LONG);

  it('renders user content as text only: script, onerror, javascript: links never run', async () => {
    const page = await open();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const scriptsBefore = await page.locator('script').count();
    const evil = [
      '<script>window.__xss = "script"; alert("script")</script>',
      '<img src=x onerror="window.__xss = \'img\'; alert(\'img\')">',
      '<a href="javascript:window.__xss=\'link\';alert(\'link\')">click me</a>',
      '<svg onload="window.__xss = \'svg\'"></svg>',
      '"><iframe srcdoc="<script>parent.__xss=\'iframe\'</script>"></iframe>',
      '{{constructor.constructor("window.__xss=\'template\'")()}}',
    ];
    // As records in a JSON tool output (so some land behind a marker) …
    const records = Array.from({ length: 120 }, (_, i) => ({ id: i, status: i % 40 === 7 ? 'error' : 'ok', note: evil[i % evil.length], html: evil[(i + 3) % evil.length] }));
    await paste(page, JSON.stringify(records));
    await page.waitForSelector(DONE, { timeout: LONG });
    await page.click('[data-testid=next-marker]');
    await page.locator('[data-testid=marker]').first().click();
    await page.waitForSelector('[data-testid=original][data-status=found]');
    expect(await page.textContent('[data-testid=original-content]')).toContain('<img src=x onerror=');
    await page.click('[data-testid=original-close]');
    // … and as a raw HTML tool output, and as a conversation.
    await paste(page, `<html><body>${evil.join('\n')}</body></html>`);
    await page.waitForSelector(DONE, { timeout: LONG });
    expect(await page.textContent('[data-testid=read-as]')).toMatch(/raw html tool output/);
    expect(await page.locator('[data-testid=diff]').textContent()).toContain('<img src=x onerror=');
    await paste(page, JSON.stringify([{ role: 'system', content: evil[0] }, { role: 'user', content: evil.join(' ') }, { role: 'assistant', content: evil[2] }]));
    await page.waitForSelector(DONE, { timeout: LONG });
    expect(await page.textContent('[data-testid=read-as]')).toMatch(/openai conversation of 3 messages/);
    expect(await page.locator('[data-testid=diff]').textContent()).toContain('<script>window.__xss');

    expect(dialogs).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBeUndefined();
    expect(await page.locator('script').count()).toBe(scriptsBefore);
    expect(await page.locator('img, iframe, object, embed, a[href^="javascript"], [onerror], [onload]').count()).toBe(0);
    expect(await page.locator('svg:not(.chart)').count()).toBe(0);
    await page.screenshot({ path: join(shots, '6-xss-as-text.png'), fullPage: true });
    await page.close();
  }, LONG);
});
