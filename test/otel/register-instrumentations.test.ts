/**
 * `registerInstrumentations({ instrumentations: [new LLMCostInstrumentation()], meterProvider })`
 * with a MeterProvider that is NOT the global one: only the instrumentation is handed it, so the
 * LLM metrics reach the app's exporter through `setMeterProvider()` alone (no global to find), and
 * the library opens no server of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleSum } from '../support/exposition.js';
import { ourLines, probePort, type RunningApp } from './app-process.js';
import { GPT_4O_COST, metricsPage, startNodeSdkApp } from './nodesdk-app.js';
import { privateLoopback } from './scrape.js';

let app: RunningApp<{ port: number; ownUrlNow?: string }>;
let page: string;
const ownHost = privateLoopback();

beforeAll(async () => {
  app = await startNodeSdkApp('register-instrumentations', {
    LLM_COST_METRICS_HOST: ownHost,
  });
  page = await metricsPage(app.result.port);
}, 120_000);

afterAll(async () => {
  await app?.stop();
});

const sum = (name: string, filter: RegExp): number => sampleSum(page, `${name}{`, filter);

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
