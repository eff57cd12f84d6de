/**
 * (c) `register()` in an app that runs no OpenTelemetry SDK: the library serves its own embedded
 * /metrics (here on an ephemeral port, `LLM_COST_METRICS_PORT=0`), a real Prometheus scrapes it,
 * and nothing is said on stderr.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider } from '../../src/demo/fake-provider/index.js';
import type { FakeProvider } from '../../src/demo/fake-provider/types.js';
import { appPath, ourLines, type RunningApp, startApp } from './app-process.js';
import { ensureFreshDist } from './dist.js';
import { type Scraper, startScraper } from './scrape.js';

// gpt-4o 1000 × $2.50/1e6 + 200 × $10/1e6 = $0.0045; claude-haiku-4-5 2000 × $1/1e6 + 400 × $5/1e6
// = $0.004 (published prices per million tokens; usage pinned in apps/common.mjs).
const GPT_4O_COST = 0.0045;
const HAIKU_COST = 0.004;

interface Result {
  port?: number;
  ownUrl?: string;
  ownUrlNow?: string;
}

let fake: FakeProvider;
let app: RunningApp<Result>;
let scraper: Scraper;

beforeAll(async () => {
  await ensureFreshDist();
  fake = await startFakeProvider();
  app = await startApp<Result>(appPath('nodesdk-app.mjs'), {
    env: {
      SETUP: 'register-alone',
      FAKE_OPENAI_URL: fake.openaiBaseURL,
      FAKE_ANTHROPIC_URL: fake.anthropicBaseURL,
      LLM_COST_INSTRUMENTATIONS: 'openai,anthropic',
      LLM_COST_METRICS_PORT: '0',
    },
  });
  scraper = await startScraper({ embedded: new URL(app.result.ownUrlNow ?? 'http://0.0.0.0:1/').host });
  await scraper.waitFor('llm_cost_usd_total{job="embedded"}');
}, 120_000);

afterAll(async () => {
  await scraper?.stop();
  await app?.stop();
  await fake?.stop();
});

describe('register() alone', () => {
  it('serves the embedded /metrics on its own port, and says nothing', () => {
    expect(app.result.port).toBeUndefined();
    expect(app.result.ownUrlNow).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(ourLines(app.stderr())).toEqual([]);
  });

  it('Prometheus reads the hand-computed cost per model from it', async () => {
    const byModel = await scraper.values(
      'sum by (gen_ai_request_model) (llm_cost_usd_total{job="embedded"})',
      'gen_ai_request_model',
    );
    expect(Object.keys(byModel).sort()).toEqual(['claude-haiku-4-5', 'gpt-4o']);
    expect(byModel['gpt-4o']).toBeCloseTo(GPT_4O_COST, 12);
    expect(byModel['claude-haiku-4-5']).toBeCloseTo(HAIKU_COST, 12);
    expect(
      await scraper.values(
        'sum by (gen_ai_agent_name, llm_operation_name) (llm_requests_total{job="embedded"})',
        ['gen_ai_agent_name', 'llm_operation_name'],
      ),
    ).toEqual({ 'planner/plan': 1, 'coder/code': 1 });
  });

  it('the embedded exposition has no OpenTelemetry exporter labels', async () => {
    expect(await scraper.values('count({job="embedded", otel_scope_name!=""})')).toEqual({});
  });
});
