import type { LLMTelemetry } from '../../src/telemetry.js';

/** A fixed workload over a custom model, so every value in the golden file can be checked by hand. */
export function recordWorkload(t: LLMTelemetry): void {
  t.record({
    provider: 'acme',
    model: 'acme-1',
    agent: 'planner',
    operation: 'plan',
    apiOperation: 'chat',
    usage: {
      inputTokens: 10_000,
      cacheReadTokens: 4_000,
      cacheWriteTokens: 3_000,
      cacheWrite1hTokens: 1_000,
      outputTokens: 2_000,
      reasoningTokens: 500,
    },
    durationMs: 1_500,
  });
  t.record({
    provider: 'acme',
    model: 'acme-1',
    agent: 'planner',
    operation: 'plan',
    apiOperation: 'chat',
    outcome: 'error',
    errorType: 'RateLimitError',
    durationMs: 80,
  });
  t.record({
    provider: 'acme',
    model: 'unknown-model',
    agent: 'coder',
    operation: 'code',
    apiOperation: 'chat',
    usage: { inputTokens: 100, outputTokens: 10 },
    durationMs: 300,
  });
}
