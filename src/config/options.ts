/**
 * `register()` options: the public shape, every field documented with its default and env
 * fallback. Resolution (validation into the internal form) is `resolve.ts`.
 */
import type { MeterProvider, TracerProvider } from '@opentelemetry/api';
import type { UnpricedModelsPolicy } from '../budgets/budget-guard.js';
import type { BudgetStoreOptions } from '../budgets/store/options.js';
import type { BudgetConfig, BudgetEventListener } from '../budgets/types.js';
import type { PricesOptions } from '../pricing/options.js';
import type { RunsOptions } from '../runs/options.js';

/** The parts of a prom-client `Registry` we use (prom-client is an optional peer). */
export interface PromClientRegistryLike {
  registerMetric(metric: unknown): void;
  getSingleMetric(name: string): unknown;
  removeSingleMetric(name: string): void;
}

export interface PrometheusOptions {
  /**
   * Serve `/metrics` on the library's own HTTP server. Default `auto`: only when the app runs no
   * OpenTelemetry MeterProvider (none passed, none global), is not a cluster worker and passed no
   * `promClientRegistry` — so the app always ends with one endpoint. `true` forces it, `false`
   * turns it off. Env `LLM_COST_PROMETHEUS_SERVER` (`auto`, `true`, `false`).
   */
  server?: boolean | 'auto';
  /** Interface to bind. Default `127.0.0.1` (loopback only); env `LLM_COST_METRICS_HOST`. */
  host?: string;
  /**
   * Port. Default `9465` — not the OpenTelemetry Prometheus exporter's 9464, so the two never
   * fight over one port; `0` picks a free one; env `LLM_COST_METRICS_PORT`.
   */
  port?: number;
  /** Path of the metrics endpoint. Default `/metrics`. */
  endpoint?: string;
  /**
   * Credentials scrapers must send (answered 401 otherwise), one of a bearer token or basic
   * credentials; applies to our server and to `telemetry.metricsHandler`. Default none; env
   * `LLM_COST_METRICS_BEARER_TOKEN` sets a bearer token. Never logged.
   */
  auth?: { bearerToken?: string; basic?: { username: string; password: string } };
  /**
   * A page larger than this is refused (503, one log line) instead of built and sent; applies to
   * our server and to `telemetry.metricsHandler`. Default 64 MiB; env `LLM_COST_METRICS_MAX_PAGE_BYTES`.
   */
  maxPageBytes?: number;
  /** Our server's open-connection cap; more are dropped on accept. Default 32; env `LLM_COST_METRICS_MAX_CONNECTIONS`. */
  maxConnections?: number;
  /** Our server destroys a socket idle (either way) this long. Default 10 000 ms; env `LLM_COST_METRICS_SOCKET_TIMEOUT_MS`. */
  socketTimeoutMs?: number;
}

export interface ClusterOptions {
  /**
   * This process's part in a Node `cluster` app. `auto` (default): a cluster worker (not under
   * PM2, whose primary is PM2 itself) answers the primary's collection requests over IPC and
   * does not serve `/metrics` itself unless `prometheus.server` is set explicitly. `worker`:
   * always that. `standalone`: ignore the cluster. Env `LLM_COST_CLUSTER_ROLE`.
   */
  role?: 'auto' | 'worker' | 'standalone';
  /**
   * Primary only (`registerClusterPrimary`): how long a scrape waits for each worker's figures;
   * a worker that misses it is counted in `llm_cluster_workers_unresponsive` and its last known
   * figures are served. Default 1000 ms; env `LLM_COST_CLUSTER_WORKER_TIMEOUT_MS`.
   */
  workerTimeoutMs?: number;
  /**
   * Worker only: push this process's figures to the primary every so often (and once at
   * shutdown), so a worker that crashes loses at most one interval of figures. `0` turns pushing
   * off (figures then leave only when a scrape asks). Default 5000 ms; env
   * `LLM_COST_CLUSTER_PUSH_INTERVAL_MS`.
   */
  pushIntervalMs?: number;
}

export interface OtlpOptions {
  /** OTLP/HTTP metrics endpoint. Default env `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT`, else `http://localhost:4318/v1/metrics`. */
  url?: string;
  /** Extra headers (e.g. auth). Never logged. */
  headers?: Record<string, string>;
  /** Export interval. Default 60 000 ms; env `OTEL_METRIC_EXPORT_INTERVAL`. */
  intervalMs?: number;
}

export interface RegisterOptions {
  /** Service name; the default agent when none is configured. Default env `OTEL_SERVICE_NAME`, else `unknown_service`. */
  serviceName?: string;
  /** Agent label outside any `withLLMContext` scope. Default env `LLM_COST_DEFAULT_AGENT`, else the service name. */
  defaultAgent?: string;
  /**
   * The app operation (`llm_operation_name`) when neither the call nor the scope names one.
   * Default env `LLM_COST_DEFAULT_OPERATION`, else the call's API operation (`chat`, `embeddings`, …).
   */
  defaultOperation?: string;
  /**
   * Extra low-cardinality dimensions promoted to metric labels (allow-list), e.g. `['team']`.
   * Default none; env `LLM_COST_DIMENSIONS` (comma-separated).
   */
  dimensions?: string[];
  /**
   * Series cap per metric family: distinct combinations of its capped labels (bounded labels such
   * as token type, outcome and reason do not count); further combinations go to an overflow
   * series. Default 2000; env `LLM_COST_MAX_SERIES`.
   */
  maxSeries?: number;
  /**
   * Tokens in one call (input + output) above which the reported usage is implausible: recorded
   * as reported, counted in `llm_usage_implausible_total` and marked on the span. Default
   * 10,000,000; env `LLM_COST_MAX_PLAUSIBLE_TOKENS`.
   */
  maxPlausibleTokens?: number;
  /** Prometheus `/metrics` export on our own server; `false` to disable the server. */
  prometheus?: PrometheusOptions | false;
  /** Also expose our metrics through this prom-client Registry (the app keeps one `/metrics`). */
  promClientRegistry?: PromClientRegistryLike;
  /** Export metrics over OTLP/HTTP to a Collector. Default off; env `LLM_COST_OTLP=true` turns it on. */
  otlp?: OtlpOptions | boolean;
  /** Tracer provider for spans. Default: the global one (a no-op unless the app set one up). */
  tracerProvider?: TracerProvider;
  /**
   * The app's OpenTelemetry MeterProvider: every family becomes an instrument on a Meter of it, so
   * the app's readers (PrometheusExporter, OTLP), views, resource and temporality apply, and the
   * library opens no port. Default: the global MeterProvider when the app registered one
   * (NodeSDK does), checked again later so a NodeSDK started after `register()` is found too.
   * `false`: never attach.
   */
  meterProvider?: MeterProvider | false;
  /** Price overrides and custom models, or a JSON/YAML file of them, and pricing choices (see `PricesOptions`). */
  prices?: PricesOptions;
  /** Budgets, or the path of a JSON/YAML file of them. Env `LLM_COST_BUDGETS` (JSON text or a file path). */
  budgets?: BudgetConfig[] | string;
  /**
   * Guard mode: an instrumented SDK call throws `BudgetExceededError` before its request is sent
   * when this process's spend in a matching budget's window, plus what calls in flight reserved,
   * plus this call's maximum cost would pass the limit. Default `false`; env `LLM_COST_BUDGET_GUARD`.
   */
  budgetGuard?: boolean;
  /**
   * Called when this process's spend in a budget's window crosses a threshold or a dollar
   * milestone (once per crossing; each event is also logged). Exceptions it throws are caught.
   */
  onBudgetEvent?: BudgetEventListener;
  /**
   * Guard mode: a call whose request model has no price cannot be bounded. `refuse` (default)
   * refuses it with a `BudgetExceededError` that says how to price it (an `aliasOf` override);
   * `allow` admits it without a reservation, counted in `llm_budget_unguarded_calls_total`.
   * Env `LLM_COST_BUDGET_UNPRICED_MODELS`.
   */
  unpricedModels?: UnpricedModelsPolicy;
  /** Guard mode: share spend and reservations across processes in Redis. Default: this process only. See `BudgetStoreOptions`. */
  budgetStore?: BudgetStoreOptions;
  /**
   * SDKs to patch automatically when they load (`openai`, `anthropic`, `google-genai`), `true` for
   * all, `false` for none. Default none from code; env `LLM_COST_INSTRUMENTATIONS` (comma list or
   * `all`), which `llm-cost-otel/register` defaults to `all`.
   */
  instrumentations?: InstrumentationName[] | boolean;
  /**
   * Inject `stream_options: { include_usage: true }` into streaming OpenAI chat calls that did not
   * ask for usage, hiding the extra usage-only chunk from the caller — only for endpoints known to
   * accept the field (see `openaiStreamUsageHosts`). Default `true`; env
   * `LLM_COST_OPENAI_INJECT_STREAM_USAGE=false`.
   */
  injectStreamUsage?: boolean;
  /**
   * Record the GenAI semconv histograms `gen_ai.client.token.usage` and
   * `gen_ai.client.operation.duration`. Default `auto`: yes, except for calls through the `openai`
   * SDK while `@opentelemetry/instrumentation-openai` is loaded (it records them; twice would
   * double them). Env `LLM_COST_GENAI_CLIENT_METRICS` (`auto`, `true`, `false`).
   */
  genAiClientMetrics?: boolean | 'auto';
  /**
   * Extra OpenAI-compatible endpoints that accept `stream_options.include_usage` (usage is only
   * requested from endpoints known to accept it: api.openai.com, Azure OpenAI (api-version
   * 2024-08-01-preview or later), OpenRouter,
   * DeepSeek, Gemini's OpenAI API). Entries: `host`, `host:port`, `*.domain`, or `*` for every
   * endpoint. Default none; env `LLM_COST_OPENAI_STREAM_USAGE_HOSTS` (comma-separated).
   */
  openaiStreamUsageHosts?: string[];
  /** Node `cluster` apps: see `ClusterOptions` (workers need nothing; the primary calls `registerClusterPrimary`). */
  cluster?: ClusterOptions;
  /**
   * Treat a model the catalog matches only approximately (a prefix/substring rule pricing it as a
   * sibling) as unpriced instead of pricing it as the sibling. Default `false`; env
   * `LLM_COST_STRICT_PRICING`.
   */
  strictPricing?: boolean;
  /** Agent runs (`withAgentRun`): abandonment timeout, run dimensions, baselines; see `RunsOptions`. */
  runs?: RunsOptions;
}

/** The embedded `/metrics` server's default port: next to, never on, the OTel exporter's 9464. */
export const DEFAULT_METRICS_PORT = 9465;

export const INSTRUMENTATION_NAMES = ['openai', 'anthropic', 'google-genai'] as const;
export type InstrumentationName = (typeof INSTRUMENTATION_NAMES)[number];
