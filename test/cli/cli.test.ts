/**
 * `headroom-wasm` CLI: the built bin (dist/sdk/cli/main.js, as npx runs it) for exit codes and
 * stdin, and runCli() with in-memory I/O for the rest.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type * as Run from '../../sdk/cli/run.js';
import type * as Samples from '../../sdk/cli/samples.js';
import type * as Lib from '../../sdk/index.js';

const root = new URL('../../', import.meta.url);
const bin = fileURLToPath(new URL('dist/sdk/cli/main.js', root));
let run: typeof Run;
let samples: typeof Samples;
let lib: typeof Lib;

beforeAll(async () => {
  run = await import(new URL('dist/sdk/cli/run.js', root).href);
  samples = await import(new URL('dist/sdk/cli/samples.js', root).href);
  lib = await import(new URL('dist/sdk/index.js', root).href);
});

function cli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { input, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function inMemory(args: string[], files: Record<string, string> = {}, stdin?: string) {
  let stdout = '';
  let stderr = '';
  const code = await run.runCli(args, {
    readStdin: async () => stdin ?? '',
    stdinIsTTY: stdin === undefined,
    readFile: async (p) => {
      if (!(p in files)) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
      return files[p];
    },
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    version: '0.0.0-test',
  });
  return { code, stdout, stderr };
}

describe('headroom-wasm CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-cli-'));

  it('simulate with no file runs the bundled samples and prints a savings table', () => {
    const r = cli(['simulate']);
    expect(r.code).toBe(0);
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    for (const s of samples.samplePayloads()) expect(r.stdout).toContain(s.name);
    expect(r.stdout).toMatch(/\$ saved \/ 1k req/);
    expect(r.stdout).toMatch(/^total\s/m);
  });

  it('simulate reads a file or stdin and agrees with compress()', async () => {
    const text = JSON.stringify(samples.ordersJson(120));
    const file = join(dir, 'orders.json');
    writeFileSync(file, text);
    const fromFile = cli(['simulate', file, '--json', '--model', 'gpt-4.1']);
    expect(fromFile.code).toBe(0);
    const [row] = JSON.parse(fromFile.stdout);
    const { messages } = lib.parsePayload(text);
    const expected = await lib.compress(messages, { model: 'gpt-4.1' });
    expect(row.result.tokensBefore).toBe(expected.tokensBefore);
    expect(row.result.tokensAfter).toBe(expected.tokensAfter);
    expect(row.payload).toMatchObject({ kind: 'tool-output', contentType: 'json' });
    expect(row.savedPer1kRequestsUSD).toBeCloseTo(((expected.tokensBefore - expected.tokensAfter) * 2) / 1000, 6); // gpt-4.1: $2/1M input

    const fromStdin = cli(['simulate', '-', '--json', '--model', 'gpt-4.1'], text);
    expect(JSON.parse(fromStdin.stdout)[0].result.tokensAfter).toBe(expected.tokensAfter);
  });

  it('compress writes the compressed content (tool output) or messages (conversation) to stdout', async () => {
    const text = JSON.stringify(samples.ordersJson(150));
    const out = cli(['compress', '-', '--quiet'], text);
    expect(out.code).toBe(0);
    expect(out.stderr).toBe('');
    expect(out.stdout.length).toBeLessThan(text.length / 3);
    expect(lib.parseMarkers(out.stdout).length).toBeGreaterThan(0);

    const body = { model: 'gpt-4o', temperature: 0.2, messages: samples.agentLoopMessages(1, 8) };
    const r = await inMemory(['compress', 'body.json'], { 'body.json': JSON.stringify(body) });
    expect(r.code).toBe(0);
    const written = JSON.parse(r.stdout);
    expect(written.temperature).toBe(0.2); // the rest of the request body is kept
    expect(Array.isArray(written.messages)).toBe(true);
    expect(JSON.stringify(written).length).toBeLessThan(JSON.stringify(body).length);
    expect(r.stderr).toMatch(/tokens \(\d+\.\d% saved, gpt-4o\)/);
  });

  it('documents its exit codes: 2 for usage errors and unreadable input, 0 for help', async () => {
    expect(cli(['--help']).code).toBe(0);
    expect(cli([]).code).toBe(2);
    expect(cli(['frobnicate']).code).toBe(2);
    expect(cli(['simulate', '--budget', 'lots']).stderr).toMatch(/--budget must be a positive whole number/);
    const missing = cli(['simulate', join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*nope\.json: no such file/);
    const directory = cli(['compress', dir]);
    expect(directory.code).toBe(2);
    expect(directory.stderr).toMatch(/it is a directory/);
    const model = cli(['simulate', '--model', 'lama-omni-9000']);
    expect(model.code).toBe(2);
    expect(model.stderr).toMatch(/unknown model "lama-omni-9000"; did you mean /);
    expect((await inMemory(['compress'])).stderr).toMatch(/no input/);
    expect((await inMemory(['simulate', 'empty.txt'], { 'empty.txt': '  \n' })).code).toBe(2);
    expect((await inMemory(['simulate', '--sample', 'nope'])).stderr).toMatch(/unknown sample/);
    expect((await inMemory(['simulate', 'a', 'b'])).code).toBe(2);
  });

  it('lists samples and models, and prints its version', async () => {
    expect((await inMemory(['samples'])).stdout).toMatch(/orders-json\s+tool-output/);
    expect((await inMemory(['models'])).stdout).toMatch(/gpt-4o\s+openai/);
    expect((await inMemory(['--version'])).stdout).toBe('headroom-wasm 0.0.0-test\n');
  });

  it('--compact switches SmartCrusher to its compact format', async () => {
    const text = JSON.stringify(samples.ordersJson(150));
    const plain = await inMemory(['compress', '-', '--quiet'], {}, text);
    const compact = await inMemory(['compress', '-', '--quiet', '--compact'], {}, text);
    expect(compact.code).toBe(0);
    expect(compact.stdout).not.toBe(plain.stdout);
  });
});
