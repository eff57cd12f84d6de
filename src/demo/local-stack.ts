/**
 * A throwaway Prometheus + Alertmanager for `llm-cost demo`: the shipped rules and routing, a
 * rendered prometheus.yml that scrapes the demo, free loopback ports, temp dirs — and all of it
 * gone again on `stop()` (or, as a backstop, when the process exits).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError } from '../cli/errors.js';

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
  prometheus: process.env.PROMETHEUS_BIN ?? 'prometheus',
  alertmanager: process.env.ALERTMANAGER_BIN ?? 'prometheus-alertmanager',
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

const children = new Set<ChildProcess>();
const dirs = new Set<string>();
let exitHookInstalled = false;
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of children) child.kill('SIGKILL');
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

interface Running {
  child: ChildProcess;
  url: string;
  log(): string;
  stop(): Promise<void>;
}

async function startProcess(
  name: string,
  bin: string,
  args: (port: number) => string[],
  dir: string,
  readyTimeoutMs: number,
): Promise<Running> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(bin, args(port), { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let log = '';
  const append = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-50_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && !spawnError) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    children.delete(child);
  };
  const lastLine = () =>
    log
      .trim()
      .split('\n')
      .filter((l) => /err|fail|invalid/i.test(l))
      .at(-1) ??
    log.trim().split('\n').at(-1) ??
    '';
  const deadline = Date.now() + readyTimeoutMs;
  while (true) {
    if (spawnError) {
      await stop();
      throw new CliError(`cannot start ${name} (${bin}): ${spawnError.message}`);
    }
    if (child.exitCode !== null) {
      await stop();
      throw new CliError(`${name} exited with code ${child.exitCode}: ${lastLine()}`);
    }
    try {
      const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new CliError(`${name} was not ready at ${url} within ${readyTimeoutMs} ms: ${lastLine()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, url, log: () => log, stop };
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

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  installExitHook();
  const root = options.packageRoot ?? packageRoot();
  const readyTimeoutMs = options.readyTimeoutMs ?? 20_000;
  const rulesDir = join(root, 'prometheus', 'rules');
  const ruleFiles = existsSync(rulesDir)
    ? readdirSync(rulesDir)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
        .map((f) => join(rulesDir, f))
    : [];
  const made: string[] = [];
  const temp = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), `llm-cost-demo-${prefix}-`));
    dirs.add(dir);
    made.push(dir);
    return dir;
  };
  const removeDirs = () => {
    for (const dir of made) {
      rmSync(dir, { recursive: true, force: true });
      dirs.delete(dir);
    }
  };
  const started: Running[] = [];
  const stopAll = async () => {
    await Promise.all(started.splice(0).map((p) => p.stop()));
    removeDirs();
  };

  try {
    const amDir = temp('alertmanager');
    const amBin = options.alertmanagerBin ?? DEFAULT_BINARIES.alertmanager;
    const shippedAm = join(root, 'alertmanager', 'alertmanager.yml');
    const amArgs = (port: number) => [
      `--config.file=${join(amDir, 'alertmanager.yml')}`,
      `--storage.path=${join(amDir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
    ];
    let shippedAlertmanagerConfig = false;
    let alertmanager: Running | undefined;
    if (existsSync(shippedAm)) {
      writeFileSync(join(amDir, 'alertmanager.yml'), readFileSync(shippedAm));
      try {
        alertmanager = await startProcess('Alertmanager', amBin, amArgs, amDir, readyTimeoutMs);
        shippedAlertmanagerConfig = true;
      } catch (error) {
        // A shipped config that needs its deployment (secrets, hosts) must not stop the demo.
        if (!(error instanceof CliError) || /cannot start/.test(error.message)) throw error;
      }
    }
    if (!alertmanager) {
      writeFileSync(join(amDir, 'alertmanager.yml'), FALLBACK_ALERTMANAGER_CONFIG);
      alertmanager = await startProcess('Alertmanager', amBin, amArgs, amDir, readyTimeoutMs);
    }
    started.push(alertmanager);

    const promDir = temp('prometheus');
    writeFileSync(
      join(promDir, 'prometheus.yml'),
      renderPrometheusConfig({
        target: options.target,
        metricsPath: options.metricsPath ?? '/metrics',
        intervalSeconds: options.intervalSeconds ?? 5,
        ruleFiles,
        alertmanager: new URL(alertmanager.url).host,
      }),
    );
    const prometheus = await startProcess(
      'Prometheus',
      options.prometheusBin ?? DEFAULT_BINARIES.prometheus,
      (port) => [
        `--config.file=${join(promDir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(promDir, 'data')}`,
        // As in docker-compose.yml: a 30d budget needs 30 days of samples.
        '--storage.tsdb.retention.time=35d',
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      promDir,
      readyTimeoutMs,
    );
    started.push(prometheus);
    let stopping: Promise<void> | undefined;
    return {
      prometheusUrl: prometheus.url,
      alertmanagerUrl: alertmanager.url,
      ruleFiles,
      shippedAlertmanagerConfig,
      dirs: [...made],
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
