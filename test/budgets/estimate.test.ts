/**
 * The request-cost estimator against hand-computed bounds. Prices (catalog): gpt-4o $2.50/M in,
 * $10/M out, 128k window; claude-sonnet-4-5 $3/M in, $15/M out; gemini-2.5-flash $0.30/M in,
 * $2.50/M out.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { estimateRequestCost, preloadTokenizers } from '../../src/budgets/estimate/index.js';
import { PriceBook } from '../../src/pricing/price-book.js';
import { pngBase64 } from '../support/png.js';

const book = new PriceBook();
beforeAll(() => preloadTokenizers());

const chat = (messages: unknown[], extra: Record<string, unknown> = {}) => ({
  model: 'gpt-4o',
  messages,
  ...extra,
});

describe('OpenAI text: the model tokenizer, 4 per message object, 3 per request', () => {
  it('"Hello world" (2 o200k tokens) in one message, max_tokens 100', () => {
    const e = estimateRequestCost(
      {
        provider: 'openai',
        model: 'gpt-4o',
        body: chat([{ role: 'user', content: 'Hello world' }], { max_tokens: 100 }),
      },
      book,
    );
    // input 2 + 4 + 3 = 9; 9 × $2.50/M + 100 × $10/M = $0.0000225 + $0.001
    expect(e).toMatchObject({
      inputTokens: 9,
      inputBound: 'tokenizer',
      maxOutputTokens: 100,
      outputCapRequested: true,
    });
    expect(e.maxUsd).toBeCloseTo(0.0010225, 12);
    expect(e.minUsd).toBeCloseTo(0.0000225, 12);
  });

  it("no cap: gpt-4o's published 16,384 output tokens; n: 3 triples it", () => {
    const body = chat([{ role: 'user', content: 'Hello world' }]);
    expect(estimateRequestCost({ provider: 'openai', model: 'gpt-4o', body }, book).maxOutputTokens).toBe(
      16_384,
    );
    expect(
      estimateRequestCost({ provider: 'openai', model: 'gpt-4o', body: { ...body, n: 3 } }, book)
        .maxOutputTokens,
    ).toBe(3 * 16_384);
  });

  it('embeddings have no output', () => {
    const e = estimateRequestCost(
      {
        provider: 'openai',
        model: 'text-embedding-3-small',
        apiOperation: 'embeddings',
        body: { input: 'Hello world' },
      },
      book,
    );
    // cl100k: "Hello world" = 2 tokens; + 3 per request
    expect([e.inputTokens, e.maxOutputTokens]).toEqual([5, 0]);
  });
});

describe('Anthropic and Gemini text: UTF-8 bytes bound the tokens', () => {
  it('CJK: "こんにちは" is 15 bytes', () => {
    const e = estimateRequestCost(
      {
        provider: 'anthropic',
        model: 'claude-sonnet-4-5',
        body: { max_tokens: 10, system: 'ab', messages: [{ role: 'user', content: 'こんにちは' }] },
      },
      book,
    );
    // "ab\nこんにちは" = 2 + 1 + 15 bytes, 1 message object × 4, + 3 = 25
    expect(e).toMatchObject({ inputTokens: 25, inputBound: 'bytes', maxOutputTokens: 10 });
    // 25 × $3/M + 10 × $15/M = $0.000075 + $0.00015
    expect(e.maxUsd).toBeCloseTo(0.000225, 12);
  });
});

describe('images by the published rules', () => {
  it('gpt-4o: a 1024×1024 PNG is 4 tiles (85 + 4 × 170); a URL of unknown size the 8-tile maximum', () => {
    const body = chat(
      [
        {
          role: 'user',
          content: [
            { type: 'image_url', image_url: { url: `data:image/png;base64,${pngBase64(1024, 1024)}` } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
            { type: 'image_url', image_url: { url: 'https://example.com/dog.jpg', detail: 'low' } },
          ],
        },
      ],
      { max_tokens: 1 },
    );
    // 765 + 1445 + 85 for the images (media parts, not framing objects); the message object 4; + 3
    const e = estimateRequestCost({ provider: 'openai', model: 'gpt-4o', body }, book);
    expect(e.inputTokens).toBe(765 + 1445 + 85 + 4 + 3);
  });

  it('Anthropic: 1,600 tokens per image whatever its size', () => {
    const body = {
      max_tokens: 1,
      messages: [
        { role: 'user', content: [{ type: 'image', source: { type: 'url', url: 'https://x/y.png' } }] },
      ],
    };
    expect(
      estimateRequestCost({ provider: 'anthropic', model: 'claude-sonnet-4-5', body }, book).inputTokens,
    ).toBe(1600 + 4 + 3);
  });

  it('Gemini: a 1000×500 PNG is 2 × 1 tiles of 258; a fileData URI cannot be sized → context window', () => {
    const inline = {
      contents: [
        { role: 'user', parts: [{ inlineData: { mimeType: 'image/png', data: pngBase64(1000, 500) } }] },
      ],
      config: { maxOutputTokens: 5 },
    };
    expect(
      estimateRequestCost({ provider: 'gcp.gemini', model: 'gemini-2.5-flash', body: inline }, book)
        .inputTokens,
    ).toBe(516 + 4 + 3);
    const byUri = {
      contents: [{ role: 'user', parts: [{ fileData: { mimeType: 'image/png', fileUri: 'gs://b/x.png' } }] }],
    };
    const e = estimateRequestCost({ provider: 'gcp.gemini', model: 'gemini-2.5-flash', body: byUri }, book);
    expect(e).toMatchObject({
      inputTokens: 1_048_576,
      inputBound: 'context_window',
      unboundedReason: 'file',
      maxOutputTokens: 65_536,
    });
  });
});

describe('no silent stop', () => {
  it('12,000 small messages then a large one: every message counted', () => {
    const messages: unknown[] = Array.from({ length: 12_000 }, () => ({
      role: 'user',
      content: 'Hello world',
    }));
    messages.push({ role: 'user', content: 'Hello world '.repeat(1_000) });
    const e = estimateRequestCost(
      { provider: 'openai', model: 'gpt-4o', body: chat(messages, { max_tokens: 1 }) },
      book,
    );
    // At least 12,000 × (2 + 4) for the small ones, ≥ 2,000 ("Hello", " world" per repeat) for the
    // large one, + 4 + 3 (the walk joins strings with newlines, which add tokens of their own).
    expect(e.inputTokens).toBeGreaterThanOrEqual(12_000 * 6 + 2_000 + 4 + 3);
    expect(e.inputTokens).toBeLessThan(128_000);
    expect(e.inputBound).toBe('tokenizer');
  });

  it('a body nested deeper than the walk goes reserves the context window', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100; i++) deep = [deep];
    const e = estimateRequestCost(
      { provider: 'openai', model: 'gpt-4o', body: chat([{ role: 'user', content: deep }]) },
      book,
    );
    expect(e).toMatchObject({
      inputTokens: 128_000,
      inputBound: 'context_window',
      unboundedReason: 'too_deep',
    });
  });

  it('an unpriced model has no cost, and says why', () => {
    const e = estimateRequestCost({ provider: 'openai', model: 'my-gpt4o', body: chat([]) }, book);
    expect(e.maxUsd).toBeUndefined();
    expect(e.unpricedReason).toMatch(/my-gpt4o/);
  });
});

describe('AI SDK prompts (the middleware passes { prompt, tools, maxOutputTokens })', () => {
  it('a file part with image bytes is sized like any image; unknown bytes reserve the context window', () => {
    const png = Buffer.from(pngBase64(1024, 1024), 'base64');
    const body = {
      prompt: [
        { role: 'user', content: [{ type: 'file', mediaType: 'image/png', data: new Uint8Array(png) }] },
      ],
      maxOutputTokens: 10,
    };
    // gpt-4o, 1024×1024: 765; the message object 4 (a media part is counted as media); + 3
    const e = estimateRequestCost({ provider: 'openai', model: 'gpt-4o', body }, book);
    expect([e.inputTokens, e.maxOutputTokens]).toEqual([765 + 4 + 3, 10]);
    const pdf = {
      prompt: [
        { role: 'user', content: [{ type: 'file', mediaType: 'application/pdf', data: new Uint8Array(8) }] },
      ],
    };
    expect(estimateRequestCost({ provider: 'openai', model: 'gpt-4o', body: pdf }, book).inputBound).toBe(
      'context_window',
    );
  });
});

describe('tool schemas: keys and scalars count, not only string values', () => {
  it('an Anthropic tool definition, bounded by the bytes of every key and value', () => {
    const body = {
      max_tokens: 1,
      messages: [],
      tools: [
        {
          name: 'get_weather',
          input_schema: { type: 'object', properties: { location: { type: 'string', maxLength: 80 } } },
        },
      ],
    };
    // Eleven strings, joined by newlines: name, get_weather, input_schema, type, object,
    // properties, location, type, string, maxLength, 80 — 4 + 11 + 12 + 4 + 6 + 10 + 8 + 4 + 6 + 9 + 2
    // = 76 bytes + 10 newlines = 86; objects: tool, input_schema, properties, location = 4 × 4 = 16; + 3
    const e = estimateRequestCost({ provider: 'anthropic', model: 'claude-sonnet-4-5', body }, book);
    expect(e.inputTokens).toBe(86 + 16 + 3);
  });
});
