/**
 * Test helpers for the code compressor: the fixture corpus, the project's own sources, an
 * independent syntax check, and the top-level / class-level definition names of a file.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Node } from 'web-tree-sitter';
import { codeGrammar } from '../../engine/transforms/code/grammars.js';
import type { CodeLanguage } from '../../engine/transforms/code/languages.js';
import { syntaxProblems } from '../../engine/transforms/code/validate.js';
import type { TokenCounter } from '../../engine/tokenizer/types.js';
import type { CCREntry } from '../../engine/ccr/types.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const FIXTURES = join(ROOT, 'test/fixtures/code');

export interface SourceFile {
  /** Path as a tool would report it (fixtures drop their `.txt` suffix: TS fixtures are not type-checked). */
  readonly path: string;
  readonly name: string;
  readonly text: string;
}

function walk(dir: string, keep: (f: string) => boolean, out: string[] = []): string[] {
  for (const f of readdirSync(dir).sort()) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) {
      if (f !== 'node_modules' && f !== 'dist' && !f.startsWith('.')) walk(p, keep, out);
    } else if (keep(f)) out.push(p);
  }
  return out;
}

/** The fixture corpus of one language directory. */
export function fixtures(dir: string): SourceFile[] {
  return walk(join(FIXTURES, dir), () => true).map((p) => ({ path: p.replace(/\.txt$/, ''), name: relative(FIXTURES, p), text: readFileSync(p, 'utf8') }));
}

/** This project's own TypeScript sources (engine/ and sdk/). */
export function ownSources(): SourceFile[] {
  return ['engine', 'sdk']
    .flatMap((d) => walk(join(ROOT, d), (f) => f.endsWith('.ts') && !f.endsWith('.d.ts')))
    .map((p) => ({ path: p, name: relative(ROOT, p), text: readFileSync(p, 'utf8') }));
}

/** ERROR/MISSING nodes of `text` parsed with `language` (the grammar must be loaded). */
export function problemsOf(text: string, language: CodeLanguage): string[] {
  const g = codeGrammar(language);
  if (!g) throw new Error(`grammar ${language} not loaded`);
  const tree = g.parser.parse(text);
  if (!tree) throw new Error('no tree');
  try {
    return syntaxProblems(tree.rootNode).map((p) => `${p.kind} ${p.what}`);
  } finally {
    tree.delete();
  }
}

const UNWRAP = new Set(['export_statement', 'decorated_definition', 'template_declaration', 'ambient_declaration', 'expression_statement']);
const CONTAINERS = new Set([
  'class_body',
  'block', // Python class bodies
  'declaration_list', // Rust impl/trait/mod, C++ namespaces
  'field_declaration_list',
  'interface_body',
  'enum_body',
  'enum_body_declarations',
  'object_type',
  'statement_block', // TS namespaces
  'internal_module',
  'namespace_definition',
  'linkage_specification',
  'preproc_ifdef',
  'preproc_if',
  'preproc_else',
]);

function declaratorName(n: Node | null): string | undefined {
  for (let d = n; d; d = d.childForFieldName('declarator')) {
    if (/identifier$|^operator_name$|^destructor_name$/.test(d.type)) return d.text;
    if (d.type === 'type_identifier') return d.text;
    if (d.type === 'qualified_identifier') return d.childForFieldName('name')?.text ?? d.text;
  }
  return undefined;
}

function namesOf(n: Node): string[] {
  const name = n.childForFieldName('name');
  if (name && /identifier|^name$/.test(name.type)) return [name.text];
  if (n.type === 'lexical_declaration' || n.type === 'variable_declaration' || n.type === 'field_declaration' || n.type === 'declaration' || n.type === 'function_definition' || n.type === 'type_definition') {
    const out: string[] = [];
    for (const c of n.namedChildren) {
      const id = c.type === 'variable_declarator' ? c.childForFieldName('name') : null;
      if (id && id.type === 'identifier') out.push(id.text);
    }
    const d = declaratorName(n.childForFieldName('declarator'));
    if (d) out.push(d);
    return out;
  }
  if (n.type === 'type_declaration' || n.type === 'const_declaration' || n.type === 'var_declaration') {
    return n.namedChildren.flatMap((s) => {
      const nm = s.childForFieldName('name');
      return nm ? [nm.text] : [];
    });
  }
  return [];
}

/** Names defined at the top level and inside classes (and impl blocks, namespaces, modules). */
export function definitionNames(text: string, language: CodeLanguage): string[] {
  const g = codeGrammar(language);
  if (!g) throw new Error(`grammar ${language} not loaded`);
  const tree = g.parser.parse(text);
  if (!tree) throw new Error('no tree');
  const out = new Set<string>();
  const visit = (container: Node, depth: number) => {
    if (depth > 6) return;
    for (let c of container.namedChildren) {
      while (UNWRAP.has(c.type)) {
        const inner: Node | null = c.childForFieldName('declaration') ?? c.childForFieldName('definition') ?? c.namedChildren.find((x) => !/comment|decorator|attribute|template_parameter_list/.test(x.type)) ?? null;
        if (!inner || inner === c) break;
        c = inner;
      }
      for (const nm of namesOf(c)) out.add(nm);
      const body = c.childForFieldName('body');
      if (body && CONTAINERS.has(body.type) && !(language === 'python' && c.type === 'function_definition') && !/function|method|constructor|lambda|closure|arrow/.test(c.type)) visit(body, depth + 1);
      if (CONTAINERS.has(c.type) && c.type !== 'block' && c.type !== 'statement_block') visit(c, depth + 1);
    }
  };
  try {
    visit(tree.rootNode, 0);
  } finally {
    tree.delete();
  }
  return [...out];
}

/** A counter of whitespace-separated words (deterministic, no BPE load). */
export const wordCounter: TokenCounter = {
  model: 'test',
  encoding: null,
  exact: false,
  countText: (t) => (t.trim() === '' ? 0 : t.trim().split(/\s+/).length),
  countMessage: () => 0,
  countMessages: () => 0,
};

/** A CCR sink that remembers what was recorded. */
export function recordingSink(): { entries: CCREntry[]; record(e: CCREntry): void } {
  const entries: CCREntry[] = [];
  return { entries, record: (e) => void entries.push(e) };
}
