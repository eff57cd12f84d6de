/**
 * The Anthropic and Google GenAI suites' setup: an independent LLMTelemetry per test file (no
 * /metrics server, spans kept in memory) and, with `useSdkSuite`, the file's fake provider.
 */
import type { Attributes } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { RegisterOptions } from '../../../src/config/options.js';
import { resolveOptions } from '../../../src/config/resolve.js';
import { type FakeProvider, startFakeProvider } from '../../../src/demo/fake-provider/index.js';
import { LLMTelemetry, TRACER_NAME } from '../../../src/telemetry.js';

export interface Harness {
  telemetry: LLMTelemetry;
  exporter: InMemorySpanExporter;
  tracerProvider: BasicTracerProvider;
  /** Finished spans of our own tracer. */
  ourSpans(): ReadableSpan[];
  /** Value of one exposition sample, e.g. `sample('llm_requests_total', { llm_outcome: 'aborted' })`; 0 when absent. */
  sample(family: string, labels?: Record<string, string>): number;
  reset(): Promise<void>;
  shutdown(): Promise<void>;
}

export function createHarness(options: RegisterOptions = {}): Harness {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const make = () => new LLMTelemetry(resolveOptions({ prometheus: false, tracerProvider, ...options }, {}));
  const harness: Harness = {
    telemetry: make(),
    exporter,
    tracerProvider,
    ourSpans: () => exporter.getFinishedSpans().filter((s) => s.instrumentationScope.name === TRACER_NAME),
    sample(family, labels = {}) {
      let total = 0;
      for (const line of harness.telemetry.metrics().split('\n')) {
        if (!line.startsWith(`${family}{`)) continue;
        if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) {
          total += Number(line.slice(line.lastIndexOf(' ') + 1));
        }
      }
      return total;
    },
    async reset() {
      await harness.telemetry.shutdown();
      exporter.reset();
      harness.telemetry = make();
    },
    async shutdown() {
      await harness.telemetry.shutdown();
      await tracerProvider.shutdown();
    },
  };
  return harness;
}

/** A guarded budget no real call fits in ($0.000001 a day): every call is refused. */
export const TINY_BUDGET: RegisterOptions = {
  budgets: [{ name: 'tiny', limitUsd: 0.000001, window: '1d' }],
  budgetGuard: true,
};

/** A harness with the test file's fake provider (started before its tests, stopped after). */
export interface SdkSuite extends Harness {
  readonly fake: FakeProvider;
}

/**
 * The per-file lifecycle of the SDK suites: one fake provider and one harness for the file, the
 * harness's telemetry replaced after each test unless `reset` is false.
 */
export function useSdkSuite(options: RegisterOptions = {}, { reset = true } = {}): SdkSuite {
  const harness = createHarness(options);
  let fake: FakeProvider | undefined;
  beforeAll(async () => {
    fake = await startFakeProvider();
  });
  if (reset) afterEach(() => harness.reset());
  afterAll(async () => {
    await harness.shutdown();
    await fake?.stop();
  });
  return Object.defineProperty(harness, 'fake', {
    get(): FakeProvider {
      if (fake === undefined) throw new Error('the fake provider starts in beforeAll');
      return fake;
    },
  }) as SdkSuite;
}

/** The usage and cost attributes of a span, for exact comparison. */
export function usageAttributes(attributes: Attributes): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (key.startsWith('gen_ai.usage.')) out[key] = value;
  }
  return out;
}

/** Collects an async iterable. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** A prompt of exactly `tokens` fake-provider tokens (4 characters each). */
export function promptOf(tokens: number): string {
  return 'abcd'.repeat(tokens);
}

/** Header forcing the fake provider's usage, in disjoint buckets. */
export function fakeUsage(usage: Record<string, number>): Record<string, string> {
  return { 'x-fake-usage': JSON.stringify(usage) };
}
