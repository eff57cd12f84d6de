/**
 * The telemetry handle of the OpenAI, AI SDK and span-processor suites: no server, its spans kept
 * in memory on its own TracerProvider, every `record()` input and result captured.
 */
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { RegisterOptions } from '../../../src/config/options.js';
import type { RecordedCall } from '../../../src/record/recorder.js';
import type { LLMTelemetry } from '../../../src/telemetry.js';
import type { LLMCall } from '../../../src/types.js';
import { makeTelemetry } from '../../support/telemetry.js';
import { captureRecords } from './capture.js';

export interface Traced {
  telemetry: LLMTelemetry;
  tracerProvider: BasicTracerProvider;
  exporter: InMemorySpanExporter;
  /** `record()` inputs, in call order. */
  calls: LLMCall[];
  /** What `record()` concluded (cost, buckets), in call order. */
  recorded: RecordedCall[];
  /** Finished spans, every tracer. */
  spans(): ReadableSpan[];
}

/** `before`/`after`: span processors around the in-memory exporter, in that order. */
export function tracedTelemetry(
  options: RegisterOptions = {},
  processors: { before?: SpanProcessor[]; after?: SpanProcessor[] } = {},
): Traced {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [
      ...(processors.before ?? []),
      new SimpleSpanProcessor(exporter),
      ...(processors.after ?? []),
    ],
  });
  const telemetry = makeTelemetry({ tracerProvider, ...options });
  return {
    telemetry,
    tracerProvider,
    exporter,
    ...captureRecords(telemetry),
    spans: () => exporter.getFinishedSpans(),
  };
}
