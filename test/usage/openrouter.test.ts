import { describe, expect, it } from 'vitest';
import { normalizeUsage, normalizeUsageDetailed } from '../../src/usage/index.js';
import { usageOf } from './fixture.js';

describe('OpenRouter: OpenAI chat shape plus the cost it charged', () => {
  it('reports usage.cost as costUsd and cache_write_tokens as a part of prompt_tokens', () => {
    expect(normalizeUsage('openrouter', usageOf('openrouter-chat-cost'))).toEqual({
      inputTokens: 3194,
      outputTokens: 42,
      cacheReadTokens: 0,
      cacheWriteTokens: 3100,
      cacheWrite1hTokens: 0,
      reasoningTokens: 0,
      costUsd: 0.0139125,
    });
  });

  it('keeps a reported zero cost (free model or BYOK) — the provider cost wins', () => {
    expect(normalizeUsage('openrouter', { prompt_tokens: 5, completion_tokens: 2, cost: 0 })?.costUsd).toBe(
      0,
    );
  });

  it('omits costUsd when no cost is reported', () => {
    expect(normalizeUsage('openrouter', { prompt_tokens: 5, completion_tokens: 2 })).not.toHaveProperty(
      'costUsd',
    );
  });

  it('reads the Responses shape with its cost', () => {
    expect(
      normalizeUsage('openrouter', { input_tokens: 10, output_tokens: 2, total_tokens: 12, cost: 0.001 }),
    ).toEqual({
      inputTokens: 10,
      outputTokens: 2,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 0,
      reasoningTokens: 0,
      costUsd: 0.001,
    });
  });

  it.each([[-0.01], [Number.NaN], [Number.POSITIVE_INFINITY], ['0.01']])(
    'rejects cost %s as invalid',
    (cost) => {
      expect(normalizeUsageDetailed('openrouter', { prompt_tokens: 5, completion_tokens: 2, cost })).toEqual({
        problem: 'invalid',
      });
    },
  );
});
