import type { CCRSink } from '../ccr/types.js';
import type { ResolvedConfig } from '../config.js';
import type { Message } from '../messages/types.js';
import type { ModelInfo } from '../models/types.js';
import type { TokenCounter } from '../tokenizer/types.js';
import type { ToolProfile } from '../transforms/smart-crusher/config.js';

/** Everything a transform may read; transforms never touch the platform or a store directly. */
export interface PipelineContext {
  readonly model: ModelInfo;
  readonly counter: TokenCounter;
  /** Prompt token budget the conversation must fit (tokenBudget, or context limit − output buffer). */
  readonly tokenBudget: number;
  readonly config: ResolvedConfig;
  readonly ccr: CCRSink;
  /** Per-tool settings from `CompressOptions.toolProfiles` (SmartCrusher). */
  readonly toolProfiles?: Readonly<Record<string, ToolProfile>>;
  warn(message: string): void;
}

/** What one transform did, for `transformsApplied` and diagnostics. */
export interface TransformReport {
  readonly name: string;
  /** Short labels for `transformsApplied`, e.g. `rolling_window:dropped=4`. Empty when it changed nothing. */
  readonly applied: ReadonlyArray<string>;
  /** Structured facts (counts, hashes) the SDK may surface. */
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface TransformOutput {
  readonly messages: ReadonlyArray<Message>;
  readonly report: TransformReport;
}

/** One independent, switchable step over the internal message form. Must not mutate its input. */
export interface Transform {
  readonly name: string;
  isEnabled(config: ResolvedConfig): boolean;
  apply(messages: ReadonlyArray<Message>, ctx: PipelineContext): TransformOutput;
}
