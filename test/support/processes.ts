/**
 * Real Prometheus and Alertmanager processes for integration tests: loopback only, ephemeral
 * ports, temp dirs, and always stopped (tests call `stop()` in afterAll; a process exit hook is
 * the backstop).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? 'prometheus';
export const ALERTMANAGER_BIN = process.env.ALERTMANAGER_BIN ?? 'prometheus-alertmanager';

/** A free TCP port on 127.0.0.1 (bind to 0, read it, release it). */
export async function freePort(): Promise<number> {
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

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `llm-cost-${prefix}-`));
}

export interface RunningProcess {
  url: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
  /** Everything the process wrote to stderr/stdout so far (for failure messages). */
  output(): string;
}

async function waitForReady(url: string, child: ChildProcess, output: () => string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`process exited with ${child.exitCode}:\n${output()}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not ready at ${url} within ${timeoutMs} ms:\n${output()}`);
}

function startProcess(
  bin: string,
  args: string[],
  dir: string,
  readyUrl: string,
  port: number,
  baseUrl: string,
) {
  const child = spawn(bin, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let log = '';
  const append = (chunk: Buffer) => {
    log += chunk.toString();
    if (log.length > 200_000) log = log.slice(-100_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const output = () => log;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    live.delete(child);
    rmSync(dir, { recursive: true, force: true });
  };
  return { child, output, stop, ready: () => waitForReady(readyUrl, child, output), port, url: baseUrl, dir };
}

export interface PrometheusOptions {
  /** prometheus.yml content; `rule_files` paths may be absolute. */
  config: string;
  /** Extra files to write into the temp dir before start (name → content). */
  files?: Record<string, string>;
  extraArgs?: string[];
}

export async function startPrometheus(options: PrometheusOptions): Promise<RunningProcess> {
  const dir = tempDir('prometheus');
  for (const [name, content] of Object.entries(options.files ?? {})) writeFileSync(join(dir, name), content);
  writeFileSync(join(dir, 'prometheus.yml'), options.config);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const p = startProcess(
    PROMETHEUS_BIN,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-lifecycle',
      ...(options.extraArgs ?? []),
    ],
    dir,
    `${url}/-/ready`,
    port,
    url,
  );
  try {
    await p.ready();
  } catch (error) {
    await p.stop();
    throw error;
  }
  return { url, port, dir, stop: p.stop, output: p.output };
}

export interface AlertmanagerOptions {
  config: string;
  extraArgs?: string[];
  /** Listen on this port (to restart on the same address); default a free one. */
  port?: number;
}

export async function startAlertmanager(options: AlertmanagerOptions): Promise<RunningProcess> {
  const dir = tempDir('alertmanager');
  writeFileSync(join(dir, 'alertmanager.yml'), options.config);
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const p = startProcess(
    ALERTMANAGER_BIN,
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      ...(options.extraArgs ?? []),
    ],
    dir,
    `${url}/-/ready`,
    port,
    url,
  );
  try {
    await p.ready();
  } catch (error) {
    await p.stop();
    throw error;
  }
  return { url, port, dir, stop: p.stop, output: p.output };
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
