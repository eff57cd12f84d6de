/**
 * What the apps in test/otel/apps are run with and must show about the two calls they make
 * (apps/common.mjs pins their usage), on either OpenTelemetry line.
 */
import { expect } from 'vitest';
import { startFakeProvider } from '../../src/demo/fake-provider/index.js';
import type { FakeProvider } from '../../src/demo/fake-provider/types.js';
import { appPath, type RunningApp, startApp } from './app-process.js';
import { ensureFreshDist } from './dist.js';
import type { Scraper } from './scrape.js';

// Hand-computed from the providers' published prices per million tokens and the usage the apps pin
// (apps/common.mjs): gpt-4o $2.50 input, $10 output → 1000 × 2.50/1e6 + 200 × 10/1e6 = 0.0025 + 0.002
// = $0.0045; claude-haiku-4-5 $1 input, $5 output → 2000 × 1/1e6 + 400 × 5/1e6 = 0.002 + 0.002 = $0.004.
export const GPT_4O_COST = 0.0045;
export const HAIKU_COST = 0.004;

/** Env pointing an app's `openai` and `@anthropic-ai/sdk` clients at the fake provider. */
export const fakeProviderEnv = (fake: FakeProvider): Record<string, string> => ({
  FAKE_OPENAI_URL: fake.openaiBaseURL,
  FAKE_ANTHROPIC_URL: fake.anthropicBaseURL,
});

/**
 * `apps/nodesdk-app.mjs` with `SETUP=setup` (and `env`), built from a fresh dist/ and calling a
 * fake provider of its own; `stop()` ends both.
 */
export async function startNodeSdkApp<T>(
  setup: string,
  env: Record<string, string> = {},
): Promise<RunningApp<T>> {
  await ensureFreshDist();
  const fake = await startFakeProvider();
  try {
    const app = await startApp<T>(appPath('nodesdk-app.mjs'), {
      env: { SETUP: setup, ...fakeProviderEnv(fake), ...env },
    });
    return {
      result: app.result,
      stderr: () => app.stderr(),
      stop: async () => {
        const code = await app.stop();
        await fake.stop();
        return code;
      },
    };
  } catch (error) {
    await fake.stop();
    throw error;
  }
}

/** An app's /metrics page as it is now. */
export const metricsPage = async (port: number): Promise<string> =>
  (await fetch(`http://127.0.0.1:${port}/metrics`)).text();

/** Prometheus, scraping the app as `job`, reads each model's hand-computed cost. */
export async function expectCostPerModel(scraper: Scraper, job: string): Promise<void> {
  const byModel = await scraper.values(
    `sum by (gen_ai_request_model) (llm_cost_usd_total{job="${job}"})`,
    'gen_ai_request_model',
  );
  expect(Object.keys(byModel).sort()).toEqual(['claude-haiku-4-5', 'gpt-4o']);
  expect(byModel['gpt-4o']).toBeCloseTo(GPT_4O_COST, 12);
  expect(byModel['claude-haiku-4-5']).toBeCloseTo(HAIKU_COST, 12);
}

/** One call per agent and app operation, as the apps set them with withLLMContext. */
export async function expectCallsPerAgent(scraper: Scraper, job: string): Promise<void> {
  expect(
    await scraper.values(
      `sum by (gen_ai_agent_name, llm_operation_name) (llm_requests_total{job="${job}"})`,
      ['gen_ai_agent_name', 'llm_operation_name'],
    ),
  ).toEqual({ 'planner/plan': 1, 'coder/code': 1 });
}
