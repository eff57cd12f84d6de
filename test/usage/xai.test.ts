import { describe, expect, it } from 'vitest';
import { normalizeUsage } from '../../src/usage/index.js';
import { usageOf } from './fixture.js';

describe('xAI: reasoning_tokens reported beside completion_tokens, inside total_tokens', () => {
  it('adds reasoning to output (32 + 9 + 94 = 135 total)', () => {
    expect(normalizeUsage('x_ai', usageOf('xai-grok-reasoning'))).toEqual({
      inputTokens: 32,
      outputTokens: 103,
      cacheReadTokens: 6,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 0,
      reasoningTokens: 94,
    });
  });

  it('adds reasoning to output when no total is reported', () => {
    const usage = {
      prompt_tokens: 10,
      completion_tokens: 2,
      completion_tokens_details: { reasoning_tokens: 50 },
    };
    expect(normalizeUsage('x_ai', usage)).toMatchObject({ outputTokens: 52, reasoningTokens: 50 });
  });

  it('keeps output as is when total_tokens shows reasoning is already inside completion_tokens', () => {
    const usage = {
      prompt_tokens: 10,
      completion_tokens: 60,
      total_tokens: 70,
      completion_tokens_details: { reasoning_tokens: 50 },
    };
    expect(normalizeUsage('x_ai', usage)).toMatchObject({ outputTokens: 60, reasoningTokens: 50 });
  });

  it('applies the same rule to the Responses shape', () => {
    const usage = {
      input_tokens: 10,
      output_tokens: 2,
      total_tokens: 62,
      output_tokens_details: { reasoning_tokens: 50 },
    };
    expect(normalizeUsage('x_ai', usage)).toMatchObject({ outputTokens: 52, reasoningTokens: 50 });
  });

  it('rejects OpenAI reasoning larger than completion_tokens, since OpenAI documents it inside', () => {
    const usage = {
      prompt_tokens: 10,
      completion_tokens: 2,
      completion_tokens_details: { reasoning_tokens: 50 },
    };
    expect(normalizeUsage('openai', usage)).toBeUndefined();
  });
});
