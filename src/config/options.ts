/**
 * `register()` options: the public shape (every field documented with its default and env
 * fallback) and its up-front validation into a resolved, internal form.
 */
import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import type { MeterProvider, TracerProvider } from '@opentelemetry/api';
import type { UnpricedModelsPolicy } from '../budgets/budget-guard.js';
import type { ResolvedRedisStore } from '../budgets/budget-set.js';
import {
  type BudgetStoreOptions,
  resolveBudgetStore,
  resolveUnpricedModels,
} from '../budgets/store/options.js';
import {
  BUDGET_WINDOWS,
  type BudgetConfig,
  type BudgetEventListener,
  type BudgetWindow,
} from '../budgets/types.js';
import { notice } from '../diag.js';
import type { MetricsAuth } from '../export/auth.js';
import { type PricesOptions, type ResolvedPricing, resolvePricing } from '../pricing/options.js';
import { type ResolvedRunsOptions, type RunsOptions, resolveRuns } from '../runs/options.js';
import type { PriceOverride } from '../types.js';
import { parseYaml } from '../util/yaml.js';
import { ConfigError, show } from './errors.js';
import { rejectUnknownBudgetKeys, rejectUnknownOptionKeys } from './option-keys.js';

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

export interface ResolvedOptions {
  serviceName: string;
  defaultAgent: string;
  defaultOperation?: string;
  dimensions: string[];
  maxSeries: number;
  maxPlausibleTokens: number;
  prometheus: {
    server: boolean | 'auto';
    host: string;
    port: number;
    endpoint: string;
    auth?: MetricsAuth;
  };
  /** `undefined`: find the global one; `false`: never attach. */
  meterProvider?: MeterProvider | false;
  /** `prometheus.maxPageBytes` / `maxConnections` / `socketTimeoutMs`, resolved. */
  metricsServing: { maxPageBytes: number; maxConnections: number; socketTimeoutMs: number };
  /** `worker`: this process reports to a cluster primary over IPC. */
  cluster: { worker: boolean; workerTimeoutMs: number; pushIntervalMs: number };
  promClientRegistry?: PromClientRegistryLike;
  otlp?: { url: string; headers: Record<string, string>; intervalMs: number };
  tracerProvider?: TracerProvider;
  priceOverrides: PriceOverride[];
  pricesFile?: string;
  budgets: BudgetConfig[];
  budgetGuard: boolean;
  onBudgetEvent?: BudgetEventListener;
  unpricedModels: UnpricedModelsPolicy;
  budgetStore?: ResolvedRedisStore;
  instrumentations: InstrumentationName[];
  injectStreamUsage: boolean;
  genAiClientMetrics: boolean | 'auto';
  pricing: ResolvedPricing;
  openaiStreamUsageHosts: string[];
  runs: ResolvedRunsOptions;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const RESERVED_DIMENSIONS = new Set([
  'provider',
  'model',
  'agent',
  'operation',
  'task',
  'job',
  'instance',
  'le',
]);

function fail(field: string, expected: string, value: unknown): never {
  throw new ConfigError(`llm-cost-otel: ${field} ${expected}, got ${show(value)}`);
}

function nonEmptyString(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') fail(field, 'must be a non-empty string', value);
  return value;
}

function integerIn(field: string, value: unknown, min: number, max: number): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    fail(field, `must be an integer from ${min} to ${max}`, value);
  }
  return n;
}

function envFlag(name: string, env: NodeJS.ProcessEnv): boolean | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off)$/i.test(v)) return false;
  fail(`env ${name}`, 'must be true or false', v);
}

export function resolveOptions(
  options: RegisterOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): ResolvedOptions {
  if (options === null || typeof options !== 'object') fail('options', 'must be an object', options);
  rejectUnknownOptionKeys(options);
  const serviceName =
    options.serviceName !== undefined
      ? nonEmptyString('serviceName', options.serviceName)
      : env.OTEL_SERVICE_NAME || 'unknown_service';
  const defaultAgent =
    options.defaultAgent !== undefined
      ? nonEmptyString('defaultAgent', options.defaultAgent)
      : env.LLM_COST_DEFAULT_AGENT || serviceName;
  const defaultOperation =
    options.defaultOperation !== undefined
      ? nonEmptyString('defaultOperation', options.defaultOperation)
      : env.LLM_COST_DEFAULT_OPERATION || undefined;

  const dimensionsRaw =
    options.dimensions ??
    (env.LLM_COST_DIMENSIONS
      ? env.LLM_COST_DIMENSIONS.split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : []);
  if (!Array.isArray(dimensionsRaw)) fail('dimensions', 'must be an array of label names', dimensionsRaw);
  const dimensions = dimensionsRaw.map((d, i) => {
    if (typeof d !== 'string' || !LABEL_NAME.test(d) || d.startsWith('__')) {
      fail(`dimensions[${i}]`, 'must be a Prometheus label name like "team"', d);
    }
    if (RESERVED_DIMENSIONS.has(d) || d.startsWith('gen_ai_') || d.startsWith('llm_')) {
      fail(`dimensions[${i}]`, 'is reserved (built-in label); pick another name', d);
    }
    return d;
  });
  if (new Set(dimensions).size !== dimensions.length)
    fail('dimensions', 'must not repeat a name', dimensions);

  const maxSeries = integerIn(
    'maxSeries',
    options.maxSeries ?? env.LLM_COST_MAX_SERIES ?? 2000,
    10,
    1_000_000,
  );

  const maxPlausibleTokens = integerIn(
    options.maxPlausibleTokens !== undefined ? 'maxPlausibleTokens' : 'env LLM_COST_MAX_PLAUSIBLE_TOKENS',
    options.maxPlausibleTokens ?? env.LLM_COST_MAX_PLAUSIBLE_TOKENS ?? 10_000_000,
    1_000,
    Number.MAX_SAFE_INTEGER,
  );

  const promOpts = options.prometheus === false ? { server: false } : (options.prometheus ?? {});
  if (typeof promOpts !== 'object' || promOpts === null)
    fail('prometheus', 'must be an object or false', promOpts);
  const clusterOptions = resolveCluster(options.cluster, env);
  const envServer = env.LLM_COST_PROMETHEUS_SERVER?.trim().toLowerCase();
  const serverFlag =
    promOpts.server ??
    (envServer === 'auto' ? 'auto' : envFlag('LLM_COST_PROMETHEUS_SERVER', env)) ??
    // A cluster worker leaves /metrics to the primary (workers would share one listening port);
    // with a prom-client registry the app's own /metrics already carries ours.
    (clusterOptions.worker || options.promClientRegistry !== undefined ? false : 'auto');
  if (typeof serverFlag !== 'boolean' && serverFlag !== 'auto') {
    fail('prometheus.server', 'must be true, false or "auto"', serverFlag);
  }
  const host =
    promOpts.host !== undefined
      ? nonEmptyString('prometheus.host', promOpts.host)
      : env.LLM_COST_METRICS_HOST || '127.0.0.1';
  const port = integerIn(
    promOpts.port !== undefined ? 'prometheus.port' : 'env LLM_COST_METRICS_PORT',
    promOpts.port ?? (env.LLM_COST_METRICS_PORT || DEFAULT_METRICS_PORT),
    0,
    65535,
  );
  const endpoint = promOpts.endpoint ?? '/metrics';
  if (typeof endpoint !== 'string' || !endpoint.startsWith('/')) {
    fail('prometheus.endpoint', 'must be a path starting with "/"', endpoint);
  }

  const auth = resolveAuth(promOpts.auth, env);
  const serving = resolveServing(promOpts, env);

  const registry = options.promClientRegistry;
  if (
    registry !== undefined &&
    (typeof registry !== 'object' || registry === null || typeof registry.registerMetric !== 'function')
  ) {
    fail('promClientRegistry', 'must be a prom-client Registry', registry);
  }

  const meterProvider = options.meterProvider;
  if (
    meterProvider !== undefined &&
    meterProvider !== false &&
    (typeof meterProvider !== 'object' ||
      meterProvider === null ||
      typeof (meterProvider as { getMeter?: unknown }).getMeter !== 'function')
  ) {
    fail('meterProvider', 'must be an OpenTelemetry MeterProvider or false', meterProvider);
  }

  let otlp: ResolvedOptions['otlp'];
  const otlpOpt = options.otlp ?? envFlag('LLM_COST_OTLP', env) ?? false;
  if (otlpOpt !== false) {
    const o: OtlpOptions = otlpOpt === true ? {} : otlpOpt;
    if (typeof o !== 'object' || o === null) fail('otlp', 'must be an object or a boolean', otlpOpt);
    const url = o.url ?? env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT ?? 'http://localhost:4318/v1/metrics';
    try {
      new URL(url);
    } catch {
      fail('otlp.url', 'must be a URL', url);
    }
    otlp = {
      url,
      headers: o.headers ?? {},
      intervalMs: integerIn(
        'otlp.intervalMs',
        o.intervalMs ?? env.OTEL_METRIC_EXPORT_INTERVAL ?? 60_000,
        100,
        86_400_000,
      ),
    };
  }

  const prices = options.prices ?? {};
  if (typeof prices !== 'object' || prices === null) fail('prices', 'must be an object', prices);
  if (prices.overrides !== undefined && !Array.isArray(prices.overrides)) {
    fail('prices.overrides', 'must be an array', prices.overrides);
  }
  const pricesFile = prices.file ?? (env.LLM_COST_PRICES_FILE || undefined);

  const budgets = resolveBudgets(options.budgets ?? (env.LLM_COST_BUDGETS || undefined), dimensions);
  const budgetGuard = options.budgetGuard ?? envFlag('LLM_COST_BUDGET_GUARD', env) ?? false;
  if (typeof budgetGuard !== 'boolean') fail('budgetGuard', 'must be a boolean', budgetGuard);
  if (options.onBudgetEvent !== undefined && typeof options.onBudgetEvent !== 'function') {
    fail('onBudgetEvent', 'must be a function', options.onBudgetEvent);
  }

  const instrumentations = resolveInstrumentations(options.instrumentations, env);
  const injectStreamUsage =
    options.injectStreamUsage ?? envFlag('LLM_COST_OPENAI_INJECT_STREAM_USAGE', env) ?? true;
  if (typeof injectStreamUsage !== 'boolean')
    fail('injectStreamUsage', 'must be a boolean', injectStreamUsage);
  const openaiStreamUsageHosts = hostList(
    options.openaiStreamUsageHosts !== undefined
      ? 'openaiStreamUsageHosts'
      : 'env LLM_COST_OPENAI_STREAM_USAGE_HOSTS',
    options.openaiStreamUsageHosts ?? env.LLM_COST_OPENAI_STREAM_USAGE_HOSTS?.split(',') ?? [],
  );

  const genAiEnv = env.LLM_COST_GENAI_CLIENT_METRICS?.trim().toLowerCase();
  const genAiClientMetrics =
    options.genAiClientMetrics ??
    (genAiEnv === 'auto' ? 'auto' : envFlag('LLM_COST_GENAI_CLIENT_METRICS', env)) ??
    'auto';
  if (typeof genAiClientMetrics !== 'boolean' && genAiClientMetrics !== 'auto') {
    fail('genAiClientMetrics', 'must be true, false or "auto"', genAiClientMetrics);
  }

  return {
    serviceName,
    defaultAgent,
    defaultOperation,
    dimensions,
    maxSeries,
    maxPlausibleTokens,
    prometheus: { server: serverFlag, host, port, endpoint, ...(auth ? { auth } : {}) },
    meterProvider,
    metricsServing: serving,
    cluster: clusterOptions,
    promClientRegistry: registry,
    otlp,
    tracerProvider: options.tracerProvider,
    priceOverrides: prices.overrides ?? [],
    pricesFile,
    budgets,
    budgetGuard,
    onBudgetEvent: options.onBudgetEvent,
    unpricedModels: resolveUnpricedModels(options.unpricedModels, env),
    budgetStore: resolveBudgetStore(options.budgetStore, env),
    instrumentations,
    injectStreamUsage,
    genAiClientMetrics,
    pricing: resolvePricing(prices, options.strictPricing, env),
    openaiStreamUsageHosts,
    runs: resolveRuns(options.runs, env),
  };
}

function hostList(field: string, value: unknown): string[] {
  if (!Array.isArray(value)) fail(field, 'must be a list of host names', value);
  return value
    .map((entry, i) => {
      if (typeof entry !== 'string' || /[\s/]/.test(entry.trim())) {
        fail(
          `${field}[${i}]`,
          'must be a host name like "llm.internal", "llm.internal:8000" or "*.example.com"',
          entry,
        );
      }
      return entry.trim();
    })
    .filter((entry) => entry !== '');
}

/** The /metrics protections: page size limit, connection cap, idle-socket timeout. */
function resolveServing(o: PrometheusOptions, env: NodeJS.ProcessEnv) {
  const int = (key: keyof PrometheusOptions, envName: string, fallback: number, min: number, max: number) =>
    integerIn(
      o[key] !== undefined ? `prometheus.${key}` : `env ${envName}`,
      o[key] ?? (env[envName] || fallback),
      min,
      max,
    );
  return {
    maxPageBytes: int('maxPageBytes', 'LLM_COST_METRICS_MAX_PAGE_BYTES', 64 * 1024 * 1024, 1024, 2 ** 31 - 1),
    maxConnections: int('maxConnections', 'LLM_COST_METRICS_MAX_CONNECTIONS', 32, 1, 10_000),
    socketTimeoutMs: int('socketTimeoutMs', 'LLM_COST_METRICS_SOCKET_TIMEOUT_MS', 10_000, 100, 600_000),
  };
}

function resolveAuth(
  value: PrometheusOptions['auth'] | undefined,
  env: NodeJS.ProcessEnv,
): MetricsAuth | undefined {
  if (value === undefined) {
    const token = env.LLM_COST_METRICS_BEARER_TOKEN;
    return token ? { bearerToken: token } : undefined;
  }
  // Secrets are never echoed into messages: only their type is shown.
  if (value === null || typeof value !== 'object') fail('prometheus.auth', 'must be an object', typeof value);
  const { bearerToken, basic } = value;
  if ((bearerToken === undefined) === (basic === undefined)) {
    throw new ConfigError('llm-cost-otel: prometheus.auth must set exactly one of bearerToken or basic');
  }
  if (bearerToken !== undefined) {
    if (typeof bearerToken !== 'string' || bearerToken === '' || /\s/.test(bearerToken)) {
      throw new ConfigError(
        'llm-cost-otel: prometheus.auth.bearerToken must be a non-empty string without whitespace',
      );
    }
    return { bearerToken };
  }
  if (
    basic === null ||
    typeof basic !== 'object' ||
    typeof basic.username !== 'string' ||
    basic.username === '' ||
    basic.username.includes(':') ||
    typeof basic.password !== 'string' ||
    basic.password === ''
  ) {
    throw new ConfigError(
      'llm-cost-otel: prometheus.auth.basic must be { username, password }: non-empty strings, no ":" in the username',
    );
  }
  return { basic: { username: basic.username, password: basic.password } };
}

function resolveCluster(
  value: ClusterOptions | undefined,
  env: NodeJS.ProcessEnv,
): ResolvedOptions['cluster'] {
  const o = value ?? {};
  if (o === null || typeof o !== 'object') fail('cluster', 'must be an object', o);
  const role = o.role ?? (env.LLM_COST_CLUSTER_ROLE || 'auto');
  if (role !== 'auto' && role !== 'worker' && role !== 'standalone') {
    fail(
      o.role !== undefined ? 'cluster.role' : 'env LLM_COST_CLUSTER_ROLE',
      'must be auto, worker or standalone',
      role,
    );
  }
  const worker = role === 'worker' || (role === 'auto' && cluster.isWorker && env.pm_id === undefined);
  const workerTimeoutMs = integerIn(
    o.workerTimeoutMs !== undefined ? 'cluster.workerTimeoutMs' : 'env LLM_COST_CLUSTER_WORKER_TIMEOUT_MS',
    o.workerTimeoutMs ?? (env.LLM_COST_CLUSTER_WORKER_TIMEOUT_MS || 1000),
    10,
    60_000,
  );
  const pushIntervalMs = integerIn(
    o.pushIntervalMs !== undefined ? 'cluster.pushIntervalMs' : 'env LLM_COST_CLUSTER_PUSH_INTERVAL_MS',
    o.pushIntervalMs ?? (env.LLM_COST_CLUSTER_PUSH_INTERVAL_MS || 5000),
    0,
    3_600_000,
  );
  return { worker, workerTimeoutMs, pushIntervalMs };
}

function resolveInstrumentations(
  value: InstrumentationName[] | boolean | undefined,
  env: NodeJS.ProcessEnv,
): InstrumentationName[] {
  let list: unknown = value;
  let field = 'instrumentations';
  if (value === undefined && env.LLM_COST_INSTRUMENTATIONS) {
    field = 'env LLM_COST_INSTRUMENTATIONS';
    const text = env.LLM_COST_INSTRUMENTATIONS.trim();
    list = /^(all|true)$/i.test(text)
      ? true
      : /^(none|false)$/i.test(text)
        ? false
        : text.split(',').map((s) => s.trim());
  }
  if (list === undefined || list === false) return [];
  if (list === true) return [...INSTRUMENTATION_NAMES];
  if (!Array.isArray(list)) fail(field, 'must be a list of SDK names or a boolean', list);
  if (field.startsWith('env ')) {
    // From the environment (often the zero-code entry): a typo must not stop the others, but it
    // is said where a person sees it.
    const known = list.filter((name) => (INSTRUMENTATION_NAMES as readonly string[]).includes(name));
    const unknown = list.filter((name) => name !== '' && !known.includes(name));
    if (unknown.length > 0) {
      notice(
        `unknown-instrumentation:${unknown.join(',')}`,
        `${field} names ${unknown.map((n) => JSON.stringify(n)).join(', ')}, which is not an SDK llm-cost-otel instruments (${INSTRUMENTATION_NAMES.join(', ')}, or all/none); ${known.length > 0 ? `instrumenting ${known.join(', ')} only` : 'no SDK is instrumented'}.`,
      );
    }
    return known as InstrumentationName[];
  }
  return list.map((name, i) => {
    if (!(INSTRUMENTATION_NAMES as readonly string[]).includes(name)) {
      fail(`${field}[${i}]`, `must be one of ${INSTRUMENTATION_NAMES.join(', ')}`, name);
    }
    return name as InstrumentationName;
  });
}

const MATCH_KEYS = ['provider', 'model', 'agent', 'operation'];

/** Budgets from code, a JSON/YAML file path, or JSON text (env). */
export function resolveBudgets(
  source: BudgetConfig[] | string | undefined,
  dimensions: readonly string[],
): BudgetConfig[] {
  if (source === undefined) return [];
  let list: unknown = source;
  let where = 'budgets';
  if (typeof source === 'string') {
    const text = source.trim();
    if (text.startsWith('[') || text.startsWith('{')) {
      where = 'LLM_COST_BUDGETS';
      try {
        list = JSON.parse(text);
      } catch (error) {
        throw new ConfigError(`llm-cost-otel: ${where} is not valid JSON: ${(error as Error).message}`);
      }
    } else {
      where = text;
      let content: string;
      try {
        content = readFileSync(text, 'utf8');
      } catch (error) {
        throw new ConfigError(`llm-cost-otel: cannot read budgets file ${text}: ${(error as Error).message}`);
      }
      try {
        list = parseYaml(content);
      } catch (error) {
        throw new ConfigError(
          `llm-cost-otel: budgets file ${text} is not valid JSON/YAML: ${(error as Error).message}`,
        );
      }
    }
    if (list !== null && typeof list === 'object' && !Array.isArray(list) && 'budgets' in list) {
      list = (list as { budgets: unknown }).budgets;
    }
  }
  if (!Array.isArray(list)) fail(where, 'must be a list of budgets', list);
  const names = new Set<string>();
  return list.map((raw, i) => {
    const at = `${where}[${i}]`;
    if (raw === null || typeof raw !== 'object') fail(at, 'must be an object', raw);
    const b = raw as Record<string, unknown>;
    rejectUnknownBudgetKeys(at, b);
    const name = b.name;
    if (typeof name !== 'string' || name.trim() === '')
      fail(`${at}.name`, 'must be a non-empty string', name);
    if (names.has(name)) fail(`${at}.name`, 'must be unique', name);
    names.add(name);
    const label = `${at} (${name})`;
    const limit = b.limitUsd;
    if (typeof limit !== 'number' || !Number.isFinite(limit) || limit <= 0) {
      fail(`${label}.limitUsd`, 'must be a positive number of USD', limit);
    }
    const window = b.window;
    if (typeof window !== 'string' || !(BUDGET_WINDOWS as readonly string[]).includes(window)) {
      fail(`${label}.window`, `must be one of ${BUDGET_WINDOWS.join(', ')}`, window);
    }
    let match: Record<string, string> | undefined;
    if (b.match !== undefined) {
      if (b.match === null || typeof b.match !== 'object' || Array.isArray(b.match)) {
        fail(`${label}.match`, 'must be an object', b.match);
      }
      match = {};
      for (const [key, value] of Object.entries(b.match as Record<string, unknown>)) {
        if (!MATCH_KEYS.includes(key) && !dimensions.includes(key)) {
          fail(
            `${label}.match`,
            `has unknown key "${key}" (use ${[...MATCH_KEYS, ...dimensions].join(', ')}; dimensions must be allow-listed in options.dimensions)`,
            b.match,
          );
        }
        if (typeof value !== 'string') fail(`${label}.match.${key}`, 'must be a string', value);
        match[key] = value;
      }
    }
    let thresholds = [0.8, 0.95, 1];
    if (b.thresholds !== undefined) {
      if (
        !Array.isArray(b.thresholds) ||
        b.thresholds.length === 0 ||
        b.thresholds.some((t) => typeof t !== 'number' || !Number.isFinite(t) || t <= 0 || t > 10)
      ) {
        fail(
          `${label}.thresholds`,
          'must be a non-empty list of fractions of the limit (0 < t ≤ 10)',
          b.thresholds,
        );
      }
      thresholds = [...(b.thresholds as number[])].sort((x, y) => x - y);
    }
    const milestone = b.milestoneUsd;
    if (
      milestone !== undefined &&
      (typeof milestone !== 'number' || !Number.isFinite(milestone) || milestone < 0)
    ) {
      fail(
        `${label}.milestoneUsd`,
        'must be a non-negative number of USD (0 turns milestone events off)',
        milestone,
      );
    }
    return {
      name,
      limitUsd: limit,
      window: window as BudgetWindow,
      match,
      thresholds,
      ...(milestone !== undefined ? { milestoneUsd: milestone } : {}),
    };
  });
}
