/**
 * The extension-embedding case: a page whose Content-Security-Policy is
 * `script-src 'self' 'wasm-unsafe-eval'` (what an MV3 extension page allows) imports the
 * library from its bundle and compresses, in-thread and through createCompressor's worker.
 * The page reports what happened in #out as JSON (data-state="done").
 */
import { compress, createCompressor } from 'headroom-wasm';
import { getKernels } from 'headroom-wasm/engine';

const violations: string[] = [];
document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.effectiveDirective} ${e.blockedURI}`));

const out = document.getElementById('out') as HTMLElement;
const rows = Array.from({ length: 200 }, (_, i) => ({ id: i, service: ['api', 'db', 'cache'][i % 3], latency_ms: 80 + (i % 17) + (i === 120 ? 4000 : 0), status: i === 120 ? 'error' : 'ok' }));
const messages = [
  { role: 'system', content: 'You are an SRE agent. Today is 2026-11-20.' },
  { role: 'user', content: 'Which request was slow?' },
  { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'query', arguments: '{}' } }] },
  { role: 'tool', tool_call_id: 'c1', content: JSON.stringify(rows) },
];

try {
  const inThread = await compress(messages, { model: 'gpt-4o' });
  const compressor = createCompressor({ worker: true });
  const viaWorker = await compressor.compress(messages, { model: 'gpt-4o' });
  const original = await compressor.retrieve(viaWorker.ccrHashes[0]);

  // Cancelling a running call: it rejects at once, its worker is terminated (originals are in
  // IndexedDB, nothing is lost), and the next call gets a fresh worker.
  const big = [messages[0], messages[1], messages[2], { ...messages[3], content: JSON.stringify(Array.from({ length: 30_000 }, (_, i) => ({ ...rows[i % rows.length], id: i }))) }];
  const ctl = new AbortController();
  const running = compressor.compress(big, { signal: ctl.signal });
  // Abort once the call is in the worker's hands (a state the compressor reports), not after a delay.
  if (compressor.status.busy !== 1) throw new Error(`expected the call to be with the worker, status ${JSON.stringify(compressor.status)}`);
  ctl.abort();
  const aborted = await running.then(
    () => 'resolved',
    (e: unknown) => (e instanceof Error || e instanceof DOMException ? e.name : String(e)),
  );
  const afterAbort = await compressor.compress(messages, { model: 'gpt-4o' });

  // A worker script that does not load (here: missing): the call runs in-thread, with a warning.
  const broken = createCompressor({ workerUrl: new URL('./no-such-worker.js', import.meta.url), onWarning: () => {} });
  const fallback = await broken.compress(messages, { model: 'gpt-4o' });
  out.textContent = JSON.stringify({
    inThread: { before: inThread.tokensBefore, after: inThread.tokensAfter, counting: inThread.tokenCounting, warnings: inThread.warnings },
    worker: { before: viaWorker.tokensBefore, after: viaWorker.tokensAfter, warnings: viaWorker.warnings, mode: compressor.status.mode },
    retrieved: original !== null && 'content' in original ? (original.content ?? '').length : 0,
    abort: { aborted, afterAbort: afterAbort.tokensAfter, warnings: afterAbort.warnings },
    fallback: { after: fallback.tokensAfter, warnings: fallback.warnings, mode: broken.status.mode },
    kernels: getKernels().backend,
    violations,
  });
  out.dataset.state = 'done';
} catch (err) {
  out.textContent = String(err instanceof Error ? err.stack : err);
  out.dataset.state = 'failed';
}
