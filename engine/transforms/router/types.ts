/**
 * Shared types of the ContentRouter: what detection says about a block, and the routing
 * decision recorded for every block the router looks at.
 */

/** Content types the router distinguishes. `mixed` is a block split into parts (markdown with fences, prose with JSON). */
export type ContentType = 'json' | 'code' | 'search' | 'log' | 'diff' | 'html' | 'text';

/** The types a compressor can be routed to (every ContentType). */
export const CONTENT_TYPES: ReadonlyArray<ContentType> = ['json', 'code', 'search', 'log', 'diff', 'html', 'text'];

export interface Detection {
  readonly type: ContentType;
  /** 0–1. 0 for empty input. */
  readonly confidence: number;
  /** Programming language for code (python, typescript, …), or the language a file path / fence names. */
  readonly language?: string;
  /**
   * Finer kind: log format (pytest, jest, vitest, npm, cargo, go, maven, gradle, make, compiler,
   * jsonl, generic), json shape (array, object, dict_array), diff kind (unified, combined).
   */
  readonly subtype?: string;
  /** What decided it: 'structure', or the hint that did ('tool', 'path', 'command', 'fence'). */
  readonly via: 'structure' | 'tool' | 'path' | 'command' | 'fence';
}

/** Hints from the tool call that produced a block. */
export interface DetectHints {
  /** Name of the tool that produced the content. */
  readonly toolName?: string;
  /** That tool call's arguments (JSON text). */
  readonly toolArgs?: string;
  /** Language named by a markdown fence's info string (```python). */
  readonly fenceLanguage?: string;
}

export type RoutingAction = 'compressed' | 'skipped';

/** One routing decision: every text block of the conversation gets one (and every part of a split block). */
export interface RoutingDecision {
  readonly messageIndex: number;
  /** Where the text lives in the message: `blocks[2]`, `blocks[1].content[0]`, `blocks[1].content[0].parts[3]`. */
  readonly blockPath: string;
  /** Detected type; `mixed` for a block that was split into parts (each part has its own decision). */
  readonly type: ContentType | 'mixed';
  readonly confidence: number;
  readonly language?: string;
  readonly subtype?: string;
  /** Compressor routed to (`smart_crusher`, `log`, `search`, `diff`, `html`, `text`, `code`), `split` for mixed blocks, `none` when protected before routing. */
  readonly compressor: string;
  readonly tokensBefore: number;
  readonly tokensAfter: number;
  readonly action: RoutingAction;
  /** Why it was skipped (always set for skips), or a compressor's note. */
  readonly reason?: string;
  /** Labels the compressor reported (also in `transformsApplied`). */
  readonly labels?: ReadonlyArray<string>;
  /** CCR hashes the output's markers name. */
  readonly hashes?: ReadonlyArray<string>;
}

/** Skip reasons, stable strings (a prefix; some carry details after a colon). */
export const SKIP = {
  userMessage: 'protected user message',
  systemPrompt: 'protected system prompt',
  assistantDisabled: 'assistant text (router.enableAssistant is false)',
  recent: 'recent turn (router.protectRecentMessages)',
  belowThreshold: 'below threshold',
  notSmaller: 'not smaller',
  analysisIntent: 'analysis intent on code (latest user message asks to analyse/review/explain/fix/debug)',
  codePassthrough: 'code passes through (router.enableCode is false)',
  recentCode: 'recent code (in the last code.protectRecentMessages messages)',
  retrieveTool: 'retrieve-tool output (headroom_retrieve is never compressed)',
  toolProfileSkip: 'tool profile skip',
  alreadyCompressed: 'already compressed (contains a headroom marker)',
  empty: 'empty',
  disabled: 'compressor disabled',
  unavailable: 'compressor not available',
  declined: 'compressor left it unchanged',
  failed: 'compressor failed',
  unsafe: 'compressor output rejected',
} as const;
