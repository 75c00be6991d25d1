/**
 * Importance scoring of atomic units (a message, or an assistant tool call with its results).
 * Every factor is in [0, 1]; the score is their weighted mean over the factors in use (weights
 * normalised). Deterministic: no clocks, no randomness, kernels give the same numbers in WASM
 * and TypeScript.
 *
 * - recency: e^(−λ·d), d = messages between the unit's last message and the end.
 * - semanticSimilarity: 0.6 · BM25 (normalised by the best candidate) + 0.4 · SimHash
 *   closeness (1 − Hamming/32, floored at 0) against the recent context: the last
 *   `similarityWindow` non-system messages that are not candidates themselves (the protected tail).
 * - errorIndicator: 1 for a tool result flagged as an error; otherwise 0.5 + 0.1 per line that
 *   reports an error (SmartCrusher's value-aware error words: "0 errors" is not one), capped at 1.
 * - forwardReference: later messages (any role, outside the unit) mentioning one of the unit's
 *   ids, paths or names: min(1, 0.3 + 0.2·ln(1 + refs)), 0 without references. Identifiers that
 *   appear in more than half of the messages (a region, a date) do not count as references.
 * - tokenDensity: clamp((unique/total words − 0.2) / 0.6), 0.5 under 10 words.
 * - toinImportance: the caller's `importance(unit)` hook, clamped to [0, 1]; left out without a hook.
 */
import { bm25Strings, simhashStrings } from '../../kernels/hash.js';
import { getKernels } from '../../kernels/index.js';
import type { Kernels } from '../../kernels/types.js';
import { messageText, type Message } from '../../messages/types.js';
import type { TokenCounter } from '../../tokenizer/types.js';
import { isErrorText } from '../smart-crusher/errors.js';
import type { Unit } from '../units.js';
import type { ContextUnit, ResolvedIntelligentContextConfig, ResolvedScoringWeights } from './config.js';

export interface UnitFactors {
  readonly recency: number;
  readonly semanticSimilarity: number;
  readonly errorIndicator: number;
  readonly forwardReference: number;
  readonly tokenDensity: number;
  /** The hook's value; absent without a hook. */
  readonly toinImportance?: number;
}

export interface ScoredUnit {
  readonly unit: Unit;
  /** Weighted, normalised score in [0, 1]. */
  readonly score: number;
  readonly factors: UnitFactors;
  /** Later messages referring to the unit. */
  readonly references: number;
  readonly tokens: number;
}

export interface ScoreInput {
  readonly messages: ReadonlyArray<Message>;
  /** Units to score (the droppable ones). */
  readonly units: ReadonlyArray<Unit>;
  /** Tokens per message (countMessage). */
  readonly perMessage: ReadonlyArray<number>;
  /**
   * Messages that are kept whatever happens (system, last turns): the recent context for
   * similarity is taken from these, so a candidate is never compared with itself.
   */
  readonly protectedIndices?: ReadonlySet<number>;
  readonly config: ResolvedIntelligentContextConfig;
  readonly counter: TokenCounter;
  readonly kernels?: Kernels;
  warn(message: string): void;
}

/** Characters of one recent message used as the similarity query (keeps huge tool outputs from dominating). */
const QUERY_CHARS_PER_MESSAGE = 8_000;
/** Characters of a unit fed to BM25 / SimHash / density (the head; deterministic). */
const UNIT_SCAN_CHARS = 200_000;

const IDENT_RE = /[A-Za-z0-9_$][A-Za-z0-9_$.\/@-]*[A-Za-z0-9_$]/g;
const BACKTICK_RE = /`([^`\s]{3,64})`/g;

/** Trailing punctuation a token may carry in prose ("see src/app.ts." or "ORD-12:"). */
function trimToken(t: string): string {
  return t.replace(/[.\/@-]+$/, '');
}

/** True for tokens that name something specific: paths, files, ids, hashes, snake/camel identifiers. */
export function isSalient(t: string): boolean {
  if (t.length < 4) return false;
  const hasLetter = /[A-Za-z]/.test(t);
  const hasDigit = /[0-9]/.test(t);
  if (hasLetter && hasDigit) return true;
  if (!hasLetter) return /^\d{5,}$/.test(t);
  if (t.includes('/')) return true;
  if (/[A-Za-z0-9_-]\.[A-Za-z][A-Za-z0-9]{0,7}$/.test(t)) return true;
  if (/[A-Za-z]_[A-Za-z]/.test(t)) return true;
  if (/[a-z][A-Z]/.test(t)) return true;
  return false;
}

/** Every word-like token of `text` (for reference lookup), lowercased. */
function allTokens(text: string, into: Set<string>): void {
  for (const m of text.matchAll(IDENT_RE)) {
    const t = trimToken(m[0]);
    if (t.length < 3) continue;
    const lower = t.toLowerCase();
    into.add(lower);
    const slash = lower.lastIndexOf('/');
    if (slash >= 0 && slash < lower.length - 3) into.add(lower.slice(slash + 1));
  }
}

/** Identifiers a later message could refer to: salient tokens and `backticked` names, lowercased. */
export function salientTokens(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(IDENT_RE)) {
    const t = trimToken(m[0]);
    if (!isSalient(t)) continue;
    const lower = t.toLowerCase();
    out.add(lower);
    // A path is also referred to by its file name ("fixed login.ts").
    const slash = lower.lastIndexOf('/');
    if (slash >= 0) {
      const base = lower.slice(slash + 1);
      if (base.length >= 4 && /[._0-9]/.test(base)) out.add(base);
    }
  }
  for (const m of text.matchAll(BACKTICK_RE)) {
    const t = trimToken(m[1]);
    if (t.length >= 3 && /^[A-Za-z0-9_$.\/@-]+$/.test(t)) out.add(t.toLowerCase());
  }
  return out;
}

/** Text the scorer reads for a message: its blocks' text; tool call ids are bookkeeping, not content. */
function scanText(m: Message): string {
  const t = messageText(m);
  return t.length > UNIT_SCAN_CHARS ? t.slice(0, UNIT_SCAN_CHARS) : t;
}

function errorScore(ms: ReadonlyArray<Message>, text: string): number {
  for (const m of ms) for (const b of m.blocks) if (b.type === 'tool_result' && b.isError === true) return 1;
  let lines = 0;
  for (const line of text.split('\n')) {
    if (isErrorText(line)) {
      lines++;
      if (lines >= 5) break;
    }
  }
  return lines === 0 ? 0 : Math.min(1, 0.5 + 0.1 * lines);
}

function densityScore(text: string): number {
  const words = text.toLowerCase().split(/\s+/).filter((w) => w !== '');
  if (words.length < 10) return 0.5;
  const ratio = new Set(words).size / words.length;
  return Math.min(1, Math.max(0, (ratio - 0.2) / 0.6));
}

function popcount64(x: bigint): number {
  let n = 0;
  let v = x;
  while (v !== 0n) {
    v &= v - 1n;
    n++;
  }
  return n;
}

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);

/** Score the given units. Output is in the order of `input.units`. */
export function scoreUnits(input: ScoreInput): ScoredUnit[] {
  const { messages, units, perMessage, config } = input;
  const n = messages.length;
  if (units.length === 0) return [];
  const kernels = input.kernels ?? getKernels();
  const texts = messages.map(scanText);
  const unitTexts = units.map((u) => u.indices.map((i) => texts[i]).join('\n'));

  // --- similarity to the recent context -----------------------------------------------------
  const recent: string[] = [];
  const candidate = new Set<number>();
  for (const u of units) for (const i of u.indices) candidate.add(i);
  for (let i = n - 1; i >= 0 && recent.length < config.similarityWindow; i--) {
    if (messages[i].role === 'system' || candidate.has(i)) continue;
    if (input.protectedIndices && !input.protectedIndices.has(i)) continue;
    const t = texts[i];
    if (t.trim() !== '') recent.unshift(t.length > QUERY_CHARS_PER_MESSAGE ? t.slice(0, QUERY_CHARS_PER_MESSAGE) : t);
  }
  const query = recent.join('\n');
  const bm25 = query === '' ? new Float64Array(units.length) : bm25Strings(unitTexts, query, kernels);
  let best = 0;
  for (const s of bm25) if (Number.isFinite(s) && s > best) best = s;
  const fps = simhashStrings([...unitTexts, query], kernels);
  const qfp = fps[units.length];

  // --- forward references --------------------------------------------------------------------
  const toolNames = new Set<string>();
  for (const m of messages) for (const b of m.blocks) if (b.type === 'tool_call') toolNames.add(b.name.toLowerCase());
  const unitSalient = unitTexts.map((t) => {
    const s = salientTokens(t);
    for (const name of toolNames) s.delete(name);
    return s;
  });
  const wanted = new Set<string>();
  for (const s of unitSalient) for (const t of s) wanted.add(t);
  // Messages mentioning each wanted identifier, ascending.
  const mentions = new Map<string, number[]>();
  if (wanted.size > 0) {
    const seen = new Set<string>();
    for (let i = 0; i < n; i++) {
      seen.clear();
      allTokens(texts[i], seen);
      for (const m of texts[i].matchAll(BACKTICK_RE)) seen.add(trimToken(m[1]).toLowerCase());
      for (const t of seen) {
        if (!wanted.has(t)) continue;
        const list = mentions.get(t);
        if (list) list.push(i);
        else mentions.set(t, [i]);
      }
    }
  }
  const nonSystem = messages.filter((m) => m.role !== 'system').length;
  const tooCommon = (list: number[]) => list.length >= 3 && list.length > nonSystem / 2;

  // --- weights -------------------------------------------------------------------------------
  const hook = config.importance;
  const w: ResolvedScoringWeights = config.useImportanceScoring
    ? config.scoringWeights
    : { recency: 1, semanticSimilarity: 0, toinImportance: 0, errorIndicator: 0, forwardReference: 0, tokenDensity: 0 };
  const wImportance = hook && config.useImportanceScoring ? w.toinImportance : 0;
  let wSum = w.recency + w.semanticSimilarity + w.errorIndicator + w.forwardReference + w.tokenDensity + wImportance;
  if (wSum <= 0) wSum = 1;
  let hookWarned = false;

  return units.map((unit, k) => {
    const last = unit.indices[unit.indices.length - 1];
    const members = unit.indices.map((i) => messages[i]);
    const text = unitTexts[k];
    const recency = Math.exp(-config.recencyDecayRate * (n - 1 - last));
    const bm = best > 0 && Number.isFinite(bm25[k]) ? bm25[k] / best : 0;
    const sh = query === '' || text === '' ? 0 : Math.max(0, 1 - popcount64(fps[k] ^ qfp) / 32);
    const semanticSimilarity = clamp01(0.6 * bm + 0.4 * sh);
    const errorIndicator = errorScore(members, text);
    const inUnit = new Set(unit.indices);
    const referrers = new Set<number>();
    for (const t of unitSalient[k]) {
      const list = mentions.get(t);
      if (!list || tooCommon(list)) continue;
      for (const j of list) if (j > last && !inUnit.has(j)) referrers.add(j);
    }
    const references = referrers.size;
    const forwardReference = references === 0 ? 0 : Math.min(1, 0.3 + 0.2 * Math.log(1 + references));
    const tokenDensity = densityScore(text);
    let tokens = 0;
    for (const i of unit.indices) tokens += perMessage[i];

    let importance: number | undefined;
    if (hook && config.useImportanceScoring) {
      let v: number;
      try {
        v = hook({
          indices: unit.indices,
          messages: members,
          originals: members.map((m) => m.origin?.source),
          text: unit.indices.map((i) => messageText(messages[i])).join('\n'),
          tokens,
          toolNames: members.flatMap((m) => m.blocks.flatMap((b) => (b.type === 'tool_call' ? [b.name] : []))),
          conversationLength: n,
        } satisfies ContextUnit);
      } catch (err) {
        if (!hookWarned) input.warn(`intelligentContext.importance threw (${(err as Error)?.message ?? String(err)}); 0.5 used instead`);
        hookWarned = true;
        v = 0.5;
      }
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        if (!hookWarned) input.warn(`intelligentContext.importance returned ${String(v)}, not a number in [0, 1]; 0.5 used instead`);
        hookWarned = true;
        v = 0.5;
      }
      importance = clamp01(v);
    }

    const score =
      (w.recency * recency +
        w.semanticSimilarity * semanticSimilarity +
        w.errorIndicator * errorIndicator +
        w.forwardReference * forwardReference +
        w.tokenDensity * tokenDensity +
        wImportance * (importance ?? 0)) /
      wSum;
    const factors: UnitFactors =
      importance === undefined
        ? { recency, semanticSimilarity, errorIndicator, forwardReference, tokenDensity }
        : { recency, semanticSimilarity, errorIndicator, forwardReference, tokenDensity, toinImportance: importance };
    return { unit, score, factors, references, tokens };
  });
}
