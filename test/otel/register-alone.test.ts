/**
 * (c) `register()` in an app that runs no OpenTelemetry SDK: the library serves its own embedded
 * /metrics (here on an ephemeral port, `LLM_COST_METRICS_PORT=0`), a real Prometheus scrapes it,
 * and nothing is said on stderr.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ourLines, type RunningApp } from './app-process.js';
import { expectCallsPerAgent, expectCostPerModel, startNodeSdkApp } from './nodesdk-app.js';
import { type Scraper, startScraper } from './scrape.js';

interface Result {
  port?: number;
  ownUrl?: string;
  ownUrlNow?: string;
}

let app: RunningApp<Result>;
let scraper: Scraper;

beforeAll(async () => {
  app = await startNodeSdkApp<Result>('register-alone', {
    LLM_COST_INSTRUMENTATIONS: 'openai,anthropic',
    LLM_COST_METRICS_PORT: '0',
  });
  scraper = await startScraper({ embedded: new URL(app.result.ownUrlNow ?? 'http://0.0.0.0:1/').host });
  await scraper.waitFor('llm_cost_usd_total{job="embedded"}');
}, 120_000);

afterAll(async () => {
  await scraper?.stop();
  await app?.stop();
});

describe('register() alone', () => {
  it('serves the embedded /metrics on its own port, and says nothing', () => {
    expect(app.result.port).toBeUndefined();
    expect(app.result.ownUrlNow).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(ourLines(app.stderr())).toEqual([]);
  });

  it('Prometheus reads the hand-computed cost per model from it', async () => {
    await expectCostPerModel(scraper, 'embedded');
    await expectCallsPerAgent(scraper, 'embedded');
  });

  it('the embedded exposition has no OpenTelemetry exporter labels', async () => {
    expect(await scraper.values('count({job="embedded", otel_scope_name!=""})')).toEqual({});
  });
});
