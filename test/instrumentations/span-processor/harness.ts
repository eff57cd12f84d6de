/**
 * One TracerProvider carrying `LLMCostSpanProcessor` (and an in-memory exporter), our telemetry on
 * the same provider, an async-hooks context manager (so spans nest as in a real app), the fake
 * provider, and every `record()` input captured.
 */
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { vi } from 'vitest';
import type { RegisterOptions } from '../../../src/config/options.js';
import { type FakeProvider, startFakeProvider } from '../../../src/demo/fake-provider/index.js';
import { LLMCostSpanProcessor } from '../../../src/instrumentations/span-processor/index.js';
import type { LLMTelemetry } from '../../../src/telemetry.js';
import type { LLMCall, UsageBuckets } from '../../../src/types.js';
import { makeTelemetry } from '../../support/telemetry.js';

export interface Harness {
  fake: FakeProvider;
  telemetry: LLMTelemetry;
  tracerProvider: BasicTracerProvider;
  processor: LLMCostSpanProcessor;
  /** `record()` inputs, in call order. */
  calls: LLMCall[];
  spans(): ReadableSpan[];
  stop(): Promise<void>;
}

export async function startHarness(options: { telemetry?: RegisterOptions } = {}): Promise<Harness> {
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  const fake = await startFakeProvider();
  const exporter = new InMemorySpanExporter();
  let telemetry: LLMTelemetry | undefined;
  const processor = new LLMCostSpanProcessor(() => telemetry);
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [processor, new SimpleSpanProcessor(exporter)],
  });
  const t = makeTelemetry({ tracerProvider, ...options.telemetry });
  telemetry = t;
  const calls: LLMCall[] = [];
  const record = t.record.bind(t);
  vi.spyOn(t, 'record').mockImplementation((call) => {
    calls.push(call);
    return record(call);
  });
  return {
    fake,
    telemetry: t,
    tracerProvider,
    processor,
    calls,
    spans: () => exporter.getFinishedSpans(),
    async stop() {
      await t.shutdown();
      await tracerProvider.shutdown();
      await fake.stop();
      context.disable();
      contextManager.disable();
    },
  };
}

/** Headers that make the fake provider report exactly this usage. */
export function usageHeaders(usage: Partial<UsageBuckets>, extra: Record<string, string> = {}) {
  return { 'x-fake-usage': JSON.stringify(usage), ...extra };
}

export async function until(predicate: () => boolean, ms = 2000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > ms) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
}
