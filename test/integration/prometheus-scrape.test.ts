/**
 * A real Prometheus (Debian binary, loopback, temp dir) scrapes our /metrics while a known workload
 * is recorded; what Prometheus computes must equal what summary() says, to 1e-9 relative.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withLLMContext } from '../../src/context.js';
import { METRIC } from '../../src/metrics/names.js';
import type { LLMTelemetry } from '../../src/telemetry.js';
import { scrapeAfterNow } from '../support/barriers.js';
import { promQuery, type RunningProcess, scrapedAfter, startPrometheus } from '../support/processes.js';
import { makeTelemetry } from '../support/telemetry.js';

const rows = [
  { provider: 'openai', model: 'gpt-4o', agent: 'planner', operation: 'plan' },
  { provider: 'anthropic', model: 'claude-sonnet-4-20250514', agent: 'coder', operation: 'code' },
  { provider: 'gcp.gemini', model: 'gemini-2.5-flash', agent: 'reviewer', operation: 'review' },
] as const;

let telemetry: LLMTelemetry;
let prometheus: RunningProcess;

beforeAll(async () => {
  telemetry = makeTelemetry({ prometheus: { port: 0 } });
  const url = new URL((await telemetry.metricsUrl())!);
  prometheus = await startPrometheus({
    config: [
      'global: { scrape_interval: 1s, evaluation_interval: 1s }',
      'scrape_configs:',
      '  - job_name: llm-app',
      `    static_configs: [{ targets: ["${url.host}"] }]`,
    ].join('\n'),
  });
}, 60_000);

afterAll(async () => {
  await telemetry?.shutdown();
  await prometheus?.stop();
});

describe('Prometheus sees exactly what the app recorded', () => {
  it('sum(increase(llm_cost_usd_total)) and token totals equal summary()', async () => {
    // Create every series at zero before the first scrape, so increase() counts from zero.
    for (const row of rows) telemetry.record({ ...row, usage: { inputTokens: 0, outputTokens: 0 } });
    const first = await scrapedAfter(prometheus.url, METRIC.requests, 0);

    for (let i = 0; i < 300; i++) {
      const row = rows[i % rows.length]!;
      withLLMContext({ agent: row.agent, operation: row.operation }, () =>
        telemetry.record({
          provider: row.provider,
          model: row.model,
          usage: {
            inputTokens: 1_000 + i * 7,
            cacheReadTokens: i % 3 === 0 ? 500 : 0,
            outputTokens: 200 + (i % 11) * 13,
            reasoningTokens: i % 5 === 0 ? 50 : 0,
          },
          durationMs: 100 + i,
        }),
      );
    }
    const summary = telemetry.summary({ by: ['agent'] });
    expect(summary.total.costUsd).toBeGreaterThan(0);
    expect(summary.total.unpriced).toBe(0);

    // Evaluate at the own timestamp of a scrape begun after the last record: it holds them all,
    // and there is no extrapolation past the last sample.
    const last = await scrapeAfterNow(prometheus.url, METRIC.requests);
    const range = `${Math.ceil(last - first) + 30}s`;
    const cost = await promQuery(prometheus.url, `sum(increase(${METRIC.costUsd}[${range}]))`, last);
    const promCost = Number(cost[0]!.value[1]);
    expect(Math.abs(promCost - summary.total.costUsd) / summary.total.costUsd).toBeLessThan(1e-9);

    const raw = await promQuery(prometheus.url, `sum(${METRIC.costUsd})`, last);
    expect(Math.abs(Number(raw[0]!.value[1]) - summary.total.costUsd) / summary.total.costUsd).toBeLessThan(
      1e-9,
    );

    const tokens = await promQuery(
      prometheus.url,
      `sum by (llm_token_type) (increase(${METRIC.tokens}[${range}]))`,
      last,
    );
    const byType = Object.fromEntries(tokens.map((s) => [s.metric.llm_token_type, Number(s.value[1])]));
    expect(byType).toEqual({
      input: summary.total.tokens.input,
      cache_read: summary.total.tokens.cache_read,
      cache_write: summary.total.tokens.cache_write,
      output: summary.total.tokens.output,
      reasoning: summary.total.tokens.reasoning,
    });

    const perAgent = await promQuery(
      prometheus.url,
      `sum by (gen_ai_agent_name) (increase(${METRIC.costUsd}[${range}]))`,
      last,
    );
    for (const group of summary.groups) {
      const series = perAgent.find((s) => s.metric.gen_ai_agent_name === group.key.agent);
      expect(Math.abs(Number(series!.value[1]) - group.costUsd) / group.costUsd).toBeLessThan(1e-9);
    }
  }, 90_000);
});
