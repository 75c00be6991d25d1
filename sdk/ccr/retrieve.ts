/**
 * retrieve(): the way back from a marker to the original. Without a query it returns the exact
 * original string; with a query, the best BM25 matches among its items (JSON array elements,
 * or dropped messages) or lines, and the full original when nothing matches, because a query
 * that silently returns nothing strands the model (Headroom removed its query mode for that,
 * ALGORITHMS.md §10.15). Never throws: bad or unknown hashes come back as `null`, with the
 * reason from `retrieveWithReason`.
 */
import { CCR_HASH_LENGTH } from '../../engine/ccr/hash.js';
import type { CCREntry, CCRStore } from '../../engine/ccr/types.js';
import { bm25Strings } from '../../engine/kernels/hash.js';
import { getKernels } from '../../engine/kernels/index.js';
import { getDefaultStore } from './default-store.js';

// --- the optional store protocol: telling "expired" from "unknown" ---------------------------

/** Why a once-stored entry is gone. */
export type GoneCause = 'expired' | 'evicted';

/** What a store knows about a hash. */
export type CCRLookup =
  | { readonly status: 'found'; readonly entry: CCREntry }
  /** It was stored here, and its TTL passed (`expired`) or it made room for newer ones (`evicted`). */
  | { readonly status: 'gone'; readonly cause: GoneCause; readonly at?: number; readonly ttlMs?: number }
  | { readonly status: 'unknown' };

/**
 * A store that can say why a hash is missing. Optional: for a plain `CCRStore`, `get() === null`
 * is reported as 'unknown'. MemoryStore, IndexedDBStore and FileStore implement it.
 */
export interface CCRStatusStore extends CCRStore {
  getWithStatus(hash: string): Promise<CCRLookup>;
}

/** A store that can fall back silently (e.g. IndexedDB → memory) and queues what happened. */
export interface WarningSource {
  /** Warnings since the last call; clears them. */
  drainWarnings(): string[];
}

// --- results ------------------------------------------------------------------------------

export interface RetrieveOptions {
  /** Search terms: return the best-matching items or lines instead of the whole original. */
  query?: string;
  /** Where to look. Default: the process-wide default store that `compress()` also uses. */
  store?: CCRStore;
  /** Most matches returned for a query. Default 20. */
  maxMatches?: number;
}

/** The whole original, byte for byte. */
export interface RetrieveContent {
  readonly hash: string;
  readonly content: string;
}

export interface RetrieveMatch {
  /** Position in the original: array index for items and messages, 0-based line number for lines. */
  readonly index: number;
  /** The item as compact JSON, or the line without its line break. */
  readonly text: string;
  readonly score: number;
}

/** Query results: the best matches, in original order. */
export interface RetrieveMatches {
  readonly hash: string;
  readonly query: string;
  /** What `total` and `index` count. */
  readonly unit: 'items' | 'messages' | 'lines';
  /** Up to `maxMatches` best-scoring items/lines with score > 0, in original order. */
  readonly matches: RetrieveMatch[];
  /** How many items/lines had score > 0 (may exceed `matches.length`). */
  readonly matched: number;
  /** Items/lines searched. */
  readonly total: number;
  /** Only when nothing matched: the full original, so a query never hides the data. */
  readonly content?: string;
  /** Only when nothing matched: says that `content` is the full original and why. */
  readonly note?: string;
}

export type RetrieveResult = RetrieveContent | RetrieveMatches;

export type RetrieveFailureReason = 'unknown' | 'expired' | 'invalid_hash' | 'store_error';

export type RetrieveOutcome =
  | { readonly ok: true; readonly result: RetrieveResult }
  | { readonly ok: false; readonly hash: string; readonly reason: RetrieveFailureReason; readonly message: string };

export const DEFAULT_MAX_MATCHES = 20;

const HASH_RE = new RegExp(`^[0-9a-f]{${CCR_HASH_LENGTH}}$`);

/**
 * The CCR key in `input`, or null. Lenient with what models send: surrounding whitespace or
 * quotes, a `hash=` prefix, upper case. Strict on the key itself: 24 hex characters.
 */
export function normalizeHash(input: unknown): string | null {
  if (typeof input !== 'string') return null;
  let s = input.trim().replace(/^["'`]|["'`]$/g, '').trim();
  if (/^hash\s*[=:]\s*/i.test(s)) s = s.replace(/^hash\s*[=:]\s*/i, '');
  s = s.toLowerCase();
  return HASH_RE.test(s) ? s : null;
}

function isMessageLike(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { role?: unknown }).role === 'string';
}

/** Split an original into searchable units: JSON array elements (items or messages) or lines. */
export function splitOriginal(content: string, source?: string): { unit: RetrieveMatches['unit']; docs: string[] } {
  const head = content.trimStart();
  if (head.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(content);
      if (Array.isArray(parsed)) {
        const docs = parsed.map((x) => JSON.stringify(x) ?? 'null');
        const messages = source === 'rolling_window' || (parsed.length > 0 && parsed.every(isMessageLike));
        return { unit: messages ? 'messages' : 'items', docs };
      }
    } catch {
      // Not JSON (or too deep to re-serialise): search its lines instead.
    }
  }
  return { unit: 'lines', docs: content.split(/\r\n|\n|\r/) };
}

/** BM25 over the original's items or lines: the top `maxMatches` with score > 0, in original order. */
export function searchOriginal(content: string, query: string, maxMatches = DEFAULT_MAX_MATCHES, source?: string): { unit: RetrieveMatches['unit']; matches: RetrieveMatch[]; matched: number; total: number } {
  const { unit, docs } = splitOriginal(content, source);
  const scores = docs.length > 0 ? bm25Strings(docs, query, getKernels()) : new Float64Array(0);
  const hits: number[] = [];
  for (let i = 0; i < scores.length; i++) if (scores[i] > 0) hits.push(i);
  hits.sort((a, b) => scores[b] - scores[a] || a - b);
  const top = hits.slice(0, maxMatches).sort((a, b) => a - b);
  return { unit, matches: top.map((i) => ({ index: i, text: docs[i], score: scores[i] })), matched: hits.length, total: docs.length };
}

function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return 'without a time limit';
  const min = Math.round(ms / 60_000);
  if (min < 1) return `${Math.max(1, Math.round(ms / 1000))} s`;
  if (min < 120) return `${min} min`;
  return `${Math.round(min / 60)} h`;
}

const RERUN = 'Re-run the tool or re-read the source to get the data again.';

function failure(hash: string, reason: RetrieveFailureReason, message: string): RetrieveOutcome {
  return { ok: false, hash, reason, message };
}

async function lookup(store: CCRStore, hash: string): Promise<CCRLookup> {
  const withStatus = (store as Partial<CCRStatusStore>).getWithStatus;
  if (typeof withStatus === 'function') return withStatus.call(store, hash);
  const entry = await store.get(hash);
  return entry ? { status: 'found', entry } : { status: 'unknown' };
}

function maxMatchesOf(n: number | undefined): number {
  return typeof n === 'number' && Number.isFinite(n) && n >= 1 ? Math.floor(n) : DEFAULT_MAX_MATCHES;
}

/**
 * Retrieve an original with the reason when it cannot be had:
 * - `invalid_hash`: not a 24-hex CCR key;
 * - `unknown`: never stored in this store (or forgotten long ago);
 * - `expired`: stored here once, then its TTL passed or it was evicted for space;
 * - `store_error`: the store failed to answer (e.g. IndexedDB blocked, unreadable file).
 */
export async function retrieveWithReason(hash: string, options: RetrieveOptions = {}): Promise<RetrieveOutcome> {
  const key = normalizeHash(hash);
  if (key === null) {
    const shown = typeof hash === 'string' ? JSON.stringify(hash.length > 64 ? `${hash.slice(0, 64)}…` : hash) : String(hash);
    return failure(
      typeof hash === 'string' ? hash : String(hash),
      'invalid_hash',
      `${shown} is not a Headroom hash: expected the ${CCR_HASH_LENGTH} hex characters after "hash=" in a marker such as [headroom: 40 items omitted. Retrieve: hash=0123456789abcdef01234567].`,
    );
  }
  let found: CCRLookup;
  try {
    found = await lookup(options.store ?? getDefaultStore(), key);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return failure(key, 'store_error', `The store of originals failed while reading hash=${key} (${why}). Try once more; if it fails again, ${RERUN.charAt(0).toLowerCase()}${RERUN.slice(1)}`);
  }
  if (found.status === 'unknown') {
    return failure(key, 'unknown', `Nothing is stored under hash=${key}, so that content is no longer available (it may have been evicted long ago, stored by another process or browser profile, or the hash was copied wrong). ${RERUN}`);
  }
  if (found.status === 'gone') {
    const why = found.cause === 'evicted' ? 'was evicted to make room for newer originals' : `expired (originals are kept ${formatDuration(found.ttlMs ?? Infinity)})`;
    return failure(key, 'expired', `The original for hash=${key} ${why} and is no longer available. ${RERUN}`);
  }

  const { entry } = found;
  const query = typeof options.query === 'string' ? options.query.trim() : '';
  if (query === '') return { ok: true, result: { hash: key, content: entry.content } };

  const { unit, matches, matched, total } = searchOriginal(entry.content, query, maxMatchesOf(options.maxMatches), entry.source);
  if (matches.length > 0) return { ok: true, result: { hash: key, query, unit, matches, matched, total } };
  return {
    ok: true,
    result: {
      hash: key,
      query,
      unit,
      matches: [],
      matched: 0,
      total,
      content: entry.content,
      note: `None of the ${total} ${unit} matched the query, so the full original is returned in content.`,
    },
  };
}

/**
 * The original stored under `hash` (as `{ hash, content }`), or, with `query`, its best-matching
 * items or lines. `null` for an invalid, unknown or expired hash or a failing store; the reason
 * is available from `retrieveWithReason`.
 */
export async function retrieve(hash: string, options?: RetrieveOptions): Promise<RetrieveResult | null> {
  const out = await retrieveWithReason(hash, options);
  return out.ok ? out.result : null;
}
