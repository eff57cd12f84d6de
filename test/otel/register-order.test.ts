/**
 * (b) `register()` and NodeSDK in either order end with exactly one endpoint, the app's
 * PrometheusExporter, carrying both the app's and the LLM metrics. `register()` before
 * `sdk.start()` in a later tick opens the library's own /metrics first; once the app's
 * MeterProvider appears that endpoint closes, and one stderr line says so (once).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider } from '../../src/demo/fake-provider/index.js';
import type { FakeProvider } from '../../src/demo/fake-provider/types.js';
import { appPath, ourLines, probePort, type RunningApp, startApp } from './app-process.js';
import { ensureFreshDist } from './dist.js';
import { fakeProviderEnv } from './nodesdk-app.js';
import { type Scraper, startScraper } from './scrape.js';

// gpt-4o 1000 × $2.50/1e6 + 200 × $10/1e6 = $0.0045; claude-haiku-4-5 2000 × $1/1e6 + 400 × $5/1e6
// = $0.004 (published prices per million tokens; usage pinned in apps/common.mjs).
const TOTAL_COST = 0.0045 + 0.004;
const SETUPS = ['register-before', 'register-same-tick', 'register-after'] as const;

interface Result {
  port: number;
  ownUrl?: string;
  ownUrlNow?: string;
}

let fake: FakeProvider;
const apps = new Map<string, RunningApp<Result>>();
let scraper: Scraper;

beforeAll(async () => {
  await ensureFreshDist();
  fake = await startFakeProvider();
  await Promise.all(
    SETUPS.map(async (setup) => {
      const app = await startApp<Result>(appPath('nodesdk-app.mjs'), {
        env: {
          SETUP: setup,
          ...fakeProviderEnv(fake),
          LLM_COST_INSTRUMENTATIONS: 'openai,anthropic',
          LLM_COST_METRICS_PORT: '0',
        },
      });
      apps.set(setup, app);
    }),
  );
  scraper = await startScraper(
    Object.fromEntries(SETUPS.map((s) => [s.replaceAll('-', '_'), `127.0.0.1:${apps.get(s)!.result.port}`])),
  );
  for (const setup of SETUPS)
    await scraper.waitFor(`llm_cost_usd_total{job="${setup.replaceAll('-', '_')}"}`);
}, 120_000);

afterAll(async () => {
  await scraper?.stop();
  await Promise.all([...apps.values()].map((app) => app.stop()));
  await fake?.stop();
});

describe.each(SETUPS)('%s', (setup) => {
  const job = setup.replaceAll('-', '_');

  it("the app's endpoint carries its own counter and the LLM cost", async () => {
    expect(await scraper.values(`sum(app_jobs_total{job="${job}"})`)).toEqual({ '': 3 });
    const cost = await scraper.values(`sum(llm_cost_usd_total{job="${job}"})`);
    expect(cost['']).toBeCloseTo(TOTAL_COST, 12);
    expect(
      await scraper.values(
        `sum by (gen_ai_agent_name) (llm_requests_total{job="${job}"})`,
        'gen_ai_agent_name',
      ),
    ).toEqual({ planner: 1, coder: 1 });
  });

  it("the library's own /metrics is not served at the end", async () => {
    expect(apps.get(setup)!.result.ownUrlNow).toBeUndefined();
  });
});

describe('register() before sdk.start()', () => {
  it('opened its own /metrics, closed it when the MeterProvider appeared, and said so on stderr once', async () => {
    const app = apps.get('register-before')!;
    const own = new URL(app.result.ownUrl!);
    expect(await probePort(own.hostname, Number(own.port))).toBe('refused');
    const lines = ourLines(app.stderr());
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/now go through the app's OpenTelemetry MeterProvider .* is closed/);
    expect(lines[0]).toContain(own.href);
  });
});

describe.each(['register-same-tick', 'register-after'])('%s', (setup) => {
  it('never opened its own /metrics and printed nothing', () => {
    const app = apps.get(setup)!;
    expect(app.result.ownUrl).toBeUndefined();
    expect(ourLines(app.stderr())).toEqual([]);
  });
});
