/**
 * The `headroom-wasm` command line, as a function of its arguments and I/O (main.ts binds it to
 * the process), so tests drive it without spawning.
 *
 *   headroom-wasm simulate [file|-] [--model M] [--budget N] [--json] [--sample NAME] [--compact]
 *   headroom-wasm compress [file|-] [--model M] [--budget N] [--pretty] [--quiet] [--compact]
 *   headroom-wasm samples | models | --help | --version
 *
 * A file (or `-`, stdin) holds a payload: a messages array in any of the four formats, a request
 * body with `messages` or `contents` (its `model` is used unless --model is given), or a raw
 * tool output, which is compressed as one tool result (see sdk/worker/payload.ts).
 *
 * Exit codes: 0 success; 1 internal error (a bug: please report it); 2 usage error (unknown
 * command or flag, bad value, unknown model) or unreadable input (missing file, a directory, no
 * permission, nothing on stdin).
 */
import { estimateCostUSD, listModels, PRICES_AS_OF, resolveModel } from '../../engine/models/index.js';
import type { ModelInfo } from '../../engine/models/types.js';
import type { HeadroomConfig } from '../../engine/config.js';
import type { CompressOptions } from '../../engine/options.js';
import { ConfigurationError, HeadroomError } from '../../engine/errors.js';
import { compress } from '../compress.js';
import { simulate, type SimulateResult } from '../simulate.js';
import { parsePayload, payloadOptions, type PayloadInfo } from '../worker/payload.js';
import { samplePayloads, type SamplePayload } from './samples.js';

export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_USAGE = 2;

export interface CliIO {
  /** All of stdin as text; rejects when it cannot be read. */
  readStdin(): Promise<string>;
  /** True when stdin is a terminal (nothing piped in). */
  stdinIsTTY: boolean;
  readFile(path: string): Promise<string>;
  stdout(text: string): void;
  stderr(text: string): void;
  version: string;
}

export const USAGE = `usage: headroom-wasm <command> [file|-] [options]

commands:
  simulate [file|-]   what compression saves: tokens, % and $ per 1,000 requests, per input
                      (no file: the bundled samples)
  compress [file|-]   write the compressed payload to stdout: the messages (or request body)
                      as JSON, or a raw tool output's compressed text (no file: stdin)
  samples             list the bundled samples
  models              list the models and their input prices

input: a messages array (OpenAI, Anthropic, Vercel AI, Gemini), a request body with
"messages" or "contents", or raw tool output (JSON, logs, grep output, a diff, HTML, code, text).

options:
  --model M        model to count and price for (default: the body's "model", else gpt-4o)
  --budget N       prompt token budget (default: the model's context limit minus its output reserve)
  --compact        SmartCrusher's compact format for uniform JSON arrays (for LLM-only readers)
  --sample NAME    simulate one bundled sample (see \`samples\`)
  --json           simulate: machine-readable output
  --pretty         compress: indent JSON output
  --quiet          compress: no summary on stderr
  -h, --help       this help;  -v, --version  the version

exit codes: 0 ok, 1 internal error, 2 usage error or unreadable input`;

class UsageError extends Error {
  override name = 'UsageError';
}

interface Args {
  command: string;
  file?: string;
  model?: string;
  budget?: number;
  sample?: string;
  json: boolean;
  pretty: boolean;
  quiet: boolean;
  compact: boolean;
  help: boolean;
  version: boolean;
}

const COMMANDS = ['simulate', 'compress', 'samples', 'models'];

export function parseArgs(argv: ReadonlyArray<string>): Args {
  const a: Args = { command: '', json: false, pretty: false, quiet: false, compact: false, help: false, version: false };
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || (v.startsWith('-') && v !== '-')) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const take = () => {
      if (inline !== undefined) return inline;
      const v = value(i, flag);
      i++;
      return v;
    };
    switch (flag) {
      case '--model':
        a.model = take();
        break;
      case '--budget': {
        const raw = take();
        const n = Number(raw.replace(/[_,]/g, ''));
        if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--budget must be a positive whole number of tokens (got ${JSON.stringify(raw)})`);
        a.budget = n;
        break;
      }
      case '--sample':
        a.sample = take();
        break;
      case '--json':
        a.json = true;
        break;
      case '--pretty':
        a.pretty = true;
        break;
      case '--quiet':
      case '-q':
        a.quiet = true;
        break;
      case '--compact':
        a.compact = true;
        break;
      case '--help':
      case '-h':
        a.help = true;
        break;
      case '--version':
      case '-v':
        a.version = true;
        break;
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
        if (!a.command) {
          if (!COMMANDS.includes(arg)) throw new UsageError(`unknown command ${JSON.stringify(arg)} (commands: ${COMMANDS.join(', ')})`);
          a.command = arg;
        } else if (a.file === undefined) a.file = arg;
        else throw new UsageError(`one input at a time (got ${JSON.stringify(a.file)} and ${JSON.stringify(arg)})`);
    }
  }
  return a;
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

/** The model, or a usage error naming the closest known ones. Pattern matches (a dated snapshot of a known family) are accepted. */
export function checkModel(name: string): ModelInfo {
  const { info } = resolveModel(name);
  if (info.match !== 'fallback') return info;
  const near = listModels()
    .map((m) => ({ id: m.id, d: distance(name.toLowerCase(), m.id) }))
    .sort((x, y) => x.d - y.d)
    .slice(0, 4)
    .map((m) => m.id);
  throw new UsageError(`unknown model ${JSON.stringify(name)}; did you mean ${near.join(', ')}? (\`headroom-wasm models\` lists them all)`);
}

function describeReadError(path: string, err: unknown): string {
  const code = (err as { code?: unknown })?.code;
  const why =
    code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : err instanceof Error ? err.message : String(err);
  return `cannot read ${path === '-' ? 'stdin' : path}: ${why}`;
}

class InputError extends Error {
  override name = 'InputError';
}

interface Input {
  readonly label: string;
  readonly description: string;
  readonly text: string;
  readonly model?: string;
  readonly tokenBudget?: number;
}

async function readInput(args: Args, io: CliIO, required: boolean): Promise<Input[] | null> {
  if (args.file === undefined) {
    if (!required) return null;
    if (io.stdinIsTTY) throw new UsageError('no input: give a file, or pipe the payload into stdin');
    args.file = '-';
  }
  let text: string;
  try {
    text = args.file === '-' ? await io.readStdin() : await io.readFile(args.file);
  } catch (err) {
    throw new InputError(describeReadError(args.file, err));
  }
  if (text.trim() === '') throw new InputError(`${args.file === '-' ? 'stdin' : args.file} is empty`);
  return [{ label: args.file === '-' ? 'stdin' : args.file, description: args.file === '-' ? 'from stdin' : `from ${args.file}`, text }];
}

function sampleInputs(args: Args): Input[] {
  let list: SamplePayload[] = samplePayloads();
  if (args.sample !== undefined) {
    list = list.filter((s) => s.name === args.sample);
    if (list.length === 0) throw new UsageError(`unknown sample ${JSON.stringify(args.sample)} (\`headroom-wasm samples\` lists them)`);
  }
  return list.map((s) => ({ label: s.name, description: s.description, text: s.text(), model: s.model, ...(s.tokenBudget !== undefined ? { tokenBudget: s.tokenBudget } : {}) }));
}

function optionsFor(args: Args, input: Input, info: PayloadInfo): CompressOptions {
  const model = args.model ?? info.model ?? input.model ?? 'gpt-4o';
  const budget = args.budget ?? input.tokenBudget;
  const config: HeadroomConfig | undefined = args.compact ? { smartCrusher: { format: 'compact' } } : undefined;
  return payloadOptions(info, { model, ...(budget !== undefined ? { tokenBudget: budget } : {}), ...(config ? { config } : {}) });
}

const fmt = (n: number) => n.toLocaleString('en-US');
const usd = (n: number) => (Math.abs(n) >= 100 ? `$${fmt(Math.round(n))}` : `$${n.toFixed(2)}`);

/** `smart_crusher:items=40->16` ×24 → `smart_crusher ×24 (items 960→455)`. */
export function summarizeTransforms(labels: ReadonlyArray<string>): string {
  const groups = new Map<string, { n: number; from: number; to: number; plain: Set<string> }>();
  for (const l of labels) {
    const name = l.split(':')[0];
    const g = groups.get(name) ?? { n: 0, from: 0, to: 0, plain: new Set<string>() };
    g.n++;
    const m = /items=(\d+)->(\d+)/.exec(l);
    if (m) {
      g.from += Number(m[1]);
      g.to += Number(m[2]);
    } else g.plain.add(l);
    groups.set(name, g);
  }
  return [...groups.entries()]
    .map(([name, g]) => (g.from > 0 ? `${name} ×${g.n} (items ${fmt(g.from)}→${fmt(g.to)})` : g.n > 3 ? `${name} ×${g.n}` : [...g.plain].join(', ')))
    .join(', ');
}

export interface SimulateRow {
  readonly input: string;
  readonly description: string;
  readonly payload: PayloadInfo;
  readonly result: SimulateResult<unknown>;
  readonly pricePerMTokens: number;
  readonly costBeforeUSD: number;
  readonly costAfterUSD: number;
  readonly savedPer1kRequestsUSD: number;
}

async function simulateOne(args: Args, input: Input): Promise<SimulateRow> {
  const { messages, info } = parsePayload(input.text);
  const options = optionsFor(args, input, info);
  const model = checkModel(options.model as string);
  const result = await simulate(messages, options); // compress() without side effects: same tokens, plus decisions and waste
  const before = estimateCostUSD(model, { input: result.tokensBefore });
  const after = estimateCostUSD(model, { input: result.tokensAfter });
  return {
    input: input.label,
    description: input.description,
    payload: info,
    result,
    pricePerMTokens: model.pricing.input,
    costBeforeUSD: before,
    costAfterUSD: after,
    savedPer1kRequestsUSD: (before - after) * 1000,
  };
}

function payloadLabel(p: PayloadInfo): string {
  return p.kind === 'messages' ? `${p.format} · ${p.messageCount} msgs` : `tool output · ${p.contentType}`;
}

function table(rows: string[][], alignRight: ReadonlyArray<boolean>): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (alignRight[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd()).join('\n');
}

function renderSimulate(rows: ReadonlyArray<SimulateRow>, detailed: boolean): string {
  const out: string[] = [];
  out.push(`headroom-wasm simulate — what compress() saves (list prices as of ${PRICES_AS_OF})`, '');
  const head = ['input', 'payload', 'model', 'tokens before', 'after', 'saved', '$ saved / 1k req'];
  const body = rows.map((r) => [
    r.input,
    payloadLabel(r.payload),
    r.result.model.id,
    fmt(r.result.tokensBefore),
    fmt(r.result.tokensAfter),
    `${r.result.savingsPercent.toFixed(1)}%`,
    usd(r.savedPer1kRequestsUSD),
  ]);
  if (rows.length > 1) {
    const before = rows.reduce((n, r) => n + r.result.tokensBefore, 0);
    const after = rows.reduce((n, r) => n + r.result.tokensAfter, 0);
    body.push(['total', '', '', fmt(before), fmt(after), `${before === 0 ? '0.0' : ((1 - after / before) * 100).toFixed(1)}%`, usd(rows.reduce((n, r) => n + r.savedPer1kRequestsUSD, 0))]);
  }
  out.push(table([head, ...body], [false, false, false, true, true, true, true]), '');
  for (const r of rows) {
    const res = r.result;
    if (!detailed && res.warnings.length === 0 && res.transformsApplied.length === 0) continue;
    out.push(`${r.input} — ${r.description}`);
    out.push(`  tokens     ${fmt(res.tokensBefore)} → ${fmt(res.tokensAfter)} (${res.tokenCounting}), budget ${fmt(res.tokenBudget)}${res.fitsBudget ? '' : ' — does NOT fit'}`);
    out.push(`  cost       ${usd(r.costBeforeUSD * 1000)} → ${usd(r.costAfterUSD * 1000)} per 1,000 requests at $${r.pricePerMTokens}/1M input tokens`);
    out.push(`  transforms ${summarizeTransforms(res.transformsApplied) || '(none: nothing worth cutting)'}`);
    const routed = res.decisions.filter((d) => typeof d.tokensBefore === 'number' && typeof d.tokensAfter === 'number' && (d.tokensAfter as number) < (d.tokensBefore as number));
    for (const d of routed.slice(0, detailed ? 12 : 4)) {
      const where = typeof d.messageIndex === 'number' ? `msg ${d.messageIndex}` : String(d.toolName ?? '');
      out.push(`  block      ${where} ${d.type ?? ''} → ${d.compressor ?? d.transform}: ${fmt(d.tokensBefore as number)} → ${fmt(d.tokensAfter as number)} tokens`);
    }
    if (routed.length > (detailed ? 12 : 4)) out.push(`  block      … ${routed.length - (detailed ? 12 : 4)} more compressed blocks`);
    const w = res.waste;
    const signals = (
      [
        ['JSON bloat', w.jsonBloatTokens],
        ['HTML noise', w.htmlNoiseTokens],
        ['base64', w.base64Tokens],
        ['whitespace', w.whitespaceTokens],
        ['dynamic dates', w.dynamicDateTokens],
        ['repetition', w.repetitionTokens],
      ] as Array<[string, number]>
    ).filter(([, n]) => n > 0);
    if (signals.length > 0) out.push(`  waste      ${signals.map(([k, n]) => `${k} ${fmt(n)}`).join(', ')} tokens of the input`);
    if (res.ccrHashes.length > 0) out.push(`  reversible ${res.ccrHashes.length} original(s) behind markers (retrieve(hash) gets each back)`);
    for (const w of res.warnings) out.push(`  warning    ${w}`);
    out.push('');
  }
  return out.join('\n');
}

async function cmdSimulate(args: Args, io: CliIO): Promise<number> {
  if (args.file !== undefined && args.sample !== undefined) throw new UsageError('--sample and a file are alternatives');
  if (args.model !== undefined) checkModel(args.model);
  const inputs = (await readInput(args, io, false)) ?? sampleInputs(args);
  const rows: SimulateRow[] = [];
  for (const input of inputs) rows.push(await simulateOne(args, input));
  if (args.json) {
    io.stdout(JSON.stringify(rows.map(({ result, ...rest }) => ({ ...rest, result: { ...result, messages: undefined, store: undefined, reports: undefined } })), null, 2) + '\n');
  } else {
    io.stdout(renderSimulate(rows, rows.length === 1) + '\n');
  }
  return EXIT_OK;
}

function replaceList(text: string, info: PayloadInfo, messages: unknown[]): unknown {
  if (info.container === 'array') return messages;
  const body = JSON.parse(text) as Record<string, unknown>;
  return { ...body, [info.container === 'contents' ? 'contents' : 'messages']: messages };
}

/** A tool output's compressed text: the content of the (single) tool message, whatever transform touched it. */
function toolOutputText(messages: ReadonlyArray<unknown>): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as { role?: unknown; content?: unknown };
    if (m?.role === 'tool') return typeof m.content === 'string' ? m.content : JSON.stringify(m.content);
  }
  return JSON.stringify(messages);
}

async function cmdCompress(args: Args, io: CliIO): Promise<number> {
  if (args.sample !== undefined) throw new UsageError('--sample is for simulate');
  if (args.json) throw new UsageError('--json is for simulate (compress always writes the payload itself)');
  if (args.model !== undefined) checkModel(args.model);
  const [input] = (await readInput(args, io, true)) as Input[];
  const { messages, info } = parsePayload(input.text);
  const options = optionsFor(args, input, info);
  checkModel(options.model as string);
  const result = await compress(messages, options);
  if (info.kind === 'tool-output') {
    // A wrapped output: the conversation around it is ours; write the compressed content back,
    // unless context management had to replace it (then the messages say what happened).
    io.stdout(toolOutputText(result.messages) + (args.pretty ? '\n' : ''));
  } else {
    io.stdout(JSON.stringify(replaceList(input.text, info, result.messages), null, args.pretty ? 2 : undefined) + '\n');
  }
  if (!args.quiet) {
    io.stderr(`headroom-wasm: ${fmt(result.tokensBefore)} → ${fmt(result.tokensAfter)} tokens (${result.savingsPercent.toFixed(1)}% saved, ${result.model.id})${result.ccrHashes.length ? `; ${result.ccrHashes.length} original(s) kept in this process only (use the library with a FileStore to keep them)` : ''}\n`);
    for (const w of result.warnings) io.stderr(`headroom-wasm: warning: ${w}\n`);
  }
  return EXIT_OK;
}

function cmdSamples(io: CliIO): number {
  const rows = samplePayloads().map((s) => [s.name, s.kind, s.model, s.description]);
  io.stdout(table([['name', 'kind', 'model', 'description'], ...rows], [false, false, false, false]) + '\n');
  return EXIT_OK;
}

function cmdModels(io: CliIO): number {
  const rows = listModels().map((m) => [m.id, m.provider, fmt(m.contextLimit), `$${m.pricing.input}`, m.tokenizer]);
  io.stdout(table([['model', 'provider', 'context', '$/1M input', 'tokens'], ...rows], [false, false, true, true, false]) + `\n\nprices as of ${PRICES_AS_OF}\n`);
  return EXIT_OK;
}

/** Run the CLI; resolves to the exit code. Never throws. */
export async function runCli(argv: ReadonlyArray<string>, io: CliIO): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
    if (args.version) {
      io.stdout(`headroom-wasm ${io.version}\n`);
      return EXIT_OK;
    }
    if (args.help || !args.command) {
      (args.help ? io.stdout : io.stderr)(USAGE + '\n');
      return args.help ? EXIT_OK : EXIT_USAGE;
    }
    switch (args.command) {
      case 'simulate':
        return await cmdSimulate(args, io);
      case 'compress':
        return await cmdCompress(args, io);
      case 'samples':
        return cmdSamples(io);
      default:
        return cmdModels(io);
    }
  } catch (err) {
    if (err instanceof UsageError || err instanceof ConfigurationError) {
      io.stderr(`headroom-wasm: ${err.message}\n(run \`headroom-wasm --help\` for usage)\n`);
      return EXIT_USAGE;
    }
    if (err instanceof InputError) {
      io.stderr(`headroom-wasm: ${err.message}\n`);
      return EXIT_USAGE;
    }
    const detail = err instanceof HeadroomError ? `${err.name} [${err.code}]: ${err.message}` : err instanceof Error ? (err.stack ?? err.message) : String(err);
    io.stderr(`headroom-wasm: internal error — please report it with the input that caused it\n${detail}\n`);
    return EXIT_INTERNAL;
  }
}
