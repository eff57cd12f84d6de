/**
 * estimateCost: hand-computed ranges. Token counts are checked against an oracle independent of
 * the estimator — OpenAI text through `gpt-tokenizer` directly, other providers' text as UTF-8
 * bytes (`Buffer.byteLength`), images by the providers' published formulas worked out below —
 * plus the framing the budget guard's estimator adds (src/budgets/estimate/index.ts):
 *   4 tokens per object in the prompt (message, content part, tool schema object; not an image
 *   part, which is priced by its own rule), 3 tokens per request.
 * The estimator joins every prompt string with one newline for a single tokenizer pass: each
 * newline is one more token (OpenAI) or byte (others).
 *
 * Prices (USD per million tokens, genai-prices catalog):
 *   gpt-4o input 2.50, cached 1.25, output 10; context 128,000; max output 16,384
 *   claude-3-5-haiku input 0.80, cache read 0.08, cache write 1.00 (1 h: 1.60), output 4.00
 *   gemini-2.5-pro input 1.25 / cached 0.125 / output 10; over 200,000 prompt tokens
 *     2.50 / 0.25 / 15; max output 65,536
 *   text-embedding-3-small input 0.02 (cl100k_base)
 * min = prompt × cheapest input rate (all cached), no output;
 * max = prompt × dearest input rate + output bound × output rate.
 */
import { countTokens as cl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { countTokens as o200k } from 'gpt-tokenizer/encoding/o200k_base';
import { beforeAll, describe, expect, it } from 'vitest';
import { estimateCost, preloadTokenizers } from '../../src/advice/estimate.js';
import { pngDataUrl } from '../support/png.js';

beforeAll(() => preloadTokenizers());

const priced = (e: ReturnType<typeof estimateCost>) => {
  if (!e.priced) throw new Error(e.message);
  return e;
};
const user = (text: string) => [{ role: 'user', content: text }];
const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

describe('OpenAI chat (o200k_base)', () => {
  const PROSE = Array(10).fill('The quick brown fox jumps over the lazy dog').join(' and ');
  const body = { model: 'gpt-4o', messages: user(PROSE), max_tokens: 100 };

  it('the oracle: 10 × 9 tokens + 9 × " and" = 99', () => {
    expect(o200k('The quick brown fox jumps over the lazy dog')).toBe(9);
    expect(o200k(PROSE)).toBe(99);
  });

  it('JSON request: max_tokens bounds the output', () => {
    // 99 text + 1 message × 4 + 3 = 106 prompt tokens
    const e = priced(estimateCost({ provider: 'openai', body }));
    expect(e.inputTokens).toBe(106);
    expect(e.maxOutputTokens).toBe(100);
    expect(e.outputBound).toBe('max_tokens');
    expect(e.minUsd).toBeCloseTo(0.0001325, 15); // 106 × 1.25 / 1e6
    expect(e.maxUsd).toBeCloseTo(0.001265, 15); // 106 × 2.50 / 1e6 + 100 × 10 / 1e6 = 0.000265 + 0.001
    expect(e.entry.model).toBe('gpt-4o');
    expect(e.assumptions[0]).toContain("counted with the model's tokenizer");
  });

  it('streaming request: the same range', () => {
    const e = priced(
      estimateCost({
        provider: 'openai',
        body: { ...body, stream: true, stream_options: { include_usage: true } },
      }),
    );
    expect(e.inputTokens).toBe(106);
    expect(e.minUsd).toBeCloseTo(0.0001325, 15);
    expect(e.maxUsd).toBeCloseTo(0.001265, 15);
  });

  it("no max_tokens: the model's published maximum output", () => {
    const { max_tokens: _, ...open } = body;
    const e = priced(estimateCost({ provider: 'openai', body: open }));
    expect(e.outputBound).toBe('model-maximum');
    expect(e.maxOutputTokens).toBe(16_384);
    expect(e.maxUsd).toBeCloseTo(0.164105, 12); // 106 × 2.50 / 1e6 + 16,384 × 10 / 1e6 = 0.000265 + 0.16384
    expect(e.assumptions.join(' ')).toContain("the model's maximum output (16,384 tokens)");
  });

  it('n choices: each bills its own output', () => {
    const e = priced(estimateCost({ provider: 'openai', body: { ...body, n: 2 } }));
    expect(e.maxOutputTokens).toBe(200); // 2 × 100
    expect(e.maxUsd).toBeCloseTo(0.002265, 15); // 0.000265 + 200 × 10 / 1e6
  });

  describe('service_tier', () => {
    it('flex: half the standard rates (OpenAI: "priced at Batch API rates")', () => {
      const e = priced(estimateCost({ provider: 'openai', body: { ...body, service_tier: 'flex' } }));
      expect(e.entry.serviceTier).toBe('flex');
      expect(e.minUsd).toBeCloseTo(0.00006625, 15); // 106 × 0.625 / 1e6
      expect(e.maxUsd).toBeCloseTo(0.0006325, 15); // 106 × 1.25 / 1e6 + 100 × 5 / 1e6 = 0.0001325 + 0.0005
    });

    it('priority on gpt-4.1: the published priority rates 3.50 / 0.875 / 14', () => {
      // gpt-4.1 uses o200k_base too: the same 106 prompt tokens
      const e = priced(
        estimateCost({ provider: 'openai', body: { ...body, model: 'gpt-4.1', service_tier: 'priority' } }),
      );
      expect(e.inputTokens).toBe(106);
      expect(e.minUsd).toBeCloseTo(0.00009275, 15); // 106 × 0.875 / 1e6
      expect(e.maxUsd).toBeCloseTo(0.001771, 15); // 106 × 3.50 / 1e6 + 100 × 14 / 1e6 = 0.000371 + 0.0014
    });

    it('a tier with no published price for the model: standard rates, and the estimate says so', () => {
      const e = priced(estimateCost({ provider: 'openai', body: { ...body, service_tier: 'priority' } }));
      expect(e.maxUsd).toBeCloseTo(0.001265, 15); // as the standard JSON request above
      expect(e.assumptions.join(' ')).toContain('service tier "priority" has no price for openai/gpt-4o');
    });
  });

  it('tools: every key and scalar of the schema is prompt text', () => {
    const tools = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Returns the current weather for a city',
          parameters: {
            type: 'object',
            properties: { city: { type: 'string' } },
            required: ['city'],
          },
        },
      },
    ];
    // The message text, then the schema's keys and values.
    const strings = [
      'What is the weather in Paris today',
      'type',
      'function',
      'function',
      'name',
      'get_weather',
      'description',
      'Returns the current weather for a city',
      'parameters',
      'type',
      'object',
      'properties',
      'city',
      'type',
      'string',
      'required',
      'city',
    ];
    // 7 + 1 + 1 + 1 + 1 + 2 + 1 + 7 + 9 × 1 = 30 tokens of text, + 16 newlines = 46
    expect(o200k(strings.join('\n'))).toBe(46);
    const e = priced(
      estimateCost({
        provider: 'openai',
        body: { model: 'gpt-4o', messages: user(strings[0]!), tools, max_tokens: 50 },
      }),
    );
    // objects: message, tool, function, parameters, properties, city = 6 × 4 = 24; 46 + 24 + 3 = 73
    expect(e.inputTokens).toBe(73);
    expect(e.minUsd).toBeCloseTo(0.00009125, 15); // 73 × 1.25 / 1e6
    expect(e.maxUsd).toBeCloseTo(0.0006825, 15); // 73 × 2.50 / 1e6 + 50 × 10 / 1e6 = 0.0001825 + 0.0005
  });

  describe('images by the published tile rule: 85 + 170 per 512-px tile', () => {
    const ask = 'What is in this picture'; // 5 tokens
    const request = (url: string, detail: string) => ({
      model: 'gpt-4o',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: ask },
            { type: 'image_url', image_url: { url, detail } },
          ],
        },
      ],
      max_tokens: 10,
    });
    // Text part: 5 tokens + 2 objects (message, text part) × 4 + 3 = 16, then the image.

    it('1024×1024, high: short side scaled to 768 → 768×768 = 2 × 2 tiles: 85 + 170 × 4 = 765', () => {
      expect(o200k(ask)).toBe(5);
      const e = priced(estimateCost({ provider: 'openai', body: request(pngDataUrl(1024, 1024), 'high') }));
      expect(e.inputTokens).toBe(781); // 16 + 765
      expect(e.minUsd).toBeCloseTo(0.00097625, 15); // 781 × 1.25 / 1e6
      expect(e.maxUsd).toBeCloseTo(0.0020525, 15); // 781 × 2.50 / 1e6 + 10 × 10 / 1e6 = 0.0019525 + 0.0001
      expect(e.assumptions.join(' ')).toContain("images and audio counted by the providers' published rules");
    });

    it('2048×4096, high: fit in 2048 → 1024×2048, short side to 768 → 768×1536 = 2 × 3 tiles: 85 + 170 × 6 = 1105', () => {
      const e = priced(estimateCost({ provider: 'openai', body: request(pngDataUrl(2048, 4096), 'high') }));
      expect(e.inputTokens).toBe(1121); // 16 + 1105
      expect(e.maxUsd).toBeCloseTo(0.0029025, 15); // 1121 × 2.50 / 1e6 + 0.0001 = 0.0028025 + 0.0001
    });

    it('detail low: the base 85 alone', () => {
      const e = priced(estimateCost({ provider: 'openai', body: request(pngDataUrl(2048, 4096), 'low') }));
      expect(e.inputTokens).toBe(101); // 16 + 85
      expect(e.maxUsd).toBeCloseTo(0.0003525, 15); // 101 × 2.50 / 1e6 + 0.0001 = 0.0002525 + 0.0001
    });
  });

  it('a file that cannot be sized: the whole context window, and the low end says so', () => {
    const e = priced(
      estimateCost({
        provider: 'openai',
        body: {
          model: 'gpt-4o',
          messages: [{ role: 'user', content: [{ type: 'file', file: { file_id: 'file-abc' } }] }],
          max_tokens: 100,
        },
      }),
    );
    expect(e.inputTokens).toBe(128_000);
    expect(e.minUsd).toBeCloseTo(0.16, 12); // 128,000 × 1.25 / 1e6
    expect(e.maxUsd).toBeCloseTo(0.321, 12); // 128,000 × 2.50 / 1e6 + 100 × 10 / 1e6 = 0.32 + 0.001
    expect(e.assumptions.join(' ')).toContain('the low end takes the prompt at the whole context window');
  });
});

describe('Anthropic messages (UTF-8 byte bound)', () => {
  const SYSTEM = 'é'.repeat(100); // 'é' is 2 bytes in UTF-8
  const USER = 'x'.repeat(196);

  it('cache writes are the dearest input rate', () => {
    expect(bytes(SYSTEM)).toBe(200);
    // 200 + 1 newline + 196 = 397 bytes; + 1 message × 4 + 3 = 404
    const e = priced(
      estimateCost({
        provider: 'anthropic',
        body: { model: 'claude-3-5-haiku', system: SYSTEM, messages: user(USER), max_tokens: 300 },
      }),
    );
    expect(e.inputTokens).toBe(404);
    expect(e.minUsd).toBeCloseTo(0.00003232, 15); // 404 × 0.08 / 1e6
    expect(e.maxUsd).toBeCloseTo(0.001604, 15); // 404 × 1.00 / 1e6 + 300 × 4.00 / 1e6 = 0.000404 + 0.0012
    expect(e.assumptions.join(' ')).toContain('the low end takes the prompt at its byte bound');
  });

  it('a 1-hour cache write is priced at the 1-hour rate', () => {
    const system = [{ type: 'text', text: SYSTEM, cache_control: { type: 'ephemeral', ttl: '1h' } }];
    // strings: 200 + 196 + '1h' 2 = 398 bytes + 2 newlines = 400;
    // objects: message, system part, cache_control = 3 × 4 = 12; 400 + 12 + 3 = 415
    const e = priced(
      estimateCost({
        provider: 'anthropic',
        body: { model: 'claude-3-5-haiku', system, messages: user(USER), max_tokens: 300 },
      }),
    );
    expect(e.inputTokens).toBe(415);
    expect(e.minUsd).toBeCloseTo(0.0000332, 15); // 415 × 0.08 / 1e6
    expect(e.maxUsd).toBeCloseTo(0.001864, 15); // 415 × 1.60 / 1e6 + 300 × 4.00 / 1e6 = 0.000664 + 0.0012
  });

  it('an image is at most 1,600 tokens (downscaled to ~1.15 megapixels, w × h / 750)', () => {
    const content = [
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'text', text: 'Describe this image' },
    ];
    // 19 bytes of text + 2 objects (message, text part) × 4 + 3 + 1,600 = 1,630
    const e = priced(
      estimateCost({
        provider: 'anthropic',
        body: { model: 'claude-3-5-haiku', messages: [{ role: 'user', content }], max_tokens: 100 },
      }),
    );
    expect(e.inputTokens).toBe(1630);
    expect(e.maxUsd).toBeCloseTo(0.00203, 15); // 1,630 × 1.00 / 1e6 + 100 × 4.00 / 1e6 = 0.00163 + 0.0004
  });
});

describe('Gemini generateContent (UTF-8 byte bound)', () => {
  it('a prompt over the long-context threshold is priced at the tier', () => {
    // 249,989 bytes + 2 objects (content, part) × 4 + 3 = 250,000 > 200,000
    const body = {
      contents: [{ role: 'user', parts: [{ text: 'x'.repeat(249_989) }] }],
      config: { maxOutputTokens: 1000 },
    };
    const e = priced(estimateCost({ provider: 'gcp.gemini', model: 'gemini-2.5-pro', body }));
    expect(e.inputTokens).toBe(250_000);
    expect(e.entry.tierStartTokens).toBe(200_000);
    expect(e.minUsd).toBeCloseTo(0.0625, 12); // 250,000 × 0.25 / 1e6
    expect(e.maxUsd).toBeCloseTo(0.64, 12); // 250,000 × 2.50 / 1e6 + 1,000 × 15 / 1e6 = 0.625 + 0.015
  });

  it("no maxOutputTokens: the model's published maximum output, 65,536", () => {
    // 389 bytes + 2 objects × 4 + 3 = 400
    const body = { contents: [{ role: 'user', parts: [{ text: 'x'.repeat(389) }] }] };
    const e = priced(estimateCost({ provider: 'gcp.gemini', model: 'gemini-2.5-pro', body }));
    expect(e.inputTokens).toBe(400);
    expect(e.outputBound).toBe('model-maximum');
    expect(e.maxOutputTokens).toBe(65_536);
    expect(e.minUsd).toBeCloseTo(0.00005, 15); // 400 × 0.125 / 1e6
    expect(e.maxUsd).toBeCloseTo(0.65586, 12); // 400 × 1.25 / 1e6 + 65,536 × 10 / 1e6 = 0.0005 + 0.65536
  });
});

describe('embeddings and unknown models', () => {
  it('embeddings bill input only', () => {
    const input = Array(200).fill('hello world').join(' ');
    expect(cl100k(input)).toBe(400); // 'hello' + ' world' + 199 × (' hello' + ' world') = 2 + 398
    // 400 + 3 per request (a string input is no object) = 403; no cached price, so min = max
    const e = priced(estimateCost({ provider: 'openai', body: { model: 'text-embedding-3-small', input } }));
    expect(e.inputTokens).toBe(403);
    expect(e.outputBound).toBe('embeddings');
    expect(e.maxOutputTokens).toBe(0);
    expect(e.minUsd).toBeCloseTo(0.00000806, 15); // 403 × 0.02 / 1e6
    expect(e.maxUsd).toBeCloseTo(0.00000806, 15);
  });

  it('an unknown model is not priced — never $0', () => {
    const e = estimateCost({
      provider: 'openai',
      body: { model: 'acme-summarizer-1', messages: user('hi') },
    });
    expect(e.priced).toBe(false);
    expect(e).not.toHaveProperty('maxUsd');
    // no tokenizer known: 'hi' 2 bytes + 1 message × 4 + 3 = 9
    expect(e.inputTokens).toBe(9);
    // no published maximum and no known context window: the largest window offered today, 2M
    expect(e.maxOutputTokens).toBe(2_000_000);
    expect(e.outputBound).toBe('model-maximum');
    expect(e.assumptions.join(' ')).toContain('no OpenAI tokenizer is known for this model');
  });
});
