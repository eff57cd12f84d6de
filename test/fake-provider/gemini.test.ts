import { ApiError, GoogleGenAI } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../../src/demo/fake-provider/index.js';
import { collect, collectUntilError, promptOf } from './support.js';

let fake: FakeProvider;
let ai: GoogleGenAI;

beforeAll(async () => {
  fake = await startFakeProvider({ cacheHitRatio: 0.5 });
  ai = new GoogleGenAI({ apiKey: 'gemini-dummy-key', httpOptions: { baseUrl: fake.geminiBaseURL } });
});
afterAll(() => fake.stop());

const lastRequest = () => fake.requests.at(-1)!;

describe('Gemini generateContent', () => {
  it('returns candidates and usageMetadata with cached tokens inside promptTokenCount', async () => {
    const response = await ai.models.generateContent({ model: 'gemini-2.0-flash', contents: promptOf(40) });
    expect(lastRequest().path).toBe('/v1beta/models/gemini-2.0-flash:generateContent');
    expect(lastRequest().headers['x-goog-api-key']).toBe('[redacted]');
    expect(response.text?.split(' ')).toHaveLength(20);
    expect(response.candidates?.[0]?.finishReason).toBe('STOP');
    expect(response.modelVersion).toBe('gemini-2.0-flash');
    expect(response.usageMetadata).toEqual({
      promptTokenCount: 40,
      candidatesTokenCount: 20,
      totalTokenCount: 60,
      cachedContentTokenCount: 20,
      promptTokensDetails: [{ modality: 'TEXT', tokenCount: 40 }],
      cacheTokensDetails: [{ modality: 'TEXT', tokenCount: 20 }],
    });
  });

  it('thinking models report thoughtsTokenCount beside candidates, within maxOutputTokens', async () => {
    const response = await ai.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: promptOf(4),
      config: { maxOutputTokens: 70 },
    });
    expect(response.usageMetadata).toMatchObject({
      promptTokenCount: 4,
      candidatesTokenCount: 6,
      thoughtsTokenCount: 64,
      totalTokenCount: 74,
    });
    expect(response.candidates?.[0]?.finishReason).toBe('MAX_TOKENS');
  });

  it('thinkingBudget 0 turns thinking off; a positive budget caps it', async () => {
    const off = await ai.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'x',
      config: { thinkingConfig: { thinkingBudget: 0 } },
    });
    const capped = await ai.models.generateContent({
      model: 'gemini-2.5-pro',
      contents: 'x',
      config: { thinkingConfig: { thinkingBudget: 10 } },
    });
    expect(off.usageMetadata?.thoughtsTokenCount).toBeUndefined();
    expect(capped.usageMetadata?.thoughtsTokenCount).toBe(10);
  });

  it('no-usage leaves usageMetadata out', async () => {
    const response = await ai.models.generateContent({
      model: 'gemini-2.0-flash',
      contents: 'x',
      config: { httpOptions: { headers: { 'x-fake-scenario': 'no-usage' } } },
    });
    expect(response.usageMetadata).toBeUndefined();
  });
});

describe('Gemini generateContentStream', () => {
  const headers = { 'x-fake-usage': JSON.stringify({ input: 7, cacheRead: 3, output: 3, reasoning: 5 }) };

  it('streams SSE chunks whose usageMetadata is cumulative, the last one complete', async () => {
    const stream = await ai.models.generateContentStream({
      model: 'gemini-2.5-flash',
      contents: 'x',
      config: { httpOptions: { headers } },
    });
    const chunks = await collect(stream);
    expect(lastRequest().path).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    expect(lastRequest().stream).toBe(true);
    expect(chunks.map((c) => c.usageMetadata?.candidatesTokenCount)).toEqual([1, 2, 3]);
    expect(chunks.map((c) => c.candidates?.[0]?.finishReason)).toEqual([undefined, undefined, 'STOP']);
    expect(chunks.at(-1)?.usageMetadata).toEqual({
      promptTokenCount: 10,
      candidatesTokenCount: 3,
      totalTokenCount: 18,
      cachedContentTokenCount: 3,
      thoughtsTokenCount: 5,
      promptTokensDetails: [{ modality: 'TEXT', tokenCount: 10 }],
      cacheTokensDetails: [{ modality: 'TEXT', tokenCount: 3 }],
    });
    expect(
      chunks
        .map((c) => c.text)
        .join('')
        .split(' '),
    ).toHaveLength(3);
  });

  it('a cut mid-stream surfaces an error from the iterator', async () => {
    const stream = await ai.models.generateContentStream({
      model: 'gemini-2.0-flash',
      contents: 'x',
      config: { httpOptions: { headers: { 'x-fake-scenario': 'cut-mid-stream', 'x-fake-cut-after': '2' } } },
    });
    const { items, error } = await collectUntilError(stream);
    expect(items).toHaveLength(2);
    // undici's own error (cause UND_ERR_SOCKET), not an SDK error class
    expect(error).toMatchObject({ name: 'TypeError', message: 'terminated' });
  });

  it('an in-stream error chunk is thrown by the iterator', async () => {
    const stream = await ai.models.generateContentStream({
      model: 'gemini-2.0-flash',
      contents: 'x',
      config: {
        httpOptions: { headers: { 'x-fake-scenario': 'error-mid-stream', 'x-fake-cut-after': '1' } },
      },
    });
    const { items, error } = await collectUntilError(stream);
    expect(items).toHaveLength(1);
    expect(String(error)).toMatch(/INTERNAL|internal error/);
  });
});

describe('Gemini embedContent', () => {
  it('uses :batchEmbedContents and returns one vector per content, no usage', async () => {
    const response = await ai.models.embedContent({
      model: 'gemini-embedding-001',
      contents: ['first text', 'second text'],
      config: { outputDimensionality: 16 },
    });
    expect(lastRequest().path).toBe('/v1beta/models/gemini-embedding-001:batchEmbedContents');
    expect(lastRequest().usage?.input).toBe(6);
    expect(response.embeddings?.map((e) => e.values?.length)).toEqual([16, 16]);
  });

  it('serves the single :embedContent method too', async () => {
    const res = await fetch(`${fake.url}/v1beta/models/text-embedding-004:embedContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': 'k' },
      body: JSON.stringify({ content: { parts: [{ text: 'hello' }] } }),
    });
    const body = (await res.json()) as { embedding: { values: number[] } };
    expect(body.embedding.values).toHaveLength(768);
  });
});

describe('Gemini errors', () => {
  const call = (scenario: string) =>
    ai.models
      .generateContent({
        model: 'gemini-2.0-flash',
        contents: 'x',
        config: { httpOptions: { headers: { 'x-fake-scenario': scenario } } },
      })
      .catch((e: unknown) => e);

  it('429 and 500 are ApiErrors with the status and the google.rpc error body', async () => {
    const e429 = (await call('error-429')) as ApiError;
    const e500 = (await call('error-500')) as ApiError;
    expect(e429).toBeInstanceOf(ApiError);
    expect(e429.status).toBe(429);
    expect(JSON.parse(e429.message)).toEqual({
      error: { code: 429, message: expect.any(String), status: 'RESOURCE_EXHAUSTED' },
    });
    expect(e500.status).toBe(500);
    expect(e500.message).toContain('"status":"INTERNAL"');
  });
});
