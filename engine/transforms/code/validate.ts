/**
 * Syntax checks on parsed trees: the ERROR and MISSING nodes of a tree, found by descending only
 * into subtrees that report an error (cheap on clean trees: one call on the root).
 */
import type { Node } from 'web-tree-sitter';

export interface SyntaxProblem {
  readonly kind: 'ERROR' | 'MISSING';
  /** Node type (MISSING) or the first 40 characters of the erroneous text (ERROR). */
  readonly what: string;
  readonly start: number;
}

/** Every ERROR/MISSING node (at most `limit`). */
export function syntaxProblems(root: Node, limit = 1000): SyntaxProblem[] {
  const out: SyntaxProblem[] = [];
  if (!root.hasError) return out;
  const stack: Node[] = [root];
  while (stack.length > 0 && out.length < limit) {
    const n = stack.pop() as Node;
    if (n.isMissing) {
      out.push({ kind: 'MISSING', what: n.type, start: n.startIndex });
      continue;
    }
    if (n.isError) {
      out.push({ kind: 'ERROR', what: n.text.slice(0, 40), start: n.startIndex });
      // Errors can nest; the outer one is enough.
      continue;
    }
    const children = n.children;
    for (let i = children.length - 1; i >= 0; i--) if (children[i].hasError) stack.push(children[i]);
  }
  return out;
}

/** Problems of `after` that `before` did not have (compared as a multiset of kind + what). */
export function newProblems(before: ReadonlyArray<SyntaxProblem>, after: ReadonlyArray<SyntaxProblem>): SyntaxProblem[] {
  const counts = new Map<string, number>();
  for (const p of before) counts.set(p.kind + '\0' + p.what, (counts.get(p.kind + '\0' + p.what) ?? 0) + 1);
  const out: SyntaxProblem[] = [];
  for (const p of after) {
    const k = p.kind + '\0' + p.what;
    const c = counts.get(k) ?? 0;
    if (c > 0) counts.set(k, c - 1);
    else out.push(p);
  }
  return out;
}
