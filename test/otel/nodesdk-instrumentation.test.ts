/**
 * (a) `new NodeSDK({ metricReaders: [new PrometheusExporter()], instrumentations: [new
 * LLMCostInstrumentation()] })`: a real Prometheus scrapes the app's ONE endpoint, which carries the
 * app's own counter and the llm_* families, with the cost of real `openai` and `@anthropic-ai/sdk`
 * calls priced as published; the library's own default port 9465 never opens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider } from '../../src/demo/fake-provider/index.js';
import type { FakeProvider } from '../../src/demo/fake-provider/types.js';
import { appPath, probePort, type RunningApp, startApp } from './app-process.js';
import { ensureFreshDist } from './dist.js';
import { privateLoopback, type Scraper, startScraper } from './scrape.js';

// Hand-computed from the providers' published prices per million tokens and the usage the app pins
// (apps/common.mjs): gpt-4o $2.50 input, $10 output → 1000 × 2.50/1e6 + 200 × 10/1e6 = 0.0025 + 0.002
// = $0.0045; claude-haiku-4-5 $1 input, $5 output → 2000 × 1/1e6 + 400 × 5/1e6 = 0.002 + 0.002 = $0.004.
const GPT_4O_COST = 0.0045;
const HAIKU_COST = 0.004;

interface Result {
  port: number;
  ownUrl?: string;
  ownUrlNow?: string;
}

let fake: FakeProvider;
let app: RunningApp<Result>;
let scraper: Scraper;
const ownHost = privateLoopback();

beforeAll(async () => {
  await ensureFreshDist();
  fake = await startFakeProvider();
  app = await startApp<Result>(appPath('nodesdk-app.mjs'), {
    env: {
      SETUP: 'instrumentation',
      FAKE_OPENAI_URL: fake.openaiBaseURL,
      FAKE_ANTHROPIC_URL: fake.anthropicBaseURL,
      // The default port (9465) on an address no other process uses, so the probe below is ours.
      LLM_COST_METRICS_HOST: ownHost,
    },
  });
  scraper = await startScraper({ app: `127.0.0.1:${app.result.port}` });
  await scraper.waitFor('llm_cost_usd_total{job="app"}');
}, 120_000);

afterAll(async () => {
  await scraper?.stop();
  await app?.stop();
  await fake?.stop();
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
    const byModel = await scraper.values(
      'sum by (gen_ai_request_model) (llm_cost_usd_total{job="app"})',
      'gen_ai_request_model',
    );
    expect(Object.keys(byModel).sort()).toEqual(['claude-haiku-4-5', 'gpt-4o']);
    expect(byModel['gpt-4o']).toBeCloseTo(GPT_4O_COST, 12);
    expect(byModel['claude-haiku-4-5']).toBeCloseTo(HAIKU_COST, 12);
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
