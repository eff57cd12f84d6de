/**
 * Load, bounded and loopback only: 1,000,000 `record()` calls and 1,000 concurrent streaming
 * OpenAI calls (real SDK, instrumented, against the fake provider) while a real Prometheus
 * scrapes every second. At the end Prometheus's totals equal `summary()` to 1e-9 relative and
 * no scrape failed. Prints throughput, p99 scrape duration and peak RSS (docs/performance.md).
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withLLMContext } from '../../src/context.js';
import { startFakeProvider } from '../../src/demo/fake-provider/index.js';
import type { FakeProvider } from '../../src/demo/fake-provider/types.js';
import { METRIC } from '../../src/metrics/names.js';
import type { LLMTelemetry } from '../../src/telemetry.js';
import { relativeError, scalar } from '../hardening/support.js';
import { eventually, type RunningProcess, startPrometheus } from '../support/processes.js';
import { ACME_PRICES, makeTelemetry } from '../support/telemetry.js';

const RECORDS = 1_000_000;
const STREAMS = 1_000;
const CHUNK = 5_000;
const ROWS = [
  { provider: 'acme', model: 'acme-1', agent: 'planner', operation: 'plan' },
  { provider: 'acme', model: 'acme-1', agent: 'coder', operation: 'code' },
  { provider: 'openai', model: 'gpt-4o', agent: 'reviewer', operation: 'review' },
  { provider: 'anthropic', model: 'claude-sonnet-4-20250514', agent: 'writer', operation: 'write' },
] as const;
const STREAM_ROW = {
  provider: 'openai',
  model: 'gpt-4o-mini',
  agent: 'streamer',
  operation: 'stream',
} as const;

let telemetry: LLMTelemetry;
let prometheus: RunningProcess;
let fake: FakeProvider;
let target: string;

const scrapeAfter = (since: number) =>
  eventually(
    async () => {
      const t = await scalar(prometheus.url, 'max(timestamp(up{job="llm-app"}))');
      return t !== undefined && t > since ? t : undefined;
    },
    { timeoutMs: 30_000, what: 'a scrape' },
  );

beforeAll(async () => {
  fake = await startFakeProvider({
    outputTokens: 16,
    chunkDelayMs: 2,
    maxConcurrentRequests: 2 * STREAMS,
    maxConnections: 2 * STREAMS,
  });
  telemetry = makeTelemetry({
    prices: ACME_PRICES,
    prometheus: { port: 0 },
    // The fake provider accepts stream_options.include_usage (only listed endpoints are asked).
    openaiStreamUsageHosts: ['127.0.0.1'],
  });
  // Every series exists at zero before the first scrape, so increase() counts from zero.
  for (const row of [...ROWS, STREAM_ROW])
    telemetry.record({ ...row, apiOperation: 'chat', usage: { inputTokens: 0, outputTokens: 0 } });
  target = new URL((await telemetry.metricsUrl())!).host;
  prometheus = await startPrometheus({
    config: [
      'global: { scrape_interval: 1s, evaluation_interval: 1s }',
      'scrape_configs:',
      '  - job_name: llm-app',
      '    scrape_timeout: 1s',
      `    static_configs: [{ targets: ["${target}"] }]`,
    ].join('\n'),
  });
}, 60_000);

afterAll(async () => {
  await telemetry?.shutdown();
  await prometheus?.stop();
  await fake?.stop();
});

async function recordMany(): Promise<number> {
  const start = performance.now();
  let busyMs = 0;
  for (let done = 0; done < RECORDS; done += CHUNK) {
    const t0 = performance.now();
    for (let i = done; i < done + CHUNK; i++) {
      const row = ROWS[i & 3]!;
      telemetry.record({
        provider: row.provider,
        model: row.model,
        agent: row.agent,
        operation: row.operation,
        apiOperation: 'chat',
        usage: {
          inputTokens: 500 + (i % 1000),
          cacheReadTokens: i % 3 === 0 ? 200 : 0,
          outputTokens: 100 + (i % 97),
          reasoningTokens: i % 5 === 0 ? 20 : 0,
        },
        durationMs: 200 + (i % 700),
        outcome: i % 101 === 0 ? 'error' : 'success',
        errorType: 'RateLimitError',
      });
    }
    busyMs += performance.now() - t0;
    // Let scrapes and streams in: a scrape must never wait behind the whole load.
    await new Promise((r) => setImmediate(r));
  }
  void start;
  return busyMs;
}

async function streamMany(): Promise<number> {
  const client = telemetry.instrument(
    new OpenAI({ baseURL: fake.openaiBaseURL, apiKey: 'sk-load', maxRetries: 0 }),
  );
  const body = {
    model: STREAM_ROW.model,
    messages: [{ role: 'user' as const, content: 'stream please' }],
    stream: true as const,
  };
  const chunks = await Promise.all(
    Array.from({ length: STREAMS }, () =>
      withLLMContext({ agent: STREAM_ROW.agent, operation: STREAM_ROW.operation }, async () => {
        let n = 0;
        for await (const _ of await client.chat.completions.create(body)) n++;
        return n;
      }),
    ),
  );
  return chunks.reduce((a, b) => a + b, 0);
}

describe('1,000,000 records and 1,000 concurrent streams under a 1 s scrape', () => {
  it('Prometheus totals equal summary() to 1e-9 and no scrape failed', async () => {
    const first = await scrapeAfter(0);
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 50);
    const wallStart = performance.now();
    const [busyMs, streamedChunks] = await Promise.all([recordMany(), streamMany()]);
    const wallMs = performance.now() - wallStart;
    clearInterval(sampler);
    expect(streamedChunks).toBeGreaterThan(STREAMS);
    // Stream records land as each stream ends; wait for all of them, then for two scrapes.
    await eventually(
      async () =>
        telemetry.summary().total.requests === RECORDS + STREAMS + ROWS.length + 1 ? true : undefined,
      {
        timeoutMs: 10_000,
        what: 'every stream recorded',
      },
    );
    const finished = Date.now() / 1000;
    await scrapeAfter(finished);
    const last = await scrapeAfter(finished + 1);

    const summary = telemetry.summary();
    const range = `${Math.ceil(last - first) + 30}s`;
    const cost = await scalar(prometheus.url, `sum(increase(${METRIC.costUsd}[${range}]))`, last);
    expect(relativeError(cost!, summary.total.costUsd)).toBeLessThan(1e-9);
    const raw = await scalar(prometheus.url, `sum(${METRIC.costUsd})`, last);
    expect(relativeError(raw!, summary.total.costUsd)).toBeLessThan(1e-9);
    for (const type of ['input', 'cache_read', 'output', 'reasoning'] as const) {
      const tokens = await scalar(
        prometheus.url,
        `sum(increase(${METRIC.tokens}{llm_token_type="${type}"}[${range}]))`,
        last,
      );
      expect(relativeError(tokens!, summary.total.tokens[type])).toBeLessThan(1e-9);
    }
    const requests = await scalar(prometheus.url, `sum(${METRIC.requests})`, last);
    expect(requests).toBe(summary.total.requests);
    const streamed = telemetry.summary({ where: { agent: STREAM_ROW.agent } }).total;
    expect(streamed.requests).toBe(STREAMS + 1);
    expect(streamed.successes).toBe(STREAMS + 1);
    expect(streamed.costUsd).toBeGreaterThan(0);

    // No failed scrape: `up` was 1 at every scrape, about one scrape per second.
    const scrapes = await scalar(prometheus.url, `count_over_time(up{job="llm-app"}[${range}])`, last);
    const minUp = await scalar(prometheus.url, `min_over_time(up{job="llm-app"}[${range}])`, last);
    expect(minUp).toBe(1);
    expect(scrapes).toBeGreaterThanOrEqual(Math.floor(last - first));
    const ownMetrics = await (await fetch(`${prometheus.url}/metrics`)).text();
    const problems = ownMetrics
      .split('\n')
      .filter(
        (l) => /^prometheus_target_scrapes_(exceeded|sample)_\w+ /.test(l) && Number(l.split(' ')[1]) !== 0,
      );
    expect(problems).toEqual([]);

    const p99 = await scalar(
      prometheus.url,
      `quantile_over_time(0.99, scrape_duration_seconds{job="llm-app"}[${range}])`,
      last,
    );
    const maxScrape = await scalar(
      prometheus.url,
      `max_over_time(scrape_duration_seconds{job="llm-app"}[${range}])`,
      last,
    );
    const samples = await scalar(
      prometheus.url,
      `max_over_time(scrape_samples_scraped{job="llm-app"}[${range}])`,
      last,
    );
    const figures = {
      records: RECORDS,
      recordThroughputPerSec: Math.round(RECORDS / (busyMs / 1000)),
      recordNsPerCall: Math.round((busyMs * 1e6) / RECORDS),
      streams: STREAMS,
      wallSeconds: +(wallMs / 1000).toFixed(2),
      scrapes,
      p99ScrapeMs: +(p99! * 1000).toFixed(2),
      maxScrapeMs: +(maxScrape! * 1000).toFixed(2),
      samplesPerScrape: samples,
      peakRssMB: Math.round(peakRss / 1e6),
    };
    console.log(`LOAD FIGURES ${JSON.stringify(figures)}`);
  }, 120_000);
});
