/**
 * One TracerProvider carrying `LLMCostSpanProcessor` (and an in-memory exporter), our telemetry on
 * the same provider, an async-hooks context manager (so spans nest as in a real app), the fake
 * provider, and every `record()` input captured.
 */
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import type { RegisterOptions } from '../../../src/config/options.js';
import { type FakeProvider, startFakeProvider } from '../../../src/demo/fake-provider/index.js';
import { LLMCostSpanProcessor } from '../../../src/instrumentations/span-processor/index.js';
import type { LLMTelemetry } from '../../../src/telemetry.js';
import { OpenSpans } from '../support/capture.js';
import { type Traced, tracedTelemetry } from '../support/traced.js';

export { until, usageHeaders } from '../support/capture.js';

export interface Harness extends Traced {
  fake: FakeProvider;
  processor: LLMCostSpanProcessor;
  /** Spans started and not yet ended (0: no span can still end into a record). */
  openSpans(): number;
  stop(): Promise<void>;
}

export async function startHarness(options: { telemetry?: RegisterOptions } = {}): Promise<Harness> {
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  const fake = await startFakeProvider();
  const openSpans = new OpenSpans();
  let telemetry: LLMTelemetry | undefined;
  const processor = new LLMCostSpanProcessor(() => telemetry);
  const traced = tracedTelemetry(options.telemetry, { before: [processor], after: [openSpans] });
  telemetry = traced.telemetry;
  return {
    ...traced,
    fake,
    processor,
    openSpans: () => openSpans.open,
    async stop() {
      await traced.telemetry.shutdown();
      await traced.tracerProvider.shutdown();
      await fake.stop();
      context.disable();
      contextManager.disable();
    },
  };
}
