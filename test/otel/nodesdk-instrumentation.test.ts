/**
 * (a) `new NodeSDK({ metricReaders: [new PrometheusExporter()], instrumentations: [new
 * LLMCostInstrumentation()] })`: a real Prometheus scrapes the app's ONE endpoint, which carries the
 * app's own counter and the llm_* families, with the cost of real `openai` and `@anthropic-ai/sdk`
 * calls priced as published; the library's own default port 9465 never opens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probePort, type RunningApp } from './app-process.js';
import { expectCostPerModel, GPT_4O_COST, HAIKU_COST, startNodeSdkApp } from './nodesdk-app.js';
import { privateLoopback, type Scraper, startScraper } from './scrape.js';

interface Result {
  port: number;
  ownUrl?: string;
  ownUrlNow?: string;
}

let app: RunningApp<Result>;
let scraper: Scraper;
const ownHost = privateLoopback();

beforeAll(async () => {
  app = await startNodeSdkApp<Result>('instrumentation', {
    // The default port (9465) on an address no other process uses, so the probe below is ours.
    LLM_COST_METRICS_HOST: ownHost,
  });
  scraper = await startScraper({ app: `127.0.0.1:${app.result.port}` });
  await scraper.waitFor('llm_cost_usd_total{job="app"}');
}, 120_000);

afterAll(async () => {
  await scraper?.stop();
  await app?.stop();
});

describe('LLMCostInstrumentation in NodeSDK with a PrometheusExporter', () => {
  it("one endpoint carries the app's own counter and the llm_* families", async () => {
    expect(await scraper.values('sum(app_jobs_total{job="app"})')).toEqual({ '': 3 });
    expect(
      await scraper.values('sum by (gen_ai_agent_name) (llm_requests_total{job="app"})', 'gen_ai_agent_name'),
    ).toEqual({ planner: 1, coder: 1 });
    const families = await scraper.values(
      'count by (__name__) ({job="app", __name__=~"llm_.+"})',
      '__name__',
    );
    expect(Object.keys(families)).toEqual(
      expect.arrayContaining([
        'llm_cost_usd_total',
        'llm_tokens_total',
        'llm_requests_total',
        'llm_request_cost_usd_bucket',
      ]),
    );
  });

  it('cost equals the hand-computed price of each call', async () => {
    await expectCostPerModel(scraper, 'app');
    const total = await scraper.values('sum(llm_cost_usd_total{job="app"})');
    expect(total['']).toBeCloseTo(GPT_4O_COST + HAIKU_COST, 12);
  });

  it('attributes through withLLMContext (agent and app operation as set, API operation from the call)', async () => {
    const rows = await scraper.values(
      'sum by (gen_ai_agent_name, llm_operation_name, gen_ai_operation_name) (llm_requests_total{job="app"})',
      ['gen_ai_agent_name', 'llm_operation_name', 'gen_ai_operation_name'],
    );
    expect(rows).toEqual({ 'planner/plan/chat': 1, 'coder/code/chat': 1 });
  });

  it("the library's own server never opened: its default port 9465 refuses connections", async () => {
    expect(app.result.ownUrlNow).toBeUndefined();
    expect(await probePort(ownHost, 9465)).toBe('refused');
    expect(app.stderr()).not.toMatch(/\[llm-cost-otel\]/);
  });
});
