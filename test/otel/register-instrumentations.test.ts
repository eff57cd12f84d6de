/**
 * `registerInstrumentations({ instrumentations: [new LLMCostInstrumentation()], meterProvider })`
 * with a MeterProvider that is NOT the global one: only the instrumentation is handed it, so the
 * LLM metrics reach the app's exporter through `setMeterProvider()` alone (no global to find), and
 * the library opens no server of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider } from '../../src/demo/fake-provider/index.js';
import type { FakeProvider } from '../../src/demo/fake-provider/types.js';
import { appPath, ourLines, probePort, type RunningApp, startApp } from './app-process.js';
import { ensureFreshDist } from './dist.js';
import { privateLoopback } from './scrape.js';

// gpt-4o 1000 × $2.50/1e6 + 200 × $10/1e6 = $0.0045 (published prices per million tokens; usage
// pinned in apps/common.mjs).
const GPT_4O_COST = 0.0045;

let fake: FakeProvider;
let app: RunningApp<{ port: number; ownUrlNow?: string }>;
let page: string;
const ownHost = privateLoopback();

beforeAll(async () => {
  await ensureFreshDist();
  fake = await startFakeProvider();
  app = await startApp(appPath('nodesdk-app.mjs'), {
    env: {
      SETUP: 'register-instrumentations',
      FAKE_OPENAI_URL: fake.openaiBaseURL,
      FAKE_ANTHROPIC_URL: fake.anthropicBaseURL,
      LLM_COST_METRICS_HOST: ownHost,
    },
  });
  page = await (await fetch(`http://127.0.0.1:${app.result.port}/metrics`)).text();
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await fake?.stop();
});

const sum = (name: string, filter: RegExp) =>
  page
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) && filter.test(l))
    .reduce((s, l) => s + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);

describe('LLMCostInstrumentation handed a non-global MeterProvider', () => {
  it("reports through that provider's exporter, next to the app's own counter", () => {
    expect(sum('app_jobs_total', /./)).toBe(3);
    expect(sum('llm_cost_usd_total', /gen_ai_request_model="gpt-4o"/)).toBeCloseTo(GPT_4O_COST, 12);
    expect(sum('llm_requests_total', /gen_ai_agent_name="planner",.*llm_operation_name="plan"/)).toBe(1);
  });

  it('opens no server of its own', async () => {
    expect(app.result.ownUrlNow).toBeUndefined();
    expect(await probePort(ownHost, 9465)).toBe('refused');
    expect(ourLines(app.stderr())).toEqual([]);
  });
});
