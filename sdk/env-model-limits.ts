/**
 * `HEADROOM_MODEL_LIMITS` — model overrides from the environment (Node only).
 *
 * The variable holds either JSON (`{"my-model": 32768, "gpt-4o": {"context_limit": 64000}}`)
 * or a path to a JSON file with the same content; see engine/models/overrides.ts for the
 * accepted shapes. Safe to import anywhere: outside Node (browsers, workers, extensions) it
 * returns undefined without touching `process` or `fs`. `fs` is reached through
 * `process.getBuiltinModule` (Node ≥ 20.16), so bundlers never see a `node:fs` import.
 * Bad JSON, unreadable files and invalid entries produce warnings, never exceptions.
 */

import { normalizeModelOverrides } from '../engine/models/overrides.js';
import type { ModelOverrides } from '../engine/models/types.js';

export const MODEL_LIMITS_ENV = 'HEADROOM_MODEL_LIMITS';

export interface EnvModelOverrides {
  readonly overrides: ModelOverrides | undefined;
  readonly warnings: string[];
  /** Where the overrides came from. */
  readonly source: 'json' | 'file' | 'none';
}

interface NodeLikeProcess {
  env?: Record<string, string | undefined>;
  versions?: { node?: string };
  getBuiltinModule?: (id: string) => unknown;
}

function nodeProcess(): NodeLikeProcess | undefined {
  const p = (globalThis as { process?: NodeLikeProcess }).process;
  return p && typeof p === 'object' && typeof p.versions?.node === 'string' ? p : undefined;
}

type ReadFileSync = (path: string, encoding: 'utf8') => string;

function readFileSyncFn(p: NodeLikeProcess): ReadFileSync | undefined {
  const fs = p.getBuiltinModule?.('node:fs') as { readFileSync?: ReadFileSync } | undefined;
  return typeof fs?.readFileSync === 'function' ? fs.readFileSync : undefined;
}

/**
 * Read and normalize `HEADROOM_MODEL_LIMITS`, with warnings. `env` defaults to `process.env`
 * (pass another object in tests); `readFile` defaults to Node's `fs.readFileSync`.
 */
export function readEnvModelOverridesDetailed(
  env?: Record<string, string | undefined>,
  readFile?: ReadFileSync,
): EnvModelOverrides {
  const proc = nodeProcess();
  const vars = env ?? proc?.env;
  const raw = vars?.[MODEL_LIMITS_ENV];
  if (raw === undefined || raw.trim() === '') return { overrides: undefined, warnings: [], source: 'none' };
  const value = raw.trim();
  let text: string;
  let source: 'json' | 'file';
  if (value.startsWith('{')) {
    text = value;
    source = 'json';
  } else {
    source = 'file';
    const read = readFile ?? (proc ? readFileSyncFn(proc) : undefined);
    if (!read) {
      return {
        overrides: undefined,
        warnings: [`${MODEL_LIMITS_ENV} looks like a file path ('${value}') but files cannot be read here; ignored.`],
        source,
      };
    }
    try {
      text = read(value, 'utf8');
    } catch (err) {
      return {
        overrides: undefined,
        warnings: [`${MODEL_LIMITS_ENV}: could not read '${value}' (${(err as Error)?.message ?? String(err)}); ignored.`],
        source,
      };
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    const where = source === 'file' ? `file '${value}'` : 'value';
    return {
      overrides: undefined,
      warnings: [`${MODEL_LIMITS_ENV}: ${where} is not valid JSON (${(err as Error).message}); ignored.`],
      source,
    };
  }
  const { overrides, warnings } = normalizeModelOverrides(parsed, MODEL_LIMITS_ENV);
  return { overrides, warnings, source };
}

/**
 * Overrides from `HEADROOM_MODEL_LIMITS`, or undefined (not set, not Node, or unusable).
 * Warnings go to `onWarning` when given; otherwise they are dropped — use
 * `readEnvModelOverridesDetailed` to surface them in a result.
 */
export function readEnvModelOverrides(opts?: { onWarning?: (warning: string) => void }): ModelOverrides | undefined {
  const { overrides, warnings } = readEnvModelOverridesDetailed();
  if (opts?.onWarning) for (const w of warnings) opts.onWarning(w);
  return overrides;
}
