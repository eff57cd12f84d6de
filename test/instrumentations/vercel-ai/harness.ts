/**
 * Shared setup for the Vercel AI SDK tests: the fake provider, `@ai-sdk/openai` pointed at it, a
 * telemetry handle with an in-memory span exporter, and every `record()` input captured.
 */
import { createOpenAI } from '@ai-sdk/openai';
import { type LanguageModel, wrapLanguageModel } from 'ai';
import type { RegisterOptions } from '../../../src/config/options.js';
import { type FakeProvider, startFakeProvider } from '../../../src/demo/fake-provider/index.js';
import {
  type LLMCostMiddlewareOptions,
  llmCostMiddleware,
} from '../../../src/instrumentations/vercel-ai/index.js';
import { type Traced, tracedTelemetry } from '../support/traced.js';

export { until, usageHeaders } from '../support/capture.js';

type V3Model = Parameters<typeof wrapLanguageModel>[0]['model'];

export interface Harness extends Traced {
  fake: FakeProvider;
  provider: ReturnType<typeof createOpenAI>;
  /** `model` wrapped with our middleware. */
  wrap(model: V3Model, options?: LLMCostMiddlewareOptions): LanguageModel;
  stop(): Promise<void>;
}

export async function startHarness(options: { telemetry?: RegisterOptions } = {}): Promise<Harness> {
  const fake = await startFakeProvider();
  const traced = tracedTelemetry(options.telemetry);
  const { telemetry } = traced;
  const provider = createOpenAI({ baseURL: fake.openaiBaseURL, apiKey: 'sk-test-SECRET' });
  return {
    ...traced,
    fake,
    provider,
    wrap: (model, o) => wrapLanguageModel({ model, middleware: llmCostMiddleware(telemetry, o) }),
    async stop() {
      await telemetry.shutdown();
      await fake.stop();
    },
  };
}

/** Read a stream to the end. */
export async function drain<T>(stream: ReadableStream<T>): Promise<T[]> {
  const out: T[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out;
    out.push(value);
  }
}
