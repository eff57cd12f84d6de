export { type AnthropicStreamUsage, mergeAnthropicStreamUsage } from './anthropic-stream.js';
export { normalizeUsage, normalizeUsageDetailed } from './normalize.js';
export type { UsageProblem, UsageResult, UsageShape } from './types.js';
