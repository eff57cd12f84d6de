import { describe, expect, it } from 'vitest';
import { normalizeUsage, normalizeUsageDetailed } from '../../src/usage/index.js';

const PROVIDERS = [
  'openai',
  'azure.ai.openai',
  'anthropic',
  'aws.bedrock',
  'gcp.gemini',
  'gcp.vertex_ai',
  'gcp.gen_ai',
  'deepseek',
  'x_ai',
  'openrouter',
  'some.other',
];

function throwingGetter(key: string): object {
  return Object.defineProperty({}, key, {
    enumerable: true,
    get() {
      throw new Error(`getter ${key} exploded`);
    },
  });
}

describe('absent usage is missing', () => {
  it.each(PROVIDERS)('%s: undefined and null', (provider) => {
    expect(normalizeUsageDetailed(provider, undefined)).toEqual({ problem: 'missing' });
    expect(normalizeUsageDetailed(provider, null)).toEqual({ problem: 'missing' });
    expect(normalizeUsage(provider, null)).toBeUndefined();
  });
});

describe('a usage that is not an object is invalid', () => {
  it.each([['{"prompt_tokens":1}'], [42], [true], [Symbol('usage')], [10n], [() => 1], [[]], [[1, 2]]])(
    '%s',
    (raw) => {
      for (const provider of PROVIDERS) {
        expect(normalizeUsageDetailed(provider, raw)).toEqual({ problem: 'invalid' });
      }
    },
  );
});

describe('an object no shape recognises is unknown_shape', () => {
  it.each(PROVIDERS)('%s', (provider) => {
    expect(normalizeUsageDetailed(provider, {})).toEqual({ problem: 'unknown_shape' });
    expect(normalizeUsageDetailed(provider, { tokens: 5 })).toEqual({ problem: 'unknown_shape' });
  });

  it('a forced shape whose fields are all absent', () => {
    expect(normalizeUsageDetailed('openai', { input_tokens: 5 }, 'openai.chat')).toEqual({
      problem: 'unknown_shape',
    });
  });

  it('a forced shape that does not exist', () => {
    expect(normalizeUsageDetailed('openai', { prompt_tokens: 5 }, 'nope' as 'gemini')).toEqual({
      problem: 'unknown_shape',
    });
  });
});

describe('a count that is not a non-negative safe integer is invalid', () => {
  const badCounts = [
    -1,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    1.5,
    2 ** 53,
    '12',
    {},
    [3],
    true,
  ];
  const badCosts = [-0.01, Number.NaN, Number.POSITIVE_INFINITY, '0.01', {}];
  const cases: Array<[string, string, (value: unknown) => unknown]> = [
    ['openai chat prompt_tokens', 'openai', (v) => ({ prompt_tokens: v, completion_tokens: 1 })],
    [
      'openai chat cached_tokens',
      'openai',
      (v) => ({ prompt_tokens: 9, completion_tokens: 1, prompt_tokens_details: { cached_tokens: v } }),
    ],
    [
      'openai chat total_tokens',
      'openai',
      (v) => ({ prompt_tokens: 9, completion_tokens: 1, total_tokens: v }),
    ],
    [
      'openai responses reasoning',
      'openai',
      (v) => ({ input_tokens: 9, output_tokens: 9, output_tokens_details: { reasoning_tokens: v } }),
    ],
    ['openai embeddings total', 'openai', (v) => ({ prompt_tokens: 9, total_tokens: v })],
    ['openrouter cost', 'openrouter', (v) => ({ prompt_tokens: 9, completion_tokens: 1, cost: v })],
    [
      'anthropic cache_read',
      'anthropic',
      (v) => ({ input_tokens: 1, output_tokens: 1, cache_read_input_tokens: v }),
    ],
    [
      'anthropic 1h writes',
      'anthropic',
      (v) => ({ input_tokens: 1, output_tokens: 1, cache_creation: { ephemeral_1h_input_tokens: v } }),
    ],
    ['gemini thoughts', 'gcp.gemini', (v) => ({ promptTokenCount: 1, thoughtsTokenCount: v })],
    ['gemini total', 'gcp.gemini', (v) => ({ promptTokenCount: 1, totalTokenCount: v })],
    [
      'bedrock cacheWrite',
      'aws.bedrock',
      (v) => ({ inputTokens: 1, outputTokens: 1, cacheWriteInputTokens: v }),
    ],
    ['bedrock total', 'aws.bedrock', (v) => ({ inputTokens: 1, outputTokens: 1, totalTokens: v })],
    [
      'deepseek hit',
      'deepseek',
      (v) => ({ prompt_tokens: 9, completion_tokens: 1, prompt_cache_hit_tokens: v }),
    ],
  ];
  it.each(cases)('%s', (_name, provider, build) => {
    const bad = provider === 'openrouter' ? badCosts : badCounts;
    for (const value of bad) {
      for (const p of [provider, 'some.other']) {
        const expected = p === 'some.other' && provider === 'openrouter' ? undefined : 'invalid';
        expect(normalizeUsageDetailed(p, build(value)).problem, `${p} ${String(value)}`).toBe(expected);
      }
    }
  });

  it('a details field of the wrong type', () => {
    expect(
      normalizeUsageDetailed('openai', {
        prompt_tokens: 5,
        completion_tokens: 1,
        prompt_tokens_details: 'n/a',
      }),
    ).toEqual({
      problem: 'invalid',
    });
    expect(
      normalizeUsageDetailed('anthropic', { input_tokens: 5, output_tokens: 1, cache_creation: [1, 2] }),
    ).toEqual({
      problem: 'invalid',
    });
  });

  it('folds -0 to 0', () => {
    expect(
      Object.is(normalizeUsage('openai', { prompt_tokens: -0, completion_tokens: -0 })?.inputTokens, 0),
    ).toBe(true);
  });
});

describe('parts larger than their inclusive whole are invalid', () => {
  it.each([
    [
      'openai cached > prompt',
      'openai',
      { prompt_tokens: 10, completion_tokens: 1, prompt_tokens_details: { cached_tokens: 11 } },
    ],
    [
      'openai cached + written > prompt',
      'openai',
      {
        input_tokens: 10,
        output_tokens: 1,
        input_tokens_details: { cached_tokens: 6, cache_write_tokens: 5 },
      },
    ],
    [
      'openai reasoning > completion',
      'openai',
      { prompt_tokens: 10, completion_tokens: 1, completion_tokens_details: { reasoning_tokens: 2 } },
    ],
    [
      'deepseek hit > prompt',
      'deepseek',
      { prompt_tokens: 10, completion_tokens: 1, prompt_cache_hit_tokens: 11 },
    ],
    [
      'bedrock 1h > writes',
      'aws.bedrock',
      {
        inputTokens: 1,
        outputTokens: 1,
        cacheWriteInputTokens: 2,
        cacheDetails: [{ ttl: '1h', inputTokens: 3 }],
      },
    ],
  ])('%s', (_name, provider, usage) => {
    expect(normalizeUsageDetailed(provider, usage)).toEqual({ problem: 'invalid' });
  });
});

describe('objects that throw when read are invalid, never thrown', () => {
  it.each([
    ['openai', 'prompt_tokens', { completion_tokens: 1 }],
    ['openai', 'completion_tokens', { prompt_tokens: 1 }],
    ['openrouter', 'cost', { prompt_tokens: 1, completion_tokens: 1 }],
    ['anthropic', 'input_tokens', { output_tokens: 1 }],
    ['gcp.gemini', 'promptTokenCount', { candidatesTokenCount: 1 }],
    ['aws.bedrock', 'inputTokens', { outputTokens: 1 }],
  ])('%s: getter %s', (provider, key, rest) => {
    const usage = Object.assign(throwingGetter(key), rest);
    expect(() => normalizeUsage(provider, usage)).not.toThrow();
    expect(normalizeUsageDetailed(provider, usage)).toEqual({ problem: 'invalid' });
  });

  it('a throwing getter in a details object', () => {
    const usage = {
      prompt_tokens: 5,
      completion_tokens: 1,
      prompt_tokens_details: throwingGetter('cached_tokens'),
    };
    expect(normalizeUsageDetailed('openai', usage)).toEqual({ problem: 'invalid' });
  });

  it('a proxy whose every trap throws', () => {
    const trap = () => {
      throw new Error('trap');
    };
    const proxy = new Proxy({}, { get: trap, has: trap, ownKeys: trap, getPrototypeOf: trap });
    for (const provider of PROVIDERS) {
      expect(normalizeUsageDetailed(provider, proxy)).toEqual({ problem: 'invalid' });
    }
  });

  it('a revoked proxy', () => {
    const { proxy, revoke } = Proxy.revocable({ prompt_tokens: 1 }, {});
    revoke();
    for (const provider of PROVIDERS) {
      expect(normalizeUsageDetailed(provider, proxy)).toEqual({ problem: 'invalid' });
    }
  });
});

describe('circular objects are read like any other', () => {
  it('reads the counts and ignores the cycle', () => {
    const usage: Record<string, unknown> = { prompt_tokens: 4, completion_tokens: 2 };
    usage['self'] = usage;
    usage['prompt_tokens_details'] = { cached_tokens: 1, parent: usage };
    expect(normalizeUsage('openai', usage)).toMatchObject({
      inputTokens: 4,
      outputTokens: 2,
      cacheReadTokens: 1,
    });
  });
});
