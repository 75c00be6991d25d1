/**
 * The code compressor: parse with tree-sitter, keep the structure (imports, declarations,
 * signatures, decorators, types, error handlers, the first lines of each body), replace the rest
 * of each body with a placeholder naming the file's CCR entry, then re-parse the result.
 *
 * Guarantee: the output is returned only when its tree has no ERROR or MISSING node (inputs that
 * do not parse cleanly pass through untouched) and it has fewer tokens than the input; otherwise
 * the original comes back with a note. Nothing here throws: a failure is a passthrough.
 *
 * Synchronous: the grammar must already be registered (sdk/code `ensureLanguages`).
 */
import type { Edit as TreeEdit, Node, Point, Tree } from 'web-tree-sitter';
import { ccrHash } from '../../ccr/hash.js';
import { formatTextMarker, parseMarkers } from '../../ccr/markers.js';
import type { TokenCounter } from '../../tokenizer/types.js';
import type { CCRSink } from '../../ccr/types.js';
import { unchanged, type CompressorInput, type CompressorOutput, type ContentCompressor, type CompressorDeps } from '../compressor.js';
import { buildBodyModel, planBodies, type BodyPlan } from './bodies.js';
import { planComments } from './comments.js';
import { DEFAULT_CODE_CONFIG, type ResolvedCodeConfig } from './config.js';
import { checkGates, type CodeContext } from './gates.js';
import { codeGrammar, noteMissingGrammar } from './grammars.js';
import { CODE_LANGUAGES, alternativeLanguages, chooseLanguage, unsupportedLanguage, type CodeLanguage, type LanguageHints, type LanguageSource } from './languages.js';
import { SPECS } from './syntax.js';
import { applyEdits, LineIndex, normalizeEdits, type Edit } from './text.js';
import { newProblems, syntaxProblems } from './validate.js';

/** Why code was left alone (stable codes; `note` says it in words). */
export type CodeSkip =
  | 'disabled'
  | 'empty'
  | 'marker'
  | 'language'
  | 'language_disabled'
  | 'grammar'
  | 'small'
  | 'recent'
  | 'intent'
  | 'too_large'
  | 'minified'
  | 'input_errors'
  | 'nothing'
  | 'invalid_output'
  | 'not_smaller'
  | 'failed';

export interface CodeRunOptions extends LanguageHints {
  /** Where the block sits in the conversation (router). */
  readonly context?: CodeContext;
  /** The user's question when the block arrived (fallback for the intent gate). */
  readonly query?: string;
  /**
   * The recency gate holds the block back when `context.messagesFromEnd` is missing (the router
   * sets this: in a conversation, unknown position must not mean "old"). Default false.
   */
  readonly positionRequired?: boolean;
}

export interface CodeCompression {
  readonly changed: boolean;
  /** The compressed text, or the input when unchanged. */
  readonly output: string;
  /** Language used (null when none could be decided). */
  readonly language: CodeLanguage | null;
  readonly languageVia: LanguageSource | null;
  /** Set when unchanged. */
  readonly skip?: CodeSkip;
  /** Why it was left alone, or what was done. */
  readonly note: string;
  /** The returned text parses without ERROR/MISSING nodes (false when unparsed or malformed input passed through). */
  readonly syntaxValid: boolean;
  readonly tokensBefore: number;
  readonly tokensAfter: number;
  /** CCR key of the original (recorded before returning); null when unchanged. */
  readonly hash: string | null;
  readonly bodiesShortened: number;
  readonly linesBefore: number;
  readonly linesAfter: number;
  /** Body line budget finally used (after target-ratio tightening), null when unchanged before planning. */
  readonly budget: number | null;
  /** Problems found in a rejected output (bench and tests look at them). */
  readonly rejectedProblems?: ReadonlyArray<string>;
}

export interface CodeDeps {
  readonly counter: TokenCounter;
  readonly ccr: CCRSink;
}

/** Budgets tried in turn until the target ratio is met: the configured one, then 3, 1, 0 lines. */
export function budgetLadder(start: number): number[] {
  const out = [start];
  for (const b of [3, 1, 0]) if (b < out[out.length - 1]) out.push(b);
  return out;
}

/** One step of the target-ratio ladder. */
interface Rung {
  readonly budget: number;
  readonly elideLocalDefinitions?: boolean;
  readonly worth?: number;
  readonly minLines?: number;
}

/**
 * The steps tried in turn until the target ratio is met: the configured budget, then 3, 1 and 0
 * lines; last, still 0 lines, everything a placeholder makes smaller goes: definitions local to
 * a function body (the file's top-level and class-level definitions always stay) and runs of a
 * single line, with a placeholder at least 20% smaller (estimated) instead of half the size.
 */
function rungs(start: number): Rung[] {
  const out: Rung[] = budgetLadder(start).map((budget) => ({ budget }));
  out.push({ budget: 0, elideLocalDefinitions: true, worth: 1.25, minLines: 1 });
  return out;
}

function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function overlapsAny(sorted: ReadonlyArray<readonly [number, number]>, start: number, end: number): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid][1] <= start) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo][0] < Math.max(end, start + 1);
}

/** The row/column of an offset (columns in UTF-16 units, as web-tree-sitter counts string input). */
function pointAt(lines: LineIndex, offset: number): Point {
  const row = lines.lineOf(offset);
  return { row, column: offset - lines.startOfLine(row) };
}

/** Where a point ends up after inserting `inserted` at it. */
function advance(p: Point, inserted: string): Point {
  const nl = inserted.lastIndexOf('\n');
  if (nl < 0) return { row: p.row, column: p.column + inserted.length };
  let rows = 0;
  for (let i = inserted.indexOf('\n'); i !== -1; i = inserted.indexOf('\n', i + 1)) rows++;
  return { row: p.row + rows, column: inserted.length - nl - 1 };
}

/** Tell the old tree about the edits (last first, so earlier offsets stay valid). Exported for tests. */
export function editTree(tree: Tree, lines: LineIndex, sorted: ReadonlyArray<Edit>): void {
  for (let k = sorted.length - 1; k >= 0; k--) {
    const e = sorted[k];
    const startPosition = pointAt(lines, e.start);
    // A plain object is all tree.edit reads; the Edit class only adds helpers.
    const edit = {
      startIndex: e.start,
      oldEndIndex: e.end,
      newEndIndex: e.start + e.text.length,
      startPosition,
      oldEndPosition: pointAt(lines, e.end),
      newEndPosition: advance(startPosition, e.text),
    };
    tree.edit(edit as unknown as TreeEdit);
  }
}

/** Compress one source file. Never throws. */
export function compressCodeSync(text: string, deps: CodeDeps, config: ResolvedCodeConfig = DEFAULT_CODE_CONFIG, options: CodeRunOptions = {}): CodeCompression {
  let tokensBefore = -1;
  const linesBefore = countLines(text);
  let language: CodeLanguage | null = null;
  let via: LanguageSource | null = null;
  const pass = (skip: CodeSkip, note: string, syntaxValid = false, extra: Partial<CodeCompression> = {}): CodeCompression => {
    if (tokensBefore < 0) {
      try {
        tokensBefore = deps.counter.countText(text);
      } catch {
        tokensBefore = Math.ceil(text.length / 4);
      }
    }
    return {
      changed: false,
      output: text,
      language,
      languageVia: via,
      skip,
      note,
      syntaxValid,
      tokensBefore,
      tokensAfter: tokensBefore,
      hash: null,
      bodiesShortened: 0,
      linesBefore,
      linesAfter: linesBefore,
      budget: null,
      ...extra,
    };
  };
  try {
    if (!config.enabled) return pass('disabled', 'code compression disabled');
    if (text.trim() === '') return pass('empty', 'empty');
    const choice = chooseLanguage(text, options);
    if (choice) {
      language = choice.language;
      via = choice.via;
    }
    if (parseMarkers(text).length > 0) return pass('marker', 'already compressed (contains a headroom marker)');
    if (!choice || !language) {
      const named = unsupportedLanguage(options);
      return pass('language', named ? `${named} is not a supported language (supported: ${CODE_LANGUAGES.join(', ')})` : 'language not recognised');
    }
    if (!config.languages.includes(language)) return pass('language_disabled', `${language} is not in the enabled languages`);
    tokensBefore = deps.counter.countText(text);
    const gate = checkGates(tokensBefore, config, options.context, options.query, options.positionRequired);
    if (gate) return pass(gate.code, gate.note);
    if (text.length > config.maxInputChars) return pass('too_large', `too large to parse (${text.length} > ${config.maxInputChars} characters)`);
    if (text.length / linesBefore > 250) return pass('minified', `looks minified or generated (${Math.round(text.length / linesBefore)} characters per line)`);

    // Parse, trying the sibling grammar (TS ↔ TSX, C ↔ C++) when the first one reports errors.
    const tried: string[] = [];
    let grammar = codeGrammar(language);
    if (!grammar) {
      noteMissingGrammar(language);
      return pass('grammar', `grammar for ${language} not loaded (await ensureLanguages(['${language}']) before compressing)`);
    }
    let tree = grammar.parser.parse(text);
    if (!tree) return pass('failed', `${language} parser returned no tree`);
    if (tree.rootNode.hasError) {
      const problems = syntaxProblems(tree.rootNode, 20).length;
      tried.push(`${language}: ${problems}${problems >= 20 ? '+' : ''} syntax errors`);
      for (const alt of alternativeLanguages(language)) {
        if (!config.languages.includes(alt)) continue;
        const g = codeGrammar(alt);
        if (!g) {
          noteMissingGrammar(alt);
          tried.push(`${alt}: grammar not loaded`);
          continue;
        }
        const t = g.parser.parse(text);
        if (t && !t.rootNode.hasError) {
          tree.delete();
          tree = t;
          grammar = g;
          language = alt;
          break;
        }
        t?.delete();
        tried.push(`${alt}: syntax errors`);
      }
      if (tree.rootNode.hasError) {
        tree.delete();
        return pass('input_errors', `input does not parse cleanly, left as is (${tried.join('; ')})`);
      }
    }

    const spec = SPECS[language];
    const lines = new LineIndex(text);
    const hash = ccrHash(text);
    let plan: BodyPlan;
    let budget = config.maxBodyLines;
    let edits: Edit[] = [];
    let output: string;
    let problems: string[];
    let placeholdersKept = true;
    try {
      const root = tree.rootNode;
      // One native scan of the tree for functions, comments and classes (each scan walks it all).
      const fnTypes = new Set(spec.functionTypes);
      const commentTypes = new Set(spec.commentTypes);
      const functionNodes: Node[] = [];
      const commentNodes: Node[] = [];
      const classNodes: Node[] = [];
      for (const n of root.descendantsOfType([...fnTypes, ...commentTypes, ...spec.classTypes])) {
        const t = n.type;
        if (fnTypes.has(t)) functionNodes.push(n);
        else if (commentTypes.has(t)) commentNodes.push(n);
        else classNodes.push(n);
      }
      const model = buildBodyModel(root, spec, lines, functionNodes);
      const commentEdits = planComments({ root, spec, lines, config, functionDocstrings: model.docstrings, commentNodes, classNodes });
      const ladder = config.targetRatio < 1 ? rungs(config.maxBodyLines) : [{ budget: config.maxBodyLines }];
      const planOpts = (r: Rung) => ({ ...r, keepErrorHandlers: config.keepErrorHandlers, hash, markerEach: config.markerEachBody, terminators: config.compilableBodies });
      plan = planBodies(model, spec, lines, planOpts(ladder[0]));
      for (let k = 0; ; k++) {
        budget = ladder[k].budget;
        if (k > 0) plan = planBodies(model, spec, lines, planOpts(ladder[k]));
        const p = plan;
        edits = [...p.edits, ...commentEdits.filter((e) => !overlapsAny(p.elided, e.start, e.end))];
        let size = text.length;
        for (const e of edits) size += e.text.length - (e.end - e.start);
        if (size <= config.targetRatio * text.length || k === ladder.length - 1) break;
      }
      if (edits.length === 0) return pass('nothing', 'nothing to elide', true);
      edits = normalizeEdits(edits);
      const kept = new Set<Edit>(edits);
      placeholdersKept = plan.edits.every((e) => kept.has(e));
      if (plan.edits.length === 0) {
        // Only comments/docstrings went: one marker at the end still names the original.
        const removed = Math.max(1, linesBefore - countLines(applyEdits(text, edits)));
        const marker = formatTextMarker({ count: removed, unit: 'lines', hash, note: 'comments and docstrings' });
        edits.push({ start: text.length, end: text.length, text: (text.endsWith('\n') ? '' : lines.eol) + `${spec.lineComment} ${marker}${lines.eol}` });
      }
      output = applyEdits(text, edits);
      // The guarantee: re-parse the output and reject any ERROR/MISSING node. From scratch by
      // default; with `incrementalReparse` the edited input tree lets tree-sitter reuse every
      // untouched subtree.
      let check: Tree | null;
      if (config.incrementalReparse) {
        editTree(tree, lines, edits);
        check = grammar.parser.parse(output, tree);
      } else check = grammar.parser.parse(output);
      if (!check) return pass('failed', `${language} parser returned no tree for the output`, true);
      try {
        problems = newProblems([], syntaxProblems(check.rootNode, 20)).map((p) => `${p.kind} ${JSON.stringify(p.what)} at ${p.start}`);
      } finally {
        check.delete();
      }
    } finally {
      tree.delete();
    }
    if (problems.length > 0) return pass('invalid_output', `output would not parse (${problems.length} new syntax errors), left as is`, true, { rejectedProblems: problems });
    // Every placeholder's marker must name this file's original: the first placeholder carries
    // the full marker and the later ones refs to it, so all of them must have made it into the
    // output (none dropped as overlapping), and every marker found must carry this hash.
    if (!placeholdersKept || parseMarkers(output).some((m) => m.hash !== hash)) {
      return pass('failed', 'a placeholder marker would not resolve to this file, left as is', true);
    }

    const tokensAfter = deps.counter.countText(output);
    if (tokensAfter >= tokensBefore) return pass('not_smaller', `not smaller (${tokensAfter} ≥ ${tokensBefore} tokens)`, true);

    deps.ccr.record({ hash, content: text, source: 'code', meta: { language, lines: linesBefore } });
    const linesAfter = countLines(output);
    return {
      changed: true,
      output,
      language,
      languageVia: via,
      note: `${language}: ${plan.bodiesShortened} bodies shortened (${plan.linesElided} lines), budget ${budget} lines`,
      syntaxValid: true,
      tokensBefore,
      tokensAfter,
      hash,
      bodiesShortened: plan.bodiesShortened,
      linesBefore,
      linesAfter,
      budget,
    };
  } catch (err) {
    return pass('failed', `code compressor failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** CompressorInput plus what the router knows about the block's place in the conversation. */
export interface CodeCompressorInput extends CompressorInput {
  readonly context?: CodeContext;
}

/**
 * The router's entry point (`name: 'code'`). `input.hint` is the detected language, the path in
 * `input.toolArgs` refines it (`.tsx`), and `context` feeds the recency and intent gates.
 *
 * The recency gate needs to know where the block sits: without `context.messagesFromEnd` the
 * block is held back as possibly recent (unless aggressive, or `protectRecentMessages` is 0), so
 * a router that does not say where a block is never compresses code the user just read.
 * A note always starts with the reason's code (`small:`, `recent:`, `intent:`, `grammar:`…).
 */
export const codeCompressor: ContentCompressor<ResolvedCodeConfig | undefined> = {
  name: 'code',
  compress(input: CodeCompressorInput, deps: CompressorDeps, config: ResolvedCodeConfig | undefined): CompressorOutput {
    const r = compressCodeSync(input.text, deps, config ?? DEFAULT_CODE_CONFIG, {
      hint: input.hint,
      toolArgs: input.toolArgs,
      query: input.query,
      context: input.context,
      positionRequired: true,
    });
    if (!r.changed || r.hash === null) return unchanged(input.text, r.skip ? `${r.skip}: ${r.note}` : r.note);
    return {
      changed: true,
      output: r.output,
      labels: [`code:${r.language}:lines=${r.linesBefore}->${r.linesAfter}`],
      hashes: [r.hash],
      note: r.note,
    };
  },
};
