/**
 * The one launcher for Prometheus and Alertmanager, used by `llm-cost demo` (local-stack.ts) and by
 * the tests (test/support/processes.ts): loopback only, the port the process itself bound (never a
 * port picked by closing it and hoping), temp dirs, and always stopped (`stop()`, with a process
 * exit hook as the backstop).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? 'prometheus';
export const ALERTMANAGER_BIN = process.env.ALERTMANAGER_BIN ?? 'prometheus-alertmanager';

const live = new Set<ChildProcess>();
const ownedDirs = new Set<string>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of live) child.kill('SIGKILL');
    for (const dir of ownedDirs) rmSync(dir, { recursive: true, force: true });
  });
}

/** A fresh temp dir (a server started in it removes it on stop unless `keepDir`). */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `llm-cost-${prefix}-`));
}

/** Why a server did not come up: it could not be spawned, it exited, or it was not ready in time. */
export class StartError extends Error {
  constructor(
    readonly reason: 'spawn' | 'exit' | 'timeout',
    message: string,
    readonly log: string,
  ) {
    super(message);
    this.name = 'StartError';
  }
}

export interface RunningProcess {
  url: string;
  port: number;
  dir: string;
  child: ChildProcess;
  /** Stop the process (SIGTERM, SIGKILL after 5 s) and remove `dir` unless kept. Idempotent. */
  stop(): Promise<void>;
  /** Everything the process wrote to stderr/stdout so far (for failure messages). */
  output(): string;
}

export interface ServerSpec {
  /** For messages: "Prometheus", "Alertmanager". */
  name: string;
  bin: string;
  /** Arguments besides `--web.listen-address`. */
  args: string[];
  dir: string;
  /** 0 (default): the kernel picks; a number: restart on an address this caller owned before. */
  port?: number;
  readyTimeoutMs?: number;
  /** Leave `dir` on stop (a restart replays its data). */
  keepDir?: boolean;
}

/**
 * Prometheus 2.x and Alertmanager 0.2x (exporter-toolkit) log `msg="Listening on"
 * address=127.0.0.1:PORT` once their socket is bound, with the real port when asked for port 0.
 */
const LISTENING = /msg="?Listening on"? address=(?:\[[^\]]*\]|[^\s:]+):(\d+)/;

/** The last line that looks like an error (or the last line): the reason a start failed. */
function lastErrorLine(log: string): string {
  const lines = log.trim().split('\n');
  return lines.filter((l) => /err|fail|invalid/i.test(l)).at(-1) ?? lines.at(-1) ?? '';
}

/** Spawn a Go server on 127.0.0.1:`port` (default 0), learn its bound port from its log, await /-/ready. */
export async function startServer(spec: ServerSpec): Promise<RunningProcess> {
  installExitHook();
  if (!spec.keepDir) ownedDirs.add(spec.dir);
  const child = spawn(spec.bin, [...spec.args, `--web.listen-address=127.0.0.1:${spec.port ?? 0}`], {
    cwd: spec.dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let log = '';
  let port: number | undefined;
  let spawnError: Error | undefined;
  const append = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-200_000);
    port ??= Number(LISTENING.exec(log)?.[1]) || undefined;
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  child.once('error', (error) => {
    spawnError = error;
  });
  const exited = new Promise<void>((r) => child.once('close', () => r()));
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null && !spawnError) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      live.delete(child);
      if (!spec.keepDir) {
        rmSync(spec.dir, { recursive: true, force: true });
        ownedDirs.delete(spec.dir);
      }
    })();
    return stopping;
  };
  const fail = async (reason: StartError['reason'], message: string): Promise<never> => {
    await stop();
    throw new StartError(reason, message, log);
  };

  const timeoutMs = spec.readyTimeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  while (true) {
    if (spawnError) return fail('spawn', `cannot start ${spec.name} (${spec.bin}): ${spawnError.message}`);
    if (child.exitCode !== null || child.signalCode !== null) {
      const how = child.exitCode !== null ? `with code ${child.exitCode}` : `on ${child.signalCode}`;
      return fail('exit', `${spec.name} exited ${how}: ${lastErrorLine(log)}`);
    }
    if (port !== undefined) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/-/ready`, { signal: AbortSignal.timeout(1_000) });
        if (res.ok) break;
      } catch {
        // bound but not serving yet
      }
    }
    if (Date.now() > deadline) {
      return fail(
        'timeout',
        `${spec.name} was not ready${port ? ` on port ${port}` : ''} within ${timeoutMs} ms: ${lastErrorLine(log)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url: `http://127.0.0.1:${port}`, port, dir: spec.dir, child, stop, output: () => log };
}

/** What starting Prometheus and starting Alertmanager take alike. */
export interface ServerOptions {
  /** The config file's content (prometheus.yml / alertmanager.yml). */
  config: string;
  extraArgs?: string[];
  /** Where config and `data/` go (a restart replays it); default a fresh temp dir. */
  dir?: string;
  /** Leave `dir` on stop (to restart on the same data). */
  keepDir?: boolean;
  /** Restart on the port a previous run of this caller bound (its peers keep the address); default 0. */
  port?: number;
  bin?: string;
  readyTimeoutMs?: number;
}

/** Write `configName` into the dir, then start `bin --config.file=… <args> <extraArgs>`. */
function startConfigured(
  name: string,
  defaultBin: string,
  configName: string,
  options: ServerOptions,
  args: (dir: string) => string[],
  files: Record<string, string> = {},
): Promise<RunningProcess> {
  const dir = options.dir ?? tempDir(name.toLowerCase());
  for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, file), content);
  writeFileSync(join(dir, configName), options.config);
  return startServer({
    name,
    bin: options.bin ?? defaultBin,
    args: [`--config.file=${join(dir, configName)}`, ...args(dir), ...(options.extraArgs ?? [])],
    dir,
    port: options.port,
    keepDir: options.keepDir,
    readyTimeoutMs: options.readyTimeoutMs,
  });
}

export interface PrometheusOptions extends ServerOptions {
  /** Extra files to write into the dir before start (name → content), e.g. rule files. */
  files?: Record<string, string>;
}

/** prometheus.yml's `rule_files` paths may be absolute or relative to the dir. */
export function startPrometheus(options: PrometheusOptions): Promise<RunningProcess> {
  return startConfigured(
    'Prometheus',
    PROMETHEUS_BIN,
    'prometheus.yml',
    options,
    (dir) => [`--storage.tsdb.path=${join(dir, 'data')}`],
    options.files,
  );
}

export type AlertmanagerOptions = ServerOptions;

export function startAlertmanager(options: AlertmanagerOptions): Promise<RunningProcess> {
  return startConfigured('Alertmanager', ALERTMANAGER_BIN, 'alertmanager.yml', options, (dir) => [
    `--storage.path=${join(dir, 'data')}`,
    // No gossip: a cluster port would be one more fixed port, and a single node needs none.
    '--cluster.listen-address=',
  ]);
}
