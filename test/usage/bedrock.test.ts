import { describe, expect, it } from 'vitest';
import { normalizeUsage, normalizeUsageDetailed } from '../../src/usage/index.js';
import { fixture, usageOf } from './fixture.js';

describe('Bedrock Converse: inputTokens excludes cache reads and writes', () => {
  it('adds cache reads and writes to input and reads the 1-hour writes from cacheDetails', () => {
    expect(normalizeUsageDetailed('aws.bedrock', usageOf('bedrock-converse-cache'))).toEqual({
      shape: 'bedrock.converse',
      usage: {
        inputTokens: 7241,
        outputTokens: 322,
        cacheReadTokens: 3122,
        cacheWriteTokens: 4101,
        cacheWrite1hTokens: 4101,
        reasoningTokens: 0,
      },
    });
  });

  it('reads the ConverseStream metadata event usage', () => {
    const event = fixture<{ metadata: { usage: unknown } }>('bedrock-converse-stream-metadata');
    expect(normalizeUsage('aws.bedrock', event.metadata.usage)).toEqual({
      inputTokens: 2060,
      outputTokens: 57,
      cacheReadTokens: 2048,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 0,
      reasoningTokens: 0,
    });
  });

  it('does not add the cache twice when totalTokens shows inputTokens already includes it', () => {
    const usage = { inputTokens: 4995, outputTokens: 19, totalTokens: 5014, cacheWriteInputTokens: 4993 };
    expect(normalizeUsage('aws.bedrock', usage)).toMatchObject({ inputTokens: 4995, cacheWriteTokens: 4993 });
  });

  it('reads a call without caching', () => {
    expect(normalizeUsage('aws.bedrock', { inputTokens: 30, outputTokens: 12, totalTokens: 42 })).toEqual({
      inputTokens: 30,
      outputTokens: 12,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 0,
      reasoningTokens: 0,
    });
  });

  it('counts writes without a 1-hour cacheDetails entry as 5-minute', () => {
    const usage = {
      inputTokens: 3,
      outputTokens: 1,
      cacheWriteInputTokens: 100,
      cacheDetails: [{ ttl: '5m', inputTokens: 100 }],
    };
    expect(normalizeUsage('aws.bedrock', usage)).toMatchObject({
      cacheWriteTokens: 100,
      cacheWrite1hTokens: 0,
    });
  });

  it.each([['not-a-list'], [[null]], [[{ ttl: '1h', inputTokens: -1 }]], [[{ ttl: '1h' }]]])(
    'rejects malformed cacheDetails %j',
    (cacheDetails) => {
      const usage = { inputTokens: 3, outputTokens: 1, cacheWriteInputTokens: 100, cacheDetails };
      expect(normalizeUsageDetailed('aws.bedrock', usage)).toEqual({ problem: 'invalid' });
    },
  );
});
