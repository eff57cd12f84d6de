/**
 * Every panel query of the shipped dashboards, run against a real Prometheus that scrapes the demo
 * workload (fake provider + real SDK clients + this library): each must parse and return data,
 * and the Overview spend total must equal the workload's known cost. Twice: scraping the library's
 * embedded /metrics, and scraping an app's OpenTelemetry PrometheusExporter the library reports
 * through (with its `otel_scope_*` labels and `target_info`).
 */

import { readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dashboardQueries,
  filterVariableQueries,
  loadCommittedDashboards,
  substituteVariables,
} from '../../grafana/src/queries.js';
import { demoBudgets, demoRuns } from '../../src/demo/demo.js';
import { type FakeProvider, startFakeProvider } from '../../src/demo/fake-provider/index.js';
import { providerUrlsOf, runWorkload } from '../../src/demo/workload.js';
import { METRIC } from '../../src/metrics/names.js';
import type { LLMTelemetry } from '../../src/telemetry.js';
import { scrapeAfterNow } from '../support/barriers.js';
import { promQuery, type RunningProcess, scrapedAfter, startPrometheus } from '../support/processes.js';
import { scrapeConfig } from '../support/prometheus-config.js';
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

type Endpoint = 'embedded /metrics' | 'exporter-prometheus of the app MeterProvider';
const ENDPOINTS: Endpoint[] = ['embedded /metrics', 'exporter-prometheus of the app MeterProvider'];
let exporterServer: Server | undefined;
let meterProvider: MeterProvider | undefined;

/** The telemetry under test and the host:port Prometheus scrapes for it. */
async function startApp(endpoint: Endpoint): Promise<{ telemetry: LLMTelemetry; target: string }> {
  const common = {
    serviceName: 'llm-cost-demo',
    budgets: demoBudgets(5),
    // As the demo does: the fake provider accepts stream_options.include_usage.
    openaiStreamUsageHosts: ['127.0.0.1'],
    runs: demoRuns(),
  };
  if (endpoint === 'embedded /metrics') {
    const t = makeTelemetry({ ...common, prometheus: { server: true, port: 0 } });
    return { telemetry: t, target: new URL((await t.metricsUrl())!).host };
  }
  // exporter-prometheus reads port 0 as its default 9464: serve its handler on an ephemeral port.
  const exporter = new PrometheusExporter({ preventServerStart: true });
  meterProvider = new MeterProvider({ readers: [exporter] });
  const t = makeTelemetry({ ...common, meterProvider });
  exporterServer = createServer((req, res) => exporter.getMetricsRequestHandler(req, res));
  await new Promise<void>((r) => exporterServer!.listen(0, '127.0.0.1', r));
  return { telemetry: t, target: `127.0.0.1:${(exporterServer.address() as AddressInfo).port}` };
}

describe.each(ENDPOINTS)('through the %s', (endpoint) => {
  beforeAll(async () => {
    fake = await startFakeProvider({ seed: SEED, latencyMs: 0, chunkDelayMs: 0 });
    const app = await startApp(endpoint);
    telemetry = app.telemetry;
    const target = app.target;
    const ruleFiles = readdirSync(RULES_DIR)
      .filter((f) => f.endsWith('.yml'))
      .map((f) => join(RULES_DIR, f));
    prometheus = await startPrometheus({ config: scrapeConfig({ 'llm-cost-demo': target }, { ruleFiles }) });
    startedAt = Date.now() / 1000;
    const urls = providerUrlsOf(fake);
    // Phase one creates every label combination of the plan; phase two replays the same plan, so
    // no series is new in phase two and increase() over phase two is exact at scrape timestamps.
    await runWorkload({ telemetry, providerUrls: urls, seed: SEED, calls: CALLS, rate: 400 });
    phaseOneCost = telemetry.summary().total.costUsd;
    // A scrape begun after the last phase-one record: its sample holds all of phase one.
    phaseOneScrape = await scrapeAfterNow(prometheus.url, METRIC.requests);
    const beforeTwo = telemetry.summary().total.costUsd;
    expect(beforeTwo).toBe(phaseOneCost);
    await runWorkload({ telemetry, providerUrls: urls, seed: SEED, calls: CALLS, rate: 400 });
    phaseTwoCost = telemetry.summary().total.costUsd - phaseOneCost;
    phaseTwoScrape = await scrapeAfterNow(prometheus.url, METRIC.requests);
  }, 180_000);

  afterAll(async () => {
    await telemetry?.shutdown();
    await prometheus?.stop();
    await fake?.stop();
    exporterServer?.close();
    exporterServer = undefined;
    await meterProvider?.shutdown();
    meterProvider = undefined;
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
        (q) => q.dashboardUid === 'llm-cost-overview' && q.panelTitle === 'Spend in range',
      )!;
      // The panel's own query over exactly phase two: from one scrape to another.
      const rangeMs = Math.round((phaseTwoScrape - phaseOneScrape) * 1000);
      const expr = substituteVariables(spend.expr, { __range: `${rangeMs}ms` });
      const result = await promQuery(prometheus.url, expr, phaseTwoScrape);
      const shown = Number(result[0]!.value[1]);
      expect(Math.abs(shown - phaseTwoCost) / phaseTwoCost).toBeLessThan(1e-9);
    });
  });

  describe('Overview and Reliability stat panels equal the app’s own counters, new series included', () => {
    it('over a phase with a new model, a new error type, an unpriced model and aborted calls', async () => {
      // A phase after the workload, started once Prometheus has scraped the app (so series born in
      // it are counted with their first sample, like in production).
      const start = await scrapedAfter(prometheus.url, METRIC.requests, phaseTwoScrape);
      const before = telemetry.summary().total;
      const call = {
        provider: 'openai' as const,
        agent: 'phase-three',
        operation: 'late',
        apiOperation: 'chat',
      };
      for (let i = 0; i < 7; i++) {
        // A model no earlier call used, priced by the provider-reported cost ($0.125 each).
        telemetry.record({
          ...call,
          model: 'gpt-late-1',
          usage: { inputTokens: 100, outputTokens: 10 },
          costUsd: 0.125,
        });
      }
      for (let i = 0; i < 3; i++) {
        telemetry.record({ ...call, model: 'gpt-late-1', outcome: 'error', errorType: 'BrandNewError' });
      }
      for (let i = 0; i < 2; i++) {
        telemetry.record({ ...call, model: 'gpt-late-1', outcome: 'aborted' });
      }
      // A model with no price and no provider cost: unpriced, counted, never $0.
      telemetry.record({
        ...call,
        model: 'acme-unknown-late',
        usage: { inputTokens: 100, outputTokens: 10 },
      });
      const after = telemetry.summary().total;
      const end = await scrapeAfterNow(prometheus.url, METRIC.requests);

      const rangeMs = Math.round((end - start) * 1000);
      const shown = async (uid: string, title: string) => {
        const q = dashboardQueries().find((x) => x.dashboardUid === uid && x.panelTitle === title)!;
        const result = await promQuery(
          prometheus.url,
          substituteVariables(q.expr, { __range: `${rangeMs}ms` }),
          end,
        );
        return Number(result[0]?.value[1] ?? Number.NaN);
      };
      // Hand-checked phase figures: 7 × $0.125 = $0.875; 13 calls; 3 errors; 2 aborted; 1 unpriced.
      expect(after.costUsd - before.costUsd).toBeCloseTo(0.875, 12);
      expect(after.requests - before.requests).toBe(13);
      expect(await shown('llm-cost-overview', 'Spend in range')).toBeCloseTo(0.875, 9);
      expect(await shown('llm-cost-overview', 'Unpriced calls')).toBe(after.unpriced - before.unpriced);
      expect(await shown('llm-cost-reliability', 'Aborted calls')).toBe(after.aborted - before.aborted);
      expect(await shown('llm-cost-reliability', 'Error ratio')).toBeCloseTo(
        (after.errors - before.errors) / (after.requests - before.requests),
        12,
      );
    }, 60_000);
  });
});
