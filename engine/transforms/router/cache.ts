/**
 * Reuse of routing results across turns. Agents send the whole history every turn; a tool output
 * routes to the same bytes every time (routing is a pure function of the content, the query
 * current when it arrived, the tool call, the config and the token counter's model), so the
 * result of the first turn can be replayed instead of recomputed.
 *
 * Keyed by the content string itself, then by a context key (query, tool name and arguments,
 * config fingerprint, counter model, code protection). Contents are looked up by a sampled key
 * and confirmed by equality (engine/util/string-lru.ts), so a hit is exact by construction (no
 * collision can return another text's result) and costs neither a SHA-256 of the content nor
 * V8's hash of every character (a Map keyed by the string: about 5 ns a character, which made
 * the next turn of a long history cost half a tokenizer pass). Bounded by entry count and
 * retained characters (LRU).
 *
 * A hit replays the CCR originals the first run recorded (so the store of this call gets them
 * too). Outcomes that carried warnings are not cached, so warnings repeat consistently.
 */
import type { CCREntry } from '../../ccr/types.js';
import { StringLru } from '../../util/string-lru.js';
import type { RoutingDecision } from './types.js';

/** A routing decision without its position (messageIndex, block path prefix). */
export interface DecisionCore extends Omit<RoutingDecision, 'messageIndex' | 'blockPath'> {
  /** Appended to the block's path: '' for the block, `.parts[3]` for a part. */
  readonly pathSuffix: string;
}

/** What routing one block produced. */
export interface BlockOutcome {
  readonly output: string;
  readonly changed: boolean;
  readonly decisions: ReadonlyArray<DecisionCore>;
  /** For transformsApplied. */
  readonly labels: ReadonlyArray<string>;
  /** CCR hashes named by markers in `output`. */
  readonly hashes: ReadonlyArray<string>;
  /** Originals to record (before the output is used). */
  readonly entries: ReadonlyArray<CCREntry>;
  readonly warnings: ReadonlyArray<string>;
  /**
   * Some part was code, so the result also depends on the code gates (recency, analysis intent).
   * The router keys such outcomes by those gates too; other outcomes ignore them.
   */
  readonly codeSensitive?: boolean;
}

export interface RouterCacheOptions {
  /** Most cached blocks. Default 1024. */
  readonly maxEntries?: number;
  /** Most characters retained (contents, outputs, originals), UTF-16 units. Default 16 M (≈ 32 MB). */
  readonly maxChars?: number;
  /** Blocks shorter than this are not cached (routing them is cheaper than the bookkeeping). Default 256. */
  readonly minLength?: number;
}

interface Slot {
  readonly byKey: Map<string, { outcome: BlockOutcome; chars: number }>;
  chars: number;
}

export class RouterCache {
  readonly maxEntries: number;
  readonly maxChars: number;
  readonly minLength: number;
  /** Bounds are enforced here (entries = content × context key pairs), not by the LRU itself. */
  private readonly slots = new StringLru<Slot>(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);
  private entries = 0;
  private chars = 0;
  hits = 0;
  misses = 0;

  constructor(opts: RouterCacheOptions = {}) {
    this.maxEntries = opts.maxEntries ?? 1024;
    this.maxChars = opts.maxChars ?? 16_000_000;
    this.minLength = opts.minLength ?? 256;
  }

  get size(): number {
    return this.entries;
  }

  get retainedChars(): number {
    return this.chars;
  }

  get(content: string, key: string): BlockOutcome | undefined {
    if (content.length < this.minLength) return undefined;
    const hit = this.slots.get(content)?.byKey.get(key); // get() also makes the content most recent
    if (!hit) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    return hit.outcome;
  }

  set(content: string, key: string, outcome: BlockOutcome): void {
    if (content.length < this.minLength || outcome.warnings.length > 0) return;
    let chars = content.length + key.length;
    if (outcome.output !== content) chars += outcome.output.length;
    for (const e of outcome.entries) if (e.content !== content) chars += e.content.length;
    if (chars > this.maxChars / 4) return;
    const slot = this.slots.get(content) ?? { byKey: new Map(), chars: 0 };
    const old = slot.byKey.get(key);
    if (old) {
      slot.chars -= old.chars;
      this.chars -= old.chars;
      this.entries--;
    }
    slot.byKey.set(key, { outcome, chars });
    slot.chars += chars;
    this.chars += chars;
    this.entries++;
    this.slots.set(content, slot, 0);
    this.evict();
  }

  clear(): void {
    this.slots.clear();
    this.entries = 0;
    this.chars = 0;
    this.hits = 0;
    this.misses = 0;
  }

  private evict(): void {
    while (this.entries > this.maxEntries || this.chars > this.maxChars) {
      const oldest = this.slots.shiftOldest();
      if (oldest === undefined) break;
      this.entries -= oldest.value.byKey.size;
      this.chars -= oldest.value.chars;
    }
  }
}

/** Stable text of a settings value for cache keys; null when it holds something that cannot be fingerprinted (functions, class instances). */
export function fingerprint(v: unknown): string | null {
  const seen = new Set<unknown>();
  const walk = (x: unknown): string | null => {
    if (x === undefined) return 'u';
    if (x === null || typeof x === 'boolean' || typeof x === 'number' || typeof x === 'string') return JSON.stringify(x) ?? String(x);
    if (x instanceof RegExp) return `re:${JSON.stringify(x.source)}/${x.flags}`;
    if (typeof x !== 'object') return null;
    if (seen.has(x)) return null;
    seen.add(x);
    let out: string | null;
    if (Array.isArray(x)) {
      const parts: string[] = [];
      for (const y of x) {
        const s = walk(y);
        if (s === null) return null;
        parts.push(s);
      }
      out = `[${parts.join(',')}]`;
    } else {
      const proto = Object.getPrototypeOf(x);
      if (proto !== Object.prototype && proto !== null) return null;
      const parts: string[] = [];
      for (const k of Object.keys(x).sort()) {
        const s = walk((x as Record<string, unknown>)[k]);
        if (s === null) return null;
        parts.push(`${JSON.stringify(k)}:${s}`);
      }
      out = `{${parts.join(',')}}`;
    }
    seen.delete(x);
    return out;
  };
  return walk(v);
}
