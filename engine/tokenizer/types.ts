import type { Message } from '../messages/types.js';

export type EncodingName = 'o200k_base' | 'cl100k_base';

/** Content classes used by the calibrated estimator. */
export type ContentClass = 'prose' | 'code' | 'json' | 'cjk';

/**
 * Counts tokens for one model. Exact (BPE) for OpenAI models, a calibrated estimate otherwise.
 * All methods are synchronous; `getTokenCounter()` does the async loading of BPE ranks first.
 */
export interface TokenCounter {
  readonly model: string;
  /** BPE encoding used, or null when counts are estimates. */
  readonly encoding: EncodingName | null;
  /** True when counts are exact BPE counts; false for chars-per-token estimates. */
  readonly exact: boolean;
  countText(text: string): number;
  /** Tokens the provider bills for these messages as a prompt, including per-message overhead and reply priming. */
  countMessages(messages: ReadonlyArray<Message>): number;
  /** Tokens one message contributes (its content plus its own overhead, no reply priming). */
  countMessage(message: Message): number;
  /**
   * Notes about how counts are produced (fallback to the estimator, model resolved by pattern, …).
   * Empty when there is nothing to report. Optional so plain implementations stay valid.
   */
  readonly warnings?: ReadonlyArray<string>;
}
