/**
 * A throwaway Prometheus + Alertmanager for `llm-cost demo`: the shipped rules and routing, a
 * rendered prometheus.yml that scrapes the demo, loopback ports the processes bind themselves, temp dirs — and all of it
 * gone again on `stop()` (or, as a backstop, when the process exits).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError } from '../cli/errors.js';
import {
  ALERTMANAGER_BIN,
  PROMETHEUS_BIN,
  type RunningProcess,
  StartError,
  startAlertmanager,
  startPrometheus,
  tempDir,
} from './processes.js';

export interface LocalStackOptions {
  /** `host:port` Prometheus scrapes (the demo's /metrics server). */
  target: string;
  /** Path of the metrics endpoint. Default `/metrics`. */
  metricsPath?: string;
  /** Scrape and rule evaluation interval, seconds. Default 5. */
  intervalSeconds?: number;
  /** Where `prometheus/` and `alertmanager/` live. Default: this package's root. */
  packageRoot?: string;
  prometheusBin?: string;
  alertmanagerBin?: string;
  /** How long each process may take to become ready, ms. Default 20 000. */
  readyTimeoutMs?: number;
}

export interface LocalStack {
  prometheusUrl: string;
  alertmanagerUrl: string;
  /** Rule files Prometheus loaded. */
  ruleFiles: string[];
  /** True when the shipped alertmanager.yml was used (else a built-in one that sends nowhere). */
  shippedAlertmanagerConfig: boolean;
  /** Temp dirs in use (removed by `stop()`). */
  dirs: string[];
  /** Stop both processes and remove the temp dirs. Idempotent. */
  stop(): Promise<void>;
}

export const DEFAULT_BINARIES = {
  prometheus: PROMETHEUS_BIN,
  alertmanager: ALERTMANAGER_BIN,
};

export function onPath(bin: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', bin], { stdio: 'ignore' }).status === 0;
}

/** True when both binaries can be started (what `demo` checks to start the stack on its own). */
export function localStackAvailable(bins = DEFAULT_BINARIES): boolean {
  return onPath(bins.prometheus) && onPath(bins.alertmanager);
}

/** The directory of this package's package.json (works from src/cli and from dist/cli). */
export function packageRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'llm-cost-otel')
          return dir;
      } catch {
        // not ours; keep looking
      }
    }
    dir = dirname(dir);
  }
  throw new CliError(`cannot find the llm-cost-otel package root above ${from}`);
}

/** prometheus.yml for the local stack: scrape `target`, load `ruleFiles`, alert to `alertmanager`. */
export function renderPrometheusConfig(options: {
  target: string;
  metricsPath: string;
  intervalSeconds: number;
  ruleFiles: string[];
  alertmanager: string;
}): string {
  const quote = (s: string) => JSON.stringify(s);
  return [
    '# Rendered by llm-cost demo for a local run; see prometheus/prometheus.yml for the shipped one.',
    'global:',
    `  scrape_interval: ${options.intervalSeconds}s`,
    `  evaluation_interval: ${options.intervalSeconds}s`,
    'rule_files:',
    ...options.ruleFiles.map((f) => `  - ${quote(f)}`),
    'alerting:',
    '  alertmanagers:',
    '    - static_configs:',
    `        - targets: [${quote(options.alertmanager)}]`,
    'scrape_configs:',
    '  - job_name: llm-cost-demo',
    `    metrics_path: ${quote(options.metricsPath)}`,
    '    static_configs:',
    `      - targets: [${quote(options.target)}]`,
    '',
  ].join('\n');
}

/** Routes every alert to a receiver with no integrations: alerts show in the UI, go nowhere. */
export const FALLBACK_ALERTMANAGER_CONFIG = `route:
  receiver: demo
  group_by: [alertname, llm_budget_name]
  group_wait: 10s
  group_interval: 1m
  repeat_interval: 1h
receivers:
  - name: demo
`;

/** The launcher's failures as the CLI's one-line errors (exit code 1). */
async function launch(start: () => Promise<RunningProcess>): Promise<RunningProcess> {
  try {
    return await start();
  } catch (error) {
    throw error instanceof StartError ? new CliError(error.message) : error;
  }
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const root = options.packageRoot ?? packageRoot();
  const readyTimeoutMs = options.readyTimeoutMs ?? 20_000;
  const rulesDir = join(root, 'prometheus', 'rules');
  const ruleFiles = existsSync(rulesDir)
    ? readdirSync(rulesDir)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
        .map((f) => join(rulesDir, f))
    : [];
  const started: RunningProcess[] = [];
  const dirs: string[] = [];
  const stopAll = () => Promise.all(started.splice(0).map((p) => p.stop())).then(() => undefined);

  try {
    const amBin = options.alertmanagerBin ?? DEFAULT_BINARIES.alertmanager;
    const shippedAm = join(root, 'alertmanager', 'alertmanager.yml');
    const alertmanagerWith = (config: string) =>
      launch(() =>
        startAlertmanager({ config, bin: amBin, dir: tempDir('demo-alertmanager'), readyTimeoutMs }),
      );
    let shippedAlertmanagerConfig = false;
    let alertmanager: RunningProcess | undefined;
    if (existsSync(shippedAm)) {
      try {
        alertmanager = await alertmanagerWith(readFileSync(shippedAm, 'utf8'));
        shippedAlertmanagerConfig = true;
      } catch (error) {
        // A shipped config that needs its deployment (secrets, hosts) must not stop the demo.
        if (!(error instanceof CliError) || /cannot start/.test(error.message)) throw error;
      }
    }
    alertmanager ??= await alertmanagerWith(FALLBACK_ALERTMANAGER_CONFIG);
    started.push(alertmanager);
    dirs.push(alertmanager.dir);

    const prometheus = await launch(() =>
      startPrometheus({
        bin: options.prometheusBin ?? DEFAULT_BINARIES.prometheus,
        dir: tempDir('demo-prometheus'),
        config: renderPrometheusConfig({
          target: options.target,
          metricsPath: options.metricsPath ?? '/metrics',
          intervalSeconds: options.intervalSeconds ?? 5,
          ruleFiles,
          alertmanager: new URL(alertmanager.url).host,
        }),
        // As in docker-compose.yml: a 30d budget needs 30 days of samples.
        extraArgs: ['--storage.tsdb.retention.time=35d'],
        readyTimeoutMs,
      }),
    );
    started.push(prometheus);
    dirs.push(prometheus.dir);
    let stopping: Promise<void> | undefined;
    return {
      prometheusUrl: prometheus.url,
      alertmanagerUrl: alertmanager.url,
      ruleFiles,
      shippedAlertmanagerConfig,
      dirs,
      stop: () => {
        stopping ??= stopAll();
        return stopping;
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
