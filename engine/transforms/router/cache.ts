/**
 * Reuse of routing results across turns. Agents send the whole history every turn; a tool output
 * routes to the same bytes every time (routing is a pure function of the content, the query
 * current when it arrived, the tool call, the config and the token counter's model), so the
 * result of the first turn can be replayed instead of recomputed.
 *
 * Keyed by the content string itself, then by a context key (query, tool name and arguments,
 * config fingerprint, counter model, code protection). A JavaScript Map hashes string keys
 * natively and compares them for equality on lookup, so a hit is exact by construction (no
 * collision can return another text's result) and cheaper than hashing: in this repo's bench
 * SHA-256 in JS runs at about the tokenizer's speed (≈ 90 MB/s), which would make a SHA-keyed
 * cache cost as much as recounting. Bounded by entry count and retained characters (LRU).
 *
 * A hit replays the CCR originals the first run recorded (so the store of this call gets them
 * too). Outcomes that carried warnings are not cached, so warnings repeat consistently.
 */
import type { CCREntry } from '../../ccr/types.js';
import type { ContentType, RoutingAction } from './types.js';

/** A routing decision without its position (messageIndex, block path prefix). */
export interface DecisionCore {
  /** Appended to the block's path: '' for the block, `.parts[3]` for a part. */
  readonly pathSuffix: string;
  readonly type: ContentType | 'mixed';
  readonly confidence: number;
  readonly language?: string;
  readonly subtype?: string;
  readonly compressor: string;
  readonly tokensBefore: number;
  readonly tokensAfter: number;
  readonly action: RoutingAction;
  readonly reason?: string;
  readonly labels?: ReadonlyArray<string>;
  readonly hashes?: ReadonlyArray<string>;
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
  private readonly slots = new Map<string, Slot>();
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
    const slot = this.slots.get(content);
    const hit = slot?.byKey.get(key);
    if (!slot || !hit) {
      this.misses++;
      return undefined;
    }
    // Most recently used last.
    this.slots.delete(content);
    this.slots.set(content, slot);
    this.hits++;
    return hit.outcome;
  }

  set(content: string, key: string, outcome: BlockOutcome): void {
    if (content.length < this.minLength || outcome.warnings.length > 0) return;
    let chars = content.length + key.length;
    if (outcome.output !== content) chars += outcome.output.length;
    for (const e of outcome.entries) if (e.content !== content) chars += e.content.length;
    if (chars > this.maxChars / 4) return;
    let slot = this.slots.get(content);
    if (slot) {
      this.slots.delete(content);
      const old = slot.byKey.get(key);
      if (old) {
        slot.chars -= old.chars;
        this.chars -= old.chars;
        this.entries--;
      }
    } else slot = { byKey: new Map(), chars: 0 };
    slot.byKey.set(key, { outcome, chars });
    slot.chars += chars;
    this.chars += chars;
    this.entries++;
    this.slots.set(content, slot);
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
    while ((this.entries > this.maxEntries || this.chars > this.maxChars) && this.slots.size > 0) {
      const [content, slot] = this.slots.entries().next().value as [string, Slot];
      this.slots.delete(content);
      this.entries -= slot.byKey.size;
      this.chars -= slot.chars;
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
