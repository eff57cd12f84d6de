import { createOpenAI } from '@ai-sdk/openai';
import { generateText, streamText } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../../src/demo/fake-provider/index.js';
import { promptOf } from './support.js';

let fake: FakeProvider;
let openai: ReturnType<typeof createOpenAI>;

beforeAll(async () => {
  fake = await startFakeProvider({ cacheHitRatio: 0.5 });
  openai = createOpenAI({ baseURL: fake.openaiBaseURL, apiKey: 'sk-test-dummy' });
});
afterAll(() => fake.stop());

const lastRequest = () => fake.requests.at(-1)!;

describe('Vercel AI SDK over @ai-sdk/openai', () => {
  it('generateText with a chat model reads text and usage', async () => {
    const result = await generateText({ model: openai.chat('gpt-4o'), prompt: promptOf(40), maxRetries: 0 });
    expect(lastRequest().path).toBe('/v1/chat/completions');
    expect(result.text.split(' ')).toHaveLength(20);
    expect(result.finishReason).toBe('stop');
    expect(result.usage).toMatchObject({ inputTokens: 40, outputTokens: 20, totalTokens: 60 });
    expect(result.usage.inputTokenDetails).toMatchObject({ cacheReadTokens: 20 });
  });

  it('generateText with the default (Responses API) model reads reasoning usage', async () => {
    const result = await generateText({ model: openai('o4-mini'), prompt: promptOf(8), maxRetries: 0 });
    expect(lastRequest().path).toBe('/v1/responses');
    expect(result.text.split(' ')).toHaveLength(20);
    expect(result.usage).toMatchObject({ inputTokens: 8, outputTokens: 84 });
    expect(result.usage.outputTokenDetails).toMatchObject({ reasoningTokens: 64 });
  });

  it('streamText over chat asks for include_usage and gets the final usage', async () => {
    const result = streamText({ model: openai.chat('gpt-4o-mini'), prompt: promptOf(12), maxRetries: 0 });
    const parts: string[] = [];
    for await (const text of result.textStream) parts.push(text);
    expect(parts).toHaveLength(20);
    expect(await result.usage).toMatchObject({ inputTokens: 12, outputTokens: 20 });
    expect(lastRequest().stream).toBe(true);
  });

  it('streamText over Responses reads usage from response.completed', async () => {
    const result = streamText({ model: openai.responses('gpt-4o'), prompt: 'hi', maxRetries: 0 });
    const text = await result.text;
    expect(text.split(' ')).toHaveLength(20);
    expect(await result.usage).toMatchObject({ inputTokens: 1, outputTokens: 20 });
  });

  it('a 429 surfaces as an APICallError with status 429', async () => {
    const error = await generateText({
      model: openai.chat('gpt-4o'),
      prompt: 'x',
      maxRetries: 0,
      headers: { 'x-fake-scenario': 'error-429' },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 429, isRetryable: true });
  });
});
