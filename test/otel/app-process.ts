/**
 * Runs one of the apps in test/otel/apps as its own Node process, the way a user runs theirs.
 * Protocol: the app does its work, prints one JSON line on stdout (its ports, results), and stays
 * up (for scrapes and exports) until the test closes its stdin; then it shuts down and exits.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { ROOT } from './dist.js';

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export const appPath = (name: string) => fileURLToPath(new URL(`apps/${name}`, import.meta.url));

export interface AppOptions {
  /** Node flags before the script, e.g. `['--import', 'llm-cost-otel/register']`. */
  nodeArgs?: string[];
  env?: Record<string, string>;
  /** Working directory (default the repository root, so `llm-cost-otel` self-resolves). */
  cwd?: string;
  /** Node binary (default the one running the tests). */
  node?: string;
  readyTimeoutMs?: number;
}

export interface RunningApp<T> {
  /** The JSON line the app printed when ready. */
  result: T;
  stderr(): string;
  /** Close stdin, wait for the exit code (SIGKILL after 10 s). */
  stop(): Promise<number | null>;
}

/** Env for every app: no OTel traces/logs exporters, no diag logger, nothing inherited that steers us. */
export function appEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || key.startsWith('LLM_COST_') || key.startsWith('OTEL_')) continue;
    if (key === 'NODE_OPTIONS' || key.startsWith('VITEST') || key === 'NODE_ENV') continue;
    env[key] = value;
  }
  return {
    ...env,
    OTEL_TRACES_EXPORTER: 'none',
    OTEL_LOGS_EXPORTER: 'none',
    ...extra,
  };
}

export async function startApp<T>(script: string, options: AppOptions = {}): Promise<RunningApp<T>> {
  const child = spawn(options.node ?? process.execPath, [...(options.nodeArgs ?? []), script], {
    cwd: options.cwd ?? ROOT,
    env: appEnv(options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  live.add(child);
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const result = await new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${script} printed no JSON line within the deadline; stderr:\n${stderr}`)),
      options.readyTimeoutMs ?? 30_000,
    );
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      if (line === undefined || !stdout.includes('\n', stdout.indexOf(line))) return;
      clearTimeout(timer);
      try {
        resolve(JSON.parse(line) as T);
      } catch (error) {
        reject(error);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before it was ready; stderr:\n${stderr}`));
    });
  }).catch((error: unknown) => {
    child.kill('SIGKILL');
    live.delete(child);
    throw error;
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    live.delete(child);
    return child.exitCode;
  };
  return { result, stderr: () => stderr, stop };
}

/** Lines our library wrote to stderr (`[llm-cost-otel] …`). */
export function ourLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('[llm-cost-otel]'));
}

/** Resolves `'refused'` when nothing listens on host:port, `'open'` when something does. */
export function probePort(host: string, port: number): Promise<'open' | 'refused'> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('open');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') resolve('refused');
      else reject(error);
    });
  });
}
