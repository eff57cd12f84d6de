/**
 * A refusal arrives the way the SDK's own errors do, through every path a caller uses, with the
 * real `openai` (6 and 4), `@anthropic-ai/sdk` and `@google/genai` clients against the local fake
 * provider — and nothing reaches the provider. The budget ($0.000001) is below any call's bound.
 */
import Anthropic, { APIPromise as AnthropicAPIPromise } from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI, { APIPromise as OpenAIAPIPromise } from 'openai';
import OpenAI4 from 'openai4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BudgetExceededError } from '../../src/budgets/errors.js';
import { type FakeProvider, startFakeProvider } from '../../src/demo/fake-provider/index.js';
import type { LLMTelemetry } from '../../src/telemetry.js';
import { makeTelemetry } from '../support/telemetry.js';

let fake: FakeProvider;
let t: LLMTelemetry;
beforeAll(async () => {
  fake = await startFakeProvider();
  t = makeTelemetry({ budgets: [{ name: 'tiny', limitUsd: 0.000001, window: '1d' }], budgetGuard: true });
});
afterAll(async () => {
  await t.shutdown();
  await fake.stop();
});

const CHAT = { model: 'gpt-4o', max_tokens: 16, messages: [{ role: 'user' as const, content: 'hi' }] };
const MESSAGE = {
  model: 'claude-haiku-4-5',
  max_tokens: 16,
  messages: [{ role: 'user' as const, content: 'hi' }],
};

/** The rejection of `promise` (fails when it resolves). */
async function rejectionOf(promise: PromiseLike<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('resolved, expected a refusal');
}

/** Runs `fn` and checks nothing reached the provider. */
async function nothingSent<T>(fn: () => Promise<T>): Promise<T> {
  const before = fake.requests.length;
  const result = await fn();
  expect(fake.requests.length).toBe(before);
  return result;
}

describe('openai 6: the SDK’s own rejected APIPromise', () => {
  const client = () => t.instrument(new OpenAI({ apiKey: 'k', baseURL: fake.openaiBaseURL, maxRetries: 0 }));

  it('create() returns an APIPromise that rejects with BudgetExceededError (await)', async () => {
    await nothingSent(async () => {
      const promise = client().chat.completions.create(CHAT);
      expect(promise).toBeInstanceOf(OpenAIAPIPromise);
      expect(await rejectionOf(promise)).toBeInstanceOf(BudgetExceededError);
    });
  });

  it('.then(ok, onRejected) sees it', async () => {
    const seen = await nothingSent(() =>
      client()
        .chat.completions.create(CHAT)
        .then(
          () => 'ok',
          (error: unknown) => error,
        ),
    );
    expect(seen).toBeInstanceOf(BudgetExceededError);
  });

  it('.withResponse() rejects with it', async () => {
    const error = await nothingSent(() => rejectionOf(client().chat.completions.create(CHAT).withResponse()));
    expect(error).toBeInstanceOf(BudgetExceededError);
  });

  it('chat.completions.stream().finalChatCompletion(): recognisable with BudgetExceededError.is()', async () => {
    const error = await nothingSent(() =>
      rejectionOf(
        client()
          .chat.completions.stream({ ...CHAT, stream: true })
          .finalChatCompletion(),
      ),
    );
    expect(BudgetExceededError.is(error)?.budget).toBe('tiny');
  });

  it('runTools(): recognisable with BudgetExceededError.is()', async () => {
    const runner = client().chat.completions.runTools({
      ...CHAT,
      // A runnable tool: the helper's own shape (a function beside the JSON schema).
      tools: [
        {
          type: 'function',
          function: {
            name: 'now',
            function: (_args: string) => '12:00',
            parameters: { type: 'object', properties: {} },
          },
        },
      ] as never,
    });
    const error = await nothingSent(() => rejectionOf(runner.finalChatCompletion()));
    expect(BudgetExceededError.is(error)?.reason).toBe('limit');
  });
});

describe('openai 4: same', () => {
  it('.withResponse() and await reject with BudgetExceededError, nothing sent', async () => {
    const client = t.instrument(new OpenAI4({ apiKey: 'k', baseURL: fake.openaiBaseURL, maxRetries: 0 }));
    await nothingSent(async () => {
      expect(await rejectionOf(client.chat.completions.create(CHAT))).toBeInstanceOf(BudgetExceededError);
      expect(await rejectionOf(client.chat.completions.create(CHAT).withResponse())).toBeInstanceOf(
        BudgetExceededError,
      );
    });
  });
});

describe('@anthropic-ai/sdk: the SDK’s own rejected APIPromise', () => {
  const client = () =>
    t.instrument(new Anthropic({ apiKey: 'k', baseURL: fake.anthropicBaseURL, maxRetries: 0 }));

  it('await, .then(ok, onRejected) and .withResponse()', async () => {
    await nothingSent(async () => {
      const promise = client().messages.create(MESSAGE);
      expect(promise).toBeInstanceOf(AnthropicAPIPromise);
      expect(await rejectionOf(promise)).toBeInstanceOf(BudgetExceededError);
      const seen = await client()
        .messages.create(MESSAGE)
        .then(
          () => 'ok',
          (error: unknown) => error,
        );
      expect(seen).toBeInstanceOf(BudgetExceededError);
      expect(await rejectionOf(client().messages.create(MESSAGE).withResponse())).toBeInstanceOf(
        BudgetExceededError,
      );
    });
  });

  it('messages.stream().finalMessage(): recognisable with BudgetExceededError.is()', async () => {
    const error = await nothingSent(() => rejectionOf(client().messages.stream(MESSAGE).finalMessage()));
    expect(BudgetExceededError.is(error)?.budget).toBe('tiny');
  });
});

describe('@google/genai: a rejected promise', () => {
  const ai = () =>
    t.instrument(new GoogleGenAI({ apiKey: 'k', httpOptions: { baseUrl: fake.geminiBaseURL } }));
  const params = { model: 'gemini-2.5-flash', contents: 'hi', config: { maxOutputTokens: 16 } };

  it('generateContent and generateContentStream reject; BudgetExceededError.is() finds it', async () => {
    await nothingSent(async () => {
      expect(BudgetExceededError.is(await rejectionOf(ai().models.generateContent(params)))).toBeDefined();
      expect(
        BudgetExceededError.is(await rejectionOf(ai().models.generateContentStream(params))),
      ).toBeDefined();
    });
  });
});

describe('BudgetExceededError.is()', () => {
  it('looks through cause chains and nothing else', () => {
    const refusal = new BudgetExceededError({
      budget: 'b',
      window: '1d',
      limitUsd: 1,
      spentUsd: 1,
      reservedUsd: 0,
      estimatedUsd: 1,
    });
    expect(BudgetExceededError.is(refusal)).toBe(refusal);
    expect(
      BudgetExceededError.is(new Error('wrapped', { cause: new Error('again', { cause: refusal }) })),
    ).toBe(refusal);
    expect(BudgetExceededError.is(new Error('other'))).toBeUndefined();
    expect(BudgetExceededError.is({ name: 'BudgetExceededError' })).toBeUndefined();
    expect(BudgetExceededError.is(undefined)).toBeUndefined();
  });
});

describe('AI SDK (llmCostMiddleware): generateText rejects, nothing sent', () => {
  it('with the in-process store and with the prompt bounded from the AI SDK prompt', async () => {
    const { createOpenAI } = await import('@ai-sdk/openai');
    const { generateText, wrapLanguageModel } = await import('ai');
    const { llmCostMiddleware } = await import('../../src/instrumentations/vercel-ai/index.js');
    const provider = createOpenAI({ baseURL: fake.openaiBaseURL, apiKey: 'k' });
    const model = wrapLanguageModel({ model: provider.chat('gpt-4o'), middleware: llmCostMiddleware(t) });
    const error = await nothingSent(() =>
      rejectionOf(generateText({ model, prompt: 'hi', maxOutputTokens: 16, maxRetries: 0 })),
    );
    expect(BudgetExceededError.is(error)?.budget).toBe('tiny');
  });
});
