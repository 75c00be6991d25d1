/**
 * How configuration errors show the value they got: short, typed, never the whole payload.
 * One helper for every config section, so messages read the same everywhere.
 */
export function describeValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  return Array.isArray(v) ? 'an array' : typeof v;
}

/** Push a problem for every key of `section` that is not in `known` (typos otherwise pass silently). */
export function unknownKeys(section: Record<string, unknown>, known: ReadonlyArray<string>, path: string, problems: string[]): void {
  for (const k of Object.keys(section)) {
    if (!known.includes(k)) problems.push(`${path}.${k} is not a known setting (known: ${known.join(', ')})`);
  }
}
