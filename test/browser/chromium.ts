/**
 * Launching Debian's Chromium for the browser tests (see DEVELOPERS.md): playwright-core with
 * `executablePath`, the flags this machine needs (no sandbox as root, no GPU, no background
 * network — the network is closed), and a fresh profile directory per launch. No browser is
 * ever downloaded.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM_PATH);

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

if (!hasChromium) {
  console.warn(`browser tests skipped: no Chromium at ${CHROMIUM_PATH}. Install it with \`apt-get install -y chromium\` (.ci/run does) or set CHROMIUM_PATH.`);
}

export interface Launched {
  readonly context: BrowserContext;
  /** Non-local requests the page tried (all are aborted: the playground must work offline). */
  readonly external: string[];
  close(): Promise<void>;
}

/** A persistent context on a fresh, empty profile (IndexedDB survives reloads within it). */
export async function launch(): Promise<Launched> {
  const profile = mkdtempSync(join(tmpdir(), 'headroom-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1400, height: 1000 },
  });
  const external: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('http://127.0.0.1:')) return route.continue();
    external.push(url);
    return route.abort();
  });
  return {
    context,
    external,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
