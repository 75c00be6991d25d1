/**
 * Checks for one config section's settings: each reads `section[key]`, gives the default when
 * it is unset, and otherwise pushes `<path>.<key> must be … (got …)` to `problems` and gives the
 * default when the value is not acceptable. Messages read the same in every section.
 */
import { describeValue } from './describe.js';

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface SectionChecks {
  /** A boolean. */
  bool(key: string, dflt: boolean): boolean;
  /** An integer ≥ `min`. */
  int<D extends number | undefined>(key: string, min: number, dflt: D): number | D;
  /** A finite number for which `ok` holds; `what` says which ("a number ≥ 0"). */
  num(key: string, ok: (x: number) => boolean, what: string, dflt: number): number;
}

/** Checks over `section` (whose place in the config is `path`), pushing their problems to `problems`. */
export function sectionChecks(section: Record<string, unknown>, path: string, problems: string[]): SectionChecks {
  return {
    bool(key, dflt) {
      const v = section[key];
      if (v === undefined) return dflt;
      if (typeof v !== 'boolean') {
        problems.push(`${path}.${key} must be a boolean (got ${describeValue(v)})`);
        return dflt;
      }
      return v;
    },
    int(key, min, dflt) {
      const v = section[key];
      if (v === undefined) return dflt;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
        problems.push(`${path}.${key} must be an integer ≥ ${min} (got ${describeValue(v)})`);
        return dflt;
      }
      return v;
    },
    num(key, ok, what, dflt) {
      const v = section[key];
      if (v === undefined) return dflt;
      if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) {
        problems.push(`${path}.${key} must be ${what} (got ${describeValue(v)})`);
        return dflt;
      }
      return v;
    },
  };
}
