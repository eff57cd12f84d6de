/**
 * (e) An OpenTelemetry View applies to our metrics: a View that drops `gen_ai.agent.name` from
 * `llm.cost.usd` removes the label from `llm_cost_usd_total` on the app's endpoint and adds up
 * the series that differed only in the agent (the sum is preserved); families without the View
 * keep the label.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider } from '../../src/demo/fake-provider/index.js';
import type { FakeProvider } from '../../src/demo/fake-provider/types.js';
import { appPath, type RunningApp, startApp } from './app-process.js';
import { ensureFreshDist } from './dist.js';

// Two gpt-4o calls (agents planner and reviewer, both operation "plan"), each 1000 input and 200
// output tokens at the published $2.50 / $10 per million: input 2 × 1000 × 2.50/1e6 = $0.005,
// output 2 × 200 × 10/1e6 = $0.004.
const INPUT_COST = 0.005;
const OUTPUT_COST = 0.004;

let fake: FakeProvider;
let app: RunningApp<{ port: number }>;
let page: string;

beforeAll(async () => {
  await ensureFreshDist();
  fake = await startFakeProvider();
  app = await startApp(appPath('nodesdk-app.mjs'), {
    env: { SETUP: 'view', FAKE_OPENAI_URL: fake.openaiBaseURL, FAKE_ANTHROPIC_URL: fake.anthropicBaseURL },
  });
  page = await (await fetch(`http://127.0.0.1:${app.result.port}/metrics`)).text();
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await fake?.stop();
});

/** `name{labels} value` lines of one family, as label maps with their value. */
function series(name: string): Array<{ labels: Record<string, string>; value: number }> {
  return page
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`))
    .map((line) => {
      const [, body, value] = /^[^{]+\{(.*)\} (\S+)$/.exec(line)!;
      const labels = Object.fromEntries([...body!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
      return { labels, value: Number(value) };
    });
}

describe('a View dropping gen_ai.agent.name from llm.cost.usd', () => {
  it('removes the label from llm_cost_usd_total', () => {
    const cost = series('llm_cost_usd_total');
    expect(cost.length).toBeGreaterThan(0);
    for (const s of cost) expect(s.labels).not.toHaveProperty('gen_ai_agent_name');
  });

  // The SDK keys an observable counter's values by the View-filtered attributes with last-one-wins
  // (AsyncMetricStorage.record in @opentelemetry/sdk-metrics 2.12.1 and 3.1.1), which is why our
  // counters are API counters fed at collection time: then the View adds the series up.
  it('adds up the series that differed only in the agent (sum preserved)', () => {
    const cost = series('llm_cost_usd_total').filter((s) => s.labels.gen_ai_request_model === 'gpt-4o');
    const byType = Object.fromEntries(cost.map((s) => [s.labels.llm_token_type, s.value]));
    expect(byType.input).toBeCloseTo(INPUT_COST, 12);
    expect(byType.output).toBeCloseTo(OUTPUT_COST, 12);
  });

  it('leaves the families it does not name alone', () => {
    const requests = series('llm_requests_total').filter((s) => s.labels.llm_outcome === 'success');
    expect(Object.fromEntries(requests.map((s) => [s.labels.gen_ai_agent_name, s.value]))).toEqual({
      planner: 1,
      reviewer: 1,
    });
  });
});
