/** Processes the fault tests kill and restart with their state kept (the shared helpers delete it on stop). */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PROMETHEUS_BIN, promQuery } from '../support/processes.js';

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Kill with `signal` and wait for the exit. */
export async function kill(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
  live.delete(child);
}

/** Prometheus on a fixed dir and port, so a restart replays the same TSDB. Resolves once ready. */
export async function runPrometheus(dir: string, port: number, config: string): Promise<ChildProcess> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'prometheus.yml'), config);
  const child = spawn(
    PROMETHEUS_BIN,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: 'ignore' },
  );
  live.add(child);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/-/ready`)).ok) return child;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await kill(child);
  throw new Error('prometheus not ready in 30 s');
}

/** A child Node app speaking the READY / OK line protocol on stdout. */
export interface LineApp {
  child: ChildProcess;
  ready: string;
  send(command: string): Promise<void>;
}

export async function runLineApp(script: string, env: Record<string, string>): Promise<LineApp> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  live.add(child);
  const waiting: Array<{ prefix: string; resolve: (l: string) => void }> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const i = waiting.findIndex((w) => line.startsWith(w.prefix));
    if (i >= 0) waiting.splice(i, 1)[0]!.resolve(line);
  });
  const next = (prefix: string) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "${prefix}" from ${script}`)), 60_000);
      waiting.push({
        prefix,
        resolve: (l) => {
          clearTimeout(timer);
          resolve(l);
        },
      });
    });
  const ready = await next('READY ');
  return {
    child,
    ready: ready.slice('READY '.length),
    async send(command) {
      const ok = next(`OK ${command}`);
      child.stdin!.write(`${command}\n`);
      await ok;
    },
  };
}

/** One number from an instant query (undefined when the result is empty). */
export async function scalar(url: string, expr: string, time?: number): Promise<number | undefined> {
  const r = await promQuery(url, expr, time);
  return r[0] === undefined ? undefined : Number(r[0].value[1]);
}

export function relativeError(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), Number.MIN_VALUE);
}
