import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NormalizedUsage } from '../../src/types.js';
import { normalizeUsage, normalizeUsageDetailed, type UsageShape } from '../../src/usage/index.js';

const tokens = fc.nat({ max: 2_000_000 });

/** A count and a part of it, as OpenAI and Gemini report them (part inside whole). */
const wholeAndPart = tokens.chain((whole) => fc.tuple(fc.constant(whole), fc.nat({ max: whole })));

const openAIChat = fc
  .record({ prompt: wholeAndPart, completion: wholeAndPart, withTotal: fc.boolean() })
  .map(({ prompt: [prompt, cached], completion: [completion, reasoning], withTotal }) => ({
    prompt_tokens: prompt,
    completion_tokens: completion,
    ...(withTotal ? { total_tokens: prompt + completion } : {}),
    prompt_tokens_details: { cached_tokens: cached, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: reasoning },
  }));

const openAIResponses = fc
  .record({ input: wholeAndPart, output: wholeAndPart })
  .map(({ input: [input, cached], output: [output, reasoning] }) => ({
    input_tokens: input,
    input_tokens_details: { cached_tokens: cached },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: reasoning },
    total_tokens: input + output,
  }));

const anthropic = fc
  .record({
    input: tokens,
    output: tokens,
    read: fc.option(tokens),
    w5m: tokens,
    w1h: tokens,
    withTtl: fc.boolean(),
  })
  .map(({ input, output, read, w5m, w1h, withTtl }) => ({
    input_tokens: input,
    cache_read_input_tokens: read,
    cache_creation_input_tokens: w5m + w1h,
    ...(withTtl
      ? { cache_creation: { ephemeral_5m_input_tokens: w5m, ephemeral_1h_input_tokens: w1h } }
      : {}),
    output_tokens: output,
  }));

const gemini = fc
  .record({ prompt: wholeAndPart, candidates: tokens, thoughts: tokens, toolUse: tokens })
  .map(({ prompt: [prompt, cached], candidates, thoughts, toolUse }) => ({
    promptTokenCount: prompt,
    cachedContentTokenCount: cached,
    candidatesTokenCount: candidates,
    thoughtsTokenCount: thoughts,
    toolUsePromptTokenCount: toolUse,
    totalTokenCount: prompt + candidates + thoughts + toolUse,
  }));

function expectInclusive(usage: NormalizedUsage | undefined): void {
  expect(usage).toBeDefined();
  const u = usage!;
  for (const value of [
    u.inputTokens,
    u.outputTokens,
    u.cacheReadTokens,
    u.cacheWriteTokens,
    u.cacheWrite1hTokens,
    u.reasoningTokens,
  ]) {
    expect(Number.isSafeInteger(value) && value! >= 0).toBe(true);
  }
  expect(u.cacheReadTokens! + u.cacheWriteTokens!).toBeLessThanOrEqual(u.inputTokens);
  expect(u.cacheWrite1hTokens!).toBeLessThanOrEqual(u.cacheWriteTokens!);
  expect(u.reasoningTokens!).toBeLessThanOrEqual(u.outputTokens);
}

describe('valid usage normalises to consistent inclusive counts', () => {
  it('OpenAI chat keeps prompt and completion as input and output', () => {
    fc.assert(
      fc.property(openAIChat, (raw) => {
        const usage = normalizeUsage('openai', raw);
        expectInclusive(usage);
        expect(usage?.inputTokens).toBe(raw.prompt_tokens);
        expect(usage?.outputTokens).toBe(raw.completion_tokens);
      }),
    );
  });

  it('OpenAI responses keeps input and output', () => {
    fc.assert(
      fc.property(openAIResponses, (raw) => {
        const usage = normalizeUsage('openai', raw);
        expectInclusive(usage);
        expect(usage?.inputTokens).toBe(raw.input_tokens);
      }),
    );
  });

  it('Anthropic input is input + cache reads + cache writes', () => {
    fc.assert(
      fc.property(anthropic, (raw) => {
        const usage = normalizeUsage('anthropic', raw);
        expectInclusive(usage);
        expect(usage?.inputTokens).toBe(
          raw.input_tokens + (raw.cache_read_input_tokens ?? 0) + raw.cache_creation_input_tokens,
        );
      }),
    );
  });

  it('Gemini input + output add up to totalTokenCount', () => {
    fc.assert(
      fc.property(gemini, (raw) => {
        const usage = normalizeUsage('gcp.gemini', raw);
        expectInclusive(usage);
        expect(usage!.inputTokens + usage!.outputTokens).toBe(raw.totalTokenCount);
      }),
    );
  });
});

describe('arbitrary input never throws', () => {
  const providers = fc.constantFrom(
    'openai',
    'anthropic',
    'gcp.gemini',
    'aws.bedrock',
    'deepseek',
    'x_ai',
    'openrouter',
    'other',
  );
  const shapes = fc.constantFrom<UsageShape | undefined>(
    undefined,
    'openai.chat',
    'openai.responses',
    'openai.embeddings',
    'anthropic.messages',
    'gemini',
    'bedrock.converse',
  );

  it('returns usage that is inclusive-consistent, or a problem', () => {
    fc.assert(
      fc.property(
        providers,
        fc.anything({ withNullPrototype: true, withBigInt: true, withMap: true }),
        shapes,
        (p, raw, shape) => {
          const result = normalizeUsageDetailed(p, raw, shape);
          if (result.usage === undefined) {
            expect(['missing', 'unknown_shape', 'invalid']).toContain(result.problem);
          } else {
            expectInclusive(result.usage);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('survives usage-like records whose values are anything', () => {
    const keys = fc.constantFrom(
      'prompt_tokens',
      'completion_tokens',
      'total_tokens',
      'prompt_tokens_details',
      'input_tokens',
      'output_tokens',
      'cache_read_input_tokens',
      'cache_creation',
      'promptTokenCount',
      'thoughtsTokenCount',
      'inputTokens',
      'cacheDetails',
      'cost',
    );
    fc.assert(
      fc.property(
        providers,
        fc.dictionary(keys, fc.oneof(fc.anything(), fc.integer(), fc.double())),
        (p, raw) => {
          expect(() => normalizeUsage(p, raw)).not.toThrow();
        },
      ),
      { numRuns: 2000 },
    );
  });
});
