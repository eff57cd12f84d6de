/**
 * A real `redis-server` for the shared-store tests: no TCP port at all (`--port 0`), a unix socket
 * in a temp dir, always stopped. `restart()` brings it back on the same socket with the same data.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

export const REDIS_BIN = process.env.REDIS_SERVER_BIN ?? 'redis-server';

export interface RedisProcess {
  /** `unix://…/redis.sock`, for `budgetStore.redis.url`. */
  url: string;
  socket: string;
  /** A client of the test's own, to read what the store wrote. */
  client: Redis;
  kill(): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * `durable` (default): append-only file fsynced on every write, so a SIGKILL loses nothing (the
 * outage tests). `durable: false`: Redis's default persistence off, as a cache-like deployment
 * runs it (the benchmark).
 */
export async function startRedis({ durable = true } = {}): Promise<RedisProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'llm-cost-redis-'));
  const socket = join(dir, 'redis.sock');
  let child: ChildProcess | undefined;
  let output = '';

  const launch = async () => {
    child = spawn(
      REDIS_BIN,
      [
        '--port',
        '0',
        '--unixsocket',
        socket,
        '--unixsocketperm',
        '700',
        '--dir',
        dir,
        '--save',
        '',
        ...(durable ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    live.add(child);
    child.stdout?.on('data', (d) => {
      output += String(d);
    });
    child.stderr?.on('data', (d) => {
      output += String(d);
    });
    const started = child;
    try {
      await until(`redis-server on ${socket}`, () => {
        if (started.exitCode !== null) throw new Error(`redis-server exited ${started.exitCode}:\n${output}`);
        return existsSync(socket) && /ready to accept connections/i.test(output);
      });
    } catch (error) {
      // Never leave a half-started server behind.
      started.kill('SIGKILL');
      live.delete(started);
      throw error;
    }
  };

  const exit = (signal: NodeJS.Signals) =>
    new Promise<void>((resolve) => {
      const c = child;
      if (c === undefined || c.exitCode !== null || c.signalCode !== null) return resolve();
      c.once('exit', () => {
        live.delete(c);
        resolve();
      });
      c.kill(signal);
    });

  await launch();
  const client = new Redis({ path: socket, lazyConnect: false, maxRetriesPerRequest: 1 });
  client.on('error', () => {});
  return {
    url: `unix://${socket}`,
    socket,
    client,
    kill: () => exit('SIGKILL'),
    restart: async () => {
      await exit('SIGKILL');
      output = '';
      await launch();
      await until('the test client to reconnect', () => client.status === 'ready');
    },
    stop: async () => {
      client.disconnect();
      await exit('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Total spend the store holds for a budget (sum of its window's bucket keys), USD. */
export async function sharedSpend(client: Redis, base: string): Promise<number> {
  const keys = await client.keys(`${base}:s:*`);
  if (keys.length === 0) return 0;
  const values = await client.mget(...keys);
  return values.reduce((sum, v) => sum + Number(v ?? 0), 0);
}

export { until };
