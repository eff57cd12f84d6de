/**
 * Faults with real processes, each behaving as docs/performance.md ("Faults") says:
 * Prometheus SIGKILLed and restarted on its own data; the app process restarted (a counter
 * reset that `increase()` must see through); the exporter port taken; `register()` twice;
 * `shutdown()` while streams are in flight.
 */
import { rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { DiagLogLevel, diag } from '@opentelemetry/api';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerClusterPrimary } from '../../src/cluster/index.js';
import { startFakeProvider } from '../../src/demo/fake-provider/index.js';
import { METRIC } from '../../src/metrics/names.js';
import { getTelemetry, register } from '../../src/register.js';
import type { LLMTelemetry } from '../../src/telemetry.js';
import { eventually, type RunningProcess, tempDir } from '../support/processes.js';
import { ACME_PRICES, makeTelemetry } from '../support/telemetry.js';
import { kill, type LineApp, relativeError, runLineApp, runPrometheus, scalar } from './support.js';

const RESTART_APP = join(import.meta.dirname, 'restart-app.ts');

describe('Prometheus and the app restart: no spend lost, none counted twice', () => {
  let telemetry: LLMTelemetry;
  let prometheus: RunningProcess | undefined;
  let app: LineApp | undefined;
  let promDir: string;
  let appPort: number;
  let config: string;
  // A restarted Prometheus binds a port of its own: always ask the current one.
  const promUrl = () => prometheus!.url;

  /** Wait for a scrape of `job` after `since` (unix s); resolves with its timestamp. */
  const scrapeAfter = (job: string, since: number) =>
    eventually(
      async () => {
        const t = await scalar(promUrl(), `max(timestamp(up{job="${job}"}))`);
        return t !== undefined && t > since ? t : undefined;
      },
      { timeoutMs: 30_000, what: `a scrape of ${job}` },
    );
  const spend = (usd: number) =>
    telemetry.record({
      provider: 'acme',
      model: 'acme-1',
      agent: 'planner',
      usage: { inputTokens: usd * 1e6, outputTokens: 0 },
    });

  beforeAll(async () => {
    telemetry = makeTelemetry({ prices: ACME_PRICES, prometheus: { server: true, port: 0 } });
    spend(0);
    const url = new URL((await telemetry.metricsUrl())!);
    // The app binds port 0 first; its restart takes back the port it had (Prometheus's target).
    app = await runLineApp(RESTART_APP, { PORT: '0' });
    appPort = Number(new URL(app.ready).port);
    promDir = tempDir('faults-prometheus');
    config = [
      'global: { scrape_interval: 1s, evaluation_interval: 1s }',
      'scrape_configs:',
      '  - job_name: in-process',
      `    static_configs: [{ targets: ["${url.host}"] }]`,
      '  - job_name: restart-app',
      `    static_configs: [{ targets: ["127.0.0.1:${appPort}"] }]`,
    ].join('\n');
    prometheus = await runPrometheus(promDir, config);
  }, 60_000);

  afterAll(async () => {
    if (app) await kill(app.child);
    await prometheus?.stop();
    if (promDir) rmSync(promDir, { recursive: true, force: true });
    await telemetry?.shutdown();
  });

  it('Prometheus SIGKILLed mid-run and restarted: after its next scrape the totals equal summary()', async () => {
    const first = await scrapeAfter('in-process', 0);
    for (let i = 0; i < 100; i++) spend(0.01 * (i + 1));
    await scrapeAfter('in-process', first + 0.5);
    await kill(prometheus!.child);
    // Spent while nobody scrapes: a counter keeps it for the next scrape.
    for (let i = 0; i < 50; i++) spend(0.37);
    await prometheus!.stop();
    prometheus = await runPrometheus(promDir, config);
    const restarted = Date.now() / 1000;
    const last = await scrapeAfter('in-process', restarted);
    const expected = telemetry.summary().total.costUsd;
    expect(expected).toBeCloseTo(50.5 + 18.5, 9);
    const raw = await scalar(promUrl(), `sum(${METRIC.costUsd}{job="in-process"})`, last);
    expect(relativeError(raw!, expected)).toBeLessThan(1e-9);
    // increase() across the outage (the restarted Prometheus replayed its WAL) counts it all.
    const range = `${Math.ceil(last - first) + 30}s`;
    const increase = await scalar(
      promUrl(),
      `sum(increase(${METRIC.costUsd}{job="in-process"}[${range}]))`,
      last,
    );
    expect(relativeError(increase!, expected)).toBeLessThan(1e-9);
  }, 90_000);

  it('the app restarted (counter reset): increase() counts both lives’ spend', async () => {
    const cost = `sum(${METRIC.costUsd}{job="restart-app"})`;
    const seen = (value: number) =>
      eventually(
        async () => {
          const t = await scalar(promUrl(), `max(timestamp(${METRIC.costUsd}{job="restart-app"}))`);
          const v = await scalar(promUrl(), cost, t);
          return v === value ? t : undefined;
        },
        { timeoutMs: 30_000, what: `restart-app at $${value}` },
      );
    const first = await seen(0);
    await app!.send('spend 3');
    await seen(3);
    await kill(app!.child);
    app = await runLineApp(RESTART_APP, { PORT: String(appPort) });
    await app.send('spend 2');
    const last = await seen(2);
    const range = `${Math.ceil(last - first) + 30}s`;
    const increase = await scalar(
      promUrl(),
      `sum(increase(${METRIC.costUsd}{job="restart-app"}[${range}]))`,
      last,
    );
    expect(relativeError(increase!, 5)).toBeLessThan(1e-9);
    expect(
      await scalar(
        promUrl(),
        `sum(resets(${METRIC.costUsd}{job="restart-app",llm_token_type="input"}[${range}]))`,
        last,
      ),
    ).toBe(1);
  }, 90_000);
});

describe('the exporter port is taken', () => {
  it('register() and registerClusterPrimary() report it (diag, and once on stderr) and keep running', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as AddressInfo).port;
    const errors: string[] = [];
    diag.setLogger(
      {
        error: (...a) => errors.push(a.join(' ')),
        warn: (...a) => errors.push(a.join(' ')),
        info() {},
        debug() {},
        verbose() {},
      },
      DiagLogLevel.WARN,
    );
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const t = register({ prices: ACME_PRICES, prometheus: { server: true, port } });
      expect(await t.metricsUrl()).toBeUndefined();
      expect(
        t.record({ provider: 'acme', model: 'acme-1', usage: { inputTokens: 1e6, outputTokens: 0 } })
          ?.costUsd,
      ).toBe(1);
      expect(t.metrics()).toContain('llm_cost_usd_total{');
      const primary = registerClusterPrimary({ prometheus: { port } });
      expect(await primary.metricsUrl()).toBeUndefined();
      expect(await primary.metrics()).toContain('llm_cluster_workers 0');
      await primary.shutdown();
      expect(errors.filter((e) => e.includes(`127.0.0.1:${port}`) && e.includes('EADDRINUSE'))).toHaveLength(
        2,
      );
      // A person sees it once, without a diag logger.
      expect(
        stderr.mock.calls.map((c) => String(c[0])).filter((l) => l.includes(`127.0.0.1:${port}`)),
      ).toHaveLength(1);
    } finally {
      stderr.mockRestore();
      await getTelemetry()?.shutdown();
      blocker.close();
      diag.disable();
    }
  });
});

describe('register() twice', () => {
  it('returns the same handle; the second call’s options (another port) are ignored', async () => {
    try {
      const a = register({ prices: ACME_PRICES, prometheus: { server: true, port: 0 } });
      const b = register({ prices: ACME_PRICES, prometheus: { server: true, port: 0, endpoint: '/second' } });
      expect(b).toBe(a);
      const url = new URL((await a.metricsUrl())!);
      expect(url.pathname).toBe('/metrics');
      expect((await fetch(url)).status).toBe(200);
      expect((await fetch(new URL('/second', url))).status).toBe(404);
    } finally {
      await getTelemetry()?.shutdown();
    }
  });
});

describe('shutdown() while streams are in flight', () => {
  it('the streams finish unchanged for the caller; calls ending after shutdown are not counted', async () => {
    const fake = await startFakeProvider({ outputTokens: 20, chunkDelayMs: 15 });
    const t = makeTelemetry({ prometheus: { server: true, port: 0 } });
    const client = t.instrument(
      new OpenAI({ baseURL: fake.openaiBaseURL, apiKey: 'sk-test', maxRetries: 0 }),
    );
    const bare = new OpenAI({ baseURL: fake.openaiBaseURL, apiKey: 'sk-test', maxRetries: 0 });
    const body = {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user' as const, content: 'hi' }],
      stream: true as const,
    };
    try {
      const reference: string[] = [];
      for await (const c of await bare.chat.completions.create(body))
        reference.push(c.choices[0]?.delta?.content ?? '');
      const done = await client.chat.completions.create({ ...body, stream: false });
      expect(done.usage?.total_tokens).toBeGreaterThan(0);
      expect(t.summary().total.requests).toBe(1);

      const streams = await Promise.all(
        Array.from({ length: 10 }, () => client.chat.completions.create(body)),
      );
      const iterators = streams.map((s) => s[Symbol.asyncIterator]());
      const firstChunks = await Promise.all(iterators.map((it) => it.next()));
      expect(firstChunks.every((r) => !r.done)).toBe(true);
      await t.shutdown();
      await expect(fetch((await t.metricsUrl()) ?? 'http://127.0.0.1:1/')).rejects.toThrow();
      // Each stream continues from where the caller stopped, without an error.
      const rest = await Promise.all(
        iterators.map(async (it) => {
          const parts: string[] = [];
          for (let r = await it.next(); !r.done; r = await it.next())
            parts.push(r.value.choices[0]?.delta?.content ?? '');
          return parts;
        }),
      );
      for (const parts of rest) expect(parts.join('').length).toBeGreaterThan(0);
      expect(rest[0]!.join('')).toBe(reference.slice(1).join(''));
      expect(t.summary().total.requests).toBe(1);
      expect(t.record({ provider: 'acme', model: 'acme-1' })).toBeUndefined();
    } finally {
      await t.shutdown();
      await fake.stop();
    }
  });
});
