/**
 * What the SDK instrumentations need of the telemetry handle, and nothing more: the SDK code
 * depends on this interface, not on `LLMTelemetry` (which implements it), so the handle can import
 * the instrumentations without an import cycle, and a test can hand a wrapper any sink.
 */
import type { Tracer } from '@opentelemetry/api';
import type { BudgetSet } from '../../budgets/budget-set.js';
import type { RecordedCall, RecordListener } from '../../record/recorder.js';
import type { LLMCall } from '../../types.js';

export interface CallSink {
  /** After `shutdown()`: wrappers pass calls through unmeasured. */
  readonly isShutdown: boolean;
  /** Opens each call's CLIENT span. */
  readonly tracer: Tracer;
  readonly options: {
    /** Context keys promoted to metric labels. */
    readonly dimensions: readonly string[];
    /** Ask OpenAI-compatible streams for usage (`stream_options.include_usage`). */
    readonly injectStreamUsage: boolean;
    /** Endpoints, beyond the known ones, that accept `stream_options`. */
    readonly openaiStreamUsageHosts: readonly string[];
  };
  /** The budget guard: a reservation before the request, settled with the recorded cost. */
  readonly budgets: Pick<BudgetSet, 'guarding' | 'reserve' | 'settleWith' | 'settle'>;
  /** Record one ended call (never throws). */
  record(call: LLMCall): RecordedCall | undefined;
  /** Called after every record (the AI SDK middleware defers to an inner recorder with it). */
  onRecord(listener: RecordListener): () => void;
}

/** Where a wrapper gets its sink when a call happens (undefined: measure nothing, pass through). */
export type TelemetrySource = () => CallSink | undefined;
