import { describe, expect, it } from 'vitest';
import { normalizeUsage, normalizeUsageDetailed } from '../../src/usage/index.js';
import { fixture, usageOf } from './fixture.js';

describe('OpenAI chat completions: prompt includes cached, completion includes reasoning', () => {
  it('keeps the inclusive counts and reports the parts', () => {
    expect(normalizeUsageDetailed('openai', usageOf('openai-chat-cached-reasoning'))).toEqual({
      shape: 'openai.chat',
      usage: {
        inputTokens: 2006,
        outputTokens: 300,
        cacheReadTokens: 1920,
        cacheWriteTokens: 0,
        cacheWrite1hTokens: 0,
        reasoningTokens: 192,
      },
    });
  });

  it('reads Azure OpenAI the same way', () => {
    expect(normalizeUsage('azure.ai.openai', usageOf('openai-chat-cached-reasoning'))).toEqual(
      normalizeUsage('openai', usageOf('openai-chat-cached-reasoning')),
    );
  });
});

describe('OpenAI chat stream: only the include_usage chunk carries usage', () => {
  const chunks = fixture<Array<{ usage: unknown }>>('openai-chat-stream');

  it('reports the content chunks as missing usage', () => {
    expect(normalizeUsageDetailed('openai', chunks[0]?.usage)).toEqual({ problem: 'missing' });
    expect(normalizeUsage('openai', chunks[1]?.usage)).toBeUndefined();
  });

  it('reads the final usage chunk', () => {
    expect(normalizeUsage('openai', chunks[2]?.usage)).toEqual({
      inputTokens: 19,
      outputTokens: 10,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 0,
      reasoningTokens: 0,
    });
  });
});

describe('OpenAI responses: input includes cached and written, output includes reasoning', () => {
  it('reads cached input and reasoning output', () => {
    expect(normalizeUsageDetailed('openai', usageOf('openai-responses-cached-reasoning'))).toEqual({
      shape: 'openai.responses',
      usage: {
        inputTokens: 5482,
        outputTokens: 1318,
        cacheReadTokens: 4864,
        cacheWriteTokens: 0,
        cacheWrite1hTokens: 0,
        reasoningTokens: 1088,
      },
    });
  });

  it('reads cache_write_tokens as a part of input_tokens (2600 = 2000 read + 400 written + 200)', () => {
    expect(normalizeUsage('openai', usageOf('openai-responses-cache-write'))).toEqual({
      inputTokens: 2600,
      outputTokens: 120,
      cacheReadTokens: 2000,
      cacheWriteTokens: 400,
      cacheWrite1hTokens: 0,
      reasoningTokens: 0,
    });
  });

  it('reads chat cache_write_tokens the same way', () => {
    const usage = {
      prompt_tokens: 3000,
      completion_tokens: 5,
      prompt_tokens_details: { cache_write_tokens: 2900 },
    };
    expect(normalizeUsage('openai', usage)?.cacheWriteTokens).toBe(2900);
    expect(normalizeUsage('openai', usage)?.inputTokens).toBe(3000);
  });
});

describe('OpenAI embeddings: prompt tokens only', () => {
  it('reports zero output', () => {
    expect(normalizeUsageDetailed('openai', usageOf('openai-embeddings'))).toEqual({
      shape: 'openai.embeddings',
      usage: {
        inputTokens: 8,
        outputTokens: 0,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        cacheWrite1hTokens: 0,
        reasoningTokens: 0,
      },
    });
  });
});

describe('OpenAI shape selection', () => {
  it('reads the shape it is told to, whatever the fields suggest', () => {
    const usage = { prompt_tokens: 10, completion_tokens: 4, total_tokens: 14 };
    expect(normalizeUsageDetailed('openai', usage, 'openai.embeddings')).toEqual({
      shape: 'openai.embeddings',
      usage: {
        inputTokens: 10,
        outputTokens: 0,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        cacheWrite1hTokens: 0,
        reasoningTokens: 0,
      },
    });
  });

  it('reads a bare { input_tokens, output_tokens } as a Responses usage', () => {
    expect(normalizeUsageDetailed('openai', { input_tokens: 7, output_tokens: 3 }).shape).toBe(
      'openai.responses',
    );
  });

  it('refuses shapes OpenAI does not return', () => {
    expect(
      normalizeUsageDetailed('openai', usageOf('gemini-cached-thoughts-tooluse', 'usageMetadata')),
    ).toEqual({
      problem: 'unknown_shape',
    });
    expect(normalizeUsageDetailed('openai', { id: 'x', object: 'usage' })).toEqual({
      problem: 'unknown_shape',
    });
  });

  it('does not read a cost field for OpenAI', () => {
    expect(
      normalizeUsage('openai', { prompt_tokens: 1, completion_tokens: 1, cost: 0.5 }),
    ).not.toHaveProperty('costUsd');
  });
});
