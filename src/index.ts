/**
 * The public API of `llm-cost-otel`: everything an app imports. Anything not exported here (or
 * from `llm-cost-otel/pricing`) is internal and may change in any release;
 * `test/core/public-api.test.ts` pins the list.
 */

import { type ClusterPrimaryOptions, registerClusterPrimary as registerPrimary } from './cluster/index.js';
import type { RegisterOptions } from './config/options.js';
import type { MetricsHandler } from './export/metrics-handler.js';
import {
  type LLMCostSpanProcessorOptions,
  LLMCostSpanProcessor as SpanProcessorImpl,
} from './instrumentations/span-processor/index.js';
import {
  type LLMCostMiddleware,
  type LLMCostMiddlewareOptions,
  llmCostMiddleware as middleware,
} from './instrumentations/vercel-ai/index.js';
import type { LLMTelemetry } from './llm-telemetry.js';
import type { RecordedCall } from './record/recorder.js';
import {
  getTelemetry as currentHandle,
  record as recordCall,
  register as registerHandle,
} from './register.js';
import type { LLMCall } from './types.js';

// Set-up and recording.

/**
 * Set up cost telemetry; a second call returns the same handle. Options are validated up front
 * (a `ConfigError` names the bad field and value); nothing has started when it throws.
 */
export const register: (options?: RegisterOptions) => LLMTelemetry = registerHandle;
/** The registered telemetry, or undefined before `register()` / after `shutdown()`. */
export const getTelemetry: () => LLMTelemetry | undefined = currentHandle;
/** `record()` on the registered telemetry; a no-op (reported once) before `register()`. */
export const record: (call: LLMCall) => RecordedCall | undefined = recordCall;

// Options.
export type { UnpricedModelsPolicy } from './budgets/budget-guard.js';
export type { BudgetStoreOptions, RedisBudgetStoreOptions } from './budgets/store/options.js';
export type { BudgetConfig, BudgetEvent, BudgetEventListener, BudgetWindow } from './budgets/types.js';
export type {
  ClusterOptions,
  InstrumentationName,
  OtlpOptions,
  PromClientRegistryLike,
  PrometheusOptions,
  RegisterOptions,
} from './config/options.js';
// Attribution and agent runs.
export { getLLMContext, type LLMContext, withLLMContext } from './context.js';
export type { MetricsHandler } from './export/metrics-handler.js';
// Entry points for apps that run OpenTelemetry or the Vercel AI SDK.
export {
  LLMCostInstrumentation,
  type LLMCostInstrumentationConfig,
} from './instrumentations/llm-cost-instrumentation.js';
export type { LLMBudgets, LLMTelemetry } from './llm-telemetry.js';
export type { CatalogInfo, PricesOptions } from './pricing/index.js';
export type { RecordedCall, RecordListener } from './record/recorder.js';
export type {
  Summary,
  SummaryDimension,
  SummaryGroup,
  SummaryQuery,
  SummaryTotals,
} from './record/summary.js';
export {
  type AgentBaseline,
  type AgentRun,
  type AgentRunEnd,
  type AgentRunOptions,
  type RunFigures,
  type RunListener,
  type RunOutcome,
  type RunSummary,
  type RunSummaryQuery,
  type RunsOptions,
  type RunTotals,
  startAgentRun,
  withAgentRun,
} from './runs/index.js';
export type * from './types.js';
export { normalizeUsage, type UsageShape } from './usage/index.js';

/**
 * Prices GenAI-semconv spans from other instrumentations. Structurally a `SpanProcessor` of
 * `@opentelemetry/sdk-trace-base` (1.x, 2.x or 3.x): add it to your TracerProvider.
 */
export interface LLMCostSpanProcessor {
  onStart(span: unknown, parentContext: unknown): void;
  onEnd(span: unknown): void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}
/**
 * `new LLMCostSpanProcessor(telemetry?, options?)`. `telemetry`: the handle to record into, or a
 * function returning it (looked up per span); default: the one `register()` created.
 */
export const LLMCostSpanProcessor = SpanProcessorImpl as unknown as new (
  telemetry?: LLMTelemetry | (() => LLMTelemetry | undefined),
  options?: LLMCostSpanProcessorOptions,
) => LLMCostSpanProcessor;
export type { LLMCostSpanProcessorOptions };

/**
 * A Vercel AI SDK language-model middleware recording every call of the wrapped model;
 * `telemetry` defaults to the one `register()` created (looked up per call).
 */
// The handle an app holds is always the internal class behind the interface (only `register()`
// makes one), so widening the parameter to the interface is sound.
export const llmCostMiddleware = middleware as unknown as (
  telemetry?: LLMTelemetry,
  options?: LLMCostMiddlewareOptions,
) => LLMCostMiddleware;

// Errors.
export { type BudgetExceededDetails, BudgetExceededError, type RefusalReason } from './budgets/errors.js';

// Node cluster: one scrape for all workers.
export type { ClusterPrimaryOptions };
/** What `registerClusterPrimary()` returns: the primary's aggregate `/metrics` for all workers. */
export interface ClusterPrimary {
  /** Serve the aggregate from your own server in the primary. */
  readonly metricsHandler: MetricsHandler;
  /** Resolves to the `/metrics` URL once listening (undefined when disabled or the port failed). */
  metricsUrl(): Promise<string | undefined>;
  /** The aggregate exposition; concurrent scrapes share one collection round. */
  metrics(): Promise<string>;
  /** Stop serving and listening to workers. Idempotent. */
  shutdown(): Promise<void>;
  readonly isShutdown: boolean;
}
/** In the cluster primary: collects every worker's figures at each scrape (one per process). */
export const registerClusterPrimary = registerPrimary as (options?: ClusterPrimaryOptions) => ClusterPrimary;
export { ConfigError } from './config/errors.js';
// The metric contract: names that dashboards, rules and tests import.
export {
  CLUSTER_METRIC,
  GUARD_METRIC,
  LABEL,
  METRIC,
  OTEL_NAMES,
  OUTCOMES,
  RUN_OUTCOMES,
  TOKEN_TYPES,
  USAGE_MISSING_REASONS,
} from './metrics/names.js';
export { PriceConfigError } from './pricing/errors.js';
export type { LLMCostMiddleware, LLMCostMiddlewareOptions };
