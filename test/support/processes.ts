/**
 * Real Prometheus and Alertmanager processes for integration tests, through the launcher the CLI's
 * demo uses (src/demo/processes.ts): loopback, the port each process bound itself (port 0, read
 * back from its log), temp dirs, always stopped (tests call `stop()` in afterAll; a process exit
 * hook is the backstop).
 */
import {
  startPrometheus as launchPrometheus,
  type PrometheusOptions,
  type RunningProcess,
} from '../../src/demo/processes.js';

export {
  ALERTMANAGER_BIN,
  type AlertmanagerOptions,
  PROMETHEUS_BIN,
  type PrometheusOptions,
  type RunningProcess,
  startAlertmanager,
  tempDir,
} from '../../src/demo/processes.js';

/** Tests reload their config with POST /-/reload. */
export function startPrometheus(options: PrometheusOptions): Promise<RunningProcess> {
  return launchPrometheus({
    ...options,
    extraArgs: ['--web.enable-lifecycle', ...(options.extraArgs ?? [])],
  });
}

/** prometheus.yml scraping `targets` (host:port) as one job every `intervalSeconds`. */
export function scrapeConfig(job: string, targets: readonly string[], intervalSeconds = 1): string {
  return [
    `global: { scrape_interval: ${intervalSeconds}s, evaluation_interval: ${intervalSeconds}s }`,
    'scrape_configs:',
    `  - job_name: ${JSON.stringify(job)}`,
    `    static_configs: [{ targets: ${JSON.stringify(targets)} }]`,
    '',
  ].join('\n');
}

/** Instant query through the Prometheus HTTP API; throws with Prometheus's error text. */
export async function promQuery(
  baseUrl: string,
  expr: string,
  time?: number,
): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const params = new URLSearchParams({ query: expr });
  if (time !== undefined) params.set('time', String(time));
  const res = await fetch(`${baseUrl}/api/v1/query?${params}`);
  const body = (await res.json()) as {
    status: string;
    error?: string;
    data?: { resultType: string; result: unknown };
  };
  if (body.status !== 'success') throw new Error(`query failed: ${expr}: ${body.error}`);
  const result = body.data?.result;
  if (body.data?.resultType === 'scalar') {
    return [{ metric: {}, value: result as [number, string] }];
  }
  return result as Array<{ metric: Record<string, string>; value: [number, string] }>;
}

/** Poll until `check` returns a value (not undefined) or the timeout passes. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  { timeoutMs = 30_000, intervalMs = 250, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}

/**
 * Timestamp (seconds) of the newest scrape of `metric` later than `since`: evaluating a query at a
 * scrape's own timestamp keeps increase() from extrapolating past the last sample.
 */
export async function scrapedAfter(prometheusUrl: string, metric: string, since: number): Promise<number> {
  return eventually(
    async () => {
      const r = await promQuery(prometheusUrl, `max(timestamp(${metric}))`);
      const t = Number(r[0]?.value[1]);
      return t > since ? t : undefined;
    },
    { timeoutMs: 30_000, what: `a scrape of ${metric} after ${since}` },
  );
}
