/**
 * One call over the AI SDK is recorded exactly once, whichever of our recorders see it:
 * - `@ai-sdk/openai` talks plain fetch, so with `register({ instrumentations: ['openai'] })` the
 *   middleware is its only recorder (and the openai SDK, patched, still records its own calls);
 * - a model whose transport is an instrumented SDK client: the SDK wrapper records, the middleware
 *   defers (`llm.cost.deferred`);
 * - the middleware applied twice: the inner one records, the outer defers.
 */
import type { LanguageModelV3, LanguageModelV3StreamPart, LanguageModelV3Usage } from '@ai-sdk/provider';
import { generateText, streamText, wrapLanguageModel } from 'ai';
import OpenAI, * as openaiEsm from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openaiModulePatch } from '../../../src/instrumentations/openai/index.js';
import { ATTR_DEFERRED, llmCostMiddleware } from '../../../src/instrumentations/vercel-ai/index.js';
import { getTelemetry, register } from '../../../src/register.js';
import { type Harness, startHarness, until, usageHeaders } from './harness.js';

const PROMPT = 'Say hello to the test suite';
const USAGE = { input: 30, output: 12 };

function v3Usage(u: OpenAI.CompletionUsage | null | undefined): LanguageModelV3Usage {
  return {
    inputTokens: { total: u?.prompt_tokens, noCache: u?.prompt_tokens, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: u?.completion_tokens, text: u?.completion_tokens, reasoning: 0 },
  };
}

/** A custom AI SDK model whose transport is the openai SDK client (as some community providers are). */
function sdkBackedModel(client: OpenAI): LanguageModelV3 {
  const body = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: PROMPT }] };
  return {
    specificationVersion: 'v3',
    provider: 'openai-sdk.chat',
    modelId: 'gpt-4o',
    supportedUrls: {},
    async doGenerate(options) {
      const r = await client.chat.completions.create(body, { headers: options.headers as never });
      return {
        content: [{ type: 'text', text: r.choices[0]?.message.content ?? '' }],
        finishReason: { unified: 'stop', raw: 'stop' },
        usage: v3Usage(r.usage),
        warnings: [],
      };
    },
    async doStream(options) {
      const stream = await client.chat.completions.create(
        { ...body, stream: true, stream_options: { include_usage: true } },
        { headers: options.headers as never },
      );
      const it = stream[Symbol.asyncIterator]();
      let usage: OpenAI.CompletionUsage | null | undefined;
      let started = false;
      return {
        stream: new ReadableStream<LanguageModelV3StreamPart>({
          async pull(controller) {
            // Enqueue something on every pull (a pull that enqueues nothing is not called again).
            for (;;) {
              const next = await it.next();
              if (next.done) {
                const finishReason = { unified: 'stop' as const, raw: 'stop' };
                if (started) controller.enqueue({ type: 'text-end', id: '0' });
                controller.enqueue({ type: 'finish', usage: v3Usage(usage), finishReason });
                controller.close();
                return;
              }
              usage = next.value.usage ?? usage;
              const delta = next.value.choices[0]?.delta.content;
              if (delta) {
                if (!started) controller.enqueue({ type: 'text-start', id: '0' });
                started = true;
                controller.enqueue({ type: 'text-delta', id: '0', delta });
                return;
              }
            }
          },
        }),
      };
    },
  };
}

describe('@ai-sdk/openai + register({ instrumentations: ["openai"] })', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    openaiModulePatch.unpatch(openaiEsm);
    await getTelemetry()?.shutdown();
    await h.stop();
  });

  it('records each AI SDK call once (the middleware), and the patched openai SDK its own', async () => {
    const telemetry = register({ instrumentations: ['openai'], prometheus: false });
    // What the load hook does for an app that imports openai after register(): patch the module.
    openaiModulePatch.patch(openaiEsm, () => getTelemetry());
    const calls: string[] = [];
    telemetry.onRecord((r) => calls.push(`${r.provider}/${r.model}`));

    const sdk = new OpenAI({ baseURL: h.fake.openaiBaseURL, apiKey: 'sk-test', maxRetries: 0 });
    await sdk.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: PROMPT }] });
    expect(calls).toHaveLength(1); // the openai SDK is measured

    const model = wrapLanguageModel({
      model: h.provider.chat('gpt-4o-mini'),
      middleware: llmCostMiddleware(telemetry),
    });
    await generateText({ model, prompt: PROMPT, headers: usageHeaders(USAGE) });
    const s = streamText({ model, prompt: PROMPT, headers: usageHeaders(USAGE) });
    await s.text;
    // Each record happens before the call's result reaches the caller, so all three are in by now;
    // a duplicate would have been recorded with them.
    expect(calls).toEqual(['openai/gpt-4o', 'openai/gpt-4o-mini', 'openai/gpt-4o-mini']);
    expect(h.fake.requests).toHaveLength(3);
    const summary = telemetry.summary({ by: ['model'] });
    const mini = summary.groups.find((g) => g.key.model === 'gpt-4o-mini');
    expect(mini).toMatchObject({ requests: 2, tokens: { input: 60, output: 24 } });
  });
});

describe('a model whose transport is an instrumented SDK', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.stop());

  const client = () =>
    h.telemetry.instrument(new OpenAI({ baseURL: h.fake.openaiBaseURL, apiKey: 'sk-test', maxRetries: 0 }));

  it('generateText: the SDK wrapper records, the middleware defers', async () => {
    const model = h.wrap(sdkBackedModel(client()));
    await generateText({ model, prompt: PROMPT, headers: usageHeaders(USAGE) });
    expect(h.calls).toHaveLength(1);
    expect(h.calls[0]).toMatchObject({ provider: 'openai', model: 'gpt-4o', usage: { inputTokens: 30 } });
    expect(h.telemetry.summary().total).toMatchObject({ requests: 1, tokens: { input: 30, output: 12 } });
    const deferred = h.spans().filter((s) => s.attributes[ATTR_DEFERRED] === true);
    expect(deferred.map((s) => s.name)).toEqual(['chat gpt-4o']);
    expect(deferred[0]?.attributes['llm.cost.recorded']).toBeUndefined();
  });

  it('streamText: the SDK wrapper records, the middleware defers', async () => {
    const model = h.wrap(sdkBackedModel(client()));
    const s = streamText({ model, prompt: PROMPT, headers: usageHeaders(USAGE) });
    expect((await s.text).length).toBeGreaterThan(0);
    await until(() => h.spans().length === 2);
    expect(h.calls).toHaveLength(1);
    expect(h.telemetry.summary().total).toMatchObject({ requests: 1, tokens: { input: 30, output: 12 } });
  });

  it('an uninstrumented SDK transport: the middleware is the recorder', async () => {
    const bare = new OpenAI({ baseURL: h.fake.openaiBaseURL, apiKey: 'sk-test', maxRetries: 0 });
    await generateText({ model: h.wrap(sdkBackedModel(bare)), prompt: PROMPT, headers: usageHeaders(USAGE) });
    expect(h.calls).toHaveLength(1);
    expect(h.calls[0]).toMatchObject({
      provider: 'openai-sdk',
      usage: { inputTokens: 30, outputTokens: 12 },
    });
  });

  it('the middleware applied twice records once (generate and stream)', async () => {
    const twice = wrapLanguageModel({
      model: h.provider.chat('gpt-4o'),
      middleware: [llmCostMiddleware(h.telemetry), llmCostMiddleware(h.telemetry)],
    });
    await generateText({ model: twice, prompt: PROMPT, headers: usageHeaders(USAGE) });
    const s = streamText({ model: twice, prompt: PROMPT, headers: usageHeaders(USAGE) });
    await s.text;
    await until(() => h.spans().length === 4);
    expect(h.calls).toHaveLength(2);
    expect(h.spans().filter((s) => s.attributes[ATTR_DEFERRED] === true)).toHaveLength(2);
  });
});
