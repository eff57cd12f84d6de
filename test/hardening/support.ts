/** Processes the fault tests kill and restart with their state kept. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { promQuery, type RunningProcess, startPrometheus } from '../support/processes.js';

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

/**
 * Prometheus on a fixed dir kept on stop, so a restart replays the same TSDB (on a port of its
 * own each time: read `url` again after a restart). Resolves once ready.
 */
export function runPrometheus(dir: string, config: string): Promise<RunningProcess> {
  mkdirSync(dir, { recursive: true });
  return startPrometheus({ dir, keepDir: true, config });
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
