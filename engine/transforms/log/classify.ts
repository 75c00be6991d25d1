/**
 * Line classification for build and test logs (pytest, jest/vitest, mocha, npm, cargo, go test,
 * maven/gradle, make/gcc/tsc, generic leveled or timestamped logs).
 *
 * Every pattern is anchored or a plain alternation (no nested quantifiers), and runs on at most
 * the first CLASSIFY_CHARS characters of a line, so a 5 MB line costs no more than a short one.
 * Order matters: summaries and banners first (they are kept anyway), then explicit failure
 * markers, then the line's own log level, then pass markers, then free-text keywords.
 */
import { head, indentOf, isBlank } from './lines.js';

export type LineKind = 'blank' | 'error' | 'fail' | 'warn' | 'summary' | 'header' | 'pass' | 'progress' | 'info' | 'debug' | 'other';

/** Characters of a line the classifier looks at. */
export const CLASSIFY_CHARS = 1000;

// Maven/surefire per-class result: "Tests run: 3, Failures: 0, ... Time elapsed: 0.1 s - in com.x.FooTest".
const MAVEN_CLASS = /Tests run: \d+.*Time elapsed/;
const MAVEN_CLASS_BAD = /Failures: [1-9]|Errors: [1-9]|<<< (?:FAILURE|ERROR)/;

const SUMMARY: readonly RegExp[] = [
  /\b\d+ (?:passed|failed|failing|passing|pending|skipped|xfailed|xpassed|deselected|errors?|warnings?|problems?|total|tests? (?:passed|failed|completed|run)|suites?|snapshots?)\b/i,
  /^\s*(?:(?:Tests?|Test Suites|Test Files|Snapshots|Time|Duration|Start at|Tests run|Results)(?:\s*:|\s{2,})|Ran all test suites)/,
  /\b(?:BUILD (?:SUCCESS(?:FUL)?|FAILED|FAILURE)|Total time:|test result:|Done in \d|compiled (?:successfully|with \d)|Build (?:succeeded|failed|completed?)|Compilation (?:succeeded|failed|completed?)|Finished `|Finished \w+ \[|collected \d+ items?|found \d+ vulnerabilit|audited \d+ packages?|added \d+ packages?|\d+ actionable tasks?|Ran \d+ tests?)/,
];

const TRACE_START = /^\s*Traceback \(most recent call last\)|^panic: |^goroutine \d+ \[|^Exception in thread |^\s*Caused by: |^thread '[^']*' panicked at|^fatal error: |^Segmentation fault|^Uncaught /;

const FAIL = /\b(?:FAILED|FAILURE|FAIL|Failed|FAILING|failed|failing)\b|<<< FAILURE!|FAILURES!|^\s*(?:[×✕✗✘]|●)\s+\S|^--- FAIL/;
const PYTEST_PROGRESS = /^\S+ [.sxXFE]+\s*(?:\[\s*\d+%\])?$/;

const LEVEL = /\b(ERROR|ERR|FATAL|CRITICAL|SEVERE|PANIC|EMERG|ALERT|WARN|WARNING|INFO|NOTICE|DEBUG|TRACE|VERBOSE|FINE|FINER|FINEST)\b/;
const LEVEL_CHARS = 120;
const TYPED_ERROR = /\b[A-Z]\w*(?:Error|Exception)\b/;

const ERROR_PREFIX = /^\s*(?:error|Error|fatal|Fatal)(?:\[[\w-]+\])?:|: (?:fatal )?error(?:\[[\w-]+\]| [A-Z]+\d+)?:|^E {2,}\S|^\s*error (?:TS|CS)\d+/;
const WARN_PREFIX = /^\s*(?:warning|Warning)(?:\[[\w-]+\])?:|: warning(?:\[[\w-]+\]| [A-Z]+\d+)?:/;

const PASS = /\bPASSED\b|\bPASS\b|^\s*[✓✔√]\s|\.\.\. ok$|^ok\s|--- PASS|^\s*OK$|\bpassed\b|\bSUCCESS\b/;

const ERROR_WORDS = /\b(?:error|Error|ERROR|errors|exception|Exception|fatal|Fatal|FATAL|critical|CRITICAL|crash(?:ed)?|panic(?:ked)?|abort(?:ed)?|Abort(?:ed)?|timed out|timeout|Timeout|denied|refused|rejected|segfault|Segmentation fault|unhandled|Unhandled|traceback|Traceback)\b/;
const WARN_WORDS = /\b(?:warn|Warn|WARN|warning|Warning|WARNING|warnings|deprecated|Deprecated|DEPRECATED|DeprecationWarning)\b/;

const PROGRESS = /^\s*(?:Compiling|Downloading|Downloaded|Fetching|Fetched|Installing|Installed|Building|Built|Running|Resolving|Resolved|Checking|Updating|Updated|Unpacking|Collecting|Processing|Generating|Linking|Bundling|Transforming|Preparing|Executing|Copying|Creating|Starting|Started|Loading|Loaded|Waiting|Pulling|Pushing|Extracting|Verifying|Using|Requirement already)\b|^> Task |^=== (?:RUN|PAUSE|CONT|NAME)|^\[INFO\] Download|^\s*\d{1,3}(?:\.\d+)?%|\d{1,3}%\s*\||\[[#=>.\- ]{5,}\]|^npm (?:http|timing|sill|verb)\b|^\s*[⠁-⣿]/;

const RULE_CHARS = '=-_*#~⎯─━═';
const LEVEL_PREFIX = /^\[(?:INFO|WARNING|WARN|ERROR|DEBUG)\]\s*/;

/** A banner: starts and ends with 3+ of one rule character and has a letter or digit inside. */
export function isBanner(line: string): boolean {
  const c0 = line.charCodeAt(indentOf(line));
  if (c0 !== 91 /* [ */ && !RULE_CHARS.includes(String.fromCharCode(c0))) return false;
  let t = line.trim();
  if (t.charCodeAt(0) === 91 /* [ */) t = t.replace(LEVEL_PREFIX, '');
  const n = t.length;
  if (n < 7) return false;
  const c = t[0];
  if (!RULE_CHARS.includes(c) || t[1] !== c || t[2] !== c) return false;
  const e = t[n - 1];
  if (!RULE_CHARS.includes(e) || t[n - 2] !== e || t[n - 3] !== e) return false;
  return /[A-Za-z0-9<>]/.test(t);
}

/** A line that is only a rule (`-----`, `=====`), possibly after a maven level prefix. */
export function isRule(line: string): boolean {
  const t = line.trim().replace(LEVEL_PREFIX, '');
  if (t.length < 3) return false;
  const c = t[0];
  if (!RULE_CHARS.includes(c)) return false;
  for (let i = 1; i < t.length; i++) if (t[i] !== c) return false;
  return true;
}

/**
 * Every word the full classifier below reacts to, as one case-insensitive scan. A line without
 * any of them can only be blank, a banner, pytest dot progress, an info/debug line, progress or
 * other, and takes the short path (most routine lines do). test/compressors/log-classify.test.ts
 * checks both paths agree.
 */
const ALARM =
  /err|fail|warn|fatal|crit|sever|panic|emerg|alert|exception|crash|abort|timed out|timeout|denied|refus|reject|segfault|segmentation|unhandled|uncaught|traceback|goroutine|caused by|pass|\bok\b|succe|complet|finish|done in|collected|vulnerab|audited|added \d|actionable|ran |tests|test run|test:|test  |test result|test files|suite|snapshot|time|duration|start at|result|total|skipped|pending|xfail|xpass|deselected|problem|deprecat|build|compilation|compiled|^e {2}|[×✕✗✘●✓✔√]/i;

/**
 * The commonest routine lines of test runners and builds, in their exact shapes (anchored at
 * both ends, no free text that could carry a failure word): decided before anything else, by
 * both classifiers, so a passing test named `test_error_path` stays a pass.
 */
const STRICT: ReadonlyArray<readonly [RegExp, LineKind]> = [
  [/^\s*Compiling [\w.-]+ v\d[\w.+-]*(?: \([^()]*\))?$/, 'progress'],
  [/^\S+::\S+ PASSED(?: +\[ *\d+%\])?$/, 'pass'],
  [/^=== (?:RUN|PAUSE|CONT|NAME) +\S+$/, 'progress'],
  [/^ *--- PASS: \S+ \(\d+(?:\.\d+)?s\)$/, 'pass'],
  [/^test \S+ \.\.\. ok$/, 'pass'],
  [/^> Task :[\w:.-]+(?: (?:UP-TO-DATE|NO-SOURCE|FROM-CACHE|SKIPPED))?$/, 'progress'],
  [/^\[INFO\] Download(?:ing|ed) from [\w.-]+: \S+(?: \([^()]*\))?$/, 'progress'],
  [/^npm http fetch [A-Z]+ [23]\d\d \S+ \d+ms(?: \([^()]*\))?$/, 'progress'],
  [/^PASS \S+(?: \(\d+(?:\.\d+)? ?m?s\))?$/, 'pass'],
];

function strictKind(h: string): LineKind | null {
  for (const [re, k] of STRICT) if (re.test(h)) return k;
  return null;
}

/** What a log line is. */
export function classifyLine(line: string): LineKind {
  if (isBlank(line)) return 'blank';
  const h = head(line, CLASSIFY_CHARS);
  const k = strictKind(h);
  if (k !== null) return k;
  return ALARM.test(h) ? classifyFull(h) : classifyQuiet(h);
}

/** The short path for a line without alarm words. */
function classifyQuiet(h: string): LineKind {
  if (isBanner(h)) return 'header';
  if (PYTEST_PROGRESS.test(h)) return /[FE]/.test(h.slice(h.indexOf(' '))) ? 'fail' : 'pass';
  const lv = LEVEL.exec(head(h, LEVEL_CHARS));
  if (lv) return levelKind(h, lv, false);
  return PROGRESS.test(h) ? 'progress' : 'other';
}

/** Index after the level token and what may follow it (`] `, `: `, ` - `). */
function afterLevel(h: string, lv: RegExpExecArray): number {
  let i = lv.index + lv[1].length;
  while (i < h.length) {
    const c = h.charCodeAt(i);
    if (c !== 93 && c !== 58 && c !== 41 && c !== 62 && c !== 124 && c !== 32 && c !== 9 && c !== 45) break;
    i++;
  }
  return i;
}

/** The kind a level token gives; `typed` = the line may hold an `…Error`/`…Exception` name (not on the quiet path, where ALARM ruled it out). */
function levelKind(h: string, lv: RegExpExecArray, typed = true): LineKind {
  switch (lv[1]) {
    case 'ERROR':
    case 'ERR':
    case 'FATAL':
    case 'CRITICAL':
    case 'SEVERE':
    case 'PANIC':
    case 'EMERG':
    case 'ALERT':
      return 'error';
    case 'WARN':
    case 'WARNING':
      return 'warn';
    case 'INFO':
    case 'NOTICE':
      if (typed && TYPED_ERROR.test(h)) return 'error';
      return PROGRESS.test(h.slice(afterLevel(h, lv))) ? 'progress' : 'info';
    default:
      return typed && TYPED_ERROR.test(h) ? 'error' : 'debug';
  }
}

/** The full classifier (exported for the test that checks the short path against it). */
export function classifyFull(line: string): LineKind {
  if (isBlank(line)) return 'blank';
  const h = head(line, CLASSIFY_CHARS);
  const k = strictKind(h);
  if (k !== null) return k;
  if (MAVEN_CLASS.test(h)) return MAVEN_CLASS_BAD.test(h) ? 'fail' : 'pass';
  if (isBanner(h)) return SUMMARY[0].test(h) ? 'summary' : 'header';
  for (const re of SUMMARY) if (re.test(h)) return 'summary';
  if (TRACE_START.test(h)) return 'error';
  if (FAIL.test(h)) return 'fail';
  if (PYTEST_PROGRESS.test(h)) return /[FE]/.test(h.slice(h.indexOf(' '))) ? 'fail' : 'pass';
  const lv = LEVEL.exec(head(h, LEVEL_CHARS));
  if (lv) return levelKind(h, lv);
  if (ERROR_PREFIX.test(h)) return 'error';
  if (WARN_PREFIX.test(h)) return 'warn';
  if (PASS.test(h)) return 'pass';
  if (ERROR_WORDS.test(h) || TYPED_ERROR.test(h)) return 'error';
  if (WARN_WORDS.test(h)) return 'warn';
  if (PROGRESS.test(h)) return 'progress';
  return 'other';
}

/** Lines that open a stack trace or panic (their block is kept whole, within limits). */
export function isTraceStart(line: string): boolean {
  return TRACE_START.test(head(line, CLASSIFY_CHARS));
}

const TRACE_LINE = /^\s+at\s|^\s*at [\w$.<[]|^\s*Caused by:|^\s*\.\.\. \d+ (?:more|common frames)|^\s+File "|^\s*-->|^\s*\d*\s*\|(?:\s|$)|^\s*= (?:note|help):|^\s*(?:note|help):|^goroutine \d+|^created by |^\s*[\w.\/$-]+\.go:\d+|^\s*[\w$.]+(?:Error|Exception|Warning|Exit|Interrupt)\b|^\[signal |^\s*\^+|^[\w.\/*()[\]-]+\([^()]*\)$|^During handling of the above exception|^The above exception was the direct cause/;

/** A line that continues a stack trace whatever its indentation. */
export function isTraceLine(line: string): boolean {
  return TRACE_LINE.test(head(line, 300));
}
