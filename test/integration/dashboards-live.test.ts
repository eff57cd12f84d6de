/**
 * Every panel query of the shipped dashboards, run against a real Prometheus that scrapes the demo
 * workload (fake provider + real SDK clients + this library): each must parse and return data,
 * and the Overview spend total must equal the workload's known cost.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dashboardQueries,
  filterVariableQueries,
  loadCommittedDashboards,
  substituteVariables,
} from '../../grafana/src/queries.js';
import { demoBudgets, demoRuns } from '../../src/cli/demo.js';
import { providerUrlsOf, runWorkload } from '../../src/cli/workload.js';
import { type FakeProvider, startFakeProvider } from '../../src/fake-provider/index.js';
import { METRIC } from '../../src/metrics/names.js';
import type { LLMTelemetry } from '../../src/telemetry.js';
import {
  freePort,
  promQuery,
  type RunningProcess,
  scrapedAfter,
  startPrometheus,
} from '../support/processes.js';
import { makeTelemetry } from '../support/telemetry.js';

const RULES_DIR = join(import.meta.dirname, '../../prometheus/rules');
const CALLS = 160;
const SEED = 7;

let fake: FakeProvider;
let telemetry: LLMTelemetry;
let prometheus: RunningProcess;
let startedAt: number;

async function rangeQuery(expr: string, start: number, end: number, step = 5) {
  const params = new URLSearchParams({
    query: expr,
    start: String(start),
    end: String(end),
    step: String(step),
  });
  const res = await fetch(`${prometheus.url}/api/v1/query_range?${params}`);
  const body = (await res.json()) as { status: string; error?: string; data?: { result: unknown[] } };
  if (body.status !== 'success') throw new Error(`query_range failed: ${expr}: ${body.error}`);
  return body.data!.result;
}

// Cost so far, per phase (in-process: the same records Prometheus is scraping).
let phaseOneCost = 0;
let phaseTwoCost = 0;
let phaseOneScrape = 0;
let phaseTwoScrape = 0;

beforeAll(async () => {
  fake = await startFakeProvider({ seed: SEED, latencyMs: 0, chunkDelayMs: 0 });
  telemetry = makeTelemetry({
    serviceName: 'llm-cost-demo',
    prometheus: { port: await freePort() },
    budgets: demoBudgets(5),
    runs: demoRuns(),
  });
  const target = new URL((await telemetry.metricsUrl())!).host;
  const ruleFiles = readdirSync(RULES_DIR)
    .filter((f) => f.endsWith('.yml'))
    .map((f) => `  - ${join(RULES_DIR, f)}`);
  prometheus = await startPrometheus({
    config: [
      'global: { scrape_interval: 1s, evaluation_interval: 1s }',
      'rule_files:',
      ...ruleFiles,
      'scrape_configs:',
      '  - job_name: llm-cost-demo',
      `    static_configs: [{ targets: ["${target}"] }]`,
    ].join('\n'),
  });
  startedAt = Date.now() / 1000;
  const urls = providerUrlsOf(fake);
  // Phase one creates every label combination of the plan; phase two replays the same plan, so
  // no series is new in phase two and increase() over phase two is exact at scrape timestamps.
  await runWorkload({ telemetry, providerUrls: urls, seed: SEED, calls: CALLS, rate: 400 });
  phaseOneCost = telemetry.summary().total.costUsd;
  phaseOneScrape = await scrapedAfter(prometheus.url, METRIC.requests, 0);
  // One more scrape so the phase-one value is surely in.
  phaseOneScrape = await scrapedAfter(prometheus.url, METRIC.requests, phaseOneScrape);
  const beforeTwo = telemetry.summary().total.costUsd;
  expect(beforeTwo).toBe(phaseOneCost);
  await runWorkload({ telemetry, providerUrls: urls, seed: SEED, calls: CALLS, rate: 400 });
  phaseTwoCost = telemetry.summary().total.costUsd - phaseOneCost;
  phaseTwoScrape = await scrapedAfter(prometheus.url, METRIC.requests, phaseOneScrape + 0.5);
  phaseTwoScrape = await scrapedAfter(prometheus.url, METRIC.requests, phaseTwoScrape);
}, 180_000);

afterAll(async () => {
  await telemetry?.shutdown();
  await prometheus?.stop();
  await fake?.stop();
});

describe('the shipped dashboards against a real Prometheus fed by the demo workload', () => {
  it('the workload produced cost for every agent and priced nearly everything', () => {
    const byAgent = telemetry.summary({ by: ['agent'] }).groups;
    expect(byAgent.map((g) => g.key.agent).sort()).toEqual([
      'coder',
      'planner',
      'researcher',
      'reviewer',
      'summarizer',
    ]);
    for (const g of byAgent) expect(g.costUsd).toBeGreaterThan(0);
    expect(phaseTwoCost).toBeGreaterThan(0);
  });

  it('every panel query parses and returns data', async () => {
    const queries = dashboardQueries();
    expect(queries.length).toBeGreaterThan(40);
    const rangeSeconds = Math.ceil(phaseTwoScrape - startedAt) + 5;
    const empty: string[] = [];
    for (const q of queries) {
      const expr = substituteVariables(q.expr, {
        __range: `${rangeSeconds}s`,
        __rate_interval: '4s',
        __interval: '1s',
      });
      const result = q.instant
        ? await promQuery(prometheus.url, expr, phaseTwoScrape)
        : await rangeQuery(expr, phaseTwoScrape - rangeSeconds, phaseTwoScrape);
      if (result.length === 0) empty.push(`${q.dashboardUid} / ${q.panelTitle} [${q.refId}]: ${expr}`);
    }
    expect(empty).toEqual([]);
  }, 120_000);

  it('every filter variable lists values', async () => {
    for (const dash of loadCommittedDashboards()) {
      for (const v of filterVariableQueries(dash)) {
        const match = substituteVariables(v.match);
        const res = await fetch(
          `${prometheus.url}/api/v1/label/${v.label}/values?${new URLSearchParams({ 'match[]': match })}`,
        );
        const body = (await res.json()) as { data: string[] };
        expect(body.data.length, `${dash.uid} variable ${v.name}`).toBeGreaterThan(0);
      }
    }
  });

  it("the Overview spend total equals the workload's known cost", async () => {
    const spend = dashboardQueries().find(
      (q) => q.dashboardUid === 'llm-cost-overview' && q.panelTitle === 'Spend today',
    )!;
    // The panel's own query over exactly phase two: from one scrape to another.
    const rangeMs = Math.round((phaseTwoScrape - phaseOneScrape) * 1000);
    const expr = substituteVariables(spend.expr, { __range: `${rangeMs}ms` });
    const result = await promQuery(prometheus.url, expr, phaseTwoScrape);
    const shown = Number(result[0]!.value[1]);
    expect(Math.abs(shown - phaseTwoCost) / phaseTwoCost).toBeLessThan(1e-9);
  });
});
