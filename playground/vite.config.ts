/**
 * The playground: Svelte 5 + Vite, built against the library as consumers get it (dist/, via the
 * `headroom-wasm` alias), so its worker is bundled from the library's own
 * `new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })`.
 *
 * `base: './'`: every URL in the build is relative, so the folder works from any static server
 * and any sub-path (GitHub Pages style). Nothing is fetched from elsewhere: the WASM kernels are
 * embedded, the tokenizer ranks are lazy chunks of the worker bundle.
 */
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: './',
  plugins: [svelte({ compilerOptions: { runes: true } })],
  resolve: {
    alias: [
      { find: /^headroom-wasm$/, replacement: here('../dist/sdk/index.js') },
      { find: /^headroom-wasm\/(.*)$/, replacement: here('../dist/$1') },
    ],
  },
  worker: { format: 'es' },
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    target: 'es2022',
    // The ranks chunks (o200k ≈ 2 MB) are lazy; the warning is about them, not the page.
    chunkSizeWarningLimit: 4096,
  },
  server: { port: 5173 },
  preview: { port: 4173 },
});
