/**
 * Resolution of how metrics leave the process: the embedded Prometheus server (and its
 * protections), a prom-client registry, an app MeterProvider, OTLP push, and the cluster role
 * (a cluster worker hands its metrics to the primary).
 */
import cluster from 'node:cluster';
import type { MeterProvider } from '@opentelemetry/api';
import type { MetricsAuth } from '../export/auth.js';
import { ConfigError } from './errors.js';
import { envFlag, fail, integerIn } from './option-checks.js';
import {
  type ClusterOptions,
  DEFAULT_METRICS_PORT,
  type OtlpOptions,
  type PromClientRegistryLike,
  type PrometheusOptions,
  type RegisterOptions,
} from './options.js';
import { nonEmptyString } from './text-checks.js';

/** The export part of `ResolvedOptions`. */
export interface ResolvedExport {
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
}

export function resolveExport(options: RegisterOptions, env: NodeJS.ProcessEnv): ResolvedExport {
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

  return {
    prometheus: { server: serverFlag, host, port, endpoint, ...(auth ? { auth } : {}) },
    meterProvider,
    metricsServing: serving,
    cluster: clusterOptions,
    promClientRegistry: registry,
    otlp: resolveOtlp(options.otlp, env),
  };
}

function resolveOtlp(value: RegisterOptions['otlp'], env: NodeJS.ProcessEnv): ResolvedExport['otlp'] {
  const otlpOpt = value ?? envFlag('LLM_COST_OTLP', env) ?? false;
  if (otlpOpt === false) return undefined;
  const o: OtlpOptions = otlpOpt === true ? {} : otlpOpt;
  if (typeof o !== 'object' || o === null) fail('otlp', 'must be an object or a boolean', otlpOpt);
  const url = o.url ?? env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT ?? 'http://localhost:4318/v1/metrics';
  try {
    new URL(url);
  } catch {
    fail('otlp.url', 'must be a URL', url);
  }
  return {
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
): ResolvedExport['cluster'] {
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
