import { describe, expect, it } from 'vitest';
import { normalizeUsage, normalizeUsageDetailed } from '../../src/usage/index.js';
import { usageOf } from './fixture.js';

describe('Gemini usageMetadata: prompt includes cached; thoughts and tool-use prompt are beside', () => {
  it('adds tool-use prompt to input and thoughts to output', () => {
    expect(
      normalizeUsageDetailed('gcp.gemini', usageOf('gemini-cached-thoughts-tooluse', 'usageMetadata')),
    ).toEqual({
      shape: 'gemini',
      usage: {
        inputTokens: 12431,
        outputTokens: 980,
        cacheReadTokens: 11800,
        cacheWriteTokens: 0,
        cacheWrite1hTokens: 0,
        reasoningTokens: 668,
      },
    });
  });

  it('reads the snake_case field names of Vertex AI', () => {
    expect(normalizeUsage('gcp.vertex_ai', usageOf('gemini-vertex-snake-case', 'usage_metadata'))).toEqual({
      inputTokens: 1530,
      outputTokens: 164,
      cacheReadTokens: 1024,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 0,
      reasoningTokens: 120,
    });
  });

  it('reads the Google GenAI provider name the same way', () => {
    const usage = usageOf('gemini-cached-thoughts-tooluse', 'usageMetadata');
    expect(normalizeUsage('gcp.gen_ai', usage)).toEqual(normalizeUsage('gcp.gemini', usage));
  });

  it('does not add thoughts twice when totalTokenCount shows candidates already include them', () => {
    const usage = {
      promptTokenCount: 100,
      candidatesTokenCount: 250,
      thoughtsTokenCount: 200,
      totalTokenCount: 350,
    };
    expect(normalizeUsage('gcp.gemini', usage)).toMatchObject({ outputTokens: 250, reasoningTokens: 200 });
  });

  it('adds thoughts when no total is reported', () => {
    const usage = { promptTokenCount: 100, candidatesTokenCount: 50, thoughtsTokenCount: 200 };
    expect(normalizeUsage('gcp.gemini', usage)).toMatchObject({ outputTokens: 250, reasoningTokens: 200 });
  });

  it('reads a first stream chunk that has no candidates count yet', () => {
    expect(normalizeUsage('gcp.gemini', { promptTokenCount: 9, totalTokenCount: 9 })).toEqual({
      inputTokens: 9,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 0,
      reasoningTokens: 0,
    });
  });

  it('rejects a cached count larger than the prompt', () => {
    expect(
      normalizeUsageDetailed('gcp.gemini', { promptTokenCount: 10, cachedContentTokenCount: 11 }),
    ).toEqual({
      problem: 'invalid',
    });
  });
});
