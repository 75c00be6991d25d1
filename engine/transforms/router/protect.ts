/**
 * Protection rules of the router (ALGORITHMS.md §2.2–2.3, §10.1):
 * - user messages and system prompts are never compressed (tool results carried inside a user
 *   message, as Anthropic sends them, are tool output and may be);
 * - assistant text only when `router.enableAssistant`;
 * - content of the last `router.protectRecentMessages` messages is left alone;
 * - when the latest user message asks to analyse, review, explain, fix or debug, code stays
 *   untouched everywhere (`router.protectAnalysisContext`, default on);
 * - output of the retrieval tool (`headroom_retrieve`, namespaced aliases too) is never compressed;
 * - content that already carries a headroom marker is left alone (idempotence);
 * - tools whose profile says `skip` are left alone.
 */
import { parseMarkers } from '../../ccr/markers.js';
import { isRetrieveToolName } from '../../ccr/retrieve-tool.js';
import type { Message } from '../../messages/types.js';
import { isUserTurnStart, userText } from '../units.js';

/**
 * The reference's analysis-intent words (§2.3), word-bounded, case-insensitive, with their
 * usual inflections: analyze analyse review audit inspect security vulnerability bug issue
 * problem explain understand "how does" "what does" debug fix error wrong broken refactor
 * improve optimize "clean up".
 */
export const ANALYSIS_INTENT =
  /\b(?:analy[sz](?:e|es|ed|ing|is)|reviews?|review(?:ed|ing)|audit(?:s|ed|ing)?|inspect(?:s|ed|ing|ion)?|security|vulnerabilit(?:y|ies)|bugs?|bugg(?:y|ed)|issues?|problems?|explain(?:s|ed|ing)?|explanation|understand(?:s|ing)?|how does|what does|debug(?:s|ged|ging)?|fix(?:es|ed|ing)?|errors?|wrong|broken|refactor(?:s|ed|ing)?|improve(?:s|d|ment)?|improving|optimi[sz](?:e|es|ed|ing|ation)|clean(?:ing)? up)\b/i;

export function hasAnalysisIntent(text: string): boolean {
  return ANALYSIS_INTENT.test(text);
}

/** The latest message where the user speaks (not only carrying tool results), or undefined. */
export function latestUserText(messages: ReadonlyArray<Message>): string | undefined {
  for (let i = messages.length - 1; i >= 0; i--) if (isUserTurnStart(messages[i])) return userText(messages[i]);
  return undefined;
}

/** Results of the retrieval tool are never compressed (they would turn into new markers forever, §10.1). */
export function isRetrieveOutput(toolName: string | undefined): boolean {
  return isRetrieveToolName(toolName);
}

/** True when the text already carries a headroom marker (text or JSON sentinel). */
export function carriesMarker(text: string): boolean {
  return parseMarkers(text).length > 0;
}
