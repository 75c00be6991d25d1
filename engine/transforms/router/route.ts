/**
 * Routing one block of text: detect, split mixed content, apply the per-type rules (switches,
 * thresholds, code protection), run the compressor behind a safety net, keep the result only
 * when it is smaller. A pure function of (text, query, tool call, config, counter model,
 * registered compressors): the transform caches it across turns (cache.ts).
 *
 * Safety net around every compressor call:
 * - a throw is caught: warning, content passes through;
 * - originals go to a private sink first and reach the pipeline's CCR sink only if the output
 *   is accepted;
 * - the output is rejected if any marker in it names a hash that was not recorded in this call
 *   (a marker nobody can redeem), if it is not a string, or if non-empty input became empty;
 * - the output is kept only if it has fewer tokens than the input (counted here, whatever the
 *   compressor claims).
 */
import { parseMarkers } from '../../ccr/markers.js';
import type { CCREntry } from '../../ccr/types.js';
import type { ResolvedConfig } from '../../config.js';
import type { TokenCounter } from '../../tokenizer/types.js';
import type { CompressorInput } from '../compressor.js';
import type { BlockOutcome, DecisionCore } from './cache.js';
import type { ResolvedRouterConfig } from './config.js';
import { analyzeStructure, detectWithStructure } from './detect.js';
import { carriesMarker } from './protect.js';
import { COMPRESSOR_NAMES, type RegisteredCompressor, type RoutedOutput } from './registry.js';
import { splitMixed, type Segment } from './split.js';
import { SKIP, type ContentType, type Detection, type DetectHints } from './types.js';

export interface RouteEnv {
  readonly counter: TokenCounter;
  readonly config: ResolvedConfig;
  /** The compressor for a type, if any. */
  readonly compressorFor: (type: ContentType) => RegisteredCompressor | undefined;
}

export interface BlockInput {
  readonly text: string;
  /** Latest user message before the block ('' if none). */
  readonly query: string;
  readonly toolName?: string;
  readonly toolArgs?: string;
  /** Tool profile `maxItems` (JSON only). */
  readonly maxItems?: number;
  /** Code must stay untouched (analysis intent in the latest user message). */
  readonly protectCode: boolean;
  /** Code here must stay untouched: the block is in one of the last `code.protectRecentMessages` messages. */
  readonly codeRecent?: boolean;
  /** Messages after the one holding the block (the code compressor's recency gate). */
  readonly messagesFromEnd?: number;
}

const NO_ENTRIES: ReadonlyArray<CCREntry> = [];

function skipped(d: Detection, compressor: string, tokens: number, reason: string, pathSuffix = ''): DecisionCore {
  return {
    pathSuffix,
    type: d.type,
    confidence: d.confidence,
    ...(d.language !== undefined ? { language: d.language } : {}),
    ...(d.subtype !== undefined ? { subtype: d.subtype } : {}),
    compressor,
    tokensBefore: tokens,
    tokensAfter: tokens,
    action: 'skipped',
    reason,
  };
}

interface SingleResult {
  readonly output: string;
  readonly changed: boolean;
  readonly decision: DecisionCore;
  readonly labels: ReadonlyArray<string>;
  readonly hashes: ReadonlyArray<string>;
  readonly entries: ReadonlyArray<CCREntry>;
  readonly warnings: ReadonlyArray<string>;
}

function unchangedResult(text: string, decision: DecisionCore, warnings: ReadonlyArray<string> = []): SingleResult {
  return { output: text, changed: false, decision, labels: [], hashes: [], entries: NO_ENTRIES, warnings };
}

/** The token threshold that applies to a type. */
export function thresholdFor(type: ContentType, router: ResolvedRouterConfig, config: ResolvedConfig): number {
  const t = router.minTokens[type];
  return type === 'json' ? Math.max(t, config.smartCrusher.minTokensToCrush) : t;
}

/** Route one piece of text whose type is known. */
function routeSingle(text: string, d: Detection, tokensBefore: number, input: BlockInput, env: RouteEnv, pathSuffix: string, where: string): SingleResult {
  const router = env.config.router;
  const type = d.type;
  const name = COMPRESSOR_NAMES[type];
  if (type === 'code') {
    if (input.protectCode) return unchangedResult(text, skipped(d, name, tokensBefore, SKIP.analysisIntent, pathSuffix));
    if (!router.enableCode) return unchangedResult(text, skipped(d, name, tokensBefore, SKIP.codePassthrough, pathSuffix));
    if (input.codeRecent) return unchangedResult(text, skipped(d, name, tokensBefore, SKIP.recentCode, pathSuffix));
  }
  if (!router.compressors[type] || (type === 'json' && !env.config.smartCrusher.enabled)) {
    return unchangedResult(text, skipped(d, name, tokensBefore, `${SKIP.disabled} (${type})`, pathSuffix));
  }
  const min = thresholdFor(type, router, env.config);
  if (tokensBefore < min) return unchangedResult(text, skipped(d, name, tokensBefore, `${SKIP.belowThreshold} (${tokensBefore} < ${min} tokens)`, pathSuffix));
  const reg = env.compressorFor(type);
  if (!reg) return unchangedResult(text, skipped(d, name, tokensBefore, `${SKIP.unavailable} (${name})`, pathSuffix));

  let cfg = reg.configOf ? reg.configOf(env.config) : undefined;
  if (type === 'json' && input.maxItems !== undefined && cfg && typeof cfg === 'object') cfg = { ...(cfg as object), maxItemsAfterCrush: input.maxItems };
  const recorded: CCREntry[] = [];
  const deps = { counter: env.counter, ccr: { record: (e: CCREntry) => void recorded.push(e) } };
  const cin: CompressorInput = {
    text,
    query: input.query,
    ...(input.toolName !== undefined ? { toolName: input.toolName } : {}),
    ...(input.toolArgs !== undefined ? { toolArgs: input.toolArgs } : {}),
    ...(d.language !== undefined || d.subtype !== undefined ? { hint: (d.language ?? d.subtype) as string } : {}),
    // Where the block sits, for the code compressor's gates. Intent is the router's gate
    // (protectCode, in the cache key), so no user message is passed to fall back on.
    ...(type === 'code' ? { context: { messagesFromEnd: input.messagesFromEnd, latestUserMessage: '' } } : {}),
  };
  let out: RoutedOutput;
  try {
    out = reg.compressor.compress(cin, deps, cfg) as RoutedOutput;
  } catch (err) {
    const w = `content_router: the ${name} compressor failed on ${where} and it passed through unchanged: ${(err as Error)?.message ?? String(err)}`;
    return unchangedResult(text, skipped(d, name, tokensBefore, `${SKIP.failed}: ${(err as Error)?.message ?? String(err)}`, pathSuffix), [w]);
  }
  const warnings: string[] = [];
  if (out && typeof out.warning === 'string' && out.warning !== '') warnings.push(out.warning);
  if (!out || typeof out !== 'object' || typeof out.output !== 'string') {
    warnings.push(`content_router: the ${name} compressor returned no text for ${where}; passed through unchanged`);
    return unchangedResult(text, skipped(d, name, tokensBefore, `${SKIP.unsafe}: no output text`, pathSuffix), warnings);
  }
  if (!out.changed || out.output === text) {
    return unchangedResult(text, skipped(d, name, tokensBefore, out.note ? `${SKIP.declined}: ${out.note}` : SKIP.declined, pathSuffix), warnings);
  }
  if (text.trim() !== '' && out.output.trim() === '') {
    warnings.push(`content_router: the ${name} compressor emptied ${where}; passed through unchanged`);
    return unchangedResult(text, skipped(d, name, tokensBefore, `${SKIP.unsafe}: empty output`, pathSuffix), warnings);
  }
  const recordedHashes = new Set(recorded.map((e) => e.hash));
  const markers = parseMarkers(out.output);
  const foreign = markers.filter((m) => !recordedHashes.has(m.hash));
  if (foreign.length > 0) {
    warnings.push(`content_router: the ${name} compressor emitted a marker for ${foreign[0].hash} on ${where} without recording its original; passed through unchanged`);
    return unchangedResult(text, skipped(d, name, tokensBefore, `${SKIP.unsafe}: marker ${foreign[0].hash} has no recorded original`, pathSuffix), warnings);
  }
  const tokensAfter = env.counter.countText(out.output);
  if (tokensAfter >= tokensBefore) {
    return unchangedResult(text, skipped(d, name, tokensBefore, `${SKIP.notSmaller} (${tokensBefore} -> ${tokensAfter} tokens)`, pathSuffix), warnings);
  }
  const named = new Set(markers.map((m) => m.hash));
  const hashes = [...named];
  const entries = recorded.filter((e, i) => named.has(e.hash) && recorded.findIndex((x) => x.hash === e.hash) === i);
  const labels = [...(Array.isArray(out.labels) ? out.labels.filter((l) => typeof l === 'string') : []), `router:${type}=${tokensBefore}->${tokensAfter}`];
  const decision: DecisionCore = {
    pathSuffix,
    type,
    confidence: d.confidence,
    ...(d.language !== undefined ? { language: d.language } : {}),
    ...(d.subtype !== undefined ? { subtype: d.subtype } : {}),
    compressor: name,
    tokensBefore,
    tokensAfter,
    action: 'compressed',
    ...(out.note ? { reason: out.note } : {}),
    labels,
    hashes,
  };
  return { output: out.output, changed: true, decision, labels, hashes, entries, warnings };
}

/** Leading and trailing whitespace of a part stay as they were; only the core is routed. */
function core(text: string): { lead: string; body: string; trail: string } {
  const start = text.length - text.trimStart().length;
  const body = text.trim();
  return { lead: text.slice(0, start), body, trail: text.slice(start + body.length) };
}

function routeParts(text: string, segments: ReadonlyArray<Segment>, tokensBefore: number, whole: Detection, input: BlockInput, env: RouteEnv, where: string): BlockOutcome {
  const pieces: string[] = [];
  const partDecisions: DecisionCore[] = [];
  const labels: string[] = [];
  const hashes: string[] = [];
  const entries: CCREntry[] = [];
  const warnings: string[] = [];
  let changed = false;
  let partNo = 0;
  for (const seg of segments) {
    const raw = text.slice(seg.start, seg.end);
    if (seg.kind === 'verbatim' || raw.trim() === '') {
      pieces.push(raw);
      continue;
    }
    const suffix = `.parts[${partNo++}]`;
    const { lead, body, trail } = core(raw);
    // Parts inherit fence hints only; the tool's own hint described the whole block. A JSON part
    // parsed while splitting, so it is not parsed again here.
    let d: Detection;
    if (seg.kind === 'json' && seg.shape) d = { type: 'json', confidence: seg.shape === 'dict_array' ? 1 : seg.shape === 'object' ? 0.9 : 0.8, subtype: seg.shape, via: 'structure' };
    else {
      const structure = analyzeStructure(body);
      if (seg.kind === 'search') d = structure.detection.type === 'search' || structure.detection.type === 'log' ? structure.detection : { type: 'search', confidence: 0.6, via: 'structure' };
      else d = detectWithStructure(structure, seg.info !== undefined ? { fenceLanguage: seg.info } : undefined);
    }
    const tokens = env.counter.countText(body);
    const r = routeSingle(body, d, tokens, input, env, suffix, `${where}${suffix}`);
    partDecisions.push(r.decision);
    warnings.push(...r.warnings);
    if (r.changed) {
      changed = true;
      pieces.push(lead + r.output + trail);
      labels.push(...r.labels);
      hashes.push(...r.hashes);
      entries.push(...r.entries);
    } else pieces.push(raw);
  }
  const output = changed ? pieces.join('') : text;
  const tokensAfter = changed ? env.counter.countText(output) : tokensBefore;
  const blockDecision = (action: 'compressed' | 'skipped', after: number, reason?: string): DecisionCore => ({
    pathSuffix: '',
    type: 'mixed',
    confidence: whole.confidence,
    compressor: 'split',
    tokensBefore,
    tokensAfter: after,
    action,
    ...(reason ? { reason } : {}),
    ...(action === 'compressed' ? { hashes } : {}),
  });
  if (!changed) {
    return { output: text, changed: false, decisions: [blockDecision('skipped', tokensBefore, 'no part was compressed'), ...partDecisions], labels: [], hashes: [], entries: NO_ENTRIES, warnings };
  }
  if (tokensAfter >= tokensBefore) {
    const parts = partDecisions.map((p) => (p.action === 'compressed' ? { ...p, action: 'skipped' as const, tokensAfter: p.tokensBefore, reason: `${SKIP.notSmaller} (block as a whole)`, labels: [], hashes: [] } : p));
    return { output: text, changed: false, decisions: [blockDecision('skipped', tokensBefore, `${SKIP.notSmaller} (${tokensBefore} -> ${tokensAfter} tokens)`), ...parts], labels: [], hashes: [], entries: NO_ENTRIES, warnings };
  }
  return {
    output,
    changed: true,
    decisions: [blockDecision('compressed', tokensAfter), ...partDecisions],
    labels: [...labels, `router:mixed=${tokensBefore}->${tokensAfter}`],
    hashes,
    entries,
    warnings,
  };
}

/**
 * The parts of a mixed block, or null to route it whole.
 * - Prose (`text`, however detected) is split on fences, embedded JSON and search runs.
 * - Blocks whose lines looked like code, a log or search hits (no hint decided) are split on
 *   fences only, and only when what lies outside the fences is prose: markdown whose fenced log
 *   dominates the line sample is still markdown, while a source file or a log that merely
 *   contains a fence is routed whole (a JSON-looking line inside code is never cut out of it).
 */
function mixedSegments(text: string, d: Detection): Segment[] | null {
  if (d.type === 'text') return splitMixed(text);
  if (d.via !== 'structure' || (d.type !== 'code' && d.type !== 'log' && d.type !== 'search')) return null;
  if (!text.includes('```') && !text.includes('~~~')) return null;
  const segments = splitMixed(text, { json: false, search: false });
  if (!segments) return null;
  const outside = segments.filter((s) => s.kind === 'text').map((s) => text.slice(s.start, s.end)).join('\n');
  return analyzeStructure(outside).detection.type === 'text' ? segments : null;
}

/**
 * Route one block (a tool-result text part, or assistant text). Protection by role, position,
 * tool (retrieve, profile skip) is decided by the caller; this handles everything that depends
 * on the content.
 */
export function routeBlock(input: BlockInput, env: RouteEnv, where = 'a block'): BlockOutcome {
  const text = input.text;
  const hints: DetectHints = {
    ...(input.toolName !== undefined ? { toolName: input.toolName } : {}),
    ...(input.toolArgs !== undefined ? { toolArgs: input.toolArgs } : {}),
  };
  if (text.trim() === '') {
    const d: Detection = { type: 'text', confidence: 0, via: 'structure' };
    return single(unchangedResult(text, skipped(d, 'none', 0, SKIP.empty)));
  }
  const tokensBefore = env.counter.countText(text);
  const structure = analyzeStructure(text);
  const d = detectWithStructure(structure, hints);
  if (carriesMarker(text)) return single(unchangedResult(text, skipped(d, COMPRESSOR_NAMES[d.type], tokensBefore, SKIP.alreadyCompressed)));
  if (env.config.router.splitMixed) {
    const segments = mixedSegments(text, d);
    if (segments) return routeParts(text, segments, tokensBefore, d, input, env, where);
  }
  return single(routeSingle(text, d, tokensBefore, input, env, '', where));
}

function single(r: SingleResult): BlockOutcome {
  return { output: r.output, changed: r.changed, decisions: [r.decision], labels: r.labels, hashes: r.hashes, entries: r.entries, warnings: r.warnings };
}
