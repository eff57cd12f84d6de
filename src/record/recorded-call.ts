/** What `record()` hands back and to its listeners: one call as it was attributed and priced. */
import type { CostBreakdown, Outcome, TokenUsage, UsageBuckets } from '../types.js';

/** What `record()` concluded about one call. */
export interface RecordedCall {
  provider: string;
  model: string;
  agent: string;
  /** The app's operation (`llm_operation_name`); the API operation when the app named none. */
  operation: string;
  /** The API operation per the GenAI semantic conventions (`gen_ai_operation_name`). */
  apiOperation: string;
  task?: string;
  dimensions: Readonly<Record<string, string>>;
  outcome: Outcome;
  /** USD added for this call; undefined when it could not be priced (or had no usage). */
  costUsd?: number;
  costSource?: 'provider' | 'local';
  breakdown?: CostBreakdown;
  buckets?: UsageBuckets;
  usage?: TokenUsage;
}

export type RecordListener = (call: RecordedCall) => void;
