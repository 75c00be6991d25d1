/** The same checks inside a dedicated module worker (grammar loading must work there too). */
import { runChecks } from './checks.js';

runChecks('worker').then(
  (r) => postMessage(r),
  (err: unknown) => postMessage({ ok: false, where: 'worker', errors: [String(err instanceof Error ? err.stack : err)] }),
);
