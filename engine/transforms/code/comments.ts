/**
 * Comments and docstrings.
 *
 * Comments are dropped except:
 * - the license/copyright header at the top of the file (`keepLicenseHeader`);
 * - comments holding one of `keepCommentWords` (TODO, FIXME, SAFETY): the whole group of
 *   adjacent line comments is kept, so a multi-line SAFETY note stays whole;
 * - directives that change what the code means or how tools read it: shebangs, encoding
 *   cookies, `# type:`/`# noqa`, `//go:build`, cgo preambles, `// @ts-ignore`,
 *   `/// <reference …>`, `/* @__PURE__ *\/`, `/*! … *\/`, `@license`, lint pragmas;
 * - comments inside preprocessor macro definitions (removing them could break `\` continuations).
 *
 * Doc comments (Python docstrings; `/** … *\/`, `///`, `//!`, `/*! … *\/`; Go comment groups
 * directly above a declaration) follow the docstring mode: kept whole, cut to their first line,
 * or removed.
 */
import type { Node } from 'web-tree-sitter';
import type { DocstringMode, ResolvedCodeConfig } from './config.js';
import { isDocstringStatement, type DocstringSite } from './bodies.js';
import type { LangSpec } from './syntax.js';
import type { Edit, LineIndex } from './text.js';

const LICENSE = /\b(?:copyright|licen[sc]e[sd]?|spdx-license-identifier|all rights reserved)\b|\(c\)\s*\d{4}|©/i;

const DIRECTIVE = new RegExp(
  [
    String.raw`^#!`,
    String.raw`^#.*coding[:=]`,
    String.raw`^#\s*(?:type:|noqa|pragma|pylint:|fmt:|mypy:|pyright:|isort:|ruff:)`,
    String.raw`^//\s*(?:go:|\+build|@ts-|eslint|prettier-ignore|nolint|NOLINT|#region|#endregion|istanbul|c8 |biome-ignore|deno-lint|@jsx|@flow|@refresh|jshint|tslint|rustfmt|clippy|line \d|export |sourceMappingURL|#\s*sourceMappingURL)`,
    String.raw`^///\s*<(?:reference|amd)`,
    String.raw`^/\*[*!]?\s*(?:@__PURE__|#__PURE__|@__NO_SIDE_EFFECTS__|webpack|vite-ignore|eslint|istanbul|c8 |global |jshint|prettier-ignore|@jsx|@flow|NOLINT|@ts-|@license|@preserve|tslint)`,
    String.raw`^/\*!`,
    String.raw`@license\b|@preserve\b`,
  ].join('|'),
);

/** Parent node types whose comments are part of a macro body. */
const MACRO_PARENTS = new Set(['preproc_def', 'preproc_function_def', 'preproc_call', 'preproc_arg']);

type DocStyle = 'block' | 'line' | 'plain' | null;

interface CommentInfo {
  readonly node: Node;
  readonly start: number;
  /** End without a trailing newline (Rust line comments include theirs). */
  readonly end: number;
  readonly text: string;
  readonly firstLine: number;
  readonly lastLine: number;
  /** Nothing but indentation before and whitespace after on its lines. */
  readonly ownLine: boolean;
  readonly isLine: boolean;
}

function docStyle(text: string): DocStyle {
  if (text.startsWith('/**') && !text.startsWith('/**/') && text.length > 4) return 'block';
  if (text.startsWith('/*!')) return 'block';
  if ((text.startsWith('///') && !text.startsWith('////')) || text.startsWith('//!')) return 'line';
  return null;
}

export interface CommentPlanInput {
  readonly root: Node;
  readonly spec: LangSpec;
  readonly lines: LineIndex;
  readonly config: ResolvedCodeConfig;
  /** Function docstrings already found while reading bodies (Python). */
  readonly functionDocstrings?: ReadonlyArray<DocstringSite>;
  /** Comment and class nodes, when the caller already collected them (one tree scan for everything). */
  readonly commentNodes?: ReadonlyArray<Node>;
  readonly classNodes?: ReadonlyArray<Node>;
}

/** Edits for comments and docstrings (budget-independent; the caller drops those inside elided regions). */
export function planComments({ root, spec, lines, config, functionDocstrings = [], commentNodes, classNodes }: CommentPlanInput): Edit[] {
  const text = lines.text;
  const edits: Edit[] = [];
  const mode = config.docstrings;
  const cLike = spec.language === 'c' || spec.language === 'cpp';
  const keepWord = config.keepCommentWords.length > 0 ? new RegExp(`\\b(?:${config.keepCommentWords.join('|')})\\b`) : null;

  const nodes = commentNodes ?? root.descendantsOfType([...spec.commentTypes]);
  const infos: CommentInfo[] = nodes.map((node) => {
    const start = node.startIndex;
    let end = node.endIndex;
    while (end > start && (text.charCodeAt(end - 1) === 0x0a || text.charCodeAt(end - 1) === 0x0d)) end--;
    const t = text.slice(start, end);
    return {
      node,
      start,
      end,
      text: t,
      firstLine: lines.lineOf(start),
      lastLine: lines.lineOf(Math.max(start, end - 1)),
      ownLine: lines.onlyIndentBefore(start) && lines.onlySpaceAfter(end),
      isLine: t.startsWith('//') || t.startsWith('#'),
    };
  });

  // Groups: adjacent own-line line comments of the same kind (`///` with `///`, `//` with `//`).
  const groups: CommentInfo[][] = [];
  for (const c of infos) {
    const g = groups[groups.length - 1];
    const prev = g?.[g.length - 1];
    // Directives stand alone (always kept), so they never keep their neighbours.
    const joins = prev && c.isLine && prev.isLine && c.ownLine && prev.ownLine && c.firstLine === prev.lastLine + 1 && prefixOf(c.text) === prefixOf(prev.text);
    if (joins && !DIRECTIVE.test(c.text) && !DIRECTIVE.test(prev.text)) g.push(c);
    else groups.push([c]);
  }

  // The license header: comments before the first piece of code.
  const firstCode = firstNonComment(root, spec);
  const headerEnd = firstCode ? firstCode.startIndex : text.length;
  const header = infos.filter((c) => c.end <= headerEnd);
  const keepHeader = config.keepLicenseHeader && header.some((c) => LICENSE.test(c.text));

  for (const g of groups) {
    const first = g[0];
    if (keepHeader && first.end <= headerEnd) continue;
    if (g.some((c) => DIRECTIVE.test(c.text) || (keepWord !== null && keepWord.test(c.text)) || isMacroComment(c, lines, cLike))) continue;
    if (spec.language === 'go' && isCgoPreamble(g)) continue;
    const style = docStyle(first.text) ?? (isPlainDoc(g, spec, lines) ? 'plain' : null);
    if (style !== null && mode === 'full') continue;
    if (style !== null && mode === 'first_line') {
      if (style === 'block' && g.length === 1) {
        const short = firstLineOfBlockDoc(first.text);
        if (short !== undefined && short !== first.text) edits.push({ start: first.start, end: first.end, text: short });
        continue;
      }
      // Line docs: keep the first line of the group.
      if (g.length > 1) edits.push(removal(g.slice(1), lines));
      continue;
    }
    edits.push(removal(g, lines));
  }

  if (spec.python) edits.push(...planDocstrings(root, spec, lines, mode, functionDocstrings, classNodes));
  return edits;
}

function prefixOf(t: string): string {
  if (t.startsWith('#')) return '#';
  if (t.startsWith('//!')) return '//!';
  if (t.startsWith('///') && !t.startsWith('////')) return '///';
  return '//';
}

function isMacroComment(c: CommentInfo, lines: LineIndex, cLike: boolean): boolean {
  if (!cLike) return false;
  const p = c.node.parent;
  if (p && MACRO_PARENTS.has(p.type)) return true;
  // A comment on a line continued with `\` (or continuing one).
  const text = lines.text;
  const le = lines.lineEnd(c.end);
  if (text.charCodeAt(le - 1) === 0x5c || (le > 0 && text.charCodeAt(le - 1) === 0x0d && text.charCodeAt(le - 2) === 0x5c)) return true;
  const ls = lines.lineStart(c.start);
  return ls >= 2 && (text.charCodeAt(ls - 2) === 0x5c || (text.charCodeAt(ls - 2) === 0x0d && text.charCodeAt(ls - 3) === 0x5c));
}

/** Go: the comment right above `import "C"` is C source. */
function isCgoPreamble(g: CommentInfo[]): boolean {
  const next = g[g.length - 1].node.nextNamedSibling;
  return next !== null && next.type === 'import_declaration' && /^import\s+"C"/.test(next.text);
}

/** Go doc comments: a `//` group directly above a declaration (no blank line), at declaration level. */
function isPlainDoc(g: CommentInfo[], spec: LangSpec, lines: LineIndex): boolean {
  if (!spec.plainDocParents) return false;
  const last = g[g.length - 1];
  const parent = last.node.parent;
  if (!parent || !spec.plainDocParents.has(parent.type)) return false;
  const next = last.node.nextNamedSibling;
  return next !== null && !spec.commentTypes.includes(next.type) && lines.lineOf(next.startIndex) === last.lastLine + 1;
}

/**
 * The summary of a doc text: its first line, continued onto the next lines of the same paragraph
 * while the sentence has not ended (at most 3 lines, 200 characters), joined with spaces.
 */
export function summaryOf(rawLines: ReadonlyArray<string>): string | undefined {
  const lines = rawLines.map((l) => l.trim());
  let i = lines.findIndex((l) => l !== '');
  if (i < 0) return undefined;
  let out = lines[i];
  for (let taken = 1; taken < 3 && !/[.!?:;]$/.test(out) && i + 1 < lines.length; taken++) {
    const next = lines[++i];
    // A blank line, a tag (@param, :param, Args:) or a list ends the paragraph.
    if (next === '' || /^(?:[@:]\w|[-*+] |\d+[.)] |[A-Z][A-Za-z ]*:$)/.test(next)) break;
    if (out.length + next.length > 200) break;
    out += ' ' + next;
  }
  if (out.length > 200) {
    const cut = out.lastIndexOf(' ', 200);
    out = out.slice(0, cut > 80 ? cut : 200);
  }
  return out;
}

/** `/** Summary.\n * more\n *\/` → `/** Summary. *\/`; undefined when it has no text line. */
export function firstLineOfBlockDoc(t: string): string | undefined {
  if (!t.includes('\n')) return t;
  const open = t.startsWith('/*!') ? '/*!' : t.startsWith('/**') ? '/**' : '/*';
  const inner = t.slice(open.length, t.endsWith('*/') ? -2 : undefined);
  const lines = inner.split('\n').map((raw) => raw.replace(/^\s*\*+(?!\/)\s?/, '').replace(/\*+$/, ''));
  const summary = summaryOf(lines);
  if (summary === undefined) return undefined;
  return `${open} ${summary.replace(/\*\//g, '* /')} */`;
}

/** An edit removing a group of comments (whole lines when they stand alone). */
function removal(g: ReadonlyArray<CommentInfo>, lines: LineIndex): Edit {
  const text = lines.text;
  const first = g[0];
  const last = g[g.length - 1];
  if (g.every((c) => c.ownLine)) {
    let start = lines.lineStart(first.start);
    let end = lines.lineEnd(last.end);
    if (end < text.length) end++; // the newline
    else if (start > 0) start--; // last line of the file: take the newline before instead
    // Do not leave two blank lines where the comment was.
    const before = first.firstLine - 1;
    const after = last.lastLine + 1;
    if (lines.isBlankLine(after) && (before < 0 || lines.isBlankLine(before)) && end < text.length) {
      end = lines.lineEnd(end);
      if (end < text.length) end++;
    }
    return { start, end, text: '' };
  }
  // A comment after code on its line: drop it and the spaces before it.
  let start = first.start;
  let end = last.end;
  while (start > 0 && (text.charCodeAt(start - 1) === 0x20 || text.charCodeAt(start - 1) === 0x09)) start--;
  const ls = lines.lineStart(first.start);
  if (start === ls) {
    // Leading comment followed by code (`/* x */ foo();`): keep the indentation, drop the spaces after.
    start = first.start;
    while (end < text.length && (text.charCodeAt(end) === 0x20 || text.charCodeAt(end) === 0x09)) end++;
    return { start, end, text: '' };
  }
  if (lines.onlySpaceAfter(end)) return { start, end, text: '' };
  // Between two tokens: one space keeps them apart (none next to a bracket or separator).
  while (end < text.length && (text.charCodeAt(end) === 0x20 || text.charCodeAt(end) === 0x09)) end++;
  const prev = text[start - 1];
  const next = text[end];
  return { start, end, text: '([{'.includes(prev) || ')]},;'.includes(next) ? '' : ' ' };
}

// ---------------------------------------------------------------------------------------------
// Python docstrings

function planDocstrings(root: Node, spec: LangSpec, lines: LineIndex, mode: DocstringMode, functionDocstrings: ReadonlyArray<DocstringSite>, classNodes?: ReadonlyArray<Node>): Edit[] {
  if (mode === 'full') return [];
  const sites: DocstringSite[] = [...functionDocstrings];
  // Module and class docstrings (function ones were found while reading bodies).
  const blocks: Array<{ block: Node; module: boolean }> = [{ block: root, module: true }];
  for (const n of classNodes ?? root.descendantsOfType([...spec.classTypes])) {
    const b = n.childForFieldName('body');
    if (b && b.type === 'block') blocks.push({ block: b, module: false });
  }
  for (const { block, module } of blocks) {
    const first = firstNonComment(block, spec);
    if (!first || !isDocstringStatement(first)) continue;
    const str = first.namedChild(0);
    // A module that is only a docstring can lose it entirely; a class body cannot be empty.
    if (str) sites.push({ statement: first, string: str, only: !module && firstNonComment(first, spec, true) === null });
  }
  const edits: Edit[] = [];
  for (const site of sites) {
    const str = site.string;
    if (str.type !== 'string') continue;
    if (mode === 'remove') {
      if (site.only) edits.push({ start: str.startIndex, end: str.endIndex, text: '...' });
      else edits.push(removeStatement(site.statement, lines));
      continue;
    }
    const raw = lines.text.slice(str.startIndex, str.endIndex);
    const short = firstLineOfDocstring(raw);
    if (short !== undefined && short !== raw) edits.push({ start: str.startIndex, end: str.endIndex, text: short });
  }
  return edits;
}

/**
 * The first named child of `n` that is not a comment, walking siblings (no marshalling of every
 * child); with `after`, the first such sibling after `n` instead.
 */
function firstNonComment(n: Node, spec: LangSpec, after = false): Node | null {
  let c = after ? n.nextNamedSibling : n.firstNamedChild;
  while (c && spec.commentTypes.includes(c.type)) c = c.nextNamedSibling;
  return c;
}

function removeStatement(n: Node, lines: LineIndex): Edit {
  const text = lines.text;
  const s = n.startIndex;
  const e = n.endIndex;
  if (lines.onlyIndentBefore(s) && lines.onlySpaceAfter(e)) {
    const start = lines.lineStart(s);
    let end = lines.lineEnd(e);
    if (end < text.length) end++;
    return { start, end, text: '' };
  }
  return { start: s, end: e, text: 'pass' };
}

/** `"""Summary.\n\nMore."""` → `"""Summary."""` (prefix and quote style kept); undefined = leave it. */
export function firstLineOfDocstring(raw: string): string | undefined {
  const m = /^([rRuUbBfF]{0,2})("""|''')([\s\S]*)\2$/.exec(raw);
  if (!m) return undefined;
  const [, prefix, q, body] = m;
  if (!body.includes('\n')) return undefined;
  let line = summaryOf(body.split('\n'));
  if (line === undefined) return `${prefix}${q}${q}`;
  // A trailing backslash would escape the closing quotes; a trailing quote would merge with them.
  line = line.replace(/\\+$/, '').trimEnd();
  if (line.endsWith(q[0])) line += ' ';
  return `${prefix}${q}${line}${q}`;
}
