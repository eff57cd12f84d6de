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
import type { RegisterOptions } from '../../../src/config/options.js';
import { type FakeProvider, startFakeProvider } from '../../../src/fake-provider/index.js';
import { LLMCostSpanProcessor } from '../../../src/instrumentations/span-processor/index.js';
import type { LLMTelemetry } from '../../../src/telemetry.js';
import type { LLMCall } from '../../../src/types.js';
import { makeTelemetry } from '../../support/telemetry.js';
import { captureRecords, OpenSpans } from '../support/capture.js';

export { until, usageHeaders } from '../support/capture.js';

export interface Harness {
  fake: FakeProvider;
  telemetry: LLMTelemetry;
  tracerProvider: BasicTracerProvider;
  processor: LLMCostSpanProcessor;
  /** `record()` inputs, in call order. */
  calls: LLMCall[];
  spans(): ReadableSpan[];
  /** Spans started and not yet ended (0: no span can still end into a record). */
  openSpans(): number;
  stop(): Promise<void>;
}

export async function startHarness(options: { telemetry?: RegisterOptions } = {}): Promise<Harness> {
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  const fake = await startFakeProvider();
  const exporter = new InMemorySpanExporter();
  const openSpans = new OpenSpans();
  let telemetry: LLMTelemetry | undefined;
  const processor = new LLMCostSpanProcessor(() => telemetry);
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [processor, new SimpleSpanProcessor(exporter), openSpans],
  });
  const t = makeTelemetry({ tracerProvider, ...options.telemetry });
  telemetry = t;
  const { calls } = captureRecords(t);
  return {
    fake,
    telemetry: t,
    tracerProvider,
    processor,
    calls,
    spans: () => exporter.getFinishedSpans(),
    openSpans: () => openSpans.open,
    async stop() {
      await t.shutdown();
      await tracerProvider.shutdown();
      await fake.stop();
      context.disable();
      contextManager.disable();
    },
  };
}
