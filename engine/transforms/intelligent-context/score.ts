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
 * - tokenDensity: clamp((unique/total word tokens − 0.2) / 0.6), 0.5 under 10 words.
 * - toinImportance: the caller's `importance(unit)` hook, clamped to [0, 1]; left out without a hook.
 */
import { bm25Strings, simhashStrings } from '../../kernels/hash.js';
import { getKernels } from '../../kernels/index.js';
import type { Kernels } from '../../kernels/types.js';
import { messageText, type Message } from '../../messages/types.js';
import type { TokenCounter } from '../../tokenizer/types.js';
import { isErrorText, mayHoldErrorWords } from '../smart-crusher/errors.js';
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
/** Characters of a message the scorer reads (the head; deterministic). */
const UNIT_SCAN_CHARS = 200_000;
/** Characters of a unit (and of the recent context) fingerprinted for SimHash. */
const SIMHASH_CHARS = 4_000;

const BACKTICK_RE = /`([^`\s]{3,64})`/g;
const BACKTICK_BODY = /^[A-Za-z0-9_$.\/@-]+$/;
const FILE_EXT = /[A-Za-z0-9_-]\.[A-Za-z][A-Za-z0-9]{0,7}$/;

/** Drops trailing punctuation a token may carry in prose ("see src/app.ts." or "ORD-12-"). */
function trimToken(t: string): string {
  let end = t.length;
  while (end > 0) {
    const c = t.charCodeAt(end - 1);
    if (c === 46 || c === 47 || c === 64 || c === 45) end--;
    else break;
  }
  return end === t.length ? t : t.slice(0, end);
}

/** [A-Za-z0-9_$] */
const isWordChar = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36;

const isAlpha = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** True for tokens that name something specific: paths, files, ids, hashes, snake/camel identifiers. */
export function isSalient(t: string): boolean {
  const n = t.length;
  if (n < 4) return false;
  let letter = false;
  let digit = false;
  let other = false;
  let slash = false;
  let snake = false;
  let camel = false;
  for (let i = 0; i < n; i++) {
    const c = t.charCodeAt(i);
    if (c >= 65 && c <= 90) {
      letter = true;
      if (i > 0) {
        const p = t.charCodeAt(i - 1);
        if (p >= 97 && p <= 122) camel = true;
      }
    } else if (c >= 97 && c <= 122) letter = true;
    else if (c >= 48 && c <= 57) digit = true;
    else {
      other = true;
      if (c === 47) slash = true;
      else if (c === 95 && i > 0 && i < n - 1 && isAlpha(t.charCodeAt(i - 1)) && isAlpha(t.charCodeAt(i + 1))) snake = true;
    }
  }
  if (letter && digit) return true;
  if (!letter) return digit && !other && n >= 5;
  if (slash || snake || camel) return true;
  return t.includes('.') && FILE_EXT.test(t);
}

interface TokenInfo {
  /** Trimmed and lowercased; '' when too short to matter. */
  readonly lower: string;
  readonly salient: boolean;
  /** File name of a path, lowercased (a path is also referred to by its file name). */
  readonly base: string | null;
  readonly baseSalient: boolean;
}

const SHORT: TokenInfo = { lower: '', salient: false, base: null, baseSalient: false };

function tokenInfo(raw: string, cache: Map<string, TokenInfo>): TokenInfo {
  let info = cache.get(raw);
  if (info !== undefined) return info;
  const t = trimToken(raw);
  if (t.length < 3) info = SHORT;
  else {
    const lower = t.toLowerCase();
    const salient = isSalient(t);
    const slash = lower.lastIndexOf('/');
    const base = slash >= 0 && slash < lower.length - 3 ? lower.slice(slash + 1) : null;
    info = { lower, salient, base, baseSalient: salient && base !== null && base.length >= 4 && /[._0-9]/.test(base) };
  }
  cache.set(raw, info);
  return info;
}

/** One pass over a message's text: every word-like token, the salient ones, and the word count. */
interface Terms {
  /** Every token of 3+ characters (and file names of paths), lowercased: what a reference is looked up in. */
  readonly all: Set<string>;
  /** Identifiers a later message could refer to: salient tokens and `backticked` names, lowercased. */
  readonly salient: Set<string>;
  readonly words: number;
}

function termsOf(text: string, cache: Map<string, TokenInfo>): Terms {
  const all = new Set<string>();
  const salient = new Set<string>();
  let words = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    // Tokens as IDENT_RE finds them (start and end in [A-Za-z0-9_$], body also . / @ -), trailing . / @ - dropped.
    let c = text.charCodeAt(i);
    if (!isWordChar(c)) {
      i++;
      continue;
    }
    const start = i;
    let end = i + 1;
    let j = i + 1;
    for (; j < n; j++) {
      c = text.charCodeAt(j);
      if (isWordChar(c)) end = j + 1;
      else if (!(c === 46 || c === 47 || c === 64 || c === 45)) break;
    }
    i = j;
    if (end - start < 3) continue;
    const info = tokenInfo(text.slice(start, end), cache);
    if (info.lower === '') continue;
    words++;
    all.add(info.lower);
    if (info.base !== null) all.add(info.base);
    if (info.salient) {
      salient.add(info.lower);
      if (info.baseSalient) salient.add(info.base as string);
    }
  }
  if (text.includes('`')) {
    for (const m of text.matchAll(BACKTICK_RE)) {
      const t = trimToken(m[1]);
      if (t.length < 3 || !BACKTICK_BODY.test(t)) continue;
      const lower = t.toLowerCase();
      salient.add(lower);
      all.add(lower);
    }
  }
  return { all, salient, words };
}

/** Salient tokens of a text (see `isSalient`), lowercased; for tests and tools. */
export function salientTokens(text: string): Set<string> {
  return termsOf(text, new Map()).salient;
}

/** Text the scorer reads for a message: its blocks' text; tool call ids are bookkeeping, not content. */
function scanText(m: Message): string {
  const t = messageText(m);
  return t.length > UNIT_SCAN_CHARS ? t.slice(0, UNIT_SCAN_CHARS) : t;
}

function errorScore(ms: ReadonlyArray<Message>, text: string): number {
  for (const m of ms) for (const b of m.blocks) if (b.type === 'tool_result' && b.isError === true) return 1;
  if (!mayHoldErrorWords(text)) return 0;
  let lines = 0;
  for (const line of text.split('\n')) {
    if (isErrorText(line)) {
      lines++;
      if (lines >= 5) break;
    }
  }
  return lines === 0 ? 0 : Math.min(1, 0.5 + 0.1 * lines);
}

/** clamp((unique/total words − 0.2) / 0.6), 0.5 under 10 words. */
function densityScore(members: ReadonlyArray<Terms>): number {
  let words = 0;
  for (const t of members) words += t.words;
  if (words < 10) return 0.5;
  let unique: number;
  if (members.length === 1) unique = members[0].all.size;
  else {
    const u = new Set<string>();
    for (const t of members) for (const w of t.all) u.add(w);
    unique = u.size;
  }
  const ratio = Math.min(1, unique / words);
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
  const fps = simhashStrings(
    [...unitTexts, query].map((t) => (t.length > SIMHASH_CHARS ? t.slice(0, SIMHASH_CHARS) : t)),
    kernels,
  );
  const qfp = fps[units.length];

  // --- forward references --------------------------------------------------------------------
  const toolNames = new Set<string>();
  for (const m of messages) for (const b of m.blocks) if (b.type === 'tool_call') toolNames.add(b.name.toLowerCase());
  const cache = new Map<string, TokenInfo>();
  const terms = texts.map((t) => termsOf(t, cache));
  const unitSalient = units.map((u) => {
    const s = new Set<string>();
    for (const i of u.indices) for (const t of terms[i].salient) if (!toolNames.has(t)) s.add(t);
    return s;
  });
  const wanted = new Set<string>();
  for (const s of unitSalient) for (const t of s) wanted.add(t);
  // Messages mentioning each wanted identifier, ascending.
  const mentions = new Map<string, number[]>();
  if (wanted.size > 0) {
    for (let i = 0; i < n; i++) {
      for (const t of terms[i].all) {
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
    const tokenDensity = densityScore(unit.indices.map((i) => terms[i]));
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
