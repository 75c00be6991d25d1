/**
 * Page entry: runs the code-compression checks in the page, then in a module worker, and writes
 * `{ page, worker }` as JSON into #out (data-state="done", or "failed" with the error).
 */
import { runChecks, type Report } from './checks.js';

const out = document.getElementById('out') as HTMLElement;

function inWorker(): Promise<Report> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
    w.onmessage = (e: MessageEvent<Report>) => {
      resolve(e.data);
      w.terminate();
    };
    w.onerror = (e) => reject(new Error(`worker error: ${e.message}`));
  });
}

try {
  const page = await runChecks('page');
  const worker = await inWorker();
  out.textContent = JSON.stringify({ page, worker });
  out.dataset.state = 'done';
} catch (err) {
  out.textContent = String(err instanceof Error ? err.stack : err);
  out.dataset.state = 'failed';
}
