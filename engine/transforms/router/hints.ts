/**
 * What the tool call says about its output: the tool's name (grep → search results), file paths
 * in its arguments (a `.py` path from read_file → Python source) and shell commands (`git diff`
 * → a diff, `pytest` → a test log). Hints never override strong structure (a JSON document is
 * JSON whatever the tool); they settle weak or ambiguous verdicts and name the language.
 */
import type { ContentType } from './types.js';

export interface Hint {
  readonly type: ContentType;
  readonly via: 'tool' | 'path' | 'command' | 'fence';
  /** Language (code), or log format / diff kind. */
  readonly language?: string;
  readonly subtype?: string;
}

/** File extension → what a file with it holds. */
const EXT: Readonly<Record<string, { type: ContentType; language?: string }>> = (() => {
  const m: Record<string, { type: ContentType; language?: string }> = {};
  const code = (lang: string, ...exts: string[]) => exts.forEach((e) => (m[e] = { type: 'code', language: lang }));
  code('python', 'py', 'pyi', 'pyw');
  code('javascript', 'js', 'mjs', 'cjs', 'jsx');
  code('typescript', 'ts', 'tsx', 'mts', 'cts');
  code('go', 'go');
  code('rust', 'rs');
  code('java', 'java');
  code('kotlin', 'kt', 'kts');
  code('scala', 'scala');
  code('c', 'c', 'h');
  code('cpp', 'cc', 'cpp', 'cxx', 'hpp', 'hh', 'hxx');
  code('csharp', 'cs');
  code('ruby', 'rb');
  code('php', 'php');
  code('swift', 'swift');
  code('shell', 'sh', 'bash', 'zsh', 'fish', 'ps1');
  code('sql', 'sql');
  code('css', 'css', 'scss', 'sass', 'less');
  code('lua', 'lua');
  code('r', 'r');
  code('dart', 'dart');
  code('elixir', 'ex', 'exs');
  code('haskell', 'hs');
  code('vue', 'vue');
  code('svelte', 'svelte');
  code('yaml', 'yaml', 'yml');
  code('toml', 'toml');
  code('xml', 'xml', 'xsd', 'svg');
  code('dockerfile', 'dockerfile');
  code('makefile', 'mk');
  for (const e of ['json', 'jsonc', 'json5', 'geojson', 'ipynb']) m[e] = { type: 'json' };
  for (const e of ['jsonl', 'ndjson']) m[e] = { type: 'log', language: 'jsonl' };
  for (const e of ['html', 'htm', 'xhtml']) m[e] = { type: 'html' };
  for (const e of ['md', 'markdown', 'mdx', 'txt', 'rst', 'adoc', 'org', 'csv', 'tsv']) m[e] = { type: 'text' };
  for (const e of ['log', 'out', 'err']) m[e] = { type: 'log' };
  for (const e of ['diff', 'patch']) m[e] = { type: 'diff' };
  return m;
})();

/** Bare file names that are code. */
const CODE_NAMES: Readonly<Record<string, string>> = { dockerfile: 'dockerfile', makefile: 'makefile', gemfile: 'ruby', rakefile: 'ruby', jenkinsfile: 'groovy' };

/** What a path's extension says, or undefined. */
export function hintFromPath(path: string): Hint | undefined {
  const p = path.trim().replace(/[?#].*$/, '');
  const base = p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1).toLowerCase();
  if (base === '') return undefined;
  const named = CODE_NAMES[base];
  if (named) return { type: 'code', via: 'path', language: named };
  const dot = base.lastIndexOf('.');
  if (dot <= 0 && !(dot === 0 && base.length > 1)) return undefined;
  const e = EXT[base.slice(dot + 1)];
  if (!e) return undefined;
  return e.type === 'code' ? { type: 'code', via: 'path', language: e.language } : { type: e.type, via: 'path', ...(e.language ? { subtype: e.language } : {}) };
}

/** Lower-case words of a tool name: `mcp__fs__read_file` → mcp, fs, read, file; `runTerminalCmd` → run, terminal, cmd. */
function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

const SEARCH_TOOLS = new Set(['grep', 'rg', 'ripgrep', 'ag', 'ack', 'egrep', 'fgrep']);
const READ_WORDS = new Set(['read', 'view', 'cat', 'open', 'show', 'get', 'fetch', 'load']);
const FILE_WORDS = new Set(['file', 'files', 'read', 'view', 'cat', 'open']);
const SHELL_WORDS = new Set(['bash', 'shell', 'sh', 'zsh', 'terminal', 'exec', 'execute', 'command', 'cmd', 'run', 'powershell']);
const WEB_WORDS = new Set(['web', 'url', 'http', 'https', 'browse', 'browser', 'page', 'scrape', 'curl', 'wget']);

/** Program names whose output is a build/test log, with the log format they produce. */
const LOG_PROGRAMS: ReadonlyArray<[RegExp, string]> = [
  [/^(py\.?test|python3? -m pytest|tox|nox)\b/, 'pytest'],
  [/^(jest|npx jest)\b/, 'jest'],
  [/^(vitest|npx vitest)\b/, 'vitest'],
  [/^(npm|pnpm|yarn|bun|npx)\b/, 'npm'],
  [/^cargo\b/, 'cargo'],
  [/^go (test|build|vet|run|mod)\b/, 'go'],
  [/^(mvn|mvnw|\.\/mvnw|maven)\b/, 'maven'],
  [/^(gradle|gradlew|\.\/gradlew)\b/, 'gradle'],
  [/^(make|cmake|ninja|gcc|g\+\+|clang|clang\+\+|cc|tsc|eslint|ruff|mypy|pylint|flake8|rustc|javac|dotnet|msbuild|bazel|docker build|docker compose build|kubectl logs|docker logs|journalctl|tail -f)\b/, 'generic'],
];

function argsObject(args: string | undefined): Record<string, unknown> | undefined {
  if (!args || args.length > 65536) return undefined;
  const t = args.trim();
  if (!t.startsWith('{')) return undefined;
  try {
    const v = JSON.parse(t) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** String values under keys whose name matches `re` (one level down into objects and arrays). */
function stringsUnder(o: Record<string, unknown>, re: RegExp): string[] {
  const out: string[] = [];
  const visit = (v: unknown, depth: number) => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v) && depth < 2) v.slice(0, 8).forEach((x) => visit(x, depth + 1));
  };
  for (const [k, v] of Object.entries(o)) if (re.test(k)) visit(v, 0);
  for (const v of Object.values(o)) {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      for (const [k, w] of Object.entries(v as Record<string, unknown>)) if (re.test(k)) visit(w, 1);
    }
  }
  return out;
}

const PATH_KEY = /^(path|paths|file|files|file_?path|filepath|filename|file_?name|target_?file|relative_?path|absolute_?path|uri|notebook_?path)$/i;
const COMMAND_KEY = /^(command|cmd|commands|script|shell_?command|input)$/i;
const URL_KEY = /^(url|uri|href|link)$/i;

/** What a shell command says about its output. */
export function hintFromCommand(command: string): Hint | undefined {
  const segments = command
    .split(/\|\||&&|[|;\n]/)
    .map((s) => s.trim().replace(/^(sudo|time|env(\s+\w+=\S*)*|timeout\s+\S+|nice|\w+=\S*)\s+/, '').trim())
    .filter((s) => s !== '');
  if (segments.length === 0) return undefined;
  // The last stage of a pipeline shapes the output; `grep` anywhere in it makes it search-like.
  for (const s of segments) {
    if (/^git\s+(diff|show|log\s+.*-p|log\s+.*--patch|format-patch|stash\s+show\s+-p)\b/.test(s) || /^(diff\s+-\w*u|diff\s+--unified)/.test(s)) return { type: 'diff', via: 'command' };
  }
  const last = segments[segments.length - 1];
  if (/^(git\s+grep|grep|egrep|fgrep|rg|ag|ack)\b/.test(last)) return { type: 'search', via: 'command' };
  for (const s of segments) for (const [re, fmt] of LOG_PROGRAMS) if (re.test(s)) return { type: 'log', via: 'command', subtype: fmt };
  if (segments.length === 1) {
    const m = /^(cat|head|tail|less|more|bat|nl|sed\s+-n\s+\S+)\s+(?:-\S+\s+)*(\S+)\s*$/.exec(last);
    if (m) return hintFromPath(m[2].replace(/^['"]|['"]$/g, ''));
    if (/^(curl|wget|http)\b/.test(last)) {
      const url = /\bhttps?:\/\/\S+/.exec(last)?.[0];
      return url ? hintFromPath(urlPath(url)) : undefined;
    }
  }
  return undefined;
}

/** The path part of a URL (no URL global needed). */
function urlPath(url: string): string {
  const m = /^[a-z]+:\/\/[^/]*(\/[^?#]*)?/i.exec(url.trim());
  return m ? m[1] ?? '' : url;
}

/**
 * Hints from the tool call, strongest first: a path's extension (read_file/cat of `x.py`), the
 * command (`git diff`, `pytest`, `rg`), the tool's name (`grep`, `web_fetch`).
 */
export function hintsFromTool(toolName: string | undefined, toolArgs: string | undefined): Hint[] {
  const out: Hint[] = [];
  const words = toolName ? nameWords(toolName) : [];
  const args = argsObject(toolArgs);
  const isSearchTool = words.some((w) => SEARCH_TOOLS.has(w)) || (words.includes('search') && words.some((w) => w === 'code' || w === 'codebase' || w === 'files' || w === 'text'));
  const isShell = words.some((w) => SHELL_WORDS.has(w));
  if (args) {
    if (!isSearchTool) {
      const readsFile = words.length === 0 || words.some((w) => READ_WORDS.has(w) || FILE_WORDS.has(w)) || words.includes('str') || words.includes('editor');
      if (readsFile) {
        for (const p of stringsUnder(args, PATH_KEY)) {
          const h = hintFromPath(p);
          if (h) {
            out.push(h);
            break;
          }
        }
      }
    }
    for (const c of stringsUnder(args, COMMAND_KEY)) {
      const h = hintFromCommand(c);
      if (h) {
        out.push(h);
        break;
      }
    }
    if (words.some((w) => WEB_WORDS.has(w) || w === 'fetch')) {
      for (const u of stringsUnder(args, URL_KEY)) {
        const h = hintFromPath(urlPath(u));
        if (h) {
          out.push({ ...h, via: 'tool' });
          break;
        }
      }
    }
  }
  if (isSearchTool) out.push({ type: 'search', via: 'tool' });
  else if (words.includes('diff') || (words.includes('git') && words.includes('show'))) out.push({ type: 'diff', via: 'tool' });
  else if (words.some((w) => WEB_WORDS.has(w)) || (words.includes('fetch') && !isShell)) out.push({ type: 'html', via: 'tool' });
  else if (words.some((w) => w === 'test' || w === 'tests' || w === 'pytest' || w === 'build' || w === 'lint' || w === 'logs' || w === 'log'))
    out.push({ type: 'log', via: 'tool' });
  return out;
}
