import { describe, expect, it } from 'vitest';
import { normalizeUsage } from '../../src/usage/index.js';
import { usageOf } from './fixture.js';

describe('DeepSeek: cache hit + miss = prompt_tokens, reasoning inside completion_tokens', () => {
  it('reads deepseek-reasoner with cache hits and reasoning', () => {
    expect(normalizeUsage('deepseek', usageOf('deepseek-reasoner-hit-miss'))).toEqual({
      inputTokens: 1240,
      outputTokens: 876,
      cacheReadTokens: 1152,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 0,
      reasoningTokens: 640,
    });
  });

  it('reads deepseek-chat with only the hit/miss fields', () => {
    expect(normalizeUsage('deepseek', usageOf('deepseek-chat-hit-miss'))).toEqual({
      inputTokens: 16,
      outputTokens: 10,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 0,
      reasoningTokens: 0,
    });
  });

  it('prefers prompt_cache_hit_tokens over prompt_tokens_details.cached_tokens', () => {
    const usage = {
      prompt_tokens: 100,
      completion_tokens: 1,
      prompt_cache_hit_tokens: 64,
      prompt_cache_miss_tokens: 36,
      prompt_tokens_details: { cached_tokens: 0 },
    };
    expect(normalizeUsage('deepseek', usage)?.cacheReadTokens).toBe(64);
  });

  it('derives the prompt from hit + miss when prompt_tokens is absent', () => {
    const usage = { completion_tokens: 1, prompt_cache_hit_tokens: 64, prompt_cache_miss_tokens: 36 };
    expect(normalizeUsage('deepseek', usage)).toMatchObject({ inputTokens: 100, cacheReadTokens: 64 });
  });
});
