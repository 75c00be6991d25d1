/**
 * Safety gates (limitations.md "Why code mostly passes through"; ALGORITHMS.md §2.3): code is
 * usually read because the user is about to work on it, so it is left alone when
 * - it is small (under `minTokens`),
 * - it sits in one of the last `protectRecentMessages` messages,
 * - the latest user message asks to analyse, review, explain, fix or debug something
 *   (`protectAnalysisContext`),
 * unless the caller opted into `aggressive`. The router knows where a block sits in the
 * conversation and passes that as `CodeContext`; without it, the recency gate cannot apply and the
 * intent gate reads the query that was current when the block arrived.
 */
import type { ResolvedCodeConfig } from './config.js';

/** Where a block sits in the conversation (set by the router). */
export interface CodeContext {
  /** Messages after the one holding this block (0: it is in the last message). */
  readonly messagesFromEnd?: number;
  /** Text of the latest user message in the conversation. */
  readonly latestUserMessage?: string;
}

/**
 * The reference's analysis-intent words (§2.3), word-bounded, case-insensitive, with their usual
 * inflections: analyze analyse review audit inspect security vulnerability bug issue problem
 * explain understand "how does" "what does" debug fix error wrong broken refactor improve
 * optimize "clean up".
 */
export const ANALYSIS_INTENT =
  /\b(?:analy[sz](?:e|es|ed|ing|is)|reviews?|review(?:ed|ing)|audit(?:s|ed|ing)?|inspect(?:s|ed|ing|ion)?|security|vulnerabilit(?:y|ies)|bugs?|bugg(?:y|ed)|issues?|problems?|explain(?:s|ed|ing)?|explanation|understand(?:s|ing)?|how does|what does|debug(?:s|ged|ging)?|fix(?:es|ed|ing)?|errors?|wrong|broken|refactor(?:s|ed|ing)?|improve(?:s|d|ment)?|improving|optimi[sz](?:e|es|ed|ing|ation)|clean(?:ing)? up)\b/i;

export type GateCode = 'small' | 'recent' | 'intent';

export interface GateVerdict {
  readonly code: GateCode;
  readonly note: string;
}

/**
 * Why the gates leave this block alone, or undefined to go ahead. `positionRequired`: a block
 * whose position is unknown counts as recent (the router's case; direct callers without a
 * conversation leave it false and the recency gate does not apply).
 */
export function checkGates(tokens: number, config: ResolvedCodeConfig, context: CodeContext | undefined, query: string | undefined, positionRequired = false): GateVerdict | undefined {
  if (config.aggressive) return undefined;
  if (tokens < config.minTokens) return { code: 'small', note: `code below threshold (${tokens} < ${config.minTokens} tokens)` };
  const fromEnd = context?.messagesFromEnd;
  if (fromEnd !== undefined && fromEnd < config.protectRecentMessages)
    return { code: 'recent', note: `code in a recent message (message ${fromEnd + 1} from the end; the last ${config.protectRecentMessages} are protected)` };
  if (fromEnd === undefined && positionRequired && config.protectRecentMessages > 0)
    return { code: 'recent', note: `position in the conversation unknown (the router passed none), so it may be in the last ${config.protectRecentMessages} messages` };
  if (config.protectAnalysisContext) {
    const ask = context?.latestUserMessage ?? query;
    const m = ask ? ANALYSIS_INTENT.exec(ask) : null;
    if (m) return { code: 'intent', note: `analysis intent on code (latest user message says "${m[0]}")` };
  }
  return undefined;
}
