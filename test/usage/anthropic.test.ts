import { describe, expect, it } from 'vitest';
import {
  type AnthropicStreamUsage,
  mergeAnthropicStreamUsage,
  normalizeUsage,
  normalizeUsageDetailed,
} from '../../src/usage/index.js';
import { fixture, usageOf } from './fixture.js';

type StreamEvent = { type: string; message?: { usage?: unknown }; usage?: unknown };

/** Folds a recorded SSE stream the way a wrapper would. */
function mergeStream(name: string): AnthropicStreamUsage | undefined {
  let acc: AnthropicStreamUsage | undefined;
  for (const event of fixture<StreamEvent[]>(name)) {
    if (event.type === 'message_start') acc = mergeAnthropicStreamUsage(acc, event.message?.usage);
    if (event.type === 'message_delta') acc = mergeAnthropicStreamUsage(acc, event.usage);
  }
  return acc;
}

describe('Anthropic messages: input_tokens excludes cache reads and writes', () => {
  it('sums input, cache reads and writes, and keeps the 1-hour writes apart', () => {
    expect(normalizeUsageDetailed('anthropic', usageOf('anthropic-cache-read-5m-1h'))).toEqual({
      shape: 'anthropic.messages',
      usage: {
        inputTokens: 102550,
        outputTokens: 503,
        cacheReadTokens: 100000,
        cacheWriteTokens: 2500,
        cacheWrite1hTokens: 2000,
        reasoningTokens: 0,
      },
    });
  });

  it('reads a response without cache fields', () => {
    expect(normalizeUsage('anthropic', usageOf('anthropic-no-cache'))).toEqual({
      inputTokens: 2095,
      outputTokens: 503,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 0,
      reasoningTokens: 0,
    });
  });

  it('counts every write as 5-minute when cache_creation is absent', () => {
    const usage = {
      input_tokens: 10,
      cache_creation_input_tokens: 300,
      cache_read_input_tokens: null,
      output_tokens: 4,
    };
    expect(normalizeUsage('anthropic', usage)).toEqual({
      inputTokens: 310,
      outputTokens: 4,
      cacheReadTokens: 0,
      cacheWriteTokens: 300,
      cacheWrite1hTokens: 0,
      reasoningTokens: 0,
    });
  });

  it('takes the write total from cache_creation when the flat field is null', () => {
    const usage = {
      input_tokens: 10,
      cache_creation_input_tokens: null,
      cache_creation: { ephemeral_5m_input_tokens: 40, ephemeral_1h_input_tokens: 60 },
      output_tokens: 4,
    };
    expect(normalizeUsage('anthropic', usage)).toMatchObject({
      inputTokens: 110,
      cacheWriteTokens: 100,
      cacheWrite1hTokens: 60,
    });
  });

  it('reads output_tokens_details.thinking_tokens as reasoning inside output', () => {
    const usage = { input_tokens: 10, output_tokens: 900, output_tokens_details: { thinking_tokens: 700 } };
    expect(normalizeUsage('anthropic', usage)).toMatchObject({ outputTokens: 900, reasoningTokens: 700 });
  });

  it('rejects 1-hour writes larger than all writes', () => {
    const usage = {
      input_tokens: 1,
      cache_creation_input_tokens: 10,
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 11 },
      output_tokens: 1,
    };
    expect(normalizeUsageDetailed('anthropic', usage)).toEqual({ problem: 'invalid' });
  });
});

describe('Anthropic on other platforms', () => {
  it('reads Claude on Bedrock InvokeModel and Vertex AI as the Anthropic shape', () => {
    const usage = usageOf('anthropic-cache-read-5m-1h');
    expect(normalizeUsageDetailed('aws.bedrock', usage).shape).toBe('anthropic.messages');
    expect(normalizeUsage('gcp.vertex_ai', usage)).toEqual(normalizeUsage('anthropic', usage));
  });
});

describe('Anthropic stream: message_start then cumulative message_delta', () => {
  it('keeps message_start input and cache counts when the delta reports them as null', () => {
    const merged = mergeStream('anthropic-stream');
    expect(normalizeUsage('anthropic', merged)).toEqual({
      inputTokens: 3472,
      outputTokens: 89,
      cacheReadTokens: 1800,
      cacheWriteTokens: 1200,
      cacheWrite1hTokens: 1200,
      reasoningTokens: 0,
    });
  });

  it('takes input and cache counts from a delta that reports them (server tool use)', () => {
    expect(normalizeUsage('anthropic', mergeStream('anthropic-stream-server-tool'))).toEqual({
      inputTokens: 12730,
      outputTokens: 510,
      cacheReadTokens: 2048,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 0,
      reasoningTokens: 0,
    });
  });

  it('replaces output with the later cumulative count, never adds', () => {
    let acc = mergeAnthropicStreamUsage(undefined, { input_tokens: 5, output_tokens: 1 });
    acc = mergeAnthropicStreamUsage(acc, { output_tokens: 20 });
    acc = mergeAnthropicStreamUsage(acc, { output_tokens: 35, input_tokens: null });
    expect(acc).toEqual({
      input_tokens: 5,
      output_tokens: 35,
      cache_read_input_tokens: undefined,
      cache_creation_input_tokens: undefined,
      cache_creation: undefined,
      output_tokens_details: undefined,
    });
  });

  it('does not change its inputs', () => {
    const start = Object.freeze({ input_tokens: 5, output_tokens: 1 });
    const first = mergeAnthropicStreamUsage(undefined, start);
    const second = mergeAnthropicStreamUsage(first, { output_tokens: 9 });
    expect(first.output_tokens).toBe(1);
    expect(second.output_tokens).toBe(9);
  });

  it('ignores a delta that is not an object or cannot be read', () => {
    const acc = mergeAnthropicStreamUsage(undefined, { input_tokens: 5, output_tokens: 1 });
    const throwing = {
      get output_tokens(): number {
        throw new Error('boom');
      },
    };
    expect(mergeAnthropicStreamUsage(acc, null)).toBe(acc);
    expect(mergeAnthropicStreamUsage(acc, 'message_delta')).toBe(acc);
    expect(mergeAnthropicStreamUsage(acc, throwing)).toBe(acc);
    expect(mergeAnthropicStreamUsage(undefined, undefined)).toEqual({});
  });

  it('passes a hostile value through for normalizeUsage to reject', () => {
    const acc = mergeAnthropicStreamUsage(undefined, { input_tokens: 5, output_tokens: 1 });
    const merged = mergeAnthropicStreamUsage(acc, { output_tokens: -3 });
    expect(normalizeUsageDetailed('anthropic', merged)).toEqual({ problem: 'invalid' });
  });
});
