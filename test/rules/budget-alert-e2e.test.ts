/**
 * End to end with real processes on loopback: the app records a workload that passes a small
 * budget → real Prometheus (the shipped rule files, 1s scrape/evaluation, `for:` cut to 1s) fires
 * the budget alerts → real Alertmanager (the shipped template) → a local webhook gets exactly one
 * notification for the budget: the critical one. The lower tiers take the budget's highest
 * threshold reached, which is the limit itself, so they do not fire at all. Twice: scraping the
 * library's embedded /metrics, and scraping an app's OpenTelemetry PrometheusExporter the library
 * reports through (whose `otel_scope_*` labels must not leak into the alert).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { RULE_FILES } from '../../prometheus/src/rules.js';
import type { LLMTelemetry } from '../../src/index.js';
import { alertmanagerFlushed, rulesEvaluatedAfter } from '../support/barriers.js';
import {
  eventually,
  promQuery,
  type RunningProcess,
  startAlertmanager,
  startPrometheus,
} from '../support/processes.js';
import { ACME_PRICES, makeTelemetry } from '../support/telemetry.js';
import {
  awaitBudgetSpendScraped,
  renderAlertmanagerConfig,
  startWebhookReceiver,
  type WebhookReceiver,
  withShortFor,
} from './support.js';

const BUDGET = 'e2e';
const RUNBOOK = 'https://github.com/llm-cost-otel/llm-cost-otel/blob/main/docs/runbook.md';

let app: LLMTelemetry;
let webhook: WebhookReceiver;
let alertmanager: RunningProcess;
let prometheus: RunningProcess;
let exporterServer: Server | undefined;
let meterProvider: MeterProvider | undefined;

const ENDPOINTS = ['embedded /metrics', 'exporter-prometheus of the app MeterProvider'] as const;

describe.each(ENDPOINTS)('through the %s', (endpoint) => {
  beforeAll(async () => {
    webhook = await startWebhookReceiver();
    alertmanager = await startAlertmanager({
      config: renderAlertmanagerConfig({
        ALERTMANAGER_WEBHOOK_URL: webhook.url,
        ALERTMANAGER_GROUP_WAIT: '1s',
        ALERTMANAGER_GROUP_INTERVAL: '1s',
        ALERTMANAGER_REPEAT_INTERVAL_CRITICAL: '1h',
      }),
    });
    const options = {
      serviceName: 'e2e-app',
      prices: ACME_PRICES,
      budgets: [{ name: BUDGET, limitUsd: 1, window: '1h' as const }],
    };
    let target: string;
    if (endpoint === 'embedded /metrics') {
      app = makeTelemetry({ ...options, prometheus: { server: true, host: '127.0.0.1', port: 0 } });
      target = new URL((await app.metricsUrl()) ?? '').host;
    } else {
      // exporter-prometheus reads port 0 as its default 9464: serve its handler on an ephemeral port.
      const exporter = new PrometheusExporter({ preventServerStart: true });
      meterProvider = new MeterProvider({ readers: [exporter] });
      app = makeTelemetry({ ...options, meterProvider });
      exporterServer = createServer((req, res) => exporter.getMetricsRequestHandler(req, res));
      await new Promise<void>((r) => exporterServer!.listen(0, '127.0.0.1', r));
      target = `127.0.0.1:${(exporterServer.address() as AddressInfo).port}`;
    }
    prometheus = await startPrometheus({
      config: stringify({
        global: { scrape_interval: '1s', evaluation_interval: '1s' },
        rule_files: Object.values(RULE_FILES),
        alerting: { alertmanagers: [{ static_configs: [{ targets: [new URL(alertmanager.url).host] }] }] },
        scrape_configs: [{ job_name: 'llm-app', static_configs: [{ targets: [target] }] }],
      }),
      files: Object.fromEntries(Object.values(RULE_FILES).map((name) => [name, withShortFor(name)])),
      // Re-send firing alerts every second instead of every minute: on a busy machine the first send
      // can be late, and the test should wait seconds for the next one, not a minute.
      extraArgs: ['--rules.alert.resend-delay=1s'],
    });
  });

  afterAll(async () => {
    await prometheus?.stop();
    await alertmanager?.stop();
    await webhook?.close();
    await app?.shutdown();
    exporterServer?.close();
    exporterServer = undefined;
    await meterProvider?.shutdown();
    meterProvider = undefined;
  });

  const spend = (usd: number) =>
    app.record({
      provider: 'acme',
      model: 'acme-1',
      usage: { inputTokens: usd * 1_000_000, outputTokens: 0 },
    });

  describe('a workload passing a small budget reaches the webhook as one critical notification', () => {
    it('fires LLMBudgetCritical for the budget, and no lower tier', {
      timeout: 240_000,
    }, async () => {
      // The budget's spend series is exported at 0 from register(), so increase() sees every call:
      // wait for two scrapes of it, then spend past the limit.
      await awaitBudgetSpendScraped(prometheus.url, BUDGET, 60_000);
      for (let i = 0; i < 3; i++) spend(0.35); // $1.05 against a $1.00 limit

      const notification = await eventually(
        async () => webhook.received.find((n) => n.groupLabels.llm_budget_name === BUDGET),
        {
          timeoutMs: 150_000,
          what: `a webhook notification for budget ${BUDGET}\n${prometheus.output().slice(-2000)}`,
        },
      );
      expect(notification.status).toBe('firing');
      expect(notification.groupLabels).toEqual({
        alertname: 'LLMBudgetCritical',
        job: 'llm-app',
        llm_budget_name: BUDGET,
      });
      expect(notification.alerts).toHaveLength(1);
      const [alert] = notification.alerts;
      expect(alert!.labels).toEqual({
        alertname: 'LLMBudgetCritical',
        severity: 'critical',
        job: 'llm-app',
        llm_budget_name: BUDGET,
        llm_budget_window: '1h',
      });
      expect(alert!.annotations.summary).toBe(`LLM budget ${BUDGET} has used up its 1h limit.`);
      expect(alert!.annotations.runbook_url).toBe(`${RUNBOOK}#llmbudgetcritical`);
      // $1.05 was spent after the series was scraped at 0; 10s tiles of increase() extrapolate a little.
      expect(alert!.annotations.description).toMatch(
        /^Budget e2e \(job llm-app\) spent \$1\.\d\d of its \$1\.00 limit over the last 1h: 1\d\d(\.\d+)?% across all instances \(pages at 100%\)\.$/,
      );
      const spent = Number(/spent \$(\d+\.\d+)/.exec(alert!.annotations.description!)?.[1]);
      expect(spent).toBeGreaterThanOrEqual(1.05);
      expect(alert!.annotations.dashboard_url).toMatch(/\/d\/llm-cost-overview\?viewPanel=\d+$/);

      // The lower tiers never fired: the highest threshold reached is the limit.
      const tiers = await promQuery(prometheus.url, `ALERTS{llm_budget_name="${BUDGET}"}`);
      expect(tiers.map((s) => s.metric.alertname)).toEqual(['LLMBudgetCritical']);

      // Later: still exactly one notification for the budget. Prometheus evaluated every rule
      // again past the lower tiers' 1s `for:` (so a tier that was pending has fired and been sent),
      // then Alertmanager delivered two marker alerts of its own, each after its 1s group_wait —
      // the budget's group (1s group_interval) had its flushes in between.
      await rulesEvaluatedAfter(prometheus.url, Date.now() + 2_000);
      const lowerTiers = await promQuery(prometheus.url, `ALERTS{llm_budget_name="${BUDGET}"}`);
      expect(lowerTiers.map((s) => s.metric.alertname)).toEqual(['LLMBudgetCritical']);
      await alertmanagerFlushed(alertmanager.url, webhook.received);
      expect(webhook.received.filter((n) => n.groupLabels.llm_budget_name === BUDGET)).toHaveLength(1);
    });
  });
});
