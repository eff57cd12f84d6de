/**
 * `models.embedContent()`: operation `embeddings`, one record per request; the Gemini API reports
 * no usage for embeddings, so no tokens are invented; Vertex AI's per-embedding token counts are.
 */
import { GoogleGenAI } from '@google/genai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../../../src/demo/fake-provider/index.js';
import { embeddingUsage } from '../../../src/instrumentations/gemini/embed-content.js';
import { instrumentGemini } from '../../../src/instrumentations/gemini/index.js';
import { createHarness, type Harness } from '../anthropic/harness.js';

let fake: FakeProvider;
let h: Harness;

beforeAll(async () => {
  fake = await startFakeProvider();
  h = createHarness();
});
afterEach(() => h.reset());
afterAll(async () => {
  await h.shutdown();
  await fake.stop();
});

describe('embedContent via the Gemini API', () => {
  it('returns the vectors untouched and records one `embeddings` call without tokens', async () => {
    const ai = instrumentGemini(
      h.telemetry,
      new GoogleGenAI({ apiKey: 'gemini-dummy-key', httpOptions: { baseUrl: fake.geminiBaseURL } }),
    );
    const response = await ai.models.embedContent({
      model: 'gemini-embedding-001',
      contents: ['one', 'two'],
    });
    expect(response.embeddings).toHaveLength(2);
    expect(response.embeddings?.[0]?.values).toHaveLength(3072);
    const total = h.telemetry.summary().total;
    expect(total).toMatchObject({ requests: 1, successes: 1, costUsd: 0, unpriced: 0 });
    expect(total.tokens.total).toBe(0);
    expect(h.sample('llm_usage_missing_total', { reason: 'not_reported' })).toBe(1);
    const span = h.ourSpans()[0]!;
    expect(span.name).toBe('embeddings gemini-embedding-001');
    expect(span.attributes['gen_ai.operation.name']).toBe('embeddings');
    expect(span.attributes['gen_ai.usage.input_tokens']).toBeUndefined();
  });
});

describe('embeddingUsage (Vertex AI response shape)', () => {
  it('sums statistics.tokenCount as input tokens', () => {
    expect(
      embeddingUsage({
        embeddings: [
          { values: [0.1], statistics: { tokenCount: 7, truncated: false } },
          { values: [0.2], statistics: { tokenCount: 5, truncated: false } },
        ],
      }),
    ).toEqual({ inputTokens: 12, outputTokens: 0 });
  });

  it('is undefined when no embedding reports a count (never zero)', () => {
    expect(embeddingUsage({ embeddings: [{ values: [0.1] }] })).toBeUndefined();
    expect(embeddingUsage({})).toBeUndefined();
    expect(embeddingUsage(null)).toBeUndefined();
  });
});
