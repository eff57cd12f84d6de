/**
 * `LLMTelemetry`: what the handle `register()` returns offers an app. An interface, so the public
 * type names only public types; the class behind it (`telemetry.ts`) keeps its price book, budget
 * reservations and shutdown hooks to the library.
 */
import type { MetricProducer } from '@opentelemetry/sdk-metrics';
import type { MetricsHandler } from './export/metrics-handler.js';
import type { RecordedCall, RecordListener } from './record/recorder.js';
import type { Summary, SummaryQuery } from './record/summary.js';
import type { RunSummary, RunSummaryQuery } from './runs/run-summary.js';
import type { AgentRun, AgentRunOptions, RunListener } from './runs/types.js';
import type { LLMCall, PriceCallInput, PriceResult } from './types.js';

/** This process's view of its budgets (the fleet-wide figures are in Prometheus). */
export interface LLMBudgets {
  /** Whether the guard refuses calls that would pass a budget (`budgetGuard`). */
  readonly guarding: boolean;
  /** This process's spend in the budget's current window, USD (undefined for an unknown name). */
  spentUsd(name: string): number | undefined;
  /** Held by calls in flight against the budget, USD (undefined for an unknown name). */
  reservedUsd(name: string): number | undefined;
}

export interface LLMTelemetry {
  /** Hand to your own MetricReader(s) as `metricProducers: [telemetry.metricProducer]` to export through your MeterProvider. */
  readonly metricProducer: MetricProducer;
  /** Serve our exposition from your own HTTP server. */
  readonly metricsHandler: MetricsHandler;
  readonly budgets: LLMBudgets;
  /** True once `shutdown()` was called. */
  readonly isShutdown: boolean;
  /**
   * Resolves once start-up has settled: SDK modules the app imported (ESM) before `register()`
   * are patched, the metrics exit is chosen, the OTLP exporter (if on) runs. Never rejects.
   */
  ready(): Promise<void>;
  /** Measure one SDK client instance (OpenAI, Anthropic, GoogleGenAI); returns the same object. */
  instrument<T>(client: T): T;
  /** Restore the SDK modules patched by `instrumentations`. */
  disable(): void;
  /** Record one LLM call: attribute, price, count. Never throws; undefined if our own code failed. */
  record(call: LLMCall): RecordedCall | undefined;
  /** Price a call without recording it (same prices, overrides included). */
  price(input: PriceCallInput): PriceResult;
  /** In-process totals from the same records as the metrics, plus agent-run figures (`runs`). */
  summary(query?: SummaryQuery & RunSummaryQuery): Summary & { runs: RunSummary };
  /** Run `fn` as one agent run; a thrown error is its failure (rethrown unchanged). */
  withAgentRun<T>(options: AgentRunOptions, fn: (run: AgentRun) => T | Promise<T>): Promise<T>;
  /** Start a run ended by `run.end()` (callback-style frameworks). */
  startAgentRun(options: AgentRunOptions): AgentRun;
  /** Subscribe to every ended run. Returns the unsubscribe function. */
  onRunEnd(listener: RunListener): () => void;
  /** Subscribe to every recorded call. Returns the unsubscribe function. */
  onRecord(listener: RecordListener): () => void;
  /** The Prometheus text exposition of every family. */
  metrics(): string;
  /** Resolves to the `/metrics` URL once our server listens (undefined when disabled or failed). */
  metricsUrl(): Promise<string | undefined>;
  /** Flush exporters, stop the server, unregister from prom-client. Idempotent. */
  shutdown(): Promise<void>;
}
