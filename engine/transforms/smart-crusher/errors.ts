/**
 * Error detection. Items reporting an error are never dropped, so this errs toward keeping,
 * but it checks *values*, not raw text: `"error_count": 0`, `"errors": []`, `"timeout_ms": 30`
 * and `"last_error": null` are not errors (the reference's substring scan flags them, spec
 * ALGORITHMS.md §1.9.1 ⚠), while `"status": 503`, `"level": "FATAL"`, `"success": false`,
 * `"error": "connection refused"`, `"exit_code": 2` and a message saying
 * `NullPointerException` are.
 */
import type { JNode } from './parse.js';

/**
 * Error words, matched case-insensitively with letter boundaries (so `ERR_CONNECTION_REFUSED`
 * and `disk_failure` match, `terror` and `errorless`… do not), skipping "no errors",
 * "0 failures", "without error".
 */
const ERROR_WORDS = new RegExp(
  String.raw`(?<![a-z])(?<!\b(?:no|0|zero|without|non) )(?:errors?|errored|exceptions?|fail(?:s|ed|ing|ures?)?|fatal|critical|crash(?:ed|es|ing)?|panic(?:ked|s)?|abort(?:ed|s|ing)?|time[ -]?outs?|timed[ _-]?out|denied|rejected|refused|unauthori[sz]ed|forbidden|traceback|segfault|segmentation fault|out of memory|oom(?:killed)?|econnrefused|econnreset|etimedout|enotfound|stack ?trace)(?![a-z])`,
  'i',
);
/** CamelCase error types: TimeoutError, NullPointerException, AssertionFailure. */
const CAMEL_ERROR = /[a-z0-9](?:Error|Exception|Failure|Fault|Timeout)(?![a-z])/;

/** Cheap pre-filter on an item's whole text before walking its values (most items fail it). */
const QUICK = /err|exce|fail|fatal|crit|crash|panic|abort|timeout|time out|timed|denied|reject|refus|unauth|forbid|traceback|stack ?trace|segfault|segmentation|out of memory|oom|econn|enotfound|fault/i;

/** Status/level values that mean failure when they are the whole value of a status-like field. */
const ERROR_STATES = new Set([
  'error', 'err', 'errored', 'failed', 'failure', 'fail', 'failing', 'fatal', 'critical', 'crit', 'alert', 'emerg',
  'emergency', 'severe', 'panic', 'crashed', 'crash', 'aborted', 'abort', 'timeout', 'timed_out', 'timedout', 'denied',
  'rejected', 'refused', 'unhealthy', 'down', 'dead', 'killed', 'oomkilled', 'exception', 'broken', 'unavailable',
]);

/** True when free text reports an error. */
export function isErrorText(s: string): boolean {
  if (s.length === 0 || !QUICK.test(s)) return false;
  return ERROR_WORDS.test(s) || CAMEL_ERROR.test(s);
}

/** Quick check: false when the text certainly holds no error word (used to skip walks). */
export function mayHoldErrorWords(s: string): boolean {
  return QUICK.test(s);
}

const QUICK_ALL = new RegExp(QUICK.source, 'gi');

/**
 * Which of the spans [starts[i], ends[i]) of `text` (sorted, disjoint) may hold an error word:
 * one regex pass over the whole range instead of one per item.
 */
export function spansWithErrorWords(text: string, starts: ArrayLike<number>, ends: ArrayLike<number>): Uint8Array {
  const n = starts.length;
  const out = new Uint8Array(n);
  if (n === 0) return out;
  QUICK_ALL.lastIndex = starts[0];
  const stop = ends[n - 1];
  let lo = 0;
  for (let m = QUICK_ALL.exec(text); m !== null && m.index < stop; m = QUICK_ALL.exec(text)) {
    const at = m.index;
    while (lo < n && ends[lo] <= at) lo++;
    if (lo < n && starts[lo] <= at) out[lo] = 1;
    // A span may hold several hits: jump to the next span.
    if (lo < n) QUICK_ALL.lastIndex = Math.max(QUICK_ALL.lastIndex, ends[lo]);
  }
  return out;
}

type KeyRole = 'status_code' | 'exit_code' | 'success_flag' | 'error_flag' | 'error_field' | 'state' | 'none';

const roleCache = new Map<string, KeyRole>();

function normKey(k: string): string {
  return k.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** What a key name says about its value. Cached: keys repeat across items. */
export function keyRole(key: string): KeyRole {
  let r = roleCache.get(key);
  if (r !== undefined) return r;
  const k = normKey(key);
  if (['status', 'statuscode', 'httpstatus', 'httpstatuscode', 'responsecode', 'responsestatus', 'httpcode', 'code'].includes(k)) r = 'status_code';
  else if (['exitcode', 'returncode', 'exitstatus', 'rc'].includes(k)) r = 'exit_code';
  else if (['success', 'succeeded', 'successful', 'ok', 'passed', 'healthy'].includes(k)) r = 'success_flag';
  else if (['iserror', 'haserror', 'haserrors', 'failed', 'isfailed', 'errored', 'fatal'].includes(k)) r = 'error_flag';
  else if (/(error|exception|traceback|stacktrace|failure|fault)/.test(k) && !/(count|rate|ratio|total|num|pct|percent|threshold|budget|limit|max|min|avg|mean|ms|seconds|retries)$/.test(k)) r = 'error_field';
  else if (/(^|_)(level|severity|loglevel|state|result|outcome|health|conclusion|verdict)$/.test(key.toLowerCase()) || ['level', 'severity', 'loglevel', 'state', 'result', 'outcome', 'health', 'conclusion'].includes(k)) r = 'state';
  else r = 'none';
  if (roleCache.size > 10_000) roleCache.clear();
  roleCache.set(key, r);
  return r;
}

const EMPTY_ERROR_VALUES = new Set(['', 'none', 'null', 'nil', 'n/a', 'na', '0', 'false', 'ok', 'no', '-', 'success', 'null']);

/** Does the value under a key with this role report an error? undefined = the role says nothing. */
function roleSays(role: KeyRole, v: JNode): boolean | undefined {
  switch (role) {
    case 'status_code':
      if (v.kind === 'number') return Number.isInteger(v.value) && v.value >= 400 && v.value <= 599;
      if (v.kind === 'string') {
        if (/^[45]\d\d$/.test(v.value.trim())) return true;
        return ERROR_STATES.has(v.value.trim().toLowerCase()) || undefined;
      }
      return undefined;
    case 'exit_code':
      return v.kind === 'number' ? v.value !== 0 : undefined;
    case 'success_flag':
      return v.kind === 'bool' ? !v.value : undefined;
    case 'error_flag':
      return v.kind === 'bool' ? v.value : undefined;
    case 'error_field':
      switch (v.kind) {
        case 'bool':
          return v.value;
        case 'string':
          return !EMPTY_ERROR_VALUES.has(v.value.trim().toLowerCase());
        case 'object':
          return v.keys.length > 0;
        case 'array':
          return v.items.length > 0;
        case 'number':
          return undefined;
        default:
          return false;
      }
    case 'state':
      return v.kind === 'string' && ERROR_STATES.has(v.value.trim().toLowerCase()) ? true : undefined;
    default:
      return undefined;
  }
}

/**
 * True when an item (any JSON value) reports an error anywhere inside it. `itemText` is its
 * minified source (for the quick pre-filter), or a boolean when the caller already knows whether
 * it may hold an error word. `skipTextOf`: top-level keys whose free text is
 * topical rather than diagnostic (see analyze.ts) — keyword hits there do not count.
 */
export function itemHasError(node: JNode, itemText: string | boolean, skipTextOf?: ReadonlySet<string>): boolean {
  if (node.kind === 'string') return isErrorText(node.value);
  if (node.kind !== 'object' && node.kind !== 'array') return false;
  const words = itemText !== false && (itemText === true || QUICK.test(itemText));
  const stack: JNode[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    const top = n === node;
    if (n.kind === 'object') {
      for (let i = 0; i < n.keys.length; i++) {
        const v = n.values[i];
        const role = keyRole(n.keys[i]);
        if (role !== 'none') {
          const says = roleSays(role, v);
          if (says === true) return true;
        }
        if (v.kind === 'string') {
          if (words && !(top && skipTextOf?.has(n.keys[i])) && isErrorText(v.value)) return true;
        } else if (v.kind === 'object' || v.kind === 'array') stack.push(v);
      }
    } else if (n.kind === 'array') {
      for (const v of n.items) {
        if (v.kind === 'string') {
          if (words && isErrorText(v.value)) return true;
        } else if (v.kind === 'object' || v.kind === 'array') stack.push(v);
      }
    }
  }
  return false;
}
