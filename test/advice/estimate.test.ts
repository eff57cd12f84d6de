/**
 * estimateCost: hand-computed ranges. Prompt tokens are counted as the budget guard counts them:
 * characters / 4 (rounded up) over every string in the prompt fields — roles, tool schemas and
 * part types included, base64 data and URLs skipped. Prices (USD per million tokens):
 *   gpt-4o input 2.50, cached 1.25, output 10 (context 128,000)
 *   claude-3-5-haiku input 0.80, cache read 0.08, cache write 1.00 (1 h: 1.60), output 4.00
 *   gemini-2.5-pro input 1.25 / cached 0.125 / output 10; over 200,000 prompt tokens 2.50 / 0.25 / 15
 *   text-embedding-3-small input 0.02
 * min = prompt × cheapest input rate (all cached), no output;
 * max = prompt × dearest input rate + output cap × output rate.
 */
import { describe, expect, it } from 'vitest';
import { estimateCost } from '../../src/advice/estimate.js';

const priced = (e: ReturnType<typeof estimateCost>) => {
  if (!e.priced) throw new Error(e.message);
  return e;
};
const user = (text: string) => [{ role: 'user', content: text }];

describe('OpenAI chat', () => {
  // 'user' (4) + 396 characters = 400 → 100 tokens
  const body = { model: 'gpt-4o', messages: user('x'.repeat(396)), max_tokens: 100 };

  it('JSON request: max_tokens bounds the output', () => {
    const e = priced(estimateCost({ provider: 'openai', body }));
    expect(e.inputTokens).toBe(100);
    expect(e.maxOutputTokens).toBe(100);
    expect(e.outputBound).toBe('max_tokens');
    expect(e.minUsd).toBeCloseTo(0.000125, 15); // 100 × 1.25 / 1e6
    expect(e.maxUsd).toBeCloseTo(0.00125, 15); // 100 × 2.50 / 1e6 + 100 × 10 / 1e6
    expect(e.entry.model).toBe('gpt-4o');
  });

  it('streaming request: the same range', () => {
    const e = priced(
      estimateCost({
        provider: 'openai',
        body: { ...body, stream: true, stream_options: { include_usage: true } },
      }),
    );
    expect([e.minUsd, e.maxUsd]).toEqual([
      priced(estimateCost({ provider: 'openai', body })).minUsd,
      priced(estimateCost({ provider: 'openai', body })).maxUsd,
    ]);
  });

  it('no max_tokens: what the context window leaves', () => {
    const { max_tokens: _, ...open } = body;
    const e = priced(estimateCost({ provider: 'openai', body: open }));
    expect(e.outputBound).toBe('context-window');
    expect(e.maxOutputTokens).toBe(127_900); // 128,000 − 100
    expect(e.maxUsd).toBeCloseTo(1.27925, 12); // 0.00025 + 127,900 × 10 / 1e6
  });

  it('tools are prompt text', () => {
    // + 'function' (8) + 'get_weather' (11) + 85 + 'object' (6) = 510 characters → 128 tokens
    const tools = [
      {
        type: 'function',
        function: { name: 'get_weather', description: 'd'.repeat(85), parameters: { type: 'object' } },
      },
    ];
    const e = priced(estimateCost({ provider: 'openai', body: { ...body, tools, max_tokens: 50 } }));
    expect(e.inputTokens).toBe(128);
    expect(e.minUsd).toBeCloseTo(0.00016, 15); // 128 × 1.25 / 1e6
    expect(e.maxUsd).toBeCloseTo(0.00082, 15); // 128 × 2.50 / 1e6 + 50 × 10 / 1e6
  });

  it('images are not counted, and the estimate says so', () => {
    // 'user' (4) + 'text' (4) + 92 + 'image_url' (9, the part type) = 109 → 28 tokens; the data URL is skipped
    const content = [
      { type: 'text', text: 'x'.repeat(92) },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
    ];
    const e = priced(
      estimateCost({
        provider: 'openai',
        body: { model: 'gpt-4o', messages: [{ role: 'user', content }], max_tokens: 10 },
      }),
    );
    expect(e.inputTokens).toBe(28);
    expect(e.maxUsd).toBeCloseTo(0.00017, 15); // 28 × 2.50 / 1e6 + 10 × 10 / 1e6
    expect(e.assumptions.join(' ')).toContain('images, audio and files in the request are not counted');
  });
});

describe('Anthropic messages', () => {
  it('cache writes are the dearest input rate', () => {
    // 'system' 200 + 'user' 4 + 196 = 400 → 100 tokens
    const e = priced(
      estimateCost({
        provider: 'anthropic',
        body: {
          model: 'claude-3-5-haiku',
          system: 's'.repeat(200),
          messages: user('x'.repeat(196)),
          max_tokens: 300,
        },
      }),
    );
    expect(e.minUsd).toBeCloseTo(0.000008, 15); // 100 × 0.08 / 1e6
    expect(e.maxUsd).toBeCloseTo(0.0013, 15); // 100 × 1.00 / 1e6 + 300 × 4.00 / 1e6
  });

  it('a 1-hour cache write is priced at the 1-hour rate', () => {
    // 'text' 4 + 200 + 'ephemeral' 9 + '1h' 2 + 'user' 4 + 196 = 415 → 104 tokens
    const system = [{ type: 'text', text: 's'.repeat(200), cache_control: { type: 'ephemeral', ttl: '1h' } }];
    const e = priced(
      estimateCost({
        provider: 'anthropic',
        body: { model: 'claude-3-5-haiku', system, messages: user('x'.repeat(196)), max_tokens: 300 },
      }),
    );
    expect(e.inputTokens).toBe(104);
    expect(e.maxUsd).toBeCloseTo(0.0013664, 15); // 104 × 1.60 / 1e6 + 300 × 4.00 / 1e6
  });
});

describe('Gemini generateContent', () => {
  it('a prompt over the long-context threshold is priced at the tier', () => {
    // 'user' 4 + 999,996 = 1,000,000 characters → 250,000 tokens > 200,000
    const body = {
      contents: [{ role: 'user', parts: [{ text: 'x'.repeat(999_996) }] }],
      config: { maxOutputTokens: 1000 },
    };
    const e = priced(estimateCost({ provider: 'gcp.gemini', model: 'gemini-2.5-pro', body }));
    expect(e.inputTokens).toBe(250_000);
    expect(e.entry.tierStartTokens).toBe(200_000);
    expect(e.minUsd).toBeCloseTo(0.0625, 12); // 250,000 × 0.25 / 1e6
    expect(e.maxUsd).toBeCloseTo(0.64, 12); // 250,000 × 2.50 / 1e6 + 1,000 × 15 / 1e6
  });

  it('no cap and no known context window: the guard’s default of 4,096', () => {
    const body = { contents: [{ role: 'user', parts: [{ text: 'x'.repeat(396) }] }] };
    const e = priced(estimateCost({ provider: 'gcp.gemini', model: 'gemini-2.5-pro', body }));
    expect(e.outputBound).toBe('guard-default');
    expect(e.maxUsd).toBeCloseTo(0.041085, 12); // 100 × 1.25 / 1e6 + 4,096 × 10 / 1e6
    expect(e.minUsd).toBeCloseTo(0.0000125, 15); // 100 × 0.125 / 1e6
  });
});

describe('embeddings and unknown models', () => {
  it('embeddings bill input only', () => {
    // 4,000 characters → 1,000 tokens × 0.02 / 1e6; no cached price, so min = max
    const e = priced(
      estimateCost({
        provider: 'openai',
        body: { model: 'text-embedding-3-small', input: 'a'.repeat(4000) },
      }),
    );
    expect(e.outputBound).toBe('embeddings');
    expect(e.minUsd).toBeCloseTo(0.00002, 15);
    expect(e.maxUsd).toBeCloseTo(0.00002, 15);
  });

  it('an unknown model is not priced — never $0', () => {
    const e = estimateCost({
      provider: 'openai',
      body: { model: 'acme-summarizer-1', messages: user('hi') },
    });
    expect(e.priced).toBe(false);
    expect(e).not.toHaveProperty('maxUsd');
    expect(e.maxOutputTokens).toBe(4096);
  });
});
