/**
 * Body shortening: which statements of each function body stay, and the placeholder that
 * replaces the rest.
 *
 * The tree is read once into plain objects (units = top-level statements of a body, with their
 * line spans); planning at a given line budget is then pure JavaScript, so the target-ratio loop
 * can try several budgets without touching the parser again.
 *
 * Per body, in order:
 * - docstrings and definitions (nested functions/classes, `const f = () => …`) are always kept —
 *   their own bodies are shortened when their turn comes;
 * - other statements are kept while they fit the budget (whole statements, never cut inside an
 *   expression: the reference's changelog records that line cuts broke multi-line literals). A
 *   statement's cost is its line count minus what its nested function bodies will lose;
 * - past the first statement that does not fit, the rest is elided, except error handlers
 *   (try statements with an except/catch clause: kept with their own blocks shortened the same
 *   way; a try with only `finally` is cleanup and goes like any statement) and cheap error paths
 *   (Go `if err != nil {…}`, short Rust `Err(` matches);
 * - each run of elided statements becomes one placeholder naming the file's CCR entry: the first
 *   placeholder of the file carries the full marker, later ones a ref to it
 *   (`[headroom: N lines omitted]`, engine/ccr/markers.ts), unless the run is too small to pay
 *   for its placeholder.
 */
import type { Node } from 'web-tree-sitter';
import { formatMarkerRef, formatTextMarker } from '../../ccr/markers.js';
import type { LangSpec } from './syntax.js';
import { roughTokens, type Edit, type LineIndex } from './text.js';

export type UnitKind = 'stmt' | 'def' | 'doc' | 'handler' | 'cheap';

export interface Unit {
  readonly start: number;
  readonly end: number;
  readonly lines: number;
  readonly kind: UnitKind;
  /** Line counts of the outermost function bodies inside this statement (their shortening lowers its cost). */
  readonly nested: ReadonlyArray<number>;
  /** Blocks of a handler (try body, except/catch/finally blocks), shortened like bodies. */
  readonly blocks?: ReadonlyArray<Block>;
  /** A value expression (Rust tail expression without `;`). */
  readonly expression: boolean;
}

export interface Block {
  readonly start: number;
  readonly end: number;
  readonly units: ReadonlyArray<Unit>;
  /** Comment children [start, end) in order (they ride along with the statements around them). */
  readonly comments: ReadonlyArray<readonly [number, number]>;
}

export interface Body {
  /** The function node (for the terminator), or null for non-function bodies (`if __name__ == …`). */
  readonly fn: Node | null;
  readonly block: Block;
}

/** A docstring statement found while reading bodies (Python). */
export interface DocstringSite {
  /** The docstring statement (expression_statement). */
  readonly statement: Node;
  /** Its string node. */
  readonly string: Node;
  /** It is the only statement of its block. */
  readonly only: boolean;
}

export interface BodyModel {
  readonly bodies: ReadonlyArray<Body>;
  /** Docstrings of function bodies (Python), for the docstring pass. */
  readonly docstrings: ReadonlyArray<DocstringSite>;
}

interface Ctx {
  readonly spec: LangSpec;
  readonly lines: LineIndex;
  readonly docstrings: DocstringSite[];
  /** Start offsets of every function body, sorted, with their end and line count. */
  readonly fnBodies: ReadonlyArray<{ readonly start: number; readonly end: number; readonly lines: number; readonly fnStart: number }>;
}

function lineSpan(lines: LineIndex, start: number, end: number): number {
  return lines.lineOf(Math.max(start, end - 1)) - lines.lineOf(start) + 1;
}

/** The body node of a function-like node, when it is a block the compressor shortens. */
function bodyOf(fn: Node, spec: LangSpec): Node | null {
  let body = fn.childForFieldName('body');
  if (!body && fn.type === 'static_initializer') body = fn.namedChildren.find((c) => c.type === 'block') ?? null;
  return body && spec.blockTypes.has(body.type) ? body : null;
}

/** Statement children of a block (Go nests them in a statement_list), and its comments. */
function blockChildren(block: Node, spec: LangSpec): Node[] {
  const out: Node[] = [];
  for (const c of block.namedChildren) {
    if (c.type === 'statement_list') out.push(...c.namedChildren);
    else out.push(c);
  }
  return out;
}

const PY_STRING = new Set(['string', 'concatenated_string']);

/** A Python docstring statement: an expression statement holding only a string. */
export function isDocstringStatement(n: Node): boolean {
  if (n.type !== 'expression_statement' || n.namedChildCount !== 1) return false;
  const c = n.namedChild(0);
  return c !== null && PY_STRING.has(c.type);
}

/** Types of statements (not tail expressions) in C-like blocks. */
function isStatementType(type: string): boolean {
  return type.endsWith('_statement') || type.endsWith('_declaration') || type.endsWith('_item') || type === 'declaration' || type === 'empty_statement' || type === 'macro_invocation' || type === 'attribute_item';
}

function lowerBound(arr: ReadonlyArray<{ readonly start: number }>, offset: number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid].start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function buildBlock(block: Node, ctx: Ctx, isFunctionBody: boolean): Block {
  const { spec, lines } = ctx;
  const children = blockChildren(block, spec);
  const commentTypes = spec.commentTypes;
  const units: Unit[] = [];
  const comments: Array<readonly [number, number]> = [];
  let pendingStart = -1; // start of attached items (Rust attributes) waiting for their statement
  for (let i = 0; i < children.length; i++) {
    const c = children[i];
    if (commentTypes.includes(c.type)) {
      comments.push([c.startIndex, c.endIndex]);
      continue;
    }
    if (spec.attachedTypes.has(c.type) && i + 1 < children.length) {
      if (pendingStart < 0) pendingStart = c.startIndex;
      continue;
    }
    const start = pendingStart >= 0 ? pendingStart : c.startIndex;
    pendingStart = -1;
    const end = c.endIndex;
    const n = lineSpan(lines, start, end);
    let kind: UnitKind = 'stmt';
    if (spec.python && isFunctionBody && units.length === 0 && isDocstringStatement(c)) {
      kind = 'doc';
      const str = c.namedChild(0);
      if (str) ctx.docstrings.push({ statement: c, string: str, only: children.every((x) => x === c || commentTypes.includes(x.type)) });
    }
    else if (spec.definitionTypes.has(c.type)) kind = 'def';
    else if (spec.declarationTypes.has(c.type) && startsFunctionOnFirstLine(c.startIndex, end, ctx)) kind = 'def';
    else if (spec.handlerTypes.has(c.type) && handlesErrors(c, spec)) kind = 'handler';
    else if (spec.isCheapErrorPath && spec.isCheapErrorPath(c.text, n)) kind = 'cheap';
    // Outermost function bodies inside this statement.
    const nested: number[] = [];
    let lastEnd = -1;
    for (let k = lowerBound(ctx.fnBodies, start); k < ctx.fnBodies.length && ctx.fnBodies[k].start < end; k++) {
      const b = ctx.fnBodies[k];
      // Not this block itself (Python blocks start at their first statement), nor one already counted.
      if (b.start < lastEnd || b.end > end || (b.start === block.startIndex && b.end === block.endIndex)) continue;
      nested.push(b.lines);
      lastEnd = b.end;
    }
    let blocks: Block[] | undefined;
    if (kind === 'handler') {
      blocks = [];
      for (const part of c.namedChildren) {
        if (spec.blockTypes.has(part.type)) blocks.push(buildBlock(part, ctx, false));
        else for (const sub of part.namedChildren) if (spec.blockTypes.has(sub.type)) blocks.push(buildBlock(sub, ctx, false));
      }
    }
    const expression = !spec.python && !isStatementType(c.type) && kind === 'stmt';
    units.push({ start, end, lines: n, kind, nested, expression, ...(blocks ? { blocks } : {}) });
  }
  return { start: block.startIndex, end: block.endIndex, units, comments };
}

/** A try statement with a catch/except clause (not only `finally`). */
function handlesErrors(n: Node, spec: LangSpec): boolean {
  for (let c = n.firstNamedChild; c; c = c.nextNamedSibling) if (spec.handlerClauseTypes.has(c.type)) return true;
  return false;
}

/** True when a function body of the file starts on the first line of [start, end). */
function startsFunctionOnFirstLine(start: number, end: number, ctx: Ctx): boolean {
  const k = lowerBound(ctx.fnBodies, start);
  if (k >= ctx.fnBodies.length) return false;
  const b = ctx.fnBodies[k];
  return b.fnStart < end && ctx.lines.lineOf(b.fnStart) === ctx.lines.lineOf(start);
}

/** Read every shortenable body of a tree into plain objects. */
export function buildBodyModel(root: Node, spec: LangSpec, lines: LineIndex, functionNodes?: ReadonlyArray<Node>): BodyModel {
  const found: Array<{ fn: Node | null; body: Node }> = [];
  for (const fn of functionNodes ?? root.descendantsOfType([...spec.functionTypes])) {
    const body = bodyOf(fn, spec);
    if (body) found.push({ fn, body });
  }
  if (spec.python) {
    // `if __name__ == "__main__":` at module level: a script's body.
    for (const st of root.namedChildren) {
      if (st.type !== 'if_statement') continue;
      const cond = st.childForFieldName('condition');
      const cons = st.childForFieldName('consequence');
      if (cond && cons && cons.type === 'block' && /__name__/.test(cond.text)) found.push({ fn: null, body: cons });
    }
  }
  found.sort((a, b) => a.body.startIndex - b.body.startIndex);
  const fnBodies = found.map(({ fn, body }) => ({
    start: body.startIndex,
    end: body.endIndex,
    lines: lineSpan(lines, body.startIndex, body.endIndex),
    fnStart: fn ? fn.startIndex : body.startIndex,
  }));
  const ctx: Ctx = { spec, lines, fnBodies, docstrings: [] };
  const bodies = found.map(({ fn, body }) => ({ fn, block: buildBlock(body, ctx, fn !== null) }));
  return { bodies, docstrings: ctx.docstrings };
}

// ---------------------------------------------------------------------------------------------
// Planning

export interface PlanOptions {
  readonly budget: number;
  readonly keepErrorHandlers: boolean;
  /** The file's CCR hash, named by the placeholders. */
  readonly hash: string;
  /** Every placeholder carries the full marker (true), or only the first one (false: the others carry a ref to it). */
  readonly markerEach: boolean;
  /**
   * Definitions inside function bodies (nested functions and classes, `const f = () => {…}`)
   * are elided like statements instead of being kept as signatures. They are not part of the
   * file's interface; the target-ratio ladder's last rung turns this on. Default false.
   */
  readonly elideLocalDefinitions?: boolean;
  /**
   * A run of statements is replaced only when it has at least `minLines` lines (default 2) and
   * `worth` times the placeholder's tokens, estimated (default 2: the placeholder at most halves
   * what it replaces). The ladder's last rung lowers them to 1 line and 1.25.
   */
  readonly worth?: number;
  readonly minLines?: number;
  /** Follow the placeholder with a statement that makes the body type-check (`compilableBodies`). Default false. */
  readonly terminators?: boolean;
}

/** One elided run of statements and how to render its placeholder. */
interface Region {
  readonly start: number;
  readonly end: number;
  /** Source lines elided. */
  readonly count: number;
  readonly indent: string;
  /** Something follows on the last line (`}`): the placeholder must stay on one line. */
  readonly inline: boolean;
  /** The whole inside of a `{…}` block: the placeholder goes between the braces, on one line. */
  readonly collapsed?: boolean;
  readonly terminator: string | undefined;
}

export interface BodyPlan {
  readonly edits: Edit[];
  /** Elided ranges [start, end), sorted (edits elsewhere inside them are dropped). */
  readonly elided: Array<readonly [number, number]>;
  bodiesShortened: number;
  linesElided: number;
}

interface Planning {
  readonly regions: Region[];
  readonly elided: Array<readonly [number, number]>;
}

/** The marker a placeholder carries: the full one, or a ref to it. */
function markerFor(count: number, hash: string, full: boolean): string {
  const m = { count, unit: count === 1 ? 'line' : 'lines', hash };
  return full ? formatTextMarker(m) : formatMarkerRef(m);
}

/** The placeholder text of a region (with its leading indentation). */
function render(r: Region, spec: LangSpec, note: string, eol: string): string {
  if (r.collapsed) return ` /* ${note} */ ` + (r.terminator ? `${r.terminator} ` : '');
  if (spec.python) return `${r.indent}...  # ${note}`;
  if (!r.inline) return `${r.indent}// ${note}` + (r.terminator ? `${eol}${r.indent}${r.terminator}` : '');
  return `${r.indent}/* ${note} */` + (r.terminator ? ` ${r.terminator}` : '');
}

function insideAny(ranges: ReadonlyArray<readonly [number, number]>, start: number, end: number): boolean {
  for (const [s, e] of ranges) if (start >= s && end <= e) return true;
  return false;
}

/** Plan the placeholders for one budget. */
export function planBodies(model: BodyModel, spec: LangSpec, lines: LineIndex, opts: PlanOptions): BodyPlan {
  const p: Planning = { regions: [], elided: [] };
  let bodiesShortened = 0;
  for (const body of model.bodies) {
    if (insideAny(p.elided, body.block.start, body.block.end)) continue;
    const before = p.regions.length;
    planBlock(body.block, body.fn, body.fn !== null, spec, lines, opts, p);
    if (p.regions.length > before) bodiesShortened++;
  }
  p.regions.sort((a, b) => a.start - b.start);
  p.elided.sort((a, b) => a[0] - b[0]);
  const edits = p.regions.map((r, k) => ({
    start: r.start,
    end: r.end,
    text: render(r, spec, markerFor(r.count, opts.hash, opts.markerEach || k === 0), lines.eol),
  }));
  return { edits, elided: p.elided, bodiesShortened, linesElided: p.regions.reduce((n, r) => n + r.count, 0) };
}

/** `local`: the block is (inside) a function body, so its definitions are local ones. */
function planBlock(block: Block, fn: Node | null, local: boolean, spec: LangSpec, lines: LineIndex, opts: PlanOptions, plan: Planning): void {
  const { budget } = opts;
  const elideDefs = local && opts.elideLocalDefinitions === true;
  const units = block.units;
  const elide = new Array<boolean>(units.length).fill(false);
  let used = 0;
  let open = true;
  for (let i = 0; i < units.length; i++) {
    const u = units[i];
    if (u.kind === 'doc' || (u.kind === 'def' && !elideDefs)) continue;
    let cost = u.lines;
    for (const n of u.nested) cost -= Math.max(0, n - (budget + 2));
    if (open && used + cost <= budget) {
      used += cost;
      continue;
    }
    open = false;
    if (opts.keepErrorHandlers && u.kind === 'handler') {
      for (const b of u.blocks ?? []) planBlock(b, null, local, spec, lines, opts, plan);
      continue;
    }
    if (opts.keepErrorHandlers && u.kind === 'cheap') continue;
    elide[i] = true;
  }
  for (let i = 0; i < units.length; ) {
    if (!elide[i]) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < units.length && elide[j + 1]) j++;
    addRegion(block, i, j, fn, spec, lines, opts, plan);
    i = j + 1;
  }
}

function addRegion(block: Block, i: number, j: number, fn: Node | null, spec: LangSpec, lines: LineIndex, opts: PlanOptions, plan: Planning): void {
  const text = lines.text;
  const units = block.units;
  const isTail = j === units.length - 1;
  const nextStart = isTail ? block.end : units[j + 1].start;
  let start = units[i].start;
  let end = units[j].end;
  // Comments after the last elided statement, up to the next kept one, go with it.
  for (const [cs, ce] of block.comments) if (cs >= end && ce <= nextStart) end = Math.max(end, ce);
  // Rust line comments include their newline.
  while (end > start && (text.charCodeAt(end - 1) === 0x0a || text.charCodeAt(end - 1) === 0x0d)) end--;
  const atLineStart = lines.onlyIndentBefore(start);
  const lineStartOffset = lines.lineStart(start);
  const indent = atLineStart ? text.slice(lineStartOffset, start) : '';
  if (atLineStart) start = lineStartOffset;
  const restOfLineEmpty = lines.onlySpaceAfter(end);
  if (restOfLineEmpty) end = lines.lineEnd(end);
  // Trailing CR of a CRLF line stays with the newline.
  if (restOfLineEmpty && end > 0 && text.charCodeAt(end - 1) === 0x0d) end--;
  const count = lines.lineOf(Math.max(units[i].start, units[j].end - 1)) - lines.lineOf(units[i].start) + 1;
  // `...` is a Python statement anywhere a statement may stand; the rest of its line must be empty.
  if (spec.python && !restOfLineEmpty) return;
  let terminator: string | undefined;
  if (opts.terminators && !spec.python && isTail && fn) terminator = spec.terminator(fn, units[j].expression, text.slice(units[i].start, units[j].end));
  // A body elided whole (nothing kept, no comment before its first statement) collapses onto
  // one line: `{ /* [headroom: …] */ }`, two lines shorter.
  const whole = !spec.python && i === 0 && isTail && text.charCodeAt(block.start) === 0x7b && text.charCodeAt(block.end - 1) === 0x7d && !block.comments.some(([cs]) => cs < units[0].start);
  const region: Region = whole
    ? { start: block.start + 1, end: block.end - 1, count, indent: '', inline: true, collapsed: true, terminator }
    : { start, end, count, indent, inline: !restOfLineEmpty, terminator };
  // Worth it only when the elided code is clearly bigger than its placeholder (and, once per
  // file, the full marker): at least two lines, and twice the placeholder's tokens (estimated;
  // a terminator such as `throw new UnsupportedOperationException();` counts too).
  const placeholder = render(region, spec, markerFor(count, opts.hash, opts.markerEach), lines.eol);
  if (count < (opts.minLines ?? 2) || roughTokens(text, region.start, region.end) < Math.max((opts.worth ?? 2) * roughTokens(placeholder), 12)) return;
  plan.regions.push(region);
  plan.elided.push([region.start, region.end]);
}
