/**
 * Shared setup for the Vercel AI SDK tests: the fake provider, `@ai-sdk/openai` pointed at it, a
 * telemetry handle with an in-memory span exporter, and every `record()` input captured.
 */
import { createOpenAI } from '@ai-sdk/openai';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { type LanguageModel, wrapLanguageModel } from 'ai';
import { vi } from 'vitest';
import type { RegisterOptions } from '../../../src/config/options.js';
import { type FakeProvider, startFakeProvider } from '../../../src/demo/fake-provider/index.js';
import {
  type LLMCostMiddlewareOptions,
  llmCostMiddleware,
} from '../../../src/instrumentations/vercel-ai/index.js';
import type { RecordedCall } from '../../../src/record/recorder.js';
import type { LLMTelemetry } from '../../../src/telemetry.js';
import type { LLMCall, UsageBuckets } from '../../../src/types.js';
import { makeTelemetry } from '../../support/telemetry.js';

type V3Model = Parameters<typeof wrapLanguageModel>[0]['model'];

export interface Harness {
  fake: FakeProvider;
  telemetry: LLMTelemetry;
  exporter: InMemorySpanExporter;
  calls: LLMCall[];
  recorded: RecordedCall[];
  provider: ReturnType<typeof createOpenAI>;
  /** `model` wrapped with our middleware. */
  wrap(model: V3Model, options?: LLMCostMiddlewareOptions): LanguageModel;
  spans(): ReadableSpan[];
  stop(): Promise<void>;
}

export async function startHarness(options: { telemetry?: RegisterOptions } = {}): Promise<Harness> {
  const fake = await startFakeProvider();
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const telemetry = makeTelemetry({ tracerProvider, ...options.telemetry });
  const calls: LLMCall[] = [];
  const recorded: RecordedCall[] = [];
  telemetry.onRecord((r) => recorded.push(r));
  const record = telemetry.record.bind(telemetry);
  vi.spyOn(telemetry, 'record').mockImplementation((call) => {
    calls.push(call);
    return record(call);
  });
  const provider = createOpenAI({ baseURL: fake.openaiBaseURL, apiKey: 'sk-test-SECRET' });
  return {
    fake,
    telemetry,
    exporter,
    calls,
    recorded,
    provider,
    wrap: (model, o) => wrapLanguageModel({ model, middleware: llmCostMiddleware(telemetry, o) }),
    spans: () => exporter.getFinishedSpans(),
    async stop() {
      await telemetry.shutdown();
      await fake.stop();
    },
  };
}

/** Headers that make the fake provider report exactly this usage. */
export function usageHeaders(usage: Partial<UsageBuckets>, extra: Record<string, string> = {}) {
  return { 'x-fake-usage': JSON.stringify(usage), ...extra };
}

/** Wait until `predicate` holds (stream records end asynchronously). */
export async function until(predicate: () => boolean, ms = 2000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > ms) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
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
