#!/usr/bin/env node
/**
 * `headroom-wasm` (package.json `bin`): binds the CLI in run.ts to this process. Usage and exit
 * codes: run.ts, or `headroom-wasm --help`.
 */
import { readFile } from 'node:fs/promises';
import { runCli } from './run.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

async function version(): Promise<string> {
  try {
    const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

// Write without losing output when stdout is a pipe that closes early (`| head`).
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
});

const code = await runCli(process.argv.slice(2), {
  readStdin,
  stdinIsTTY: process.stdin.isTTY === true,
  readFile: (path) => readFile(path, 'utf8'),
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  version: await version(),
});
process.exitCode = code;
