/**
 * JSON.parse behind a nesting guard. V8 parses a 5 MB `[[[[…]]]]` in seconds (measured: 3.7 s
 * for 2.5 M levels), so detection first scans bracket depth (linear, strings skipped) and refuses
 * documents nested deeper than MAX_NESTING without parsing them. SmartCrusher refuses anything
 * deeper than 64 levels anyway.
 */

export const MAX_NESTING = 256;

/** Deepest bracket nesting in text[from, to), outside strings; stops counting past `limit`. */
export function nestingDepth(text: string, from = 0, to = text.length, limit = MAX_NESTING): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

export type GuardedParse = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly tooDeep: boolean };

/** Parse text[from, to) as JSON unless it is nested deeper than MAX_NESTING. Never throws. */
export function guardedJsonParse(text: string, from = 0, to = text.length): GuardedParse {
  if (nestingDepth(text, from, to) > MAX_NESTING) return { ok: false, tooDeep: true };
  try {
    return { ok: true, value: JSON.parse(from === 0 && to === text.length ? text : text.slice(from, to)) };
  } catch {
    return { ok: false, tooDeep: false };
  }
}
