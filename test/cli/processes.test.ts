/**
 * The one launcher (src/demo/processes.ts) with the real binaries: each process binds port 0 and
 * the launcher reads back the port it got, failures say why, and stop() cleans up.
 */
import { existsSync, rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type RunningProcess,
  StartError,
  startAlertmanager,
  startPrometheus,
  startServer,
  tempDir,
} from '../../src/demo/processes.js';

const PROMETHEUS_CONFIG = 'global: { scrape_interval: 15s }\n';
const ALERTMANAGER_CONFIG = 'route: { receiver: nowhere }\nreceivers: [{ name: nowhere }]\n';

const running: RunningProcess[] = [];
afterAll(async () => {
  await Promise.all(running.map((p) => p.stop()));
});

describe('the port each process bound itself', () => {
  it('Prometheus and Alertmanager started together on port 0 each serve on the port they report', async () => {
    const started = await Promise.all([
      startPrometheus({ config: PROMETHEUS_CONFIG }),
      startPrometheus({ config: PROMETHEUS_CONFIG }),
      startAlertmanager({ config: ALERTMANAGER_CONFIG }),
    ]);
    running.push(...started);
    const ports = started.map((p) => p.port);
    expect(new Set(ports).size).toBe(3);
    for (const p of started) {
      expect(p.url).toBe(`http://127.0.0.1:${p.port}`);
      // The port is the one the process itself says it listens on, not one picked beforehand.
      expect(p.output()).toMatch(new RegExp(`msg="Listening on" address=127\\.0\\.0\\.1:${p.port}\\b`));
      expect((await fetch(`${p.url}/-/ready`)).status).toBe(200);
    }
    // Alertmanager gossips on no port of its own.
    expect(started[2]!.child.spawnargs).toContain('--cluster.listen-address=');
  }, 60_000);
});

describe('failures say why', () => {
  it('a binary that is not installed: reason spawn', async () => {
    const error = await startPrometheus({
      config: PROMETHEUS_CONFIG,
      bin: 'no-such-prometheus-binary',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartError);
    expect(error).toMatchObject({ reason: 'spawn' });
    expect((error as Error).message).toMatch(
      /^cannot start Prometheus \(no-such-prometheus-binary\): .*ENOENT/,
    );
  });

  it('a config the process rejects: reason exit, with its error line', async () => {
    const error = await startPrometheus({ config: 'global: { scrape_interval: soon }\n' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StartError);
    expect(error).toMatchObject({ reason: 'exit' });
    expect((error as Error).message).toMatch(
      /^Prometheus exited with code \d+: .*not a valid duration string: \\"soon\\"/,
    );
  }, 30_000);
});

describe('a server killed by a signal before it is ready', () => {
  it('fails at once with reason exit, naming the signal (not after the whole ready timeout)', async () => {
    const error = await startServer({
      name: 'Doomed',
      bin: 'sh',
      args: ['-c', 'echo "level=error msg=boom" >&2; kill -9 $$'],
      dir: tempDir('doomed'),
      readyTimeoutMs: 60_000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartError);
    expect(error).toMatchObject({ reason: 'exit' });
    expect((error as Error).message).toMatch(/^Doomed exited on SIGKILL: /);
  }, 30_000);
});

describe('stop()', () => {
  it('removes a temp dir, keeps a kept one, and a restart takes back the port it had', async () => {
    const first = await startAlertmanager({ config: ALERTMANAGER_CONFIG });
    await first.stop();
    expect(existsSync(first.dir)).toBe(false);

    const dir = tempDir('launcher-test');
    try {
      const kept = await startPrometheus({ config: PROMETHEUS_CONFIG, dir, keepDir: true });
      await kept.stop();
      await kept.stop(); // idempotent
      expect(existsSync(`${dir}/data`)).toBe(true);
      const again = await startPrometheus({ config: PROMETHEUS_CONFIG, dir, keepDir: true, port: kept.port });
      running.push(again);
      expect(again.port).toBe(kept.port);
      expect((await fetch(`${again.url}/-/ready`)).status).toBe(200);
      await again.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
