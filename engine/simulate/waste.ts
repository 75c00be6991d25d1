/**
 * Waste signals: tokens a conversation spends on things that carry little for the model
 * (spec ALGORITHMS.md §9, with the two signals the reference never computed done properly).
 *
 * Every text the model reads is scanned once — text blocks, tool call arguments, tool result
 * text — and each token of waste is counted under one signal only, so `totalTokens` is their
 * sum without double counting:
 *
 * - base64Tokens: runs of 50+ base64 characters with upper case, lower case and digits (so hex
 *   hashes, words and paths are not blobs), plus the payload of `data:` URIs. Scanned
 *   everywhere; the other signals see the text with these runs removed.
 * - jsonBloatTokens: for a text that is JSON as a whole, tokens(text) − tokens(its most
 *   compact lossless form): minified, with arrays of 5+ objects written as one key list plus
 *   value rows. Pretty-printing and repeated keys are the bloat.
 * - htmlNoiseTokens: for a text that is an HTML document or fragment, tokens(text) −
 *   tokens(its visible text): tags, comments, scripts, styles, entities, layout whitespace.
 * - whitespaceTokens: for other texts, tokens(text) − tokens(text with runs of 4+ spaces/tabs
 *   turned into one space and runs of 3+ line breaks into one blank line).
 * - dynamicDateTokens: dates, times and timestamps inside system prompts. The prompt is resent
 *   on every request, so a date there changes the prefix every day (or every request) and
 *   busts the provider's prompt cache from that point on; `details.dynamicDate` says how many
 *   prompt tokens follow the first one (the part the cache loses).
 * - repetitionTokens: the same content served again: a JSON or HTML text identical to an
 *   earlier one (all its tokens), lines (20+ characters) repeated anywhere in the conversation
 *   (every occurrence after the first), and runs of 3+ lines that differ only in their numbers
 *   (log progress lines: every occurrence after the first, less the numbers' tokens).
 */
import type { Message } from '../messages/types.js';
import type { TokenCounter } from '../tokenizer/types.js';
import { findDynamicSpans } from '../transforms/dynamic-content.js';

export interface WasteDetails {
  readonly base64: { readonly blobs: number };
  readonly jsonBloat: { readonly documents: number };
  readonly htmlNoise: { readonly documents: number };
  readonly dynamicDate: {
    readonly occurrences: number;
    /** Labels found (iso_date, time, …). */
    readonly labels: ReadonlyArray<string>;
    /** Prompt tokens from the first dynamic date on: what a provider prefix cache cannot reuse. */
    readonly prefixTokensAfterFirst: number;
  };
  readonly repetition: {
    /** JSON/HTML texts identical to an earlier one. */
    readonly repeatedDocuments: number;
    /** Line occurrences after the first (exact repeats). */
    readonly repeatedLines: number;
    /** Line occurrences after the first that differ only in numbers. */
    readonly templatedLines: number;
  };
}

export interface WasteSignals {
  readonly jsonBloatTokens: number;
  readonly htmlNoiseTokens: number;
  readonly base64Tokens: number;
  readonly whitespaceTokens: number;
  readonly dynamicDateTokens: number;
  readonly repetitionTokens: number;
  /** Sum of the signals (they never count the same token twice). */
  readonly totalTokens: number;
  readonly details: WasteDetails;
}

export interface WasteOptions {
  /** Extra dynamic-content patterns (the CacheAligner's `dynamicPatterns`). */
  readonly dynamicPatterns?: ReadonlyArray<RegExp>;
}

const DATE_LABELS = new Set(['iso_datetime', 'iso_date', 'slash_date', 'prose_date', 'time', 'unix_timestamp', 'custom']);

const BASE64_RE = /[A-Za-z0-9+/]{50,}={0,2}/g;
const DATA_URI_RE = /data:[a-z]+\/[a-z0-9.+-]+;base64,([A-Za-z0-9+/]+={0,2})/gi;

/** A base64 run worth flagging: mixed case and digits (hex and words are not), not a path. */
export function isBase64Blob(run: string): boolean {
  if (!/[A-Z]/.test(run) || !/[a-z]/.test(run) || !/[0-9]/.test(run)) return false;
  let slashes = 0;
  for (let i = 0; i < run.length; i++) if (run.charCodeAt(i) === 47) slashes++;
  return slashes * 10 <= run.length;
}

const HTML_TAG_RE = /<\/?(?:html|head|body|div|span|p|a|script|style|table|tr|td|th|ul|ol|li|nav|footer|header|section|article|main|aside|meta|link|img|br|h[1-6]|form|input|button|iframe|noscript|svg)\b[^>]*>/gi;

export function looksLikeHtml(text: string): boolean {
  if (/^\s*<!doctype html/i.test(text)) return true;
  let n = 0;
  HTML_TAG_RE.lastIndex = 0;
  while (HTML_TAG_RE.exec(text) !== null) if (++n >= 5) return true;
  return false;
}

const ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'" };

/** What a reader of the page sees: no scripts, styles, comments or tags; entities decoded; whitespace collapsed. */
export function visibleHtmlText(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(script|style|noscript|template)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<\/?(?:p|div|br|li|tr|h[1-6]|section|article|header|footer|ul|ol|table)\b[^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(nbsp|amp|lt|gt|quot|apos|#39);/g, (_, e: string) => ENTITIES[e] ?? ' ')
    .replace(/[ \t\f\v\r]+/g, ' ')
    .replace(/ *\n[ \n]*/g, '\n')
    .trim();
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Lossless compact form: arrays of 5+ objects become { $cols, $rows } (keys written once). */
export function compactJson(v: unknown, depth = 0): unknown {
  if (depth > 32) return v;
  if (Array.isArray(v)) {
    if (v.length >= 5 && v.every(isPlainObject)) {
      const cols: string[] = [];
      const seen = new Set<string>();
      for (const o of v) for (const k of Object.keys(o)) if (!seen.has(k)) (seen.add(k), cols.push(k));
      return { $cols: cols, $rows: v.map((o) => cols.map((k) => (k in o ? compactJson(o[k], depth + 1) : null))) };
    }
    return v.map((x) => compactJson(x, depth + 1));
  }
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = compactJson(x, depth + 1);
    return out;
  }
  return v;
}

function parseJsonDocument(text: string): unknown {
  const t = text.trim();
  if (t.length < 2 || !((t[0] === '{' && t[t.length - 1] === '}') || (t[0] === '[' && t[t.length - 1] === ']'))) return undefined;
  try {
    return JSON.parse(t);
  } catch {
    return undefined;
  }
}

/** Texts the model reads in one message, with whether they sit in a system prompt. */
function texts(m: Message): string[] {
  const out: string[] = [];
  for (const b of m.blocks) {
    if (b.type === 'text') out.push(b.text);
    else if (b.type === 'tool_call') out.push(b.arguments);
    else if (b.type === 'tool_result') for (const c of b.content) if (c.type === 'text') out.push(c.text);
  }
  return out;
}

const NUMBER_RE = /\d+(?:[.,:]\d+)*/g;
const MIN_LINE_CHARS = 20;

export function detectWaste(messages: ReadonlyArray<Message>, counter: TokenCounter, options: WasteOptions = {}): WasteSignals {
  const memo = new Map<string, number>();
  const count = (s: string): number => {
    if (s === '') return 0;
    let n = memo.get(s);
    if (n === undefined) {
      n = counter.countText(s);
      memo.set(s, n);
    }
    return n;
  };

  let base64 = 0;
  let blobs = 0;
  let jsonBloat = 0;
  let jsonDocs = 0;
  let htmlNoise = 0;
  let htmlDocs = 0;
  let whitespace = 0;
  let dynamicDate = 0;
  let dateOccurrences = 0;
  const dateLabels = new Set<string>();
  let prefixAfterFirstDate = 0;
  let dateSeen = false;
  let repetition = 0;
  let repeatedDocuments = 0;
  let repeatedLines = 0;
  let templatedLines = 0;
  const documents = new Set<string>();
  const lineSeen = new Set<string>();
  const templateSeen = new Map<string, number>();
  const templateLines: Array<{ template: string; line: string }> = [];

  for (const m of messages) {
    const isSystem = m.role === 'system';
    for (const raw of texts(m)) {
      if (raw === '') continue;
      // Prompt tokens after the first dynamic date of a system prompt.
      if (dateSeen) prefixAfterFirstDate += count(raw);

      // base64 first; everything else sees the text without the blobs.
      let text = raw;
      if (raw.length >= 50) {
        const runs: string[] = [];
        for (const mm of raw.matchAll(DATA_URI_RE)) if (mm[1].length >= 20) runs.push(mm[1]);
        for (const mm of raw.matchAll(BASE64_RE)) if (isBase64Blob(mm[0])) runs.push(mm[0]);
        if (runs.length > 0) {
          const unique = [...new Set(runs)];
          for (const r of runs) base64 += count(r);
          blobs += runs.length;
          for (const r of unique) text = text.split(r).join(' ');
        }
      }

      if (isSystem) {
        const spans = findDynamicSpans(text, options.dynamicPatterns ?? []).filter((s) => DATE_LABELS.has(s.label));
        if (spans.length > 0) {
          for (const s of spans) {
            dynamicDate += count(text.slice(s.start, s.end));
            dateLabels.add(s.label);
          }
          dateOccurrences += spans.length;
          if (!dateSeen) {
            dateSeen = true;
            prefixAfterFirstDate += count(text.slice(spans[0].start));
          }
        }
      }

      const json = parseJsonDocument(text);
      if (json !== undefined || looksLikeHtml(text)) {
        const key = text.trim();
        if (key.length >= 200 && documents.has(key)) {
          repetition += count(text);
          repeatedDocuments++;
          continue;
        }
        documents.add(key);
        if (json !== undefined) {
          const full = count(text);
          const best = Math.min(count(JSON.stringify(json)), count(JSON.stringify(compactJson(json))));
          if (full > best) {
            jsonBloat += full - best;
            jsonDocs++;
          }
        } else {
          const noise = count(text) - count(visibleHtmlText(text));
          if (noise > 0) {
            htmlNoise += noise;
            htmlDocs++;
          }
        }
        continue;
      }

      if (/[ \t]{4,}|(?:\n[ \t]*){3,}/.test(text)) {
        const squeezed = text.replace(/(?:[ \t]*\n){2,}[ \t]*\n/g, '\n\n').replace(/[ \t]{4,}/g, ' ');
        const saved = count(text) - count(squeezed);
        if (saved > 0) whitespace += saved;
      }

      for (const line of text.split(/\r\n|\n|\r/)) {
        const norm = line.trim().replace(/\s+/g, ' ');
        if (norm.length < MIN_LINE_CHARS || !/[A-Za-z0-9]/.test(norm)) continue;
        if (lineSeen.has(norm)) {
          repetition += count(norm);
          repeatedLines++;
          continue;
        }
        lineSeen.add(norm);
        if (/\d/.test(norm)) {
          const template = norm.replace(NUMBER_RE, '#');
          templateSeen.set(template, (templateSeen.get(template) ?? 0) + 1);
          templateLines.push({ template, line: norm });
        }
      }
    }
  }

  // Lines that differ only in their numbers: 3+ of one template; the first one is kept.
  const firstOf = new Set<string>();
  for (const { template, line } of templateLines) {
    if ((templateSeen.get(template) ?? 0) < 3) continue;
    if (!firstOf.has(template)) {
      firstOf.add(template);
      continue;
    }
    const numbers = line.match(NUMBER_RE)?.join(' ') ?? '';
    const waste = count(line) - count(numbers);
    if (waste > 0) {
      repetition += waste;
      templatedLines++;
    }
  }

  const total = jsonBloat + htmlNoise + base64 + whitespace + dynamicDate + repetition;
  return {
    jsonBloatTokens: jsonBloat,
    htmlNoiseTokens: htmlNoise,
    base64Tokens: base64,
    whitespaceTokens: whitespace,
    dynamicDateTokens: dynamicDate,
    repetitionTokens: repetition,
    totalTokens: total,
    details: {
      base64: { blobs },
      jsonBloat: { documents: jsonDocs },
      htmlNoise: { documents: htmlDocs },
      dynamicDate: { occurrences: dateOccurrences, labels: [...dateLabels].sort(), prefixTokensAfterFirst: prefixAfterFirstDate },
      repetition: { repeatedDocuments, repeatedLines, templatedLines },
    },
  };
}
