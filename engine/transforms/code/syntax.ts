/**
 * What the compressor needs to know about each grammar: which nodes are functions with a body to
 * shorten, which statements are definitions (kept as signatures), which are error handlers, how
 * comments are spelled, and the placeholder that keeps an elided body valid.
 *
 * Node type names are those of the grammar packages pinned in package.json (tree-sitter-python
 * 0.25, -javascript 0.25, -typescript 0.23 (TS and TSX), -go 0.25, -rust 0.24, -java 0.23, -c 0.24,
 * -cpp 0.23). A name a grammar does not have simply never matches.
 */
import type { Node } from 'web-tree-sitter';
import type { CodeLanguage } from './languages.js';

export interface LangSpec {
  readonly language: CodeLanguage;
  /** Indentation-based (Python): placeholders are `...` statements, docstrings are strings. */
  readonly python: boolean;
  /** Line comment prefix used for placeholders. */
  readonly lineComment: '#' | '//';
  /** Function-like nodes whose block body is shortened. */
  readonly functionTypes: ReadonlyArray<string>;
  /** Node types a body must have (expression-bodied arrows and lambdas are left alone). */
  readonly blockTypes: ReadonlySet<string>;
  readonly commentTypes: ReadonlyArray<string>;
  /** Statements inside a body that are definitions: kept (their own bodies are shortened). */
  readonly definitionTypes: ReadonlySet<string>;
  /** Declarations whose value is a function literal starting on the same line count as definitions. */
  readonly declarationTypes: ReadonlySet<string>;
  /** try/catch-like statements: kept as skeletons past the budget when they handle an error. */
  readonly handlerTypes: ReadonlySet<string>;
  /**
   * The clauses that make a try statement an error handler (`except`, `catch`). A try with only
   * `finally` (or try-with-resources alone) is cleanup, not error handling: it is elided like
   * any other statement.
   */
  readonly handlerClauseTypes: ReadonlySet<string>;
  /** Statements prefixing the next one (Rust `#[attr]`): elided or kept together with it. */
  readonly attachedTypes: ReadonlySet<string>;
  /** Class-like nodes whose first body statement may be a docstring (Python). */
  readonly classTypes: ReadonlyArray<string>;
  /** Short statements that are cheap error paths (Go `if err != nil`, Rust `Err(` arms): kept past the budget. */
  readonly isCheapErrorPath?: (text: string, lines: number) => boolean;
  /**
   * The statement that must end a body whose tail was elided (a function that returns a value),
   * or undefined when a comment alone is valid. `tailExpression`: the elided tail was a value.
   */
  readonly terminator: (fn: Node, tailExpression: boolean, elidedText: string) => string | undefined;
  /** Where doc comments may appear as `//` groups without a doc marker (Go: declarations). */
  readonly plainDocParents?: ReadonlySet<string>;
}

const set = (...xs: string[]): ReadonlySet<string> => new Set(xs);

const none = (): undefined => undefined;

const JS_FUNCTIONS = ['function_declaration', 'function_expression', 'function', 'generator_function_declaration', 'generator_function', 'arrow_function', 'method_definition', 'class_static_block'];
const JS_DEFINITIONS = ['function_declaration', 'generator_function_declaration', 'class_declaration', 'class'];
const TS_DEFINITIONS = [...JS_DEFINITIONS, 'abstract_class_declaration', 'interface_declaration', 'type_alias_declaration', 'enum_declaration', 'function_signature'];

/** TS return types that need no value at the end of a body. */
const TS_VOIDISH = /^:\s*(?:void|undefined|never|any|unknown|Promise\s*<\s*(?:void|undefined|any|unknown)\s*>)\s*$/;

function tsTerminator(fn: Node): string | undefined {
  if (fn.type === 'class_static_block' || fn.type.startsWith('generator_function')) return undefined;
  const text = fn.text;
  // Generator methods (`*gen()`) need no return value.
  if (fn.type === 'method_definition' && /^\s*(?:(?:static|async|public|private|protected|override|readonly)\s+)*\*/.test(text)) return undefined;
  const rt = fn.childForFieldName('return_type');
  if (!rt) return undefined;
  const t = rt.text;
  if (TS_VOIDISH.test(t) || /^:\s*asserts\b/.test(t)) return undefined;
  return 'throw new Error("omitted");';
}

const PYTHON: LangSpec = {
  language: 'python',
  python: true,
  lineComment: '#',
  functionTypes: ['function_definition'],
  blockTypes: set('block'),
  commentTypes: ['comment'],
  definitionTypes: set('function_definition', 'class_definition', 'decorated_definition'),
  declarationTypes: set(),
  handlerTypes: set('try_statement'),
  handlerClauseTypes: set('except_clause', 'except_group_clause'),
  attachedTypes: set(),
  classTypes: ['class_definition'],
  terminator: none,
};

const JAVASCRIPT: LangSpec = {
  language: 'javascript',
  python: false,
  lineComment: '//',
  functionTypes: JS_FUNCTIONS,
  blockTypes: set('statement_block'),
  commentTypes: ['comment'],
  definitionTypes: set(...JS_DEFINITIONS),
  declarationTypes: set('lexical_declaration', 'variable_declaration'),
  handlerTypes: set('try_statement'),
  handlerClauseTypes: set('catch_clause'),
  attachedTypes: set(),
  classTypes: [],
  terminator: none,
};

const TYPESCRIPT: LangSpec = {
  ...JAVASCRIPT,
  language: 'typescript',
  definitionTypes: set(...TS_DEFINITIONS),
  terminator: tsTerminator,
};

const TSX: LangSpec = { ...TYPESCRIPT, language: 'tsx' };

const GO: LangSpec = {
  language: 'go',
  python: false,
  lineComment: '//',
  functionTypes: ['function_declaration', 'method_declaration', 'func_literal'],
  blockTypes: set('block'),
  commentTypes: ['comment'],
  definitionTypes: set('type_declaration'),
  declarationTypes: set('short_var_declaration', 'var_declaration', 'assignment_statement'),
  handlerTypes: set(),
  handlerClauseTypes: set(),
  attachedTypes: set(),
  classTypes: [],
  isCheapErrorPath: (text, lines) => lines <= 4 && /^if\s[^{]*\berr\s*!=\s*nil\b/.test(text),
  terminator: (fn) => (fn.childForFieldName('result') ? 'panic("omitted")' : undefined),
  plainDocParents: set('source_file', 'field_declaration_list', 'interface_type', 'const_declaration', 'var_declaration'),
};

const RUST: LangSpec = {
  language: 'rust',
  python: false,
  lineComment: '//',
  functionTypes: ['function_item', 'closure_expression'],
  blockTypes: set('block'),
  commentTypes: ['line_comment', 'block_comment'],
  definitionTypes: set('function_item', 'struct_item', 'enum_item', 'impl_item', 'trait_item', 'mod_item', 'type_item', 'union_item', 'macro_definition', 'use_declaration', 'const_item', 'static_item'),
  declarationTypes: set('let_declaration'),
  handlerTypes: set(),
  handlerClauseTypes: set(),
  attachedTypes: set('attribute_item'),
  classTypes: [],
  isCheapErrorPath: (text, lines) => lines <= 6 && /^(?:if let Err\b|let Err\b|match\b[^{]*\{[\s\S]*\bErr\s*\()/.test(text),
  terminator: (fn, tailExpression) => {
    if (fn.type === 'function_item') {
      const rt = fn.childForFieldName('return_type');
      return rt && rt.text.replace(/\s/g, '') !== '()' ? 'todo!()' : undefined;
    }
    return tailExpression ? 'todo!()' : undefined;
  },
};

const JAVA: LangSpec = {
  language: 'java',
  python: false,
  lineComment: '//',
  functionTypes: ['method_declaration', 'constructor_declaration', 'compact_constructor_declaration', 'lambda_expression', 'static_initializer'],
  blockTypes: set('block', 'constructor_body'),
  commentTypes: ['line_comment', 'block_comment'],
  definitionTypes: set('class_declaration', 'record_declaration', 'interface_declaration', 'enum_declaration'),
  declarationTypes: set('local_variable_declaration'),
  handlerTypes: set('try_statement', 'try_with_resources_statement'),
  handlerClauseTypes: set('catch_clause'),
  attachedTypes: set(),
  classTypes: [],
  terminator: (fn, _tail, elided) => {
    if (fn.type === 'method_declaration') {
      const t = fn.childForFieldName('type');
      return t && t.type !== 'void_type' ? 'throw new UnsupportedOperationException();' : undefined;
    }
    if (fn.type === 'lambda_expression' && /\breturn\s+[^;\s]/.test(elided)) return 'throw new UnsupportedOperationException();';
    return undefined;
  },
};

const C: LangSpec = {
  language: 'c',
  python: false,
  lineComment: '//',
  functionTypes: ['function_definition'],
  blockTypes: set('compound_statement'),
  commentTypes: ['comment'],
  definitionTypes: set(),
  declarationTypes: set(),
  handlerTypes: set(),
  handlerClauseTypes: set(),
  attachedTypes: set(),
  classTypes: [],
  // A body holding only a comment is valid C (a missing return is a warning, not a syntax error).
  terminator: none,
};

const CPP: LangSpec = {
  ...C,
  language: 'cpp',
  functionTypes: ['function_definition', 'lambda_expression'],
  declarationTypes: set('declaration'),
  handlerTypes: set('try_statement'),
  handlerClauseTypes: set('catch_clause'),
};

export const SPECS: Readonly<Record<CodeLanguage, LangSpec>> = {
  python: PYTHON,
  javascript: JAVASCRIPT,
  typescript: TYPESCRIPT,
  tsx: TSX,
  go: GO,
  rust: RUST,
  java: JAVA,
  c: C,
  cpp: CPP,
};
