/**
 * Calls priced at a long-context tier are counted by how far the prompt went past the threshold
 * (`llm advise` reads it: prompts just over a tier pay the higher rate for the whole prompt).
 */
import { describe, expect, it } from 'vitest';
import { METRIC } from '../../src/metrics/names.js';
import { makeTelemetry, nonZeroSamples } from '../support/telemetry.js';

describe('llm_tier_crossing_requests_total', () => {
  it('gemini-2.5-pro over its 200k-token tier: within 10% is small, further is large, under it nothing', () => {
    const t = makeTelemetry();
    const call = (inputTokens: number) =>
      t.record({
        provider: 'gcp.gemini',
        model: 'gemini-2.5-pro',
        agent: 'a',
        usage: { inputTokens, outputTokens: 0 },
      })?.costUsd;
    // Published: $1.25/MTok input up to 200k prompt tokens, $2.50/MTok for the whole prompt above.
    expect(call(100_000)).toBeCloseTo(0.125, 12); // 100,000 × 1.25 / 1e6
    expect(call(210_000)).toBeCloseTo(0.525, 12); // 210,000 × 2.50 / 1e6, 5% over the threshold
    expect(call(220_000)).toBeCloseTo(0.55, 12); // exactly 10% over: still small
    expect(call(300_000)).toBeCloseTo(0.75, 12); // 50% over
    const labels =
      'gen_ai_provider_name="gcp.gemini",gen_ai_request_model="gemini-2.5-pro",gen_ai_agent_name="a"';
    expect(nonZeroSamples(t.metrics(), METRIC.tierCrossingRequests)).toEqual([
      `${METRIC.tierCrossingRequests}{${labels},llm_tier_margin="small"} 2`,
      `${METRIC.tierCrossingRequests}{${labels},llm_tier_margin="large"} 1`,
    ]);
  });
});
