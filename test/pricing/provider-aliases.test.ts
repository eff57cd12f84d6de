import { describe, expect, it } from 'vitest';
import { METRIC } from '../../src/metrics/names.js';
import { PriceBook } from '../../src/pricing/index.js';
import { makeTelemetry, nonZeroSamples } from '../support/telemetry.js';
import { entryOf } from './support.js';

const usage = { inputTokens: 1_000, outputTokens: 500 };
const book = new PriceBook();

describe('provider names users send resolve to catalog providers', () => {
  const cases: ReadonlyArray<[string, string, string, number]> = [
    // gemini-2.5-flash $0.30/$2.50: 1000×0.3 + 500×2.5 = 1550 µ$
    ['vertex', 'gemini-2.5-flash', 'google', 0.00155],
    // Bedrock claude-3-5-sonnet v2 $3/$15: 1000×3 + 500×15 = 10500 µ$
    ['bedrock', 'us.anthropic.claude-3-5-sonnet-20241022-v2:0', 'aws', 0.0105],
    ['amazon-bedrock', 'us.anthropic.claude-3-5-sonnet-20241022-v2:0', 'aws', 0.0105],
    // mistral-large-2512 $0.5/$1.5: 1000×0.5 + 500×1.5 = 1250 µ$
    ['mistralai', 'mistral-large-2512', 'mistral', 0.00125],
  ];
  for (const [provider, model, catalog, cost] of cases) {
    it(`${provider} → ${catalog}`, () => {
      const result = book.price({ provider, model, usage });
      expect(entryOf(result).provider).toBe(catalog);
      expect(result.priced && result.costUsd).toBeCloseTo(cost, 15);
    });
  }
});

describe('local runtimes are $0 only by explicit choice', () => {
  for (const provider of ['ollama', 'vllm']) {
    it(`${provider}: unpriced by default, with the message saying how`, () => {
      const result = book.price({ provider, model: 'llama3.3:70b', usage });
      expect(result).toEqual({
        priced: false,
        reason: 'unknown-model',
        message: `provider "${provider}" is a local runtime with no price of its own. Set prices.localRuntimesFree: true (env LLM_COST_LOCAL_RUNTIMES_FREE=true) to price its calls at $0, or add a price override (inputPerMTok/outputPerMTok) for what they cost you.`,
      });
    });

    it(`${provider}: $0 with localRuntimesFree`, () => {
      const free = new PriceBook({ localRuntimesFree: true });
      const result = free.price({ provider, model: 'llama3.3:70b', usage });
      expect(result.priced && result.costUsd).toBe(0);
      expect(entryOf(result)).toMatchObject({ provider, model: 'llama3.3:70b', source: 'override' });
    });
  }

  it('an override for a local runtime wins over localRuntimesFree', () => {
    const custom = new PriceBook({
      localRuntimesFree: true,
      overrides: [{ provider: 'vllm', model: 'my-llama', inputPerMTok: 0.1, outputPerMTok: 0.2 }],
    });
    // 1000×0.1 + 500×0.2 = 200 µ$
    const result = custom.price({ provider: 'vllm', model: 'my-llama', usage });
    expect(result.priced && result.costUsd).toBeCloseTo(0.0002, 15);
  });

  it('env LLM_COST_LOCAL_RUNTIMES_FREE=true prices recorded ollama calls at $0 (no unpriced count)', () => {
    const t = makeTelemetry({}, { LLM_COST_LOCAL_RUNTIMES_FREE: 'true' });
    expect(t.record({ provider: 'ollama', model: 'qwen3', usage, span: null })?.costUsd).toBe(0);
    expect(nonZeroSamples(t.metrics(), METRIC.unpricedRequests)).toEqual([]);
    const strictDefault = makeTelemetry();
    expect(
      strictDefault.record({ provider: 'ollama', model: 'qwen3', usage, span: null })?.costUsd,
    ).toBeUndefined();
    expect(nonZeroSamples(strictDefault.metrics(), METRIC.unpricedRequests)).toHaveLength(1);
  });
});
