/** AI SDK usage shapes → inclusive TokenUsage, and AI SDK provider ids → our provider names. */
import { describe, expect, it } from 'vitest';
import {
  readAiSdkUsage,
  resolveVercelModel,
  vercelProviderName,
} from '../../../src/instrumentations/vercel-ai/index.js';

describe('readAiSdkUsage', () => {
  it('reads LanguageModelV3Usage (inclusive totals with details)', () => {
    const r = readAiSdkUsage('openai', {
      inputTokens: { total: 140, noCache: 100, cacheRead: 40, cacheWrite: undefined },
      outputTokens: { total: 27, text: 20, reasoning: 7 },
      raw: { prompt_tokens: 140, completion_tokens: 27, prompt_tokens_details: { cached_tokens: 40 } },
    });
    expect(r).toEqual({
      usage: { inputTokens: 140, outputTokens: 27, cacheReadTokens: 40, reasoningTokens: 7 },
    });
  });

  it('takes Anthropic’s 1-hour cache-write share from raw', () => {
    const r = readAiSdkUsage('anthropic', {
      inputTokens: { total: 1000, noCache: 100, cacheRead: 600, cacheWrite: 300 },
      outputTokens: { total: 50, text: 50, reasoning: undefined },
      raw: {
        input_tokens: 100,
        cache_read_input_tokens: 600,
        cache_creation_input_tokens: 300,
        cache_creation: { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 200 },
        output_tokens: 50,
      },
    });
    expect(r.usage).toEqual({
      inputTokens: 1000,
      outputTokens: 50,
      cacheReadTokens: 600,
      cacheWriteTokens: 300,
      cacheWrite1hTokens: 200,
    });
  });

  it('a provider-reported cost in raw (OpenRouter usage.cost) is kept', () => {
    const r = readAiSdkUsage('openrouter', {
      inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
      outputTokens: { total: 5, text: 5, reasoning: 0 },
      raw: { prompt_tokens: 10, completion_tokens: 5, cost: 0.0042 },
    });
    expect(r.costUsd).toBe(0.0042);
  });

  it('reads V2 usage and ai’s result-level usage', () => {
    expect(
      readAiSdkUsage('openai', {
        inputTokens: 50,
        outputTokens: 9,
        totalTokens: 59,
        reasoningTokens: 4,
        cachedInputTokens: 20,
      }).usage,
    ).toEqual({ inputTokens: 50, outputTokens: 9, cacheReadTokens: 20, reasoningTokens: 4 });
    expect(
      readAiSdkUsage('openai', {
        inputTokens: 50,
        inputTokenDetails: { noCacheTokens: 30, cacheReadTokens: 20, cacheWriteTokens: undefined },
        outputTokens: 9,
        outputTokenDetails: { textTokens: 5, reasoningTokens: 4 },
      }).usage,
    ).toEqual({ inputTokens: 50, outputTokens: 9, cacheReadTokens: 20, reasoningTokens: 4 });
  });

  it('parts larger than their total are read as exclusive totals (buckets never negative)', () => {
    expect(
      readAiSdkUsage('x', {
        inputTokens: { total: 10, cacheRead: 30, cacheWrite: 5 },
        outputTokens: { total: 3, reasoning: 8 },
      }).usage,
    ).toEqual({
      inputTokens: 45,
      outputTokens: 11,
      cacheReadTokens: 30,
      cacheWriteTokens: 5,
      reasoningTokens: 8,
    });
  });

  it('no counts → no usage (never fake zeros); hostile input never throws', () => {
    expect(readAiSdkUsage('openai', { inputTokens: { total: undefined }, outputTokens: {} })).toEqual({});
    expect(readAiSdkUsage('openai', undefined)).toEqual({});
    expect(readAiSdkUsage('openai', { inputTokens: -1, outputTokens: Number.NaN })).toEqual({});
    const hostile = {
      get inputTokens(): never {
        throw new Error('getter');
      },
    };
    expect(readAiSdkUsage('openai', hostile)).toEqual({});
  });
});

describe('AI SDK provider ids', () => {
  it.each([
    ['openai.chat', 'openai'],
    ['openai.responses', 'openai'],
    ['anthropic.messages', 'anthropic'],
    ['google.generative-ai', 'gcp.gemini'],
    ['google.vertex.chat', 'gcp.vertex_ai'],
    ['google.vertex.anthropic.messages', 'anthropic'],
    ['amazon-bedrock', 'aws.bedrock'],
    ['azure.chat', 'azure.ai.openai'],
    ['xai.chat', 'x_ai'],
    ['mistral.chat', 'mistral_ai'],
    ['deepseek.chat', 'deepseek'],
    ['together.chat', 'together'],
    ['', 'unknown'],
  ])('%s → %s', (id, expected) => {
    expect(vercelProviderName(id)).toBe(expected);
  });

  it('the AI Gateway names the provider in the model id', () => {
    expect(resolveVercelModel('gateway', 'openai/gpt-4o')).toEqual({ provider: 'openai', model: 'gpt-4o' });
    expect(resolveVercelModel('gateway', 'gpt-4o')).toEqual({ provider: 'gateway', model: 'gpt-4o' });
    expect(resolveVercelModel('openai.chat', 'gpt-4o')).toEqual({ provider: 'openai', model: 'gpt-4o' });
  });
});
