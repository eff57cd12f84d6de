/**
 * (i) The OpenTelemetry JS 3.x line: @opentelemetry/api 1.10, sdk-node 0.301, sdk-metrics 3.1
 * (Node ≥ 22.15). It cannot share the root tree (api 1.9, SDK 2.x), so test/otel3 has its own
 * package.json and lockfile (`npm ci --prefix test/otel3`). The built library is installed into
 * test/otel3/node_modules/llm-cost-otel as a copy of package.json + dist/ (its imports then resolve
 * to the 3.x packages there), the apps are copied to test/otel3/.apps/, and (a) NodeSDK +
 * LLMCostInstrumentation, (e) a View, and (g) the zero-code ESM app run against that tree.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { startFakeProvider } from '../../src/demo/fake-provider/index.js';
import type { FakeProvider } from '../../src/demo/fake-provider/types.js';
import { ourLines, probePort, type RunningApp, startApp } from './app-process.js';
import { ensureFreshDist, ROOT } from './dist.js';
import { expectCallsPerAgent, expectCostPerModel, fakeProviderEnv } from './nodesdk-app.js';
import { privateLoopback, type Scraper, startScraper } from './scrape.js';
import { expectAttributedAndRefused, type ZeroCodeResult, zeroCodeEnv } from './zero-code-expect.js';

const OTEL3 = join(ROOT, 'test', 'otel3');
const APPS = join(OTEL3, '.apps');
const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
const nodeSupported = major > 22 || (major === 22 && minor >= 15);
const installed = existsSync(join(OTEL3, 'node_modules', '@opentelemetry', 'sdk-node'));
const TOO_OLD = `skipped: the OpenTelemetry 3.x line needs Node ≥ 22.15, this is Node ${process.versions.node}`;
const NOT_INSTALLED = 'test/otel3/node_modules is missing: run `npm ci --prefix test/otel3`';

/** Skip (with the reason) on an older Node; fail with what to run when the 3.x tree is not installed. */
function require3x(context: TestContext): void {
  context.skip(!nodeSupported, TOO_OLD);
  if (!installed) throw new Error(NOT_INSTALLED);
}

/** Copy the built package and the apps into test/otel3, where imports resolve to the 3.x tree. */
function installInto3x(): void {
  const target = join(OTEL3, 'node_modules', 'llm-cost-otel');
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(target, 'package.json'));
  cpSync(join(ROOT, 'dist'), join(target, 'dist'), { recursive: true });
  rmSync(APPS, { recursive: true, force: true });
  cpSync(join(ROOT, 'test', 'otel', 'apps'), APPS, { recursive: true });
}

const version = (pkg: string) =>
  (JSON.parse(readFileSync(join(OTEL3, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string })
    .version;

describe('the OpenTelemetry 3.x line (Node ≥ 22.15)', () => {
  let fake: FakeProvider;
  let app: RunningApp<{ port: number; ownUrlNow?: string }> | undefined;
  let scraper: Scraper | undefined;
  const ownHost = privateLoopback();

  beforeAll(async () => {
    if (!nodeSupported || !installed) return;
    await ensureFreshDist();
    installInto3x();
    fake = await startFakeProvider();
  }, 120_000);

  afterAll(async () => {
    await scraper?.stop();
    await app?.stop();
    await fake?.stop();
  });

  it('has its own installed tree', (context) => {
    require3x(context);
    expect(version('@opentelemetry/api')).toMatch(/^1\.10\./);
    expect(version('@opentelemetry/sdk-metrics')).toMatch(/^3\.1\./);
    expect(version('@opentelemetry/sdk-node')).toMatch(/^0\.301\./);
  });

  it('(a) NodeSDK + PrometheusExporter + LLMCostInstrumentation: one endpoint, hand-computed cost', async (context) => {
    require3x(context);
    app = await startApp(join(APPS, 'nodesdk-app.mjs'), {
      cwd: OTEL3,
      env: {
        SETUP: 'instrumentation',
        ...fakeProviderEnv(fake),
        LLM_COST_METRICS_HOST: ownHost,
      },
    });
    scraper = await startScraper({ app3: `127.0.0.1:${app.result.port}` });
    await scraper.waitFor('llm_cost_usd_total{job="app3"}');
    // The app really ran the 3.x SDK: its resource says so.
    expect(await scraper.values('count(target_info{job="app3", telemetry_sdk_version=~"3\\\\..*"})')).toEqual(
      {
        '': 1,
      },
    );
    expect(await scraper.values('sum(app_jobs_total{job="app3"})')).toEqual({ '': 3 });
    await expectCostPerModel(scraper, 'app3');
    await expectCallsPerAgent(scraper, 'app3');
    expect(app.result.ownUrlNow).toBeUndefined();
    expect(await probePort(ownHost, 9465)).toBe('refused');
    expect(ourLines(app.stderr())).toEqual([]);
  });

  it('(e) a View dropping gen_ai.agent.name from llm.cost.usd adds the agents up', async (context) => {
    require3x(context);
    const run = await startApp<{ port: number }>(join(APPS, 'nodesdk-app.mjs'), {
      cwd: OTEL3,
      env: { SETUP: 'view', ...fakeProviderEnv(fake) },
    });
    try {
      const page = await (await fetch(`http://127.0.0.1:${run.result.port}/metrics`)).text();
      const cost = page.split('\n').filter((l) => l.startsWith('llm_cost_usd_total{'));
      expect(cost.some((l) => l.includes('gen_ai_agent_name='))).toBe(false);
      // Two gpt-4o calls (agents planner and reviewer), 1000 input tokens each at $2.50 per
      // million: 2 × 1000 × 2.50/1e6 = $0.005 on the one series left.
      const input = cost.find((l) => l.includes('llm_token_type="input"'));
      expect(Number(input?.slice(input.lastIndexOf(' ') + 1))).toBeCloseTo(0.005, 12);
    } finally {
      await run.stop();
    }
  });

  it('(g) zero-code ESM app: attribution and instanceof BudgetExceededError', async (context) => {
    require3x(context);
    const run = await startApp<ZeroCodeResult>(join(APPS, 'zero-code-esm.mjs'), {
      cwd: OTEL3,
      nodeArgs: ['--import', 'llm-cost-otel/register'],
      env: zeroCodeEnv(fake.openaiBaseURL),
    });
    expect(await run.stop()).toBe(0);
    expectAttributedAndRefused(run.result);
    expect(ourLines(run.stderr())).toEqual([]);
  });
});
