/**
 * Patterns for content that changes between requests (dates, times, ids), used by the
 * CacheAligner to find what must leave the stable prefix of a system prompt.
 * Every pattern is global; matches are merged into non-overlapping spans.
 */

const MONTH = '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)';
const WEEKDAY = '(?:Mon|Tue(?:s)?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?';

export interface DynamicPattern {
  readonly label: string;
  readonly re: RegExp;
}

export const BUILTIN_DYNAMIC_PATTERNS: ReadonlyArray<DynamicPattern> = [
  { label: 'iso_datetime', re: /\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?\b/g },
  { label: 'iso_date', re: /\b\d{4}-\d{2}-\d{2}\b/g },
  { label: 'slash_date', re: /\b\d{1,2}\/\d{1,2}\/\d{2,4}\b/g },
  {
    label: 'prose_date',
    re: new RegExp(`\\b(?:${WEEKDAY},?\\s+)?(?:${MONTH}\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}|\\d{1,2}(?:st|nd|rd|th)?\\s+${MONTH}\\.?,?\\s+\\d{4})\\b`, 'g'),
  },
  { label: 'time', re: /\b\d{1,2}:\d{2}:\d{2}(?:\.\d+)?(?:\s?(?:AM|PM|am|pm))?(?:\s?(?:UTC|GMT|[A-Z]{2,4}T))?\b|\b\d{1,2}:\d{2}\s?(?:AM|PM|am|pm)\b/g },
  { label: 'uuid', re: /\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g },
  { label: 'unix_timestamp', re: /\b1[5-9]\d{8}(?:\d{3})?\b/g },
  {
    label: 'labelled_id',
    // The value must contain a digit, so prose like "the session id is required" is left alone.
    re: /\b(?:request|req|session|sess|trace|span|conversation|conv|run|thread|correlation)[ _-]?id\b\s*[:=#]?\s*[A-Za-z0-9_.-]*\d[A-Za-z0-9_.-]*/gi,
  },
  { label: 'prefixed_id', re: /\b(?:req|sess|run|thread|msg|call|chatcmpl|resp|trace)_[A-Za-z0-9]{8,}\b/g },
];

export interface Span {
  readonly start: number;
  readonly end: number;
  readonly label: string;
}

/** Non-overlapping dynamic spans of `text`, sorted by start (longest wins on overlap). */
export function findDynamicSpans(text: string, extra: ReadonlyArray<RegExp> = []): Span[] {
  const raw: Span[] = [];
  const scan = (re: RegExp, label: string) => {
    // exec on the pattern itself: matchAll would clone the RegExp on every call.
    const g = re.global ? re : new RegExp(re.source, re.flags + 'g');
    g.lastIndex = 0;
    for (let m = g.exec(text); m !== null; m = g.exec(text)) {
      if (m[0].length === 0) {
        g.lastIndex++;
        continue;
      }
      raw.push({ start: m.index, end: m.index + m[0].length, label });
    }
    g.lastIndex = 0;
  };
  for (const p of BUILTIN_DYNAMIC_PATTERNS) scan(p.re, p.label);
  for (const re of extra) scan(re, 'custom');
  raw.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Span[] = [];
  for (const s of raw) {
    const last = out[out.length - 1];
    if (last && s.start < last.end) {
      if (s.end > last.end) out[out.length - 1] = { start: last.start, end: s.end, label: last.label };
      continue;
    }
    out.push(s);
  }
  return out;
}
