/**
 * Template keys: a line with its variable parts (numbers, ids, hashes, timestamps) blanked, so
 * lines that differ only there compare equal. One linear pass over at most KEY_CHARS
 * characters; no regex.
 *
 * - `templateKey` (aggressive): every word that contains a digit becomes '#'. Used to collapse
 *   runs of routine lines and to deduplicate warnings.
 * - `repeatKey` (conservative): only words that are mostly digits (numbers, timestamps, sizes,
 *   durations) or hex ids of 6+ characters become '#'; `test_mod_25` stays itself. Used to spot
 *   an error or failure repeated verbatim but for its numbers.
 */

const KEY_CHARS = 240;

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function key(line: string, conservative: boolean): string {
  const n = Math.min(line.length, KEY_CHARS);
  let out = '';
  let i = 0;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (!isWordChar(c)) {
      // collapse whitespace runs so alignment padding does not split templates
      if (c === 32 || c === 9) {
        while (i < n && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
        out += ' ';
        continue;
      }
      out += line[i];
      i++;
      continue;
    }
    const start = i;
    let digits = 0;
    let letters = 0;
    let hex = true;
    while (i < n) {
      const d = line.charCodeAt(i);
      if (!isWordChar(d)) break;
      if (d >= 48 && d <= 57) digits++;
      else {
        letters++;
        if (!((d >= 97 && d <= 102) || (d >= 65 && d <= 70))) hex = false;
      }
      i++;
    }
    const len = i - start;
    const variable = conservative
      ? digits > 0 && (digits >= letters || (hex && len >= 6) || (len > 2 && line.charCodeAt(start) === 48 && (line.charCodeAt(start + 1) | 32) === 120))
      : digits > 0;
    out += variable ? '#' : line.slice(start, i);
  }
  return out;
}

export function templateKey(line: string): string {
  return key(line, false);
}

/**
 * 32-bit FNV-1a hash of `templateKey(line)`, computed without building the string (for run
 * detection over every routine line; a collision only merges two runs' counts).
 */
export function templateHash(line: string): number {
  const n = Math.min(line.length, KEY_CHARS);
  let h = 0x811c9dc5;
  let i = 0;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (!isWordChar(c)) {
      if (c === 32 || c === 9) {
        while (i < n && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
        h = Math.imul(h ^ 32, 0x01000193);
        continue;
      }
      h = Math.imul(h ^ c, 0x01000193);
      i++;
      continue;
    }
    const start = i;
    let digit = false;
    while (i < n) {
      const d = line.charCodeAt(i);
      if (!isWordChar(d)) break;
      if (d >= 48 && d <= 57) digit = true;
      i++;
    }
    if (digit) h = Math.imul(h ^ 35, 0x01000193);
    else for (let k = start; k < i; k++) h = Math.imul(h ^ line.charCodeAt(k), 0x01000193);
  }
  return h >>> 0;
}

export function repeatKey(line: string): string {
  return key(line, true);
}
