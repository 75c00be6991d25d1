/**
 * Content detection: JSON, source code (with a language guess), search results, build/test
 * logs, unified/combined diffs, HTML, or plain text, from structure and patterns plus hints.
 *
 * Follows the reference's regex detector (ALGORITHMS.md §3.1: order, sample sizes, confidence
 * formulas) where it is sound, and departs where it is not:
 * - top-level JSON objects are JSON (the reference misses them; SmartCrusher crushes arrays inside objects);
 * - JSON Lines are structured logs (`log`, subtype `jsonl`);
 * - pytest/cargo/go-test status lines count wherever the status word sits (`tests/a.py::t PASSED`);
 * - `path:line:col: error: …` diagnostics are compiler logs, not search results;
 * - plain `diff -u` (`--- x` then `+++ y`) counts as a diff header, not only `--- a/`;
 * - large tag soups (≥ 20 structural tags, starting with `<`) are HTML without a doctype.
 *
 * Deterministic and linear: line detectors read only a sample (the first 500 lines, at most
 * 256 K characters, each line cut at 2,000 characters); only the JSON check reads the whole
 * text (native JSON.parse, and only when the text starts and ends with brackets).
 */
import { hintsFromTool, type Hint } from './hints.js';
import { guardedJsonParse } from './json-guard.js';
import type { ContentType, DetectHints, Detection } from './types.js';

const MAX_SAMPLE_LINES = 500;
const MAX_SAMPLE_CHARS = 262_144;
const MAX_LINE_CHARS = 2_000;
/** JSON.parse is linear and native, but the whole-text check is skipped above this. */
const MAX_JSON_PARSE_CHARS = 64 * 1024 * 1024;

/** The first lines of `text` (CR stripped, each cut at MAX_LINE_CHARS). */
export function sampleLines(text: string, maxLines = MAX_SAMPLE_LINES, maxChars = MAX_SAMPLE_CHARS): string[] {
  const out: string[] = [];
  let pos = 0;
  let taken = 0;
  while (pos <= text.length && out.length < maxLines && taken < maxChars) {
    let end = text.indexOf('\n', pos);
    if (end === -1) end = text.length;
    let line = end - pos > MAX_LINE_CHARS ? text.slice(pos, pos + MAX_LINE_CHARS) : text.slice(pos, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    out.push(line);
    taken += line.length + 1;
    if (end >= text.length) break;
    pos = end + 1;
  }
  return out;
}

const isWs = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

function firstNonWs(text: string): number {
  for (let i = 0; i < text.length; i++) if (!isWs(text.charCodeAt(i))) return i;
  return -1;
}

function lastNonWs(text: string): number {
  for (let i = text.length - 1; i >= 0; i--) if (!isWs(text.charCodeAt(i))) return i;
  return -1;
}

// ---------------------------------------------------------------------------------------------
// JSON

interface JsonVerdict {
  readonly confidence: number;
  readonly subtype: 'dict_array' | 'array' | 'object' | 'deep';
}

/** JSON document (whole text parses): dict arrays 1.0, other arrays 0.8, objects 0.9; nested past the parse guard 0.5. */
export function detectJson(text: string): JsonVerdict | null {
  const a = firstNonWs(text);
  if (a < 0) return null;
  const open = text.charCodeAt(a);
  if (open !== 0x5b && open !== 0x7b) return null;
  const close = text.charCodeAt(lastNonWs(text));
  if ((open === 0x5b && close !== 0x5d) || (open === 0x7b && close !== 0x7d)) return null;
  if (text.length > MAX_JSON_PARSE_CHARS) return null;
  const p = guardedJsonParse(text);
  // Nested past the guard: JSON-shaped, not parsed (SmartCrusher passes it through).
  if (!p.ok) return p.tooDeep ? { confidence: 0.5, subtype: 'deep' } : null;
  const v = p.value;
  if (Array.isArray(v)) {
    const dicts = v.length > 0 && v.every((x) => typeof x === 'object' && x !== null && !Array.isArray(x));
    return dicts ? { confidence: 1, subtype: 'dict_array' } : { confidence: 0.8, subtype: 'array' };
  }
  return { confidence: 0.9, subtype: 'object' };
}

/** JSON Lines: at least 2 sampled lines, ≥ 90% of the non-empty ones a JSON object or array. */
function detectJsonLines(lines: ReadonlyArray<string>): number {
  let objs = 0;
  let nonEmpty = 0;
  for (const raw of lines.slice(0, 100)) {
    const l = raw.trim();
    if (l === '') continue;
    nonEmpty++;
    if (l.length >= MAX_LINE_CHARS) continue;
    const c0 = l.charCodeAt(0), c1 = l.charCodeAt(l.length - 1);
    if (!((c0 === 0x7b && c1 === 0x7d) || (c0 === 0x5b && c1 === 0x5d))) continue;
    try {
      JSON.parse(l);
      objs++;
    } catch {
      /* not JSON */
    }
  }
  return objs >= 2 && objs >= 0.9 * nonEmpty ? 0.8 : 0;
}

// ---------------------------------------------------------------------------------------------
// Diff

const DIFF_GIT = /^diff --(git|combined|cc) /;
const HUNK = /^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@/;
const COMBINED_HUNK = /^@@@+ /;

interface DiffVerdict {
  readonly confidence: number;
  readonly headers: number;
  readonly changes: number;
  readonly combined: boolean;
}

export function scanDiff(lines: ReadonlyArray<string>): DiffVerdict {
  let headers = 0;
  let changes = 0;
  let combined = false;
  const n = Math.min(lines.length, 500);
  for (let i = 0; i < n; i++) {
    const l = lines[i];
    const c = l.charCodeAt(0);
    if (c === 0x64 /* d */ && DIFF_GIT.test(l)) {
      headers++;
      if (!l.startsWith('diff --git')) combined = true;
    } else if (c === 0x2d /* - */ && l.startsWith('--- ')) {
      // `--- a/x` (git) or `--- x` directly followed by `+++ y` (diff -u).
      if (l.startsWith('--- a/') || (i + 1 < n && lines[i + 1].startsWith('+++ '))) headers++;
    } else if (c === 0x40 /* @ */) {
      if (HUNK.test(l)) headers++;
      else if (COMBINED_HUNK.test(l)) {
        headers++;
        combined = true;
      }
    } else if ((c === 0x2b || c === 0x2d) && l.length >= 1) {
      const d = l.charCodeAt(1);
      if (d !== 0x2b && d !== 0x2d) changes++;
    }
  }
  const ok = headers >= 2 || (headers >= 1 && changes >= 1);
  const confidence = ok ? Math.min(1, 0.5 + 0.2 * headers + 0.05 * changes) : 0;
  return { confidence, headers, changes, combined };
}

// ---------------------------------------------------------------------------------------------
// HTML

const STRUCTURAL_TAG = /<(div|span|script|style|nav|header|footer|section|main|article|aside|form|table|ul|ol|li|iframe|noscript|meta|link|button|svg|h[1-6])\b/gi;

interface HtmlVerdict {
  readonly confidence: number;
  readonly structural: number;
  readonly doctype: boolean;
  readonly htmlTag: boolean;
}

export function scanHtml(text: string): HtmlVerdict {
  const head = text.slice(0, 4096);
  const lower = head.toLowerCase();
  const doctype = lower.includes('<!doctype html');
  const htmlTag = /<html[\s>]/.test(lower);
  const headTag = /<head[\s>]/.test(lower);
  const bodyTag = /<body[\s>]/.test(lower);
  let structural = 0;
  for (const _ of head.matchAll(STRUCTURAL_TAG)) structural++;
  let confidence = (doctype ? 0.5 : 0) + (htmlTag ? 0.3 : 0) + (headTag ? 0.1 : 0) + (bodyTag ? 0.1 : 0) + Math.min(0.3, 0.03 * structural);
  // A page fragment (no doctype) that is mostly tags.
  if (confidence < 0.5 && structural >= 20 && text.charCodeAt(Math.max(0, firstNonWs(text))) === 0x3c) confidence = 0.6;
  if (!doctype && !htmlTag && structural < 3) confidence = 0;
  return { confidence: Math.min(1, confidence), structural, doctype, htmlTag };
}

// ---------------------------------------------------------------------------------------------
// Search results

/**
 * `path:line:` (grep -n, rg), optionally with a drive prefix; `path-line-` context lines of grep -C.
 * The path has a letter and a `.` or `/` (so `10.0.0.1:80:` and `host:8080:` are not hits) and is
 * not an ISO date (`2026-03-04T10:00:00` would otherwise read as path `2026-03-04T10`, line 00).
 */
export const SEARCH_LINE = /^(?:[A-Za-z]:[\\/])?(?!\d{4}-\d\d-\d\d)(?=[^\s:]*[A-Za-z_])(?=[^\s:]*[./\\])[^\s:]+:\d+:/;
const SEARCH_CONTEXT_LINE = /^(?:[A-Za-z]:[\\/])?[^\s:]+\.[A-Za-z0-9]+-\d+-/;
/** rg --heading: a bare `12:content` row. */
const HEADING_ROW = /^\d+[:-]/;
const PATH_ONLY = /^(?:[A-Za-z]:[\\/])?[\w.\-~@+]+(?:[\\/][\w.\-~@+ ]+)*\.[A-Za-z0-9]+$/;
/** After `path:line:`, what makes it a compiler/linter diagnostic rather than a search hit. */
const DIAGNOSTIC = /^(?:[A-Za-z]:[\\/])?[^\s:]+:\d+:(?:\d+:)?\s*(?:fatal error|error|warning|note|Error|Warning)\b|\berror TS\d+|:\d+:\d+: [EWFC]\d{3,4}\b/;

interface SearchVerdict {
  readonly confidence: number;
  readonly ratio: number;
  readonly matches: number;
  readonly diagnostics: number;
}

export function scanSearch(lines: ReadonlyArray<string>): SearchVerdict {
  let matches = 0;
  let nonEmpty = 0;
  let diagnostics = 0;
  let inHeading = false;
  const n = Math.min(lines.length, 100);
  for (let i = 0; i < n; i++) {
    const l = lines[i];
    if (l.trim() === '') {
      inHeading = false;
      continue;
    }
    nonEmpty++;
    if (SEARCH_LINE.test(l)) {
      matches++;
      if (DIAGNOSTIC.test(l)) diagnostics++;
    } else if (SEARCH_CONTEXT_LINE.test(l)) matches++;
    else if (inHeading && HEADING_ROW.test(l)) matches++;
    else if (PATH_ONLY.test(l) && i + 1 < n && HEADING_ROW.test(lines[i + 1])) {
      matches++;
      inHeading = true;
    }
  }
  const ratio = nonEmpty === 0 ? 0 : matches / nonEmpty;
  return { confidence: ratio >= 0.3 ? Math.min(1, 0.4 + 0.6 * ratio) : 0, ratio, matches, diagnostics };
}

// ---------------------------------------------------------------------------------------------
// Build and test logs

/** First matching pattern per line; `error: true` ones count as error hits. */
const LOG_PATTERNS: ReadonlyArray<{ re: RegExp; error: boolean }> = [
  { re: /\b(?:ERROR|FATAL|CRITICAL|FAIL|FAILED|FAILURE|PANIC|SEVERE)\b|^(?:error|fatal|panic)(?:\[\w+\])?:|^npm ERR!|^yarn error|^E {2,}\S|^\s*Traceback \(most recent call last\)|^\s*(?:✗|✘|×)\s/, error: true },
  { re: /\b(?:WARN|WARNING)\b|^warning(?:\[\w+\])?:|^npm WARN/, error: true },
  { re: /\b(?:PASSED|SKIPPED|XFAIL|XPASS)\b|^(?:PASS|ok)\s+\S|^\s*(?:✓|✔|√)\s|^test \S+ \.\.\. (?:ok|ignored)|^=== RUN|^--- PASS|^\s*\d+ (?:passing|pending)\b/, error: false },
  { re: /\b(?:INFO|DEBUG|TRACE|NOTICE)\b|^\[(?:info|debug)\]/i, error: false },
  { re: /^\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}|^\[?\d{2}:\d{2}:\d{2}|^[A-Z][a-z]{2} +\d{1,2} \d{2}:\d{2}:\d{2}/, error: false },
  { re: /^\s*(?:={3,}|-{3,}|_{3,}|\*{3,})/, error: false },
  {
    re: /^\s*(?:Compiling|Finished|Running|Downloaded|Downloading|Checking|Building|Installing|Resolving|Fresh|Updating|Locking)\s+\S|^> Task :|^BUILD (?:SUCCESSFUL|SUCCESS|FAILED|FAILURE)|^make(?:\[\d+\])?:|^\s*collected \d+ items?|^(?:Test Suites|Tests|Snapshots|Test Files|Duration|Time):\s|^\s*\d+ (?:passed|failed|errors?)\b|^\s+at [\w$.<>[\]/]+ ?\(|^\s+File ".+", line \d+|^goroutine \d+ \[|^\s*--> \S+:\d+:\d+|^Tests run: \d+/,
    error: false,
  },
];

/** Markers of each log format, counted over the sample; the most hits (≥ 2) names the format. */
const LOG_FORMATS: ReadonlyArray<[string, RegExp]> = [
  ['pytest', /=+ test session starts|^collected \d+ items?|::\w+(?:\[[^\]]*\])? (?:PASSED|FAILED|SKIPPED|ERROR|XFAIL)|(?:PASSED|FAILED|SKIPPED) +\[ *\d+%\]|=+ FAILURES =+|short test summary info|^E {2,}\S|=+ .*\d+ (?:passed|failed).* in [\d.]+s/],
  ['jest', /^\s*(?:PASS|FAIL) \S+\.(?:[jt]sx?|mjs|cjs)\b|^Test Suites:|^Tests:\s+\d|^Snapshots:|^\s*●/],
  ['vitest', /^\s*Test Files\s+\d|^\s*(?:✓|×|❯)\s+\S+\.(?:[jt]sx?|mts|cts)|^\s*RUN\s+v\d|^\s*Duration\s+[\d.]+m?s|^\s*Tests\s+\d+ (?:passed|failed)/],
  ['npm', /^npm (?:ERR!|WARN|notice)|^> \S+@\S+ \S+|^added \d+ packages?|^up to date, audited/],
  ['cargo', /^\s*Compiling \S+ v\d|^error\[E\d+\]|^\s*--> \S+:\d+:\d+|^test result: |^test \S+ \.\.\. |^\s*Finished .*target|^\s*Running (?:unittests|tests\/)/],
  ['go', /^=== RUN|^--- (?:PASS|FAIL|SKIP)|^(?:ok|FAIL)\s+\S+\s+[\d.]+s|^PASS$|^FAIL$|^goroutine \d+ \[|^panic: /],
  ['maven', /^\[(?:INFO|ERROR|WARNING)\] |BUILD SUCCESS|BUILD FAILURE|Tests run: \d+, Failures|^\[INFO\] -+< /],
  ['gradle', /^> Task :|BUILD SUCCESSFUL|BUILD FAILED|FAILURE: Build failed|\d+ actionable tasks?/],
  ['make', /^make(?:\[\d+\])?:|^(?:gcc|g\+\+|cc|clang|clang\+\+) /],
];

interface LogVerdict {
  readonly confidence: number;
  readonly ratio: number;
  readonly errorHits: number;
  readonly format: string;
}

export function logFormat(lines: ReadonlyArray<string>): string {
  let best = 'generic';
  let bestHits = 1;
  for (const [name, re] of LOG_FORMATS) {
    let hits = 0;
    for (const l of lines) if (re.test(l)) hits++;
    if (hits > bestHits) {
      best = name;
      bestHits = hits;
    }
  }
  return best;
}

export function scanLog(lines: ReadonlyArray<string>): LogVerdict {
  let matches = 0;
  let errorHits = 0;
  let nonEmpty = 0;
  const n = Math.min(lines.length, 200);
  for (let i = 0; i < n; i++) {
    const l = lines[i];
    if (l.trim() === '') continue;
    nonEmpty++;
    for (const p of LOG_PATTERNS) {
      if (p.re.test(l)) {
        matches++;
        if (p.error) errorHits++;
        break;
      }
    }
  }
  const ratio = nonEmpty === 0 ? 0 : matches / nonEmpty;
  const confidence = ratio >= 0.1 ? Math.min(1, 0.3 + 0.5 * ratio + 0.05 * errorHits) : 0;
  return { confidence, ratio, errorHits, format: confidence >= 0.5 ? logFormat(lines.slice(0, 200)) : 'generic' };
}

// ---------------------------------------------------------------------------------------------
// Source code

/** Line-start patterns per language; each language counts its own matching lines. Order breaks ties. */
const CODE_PATTERNS: ReadonlyArray<[string, RegExp]> = [
  ['python', /^\s*(?:def \w+\s*\(|async def \w+|class \w+\s*(?:\([^)]*\))?\s*:|import [\w.]+(?:\s+as \w+)?(?:\s*,\s*[\w.]+)*\s*$|from [\w.]+ import |@[\w.]+(?:\(.*\))?\s*$|if __name__ ==|elif .*:\s*$|except(?:\s+[\w.]+(?:\s+as \w+)?)?\s*:|try:\s*$|"""|''')/],
  ['javascript', /^\s*(?:(?:async\s+)?function\s*\*?\s*[\w$]*\s*\(|(?:const|let|var) [\w${}[\], ]+ = |export (?:default |const |let |function |class |async |\{)|import (?:[\w${}*, ]+ from )?['"]|module\.exports|(?:const|let|var) \w+ = require\(|\}\);?\s*$)/],
  ['typescript', /^\s*(?:export\s+)?(?:declare\s+)?(?:interface \w+|type \w+(?:<[^>]*>)?\s*=|(?:const\s+)?enum \w+|namespace \w+|abstract class \w+)|^\s*(?:private|public|protected|readonly) [\w$]+\??: |^\s*import type /],
  ['go', /^\s*(?:package \w+\s*$|func [\w(]|import \(|import "|type \w+ (?:struct|interface)\b|var \w+ [\w*[\]]|const \w+ = |defer |go func|if err != nil)/],
  ['rust', /^\s*(?:(?:pub(?:\([\w:]+\))? )?(?:async )?fn \w+|pub (?:struct|enum|mod|trait|use|const|static|type|crate)\b|use [\w:]+(?:::\{.*\}|::\*)?;|impl\b|struct \w+|enum \w+|mod \w+;|let (?:mut )?\w+(?:: [\w<>&]+)? = |#!?\[|trait \w+|match .+ \{\s*$)/],
  ['java', /^\s*(?:package [\w.]+;|import (?:static )?[\w.]+(?:\.\*)?;|(?:public|private|protected)\s+(?:static\s+)?(?:final\s+)?(?:abstract\s+)?(?:class|interface|enum|record|[\w<>[\],]+\s+\w+\s*\()|@Override\b)/],
  ['c', /^\s*(?:#include\s*[<"]|#define \w+|#if(?:n?def)? |typedef |(?:static |extern |inline )*(?:void|int|char|long|short|unsigned|float|double|size_t|bool|struct \w+)\s*\**\s*\w+\s*\([^;]*\)\s*\{?\s*$)/],
  ['shell', /^(?:#!\/(?:usr\/)?bin\/(?:env )?(?:ba|z)?sh|\s*(?:if \[|fi$|then$|esac$|done$|export \w+=|echo ["$]|set -[euxo]))/],
  ['php', /^\s*(?:<\?php|\$\w+ = |(?:public |private |protected )?function \w+\(|namespace [\w\\]+;|use [\w\\]+;)/],
  ['ruby', /^\s*(?:def \w+[?!]?(?:\(.*\))?\s*$|end\s*$|require ['"]|module [A-Z]\w*|class [A-Z]\w* < |attr_(?:reader|accessor|writer) |puts )/],
];

interface CodeVerdict {
  readonly confidence: number;
  readonly language: string;
  readonly hits: number;
}

export function scanCode(lines: ReadonlyArray<string>): CodeVerdict {
  const n = Math.min(lines.length, 100);
  const hits = new Array<number>(CODE_PATTERNS.length).fill(0);
  let nonEmpty = 0;
  for (let i = 0; i < n; i++) {
    const l = lines[i];
    if (l.trim() === '') continue;
    nonEmpty++;
    for (let k = 0; k < CODE_PATTERNS.length; k++) if (CODE_PATTERNS[k][1].test(l)) hits[k]++;
  }
  let best = 0;
  for (let k = 1; k < hits.length; k++) if (hits[k] > hits[best]) best = k;
  const h = hits[best];
  if (h < 3 || nonEmpty === 0) return { confidence: 0, language: CODE_PATTERNS[best][0], hits: h };
  // C-family keywords also match JS/TS/Java lines; `#include` decides for C/C++.
  let language = CODE_PATTERNS[best][0];
  let hitCount = h;
  // TypeScript is a superset of JavaScript: JS-looking lines plus TS-only syntax is TypeScript.
  const ts = CODE_PATTERNS.findIndex(([name]) => name === 'typescript');
  if (language === 'javascript' && hits[ts] >= 2) {
    language = 'typescript';
    hitCount = Math.max(h, hits[ts]);
  }
  if (language === 'c' && lines.some((l) => /^\s*(?:#include\s*<(?:iostream|vector|string|map|memory)>|using namespace|std::|template\s*<|class \w+\s*[:{])/.test(l))) language = 'cpp';
  return { confidence: Math.min(1, 0.4 + (0.4 * hitCount) / nonEmpty + 0.02 * hitCount), language, hits: hitCount };
}

// ---------------------------------------------------------------------------------------------
// The chain

/** Structure-only verdicts, computed once per text and reused by hint resolution. */
export interface Structure {
  readonly detection: Detection;
  readonly json: JsonVerdict | null;
  readonly diff: DiffVerdict;
  readonly html: HtmlVerdict;
  readonly search: SearchVerdict;
  readonly log: LogVerdict;
  readonly code: CodeVerdict;
  readonly jsonLines: number;
}

const det = (type: ContentType, confidence: number, extra: { language?: string; subtype?: string } = {}): Detection => ({
  type,
  confidence: Math.round(confidence * 1e4) / 1e4,
  ...(extra.language !== undefined ? { language: extra.language } : {}),
  ...(extra.subtype !== undefined ? { subtype: extra.subtype } : {}),
  via: 'structure',
});

/** Structure-only detection (no hints), with every detector's verdict. */
export function analyzeStructure(text: string): Structure {
  const lines = sampleLines(text);
  const json = detectJson(text);
  const diff = scanDiff(lines);
  const html = scanHtml(text);
  const search = scanSearch(lines);
  const log = scanLog(lines);
  const code = scanCode(lines);
  const jsonLines = json ? 0 : detectJsonLines(lines);
  let detection: Detection;
  if (firstNonWs(text) < 0) detection = det('text', 0);
  else if (json) detection = det('json', json.confidence, { subtype: json.subtype });
  else if (jsonLines > 0) detection = det('log', jsonLines, { subtype: 'jsonl' });
  else if (diff.confidence >= 0.7) detection = det('diff', diff.confidence, { subtype: diff.combined ? 'combined' : 'unified' });
  else if (html.confidence >= 0.5) detection = det('html', html.confidence);
  else if (search.confidence >= 0.6) {
    // Compiler/linter diagnostics (`src/a.c:3:5: error: …`) look like search hits but are build output.
    detection = search.diagnostics * 2 >= search.matches ? det('log', Math.max(log.confidence, search.confidence), { subtype: 'compiler' }) : det('search', search.confidence);
  } else if (log.confidence >= 0.5) detection = det('log', log.confidence, { subtype: log.format });
  else if (code.confidence >= 0.5) detection = det('code', code.confidence, { language: code.language });
  else detection = det('text', 0.5);
  return { detection, json, diff, html, search, log, code, jsonLines };
}

/** Fence info strings (```python) → a hint. */
const FENCE_LANGS: Readonly<Record<string, Hint>> = (() => {
  const m: Record<string, Hint> = {};
  const code = (lang: string, ...names: string[]) => names.forEach((n) => (m[n] = { type: 'code', via: 'fence', language: lang }));
  code('python', 'python', 'py', 'python3');
  code('javascript', 'javascript', 'js', 'jsx', 'node', 'mjs');
  code('typescript', 'typescript', 'ts', 'tsx');
  code('go', 'go', 'golang');
  code('rust', 'rust', 'rs');
  code('java', 'java');
  code('kotlin', 'kotlin', 'kt');
  code('c', 'c', 'h');
  code('cpp', 'cpp', 'c++', 'cc', 'hpp');
  code('csharp', 'csharp', 'cs', 'c#');
  code('ruby', 'ruby', 'rb');
  code('php', 'php');
  code('swift', 'swift');
  code('shell', 'bash', 'sh', 'shell', 'zsh', 'fish', 'powershell', 'ps1');
  code('sql', 'sql');
  code('css', 'css', 'scss');
  code('yaml', 'yaml', 'yml');
  code('toml', 'toml');
  code('xml', 'xml');
  code('dockerfile', 'dockerfile');
  m.json = { type: 'json', via: 'fence' };
  m.jsonl = { type: 'log', via: 'fence', subtype: 'jsonl' };
  m.diff = m.patch = { type: 'diff', via: 'fence' };
  m.html = { type: 'html', via: 'fence' };
  m.log = m.console = m.output = m['shell-session'] = { type: 'log', via: 'fence' };
  m.text = m.txt = m.markdown = m.md = m.plaintext = { type: 'text', via: 'fence' };
  return m;
})();

export function hintFromFence(info: string | undefined): Hint | undefined {
  if (!info) return undefined;
  const name = info.trim().split(/[\s{,]/)[0].toLowerCase();
  return Object.prototype.hasOwnProperty.call(FENCE_LANGS, name) ? FENCE_LANGS[name] : undefined;
}

/** Apply one hint to the structural verdict; undefined when the hint does not fit the structure. */
function applyHint(h: Hint, s: Structure): Detection | undefined {
  const d = s.detection;
  const withVia = (type: ContentType, confidence: number, extra: { language?: string; subtype?: string } = {}): Detection => ({
    ...det(type, confidence, extra),
    via: h.via,
  });
  switch (h.type) {
    case 'code':
      // A file of source code is code whatever its lines look like (logging calls, embedded SQL…),
      // unless it parses as a JSON document or is a diff (a tool that printed something else).
      if (d.type === 'json' || d.type === 'diff') return undefined;
      return withVia('code', Math.max(0.8, d.type === 'code' ? d.confidence : 0), { language: h.language ?? (d.type === 'code' ? d.language : undefined) });
    case 'json':
      return d.type === 'json' ? withVia('json', Math.max(d.confidence, 0.9), { subtype: d.subtype }) : undefined;
    case 'diff':
      return s.diff.headers >= 1 ? withVia('diff', Math.max(s.diff.confidence, 0.8), { subtype: s.diff.combined ? 'combined' : 'unified' }) : undefined;
    case 'search':
      if (d.type === 'json' || d.type === 'diff' || d.type === 'html') return undefined;
      if (s.search.ratio >= 0.1 && s.search.diagnostics * 2 < s.search.matches) return withVia('search', Math.max(s.search.confidence, 0.7));
      return undefined;
    case 'log':
      if (d.type === 'json' || d.type === 'diff' || d.type === 'html') return undefined;
      if (d.type === 'log') return withVia('log', Math.max(d.confidence, 0.7), { subtype: h.subtype && h.subtype !== 'generic' && d.subtype === 'generic' ? h.subtype : d.subtype });
      return withVia('log', Math.max(s.log.confidence, 0.6), { subtype: h.subtype ?? (s.search.diagnostics > 0 ? 'compiler' : s.log.format) });
    case 'html':
      if (d.type === 'html') return withVia('html', Math.max(d.confidence, 0.8));
      if (d.type === 'json' || d.type === 'diff') return undefined;
      return s.html.doctype || s.html.htmlTag || s.html.structural >= 3 ? withVia('html', 0.7) : undefined;
    case 'text':
      // A markdown/text file: structure still wins (a .txt holding a log is a log) except code
      // patterns, which prose with examples trips.
      return d.type === 'code' ? withVia('text', 0.6) : undefined;
  }
}

/** All hints for a block, strongest first. */
export function collectHints(hints: DetectHints | undefined): Hint[] {
  if (!hints) return [];
  const out: Hint[] = [];
  const f = hintFromFence(hints.fenceLanguage);
  if (f) out.push(f);
  out.push(...hintsFromTool(hints.toolName, hints.toolArgs));
  return out;
}

/** Detect with a precomputed structure (see analyzeStructure). */
export function detectWithStructure(s: Structure, hints?: DetectHints): Detection {
  if (s.detection.confidence === 0 && s.detection.type === 'text') return s.detection;
  for (const h of collectHints(hints)) {
    const d = applyHint(h, s);
    if (d) return d;
  }
  return s.detection;
}

/** Classify one block of text. Pure, deterministic, linear in the sampled prefix (plus one JSON.parse when bracketed). */
export function detectContent(text: string, hints?: DetectHints): Detection {
  return detectWithStructure(analyzeStructure(text), hints);
}
