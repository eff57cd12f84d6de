/**
 * Run `llm-cost`: in this process through `main()` with collected output (`runMain`, what most CLI
 * tests need), or as a subprocess the way a user does, `node --import tsx src/cli/bin.ts …`
 * (`runCli`/`startCli`: exit codes, signals, a terminal).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { main } from '../../src/cli/main.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const MAIN = resolve(ROOT, 'src/cli/bin.ts');
export const NODE_ARGS = ['--import', 'tsx', MAIN];

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * `llm-cost args…` in-process: stdout and stderr collected (not TTYs, as through a pipe), `env`
 * over this process's environment.
 */
export async function runMain(
  args: string[],
  { env = {} }: { env?: Record<string, string> } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { ...process.env, ...env },
  });
  return { code, signal: null, stdout, stderr };
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Run to completion (killed after `timeoutMs`). stdout is a pipe: not a TTY. */
export async function runCli(
  args: string[],
  { timeoutMs = 60_000, env = {} }: { timeoutMs?: number; env?: Record<string, string> } = {},
): Promise<CliResult> {
  const cli = startCli(args, env);
  const timer = setTimeout(() => cli.kill(), timeoutMs);
  const { code, signal } = await cli.exited;
  clearTimeout(timer);
  return { code, signal, stdout: cli.stdout(), stderr: cli.stderr() };
}

export interface RunningCli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in stdout (rejects after `timeoutMs` or on exit). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves when the process exits. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(): void;
}

/** Start a long-running command (e.g. `demo`); always `kill()` it in afterAll. */
export function startCli(args: string[], env: Record<string, string> = {}): RunningCli {
  const child = spawn(process.execPath, [...NODE_ARGS, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.once('close', (code, signal) => {
      live.delete(child);
      r({ code, signal });
    }),
  );
  let done = false;
  void exited.then(() => (done = true));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    kill: () => {
      if (!done) child.kill('SIGKILL');
    },
    waitFor(pattern, timeoutMs = 30_000) {
      // Checked on each chunk of output and on exit: no polling.
      return new Promise<RegExpMatchArray>((resolvePromise, reject) => {
        const settle = (fail?: string) => {
          clearTimeout(timer);
          child.stdout!.off('data', check);
          child.off('close', onClose);
          const match = out.match(pattern);
          if (match) resolvePromise(match);
          else if (fail) reject(new Error(`${fail}:\n${out}\n${err}`));
        };
        const check = () => {
          if (out.match(pattern)) settle();
        };
        const onClose = () => settle(`process exited before printing ${pattern}`);
        const timer = setTimeout(() => settle(`no ${pattern} within ${timeoutMs} ms`), timeoutMs);
        child.stdout!.on('data', check);
        child.once('close', onClose);
        if (done) onClose();
        else check();
      });
    },
  };
}

/**
 * A loopback port nothing listens on: nothing can bind port 0 (asking for it means "any port"), so
 * a connection to it is refused at once — unlike a port closed and hoped to stay free.
 */
export function closedPort(): number {
  return 0;
}
