/**
 * Alertmanager down while a budget alert fires: Prometheus keeps the alert firing and re-sends it,
 * and once Alertmanager is back on the same address the webhook gets the notification — no spend
 * and no alert is lost to the outage. Real processes on loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { RULE_FILES } from '../../prometheus/src/rules.js';
import type { LLMTelemetry } from '../../src/telemetry.js';
import {
  awaitBudgetSpendScraped,
  renderAlertmanagerConfig,
  startWebhookReceiver,
  type WebhookReceiver,
  withShortFor,
} from '../rules/support.js';
import {
  eventually,
  promQuery,
  type RunningProcess,
  startAlertmanager,
  startPrometheus,
} from '../support/processes.js';
import { ACME_PRICES, makeTelemetry } from '../support/telemetry.js';

const BUDGET = 'outage';

let app: LLMTelemetry;
let webhook: WebhookReceiver;
let alertmanager: RunningProcess | undefined;
let prometheus: RunningProcess;
let amPort: number;
let amConfig: string;

beforeAll(async () => {
  webhook = await startWebhookReceiver();
  amConfig = renderAlertmanagerConfig({
    ALERTMANAGER_WEBHOOK_URL: webhook.url,
    ALERTMANAGER_GROUP_WAIT: '1s',
    ALERTMANAGER_GROUP_INTERVAL: '1s',
    ALERTMANAGER_REPEAT_INTERVAL_CRITICAL: '1h',
  });
  alertmanager = await startAlertmanager({ config: amConfig });
  // Prometheus keeps this address: the restarted Alertmanager takes back the port it bound here.
  amPort = alertmanager.port;
  app = makeTelemetry({
    prometheus: { port: 0 },
    prices: ACME_PRICES,
    budgets: [{ name: BUDGET, limitUsd: 1, window: '1h' }],
  });
  const metrics = new URL((await app.metricsUrl()) ?? '');
  prometheus = await startPrometheus({
    config: stringify({
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      rule_files: Object.values(RULE_FILES),
      alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${amPort}`] }] }] },
      scrape_configs: [{ job_name: 'llm-app', static_configs: [{ targets: [metrics.host] }] }],
    }),
    files: Object.fromEntries(Object.values(RULE_FILES).map((name) => [name, withShortFor(name)])),
    // Re-send firing alerts every second instead of every minute, so the test stays short.
    extraArgs: ['--rules.alert.resend-delay=1s'],
  });
}, 60_000);

afterAll(async () => {
  await prometheus?.stop();
  await alertmanager?.stop();
  await webhook?.close();
  await app?.shutdown();
});

describe('Alertmanager down while a budget alert fires', () => {
  it('the notification arrives once Alertmanager is back', { timeout: 90_000 }, async () => {
    await awaitBudgetSpendScraped(prometheus.url, BUDGET, 20_000);
    await alertmanager!.stop();
    alertmanager = undefined;
    for (let i = 0; i < 3; i++) {
      app.record({ provider: 'acme', model: 'acme-1', usage: { inputTokens: 350_000, outputTokens: 0 } }); // $0.35
    }
    await eventually(
      async () => {
        const r = await promQuery(
          prometheus.url,
          `ALERTS{alertname="LLMBudgetCritical",alertstate="firing",llm_budget_name="${BUDGET}"}`,
        );
        return r.length > 0 ? true : undefined;
      },
      { timeoutMs: 30_000, what: 'LLMBudgetCritical firing in Prometheus' },
    );
    expect(webhook.received).toEqual([]);

    alertmanager = await startAlertmanager({ config: amConfig, port: amPort });
    const notification = await eventually(
      async () =>
        webhook.received.find(
          (n) => n.groupLabels.llm_budget_name === BUDGET && n.groupLabels.alertname === 'LLMBudgetCritical',
        ),
      { timeoutMs: 45_000, what: 'the webhook notification after Alertmanager came back' },
    );
    expect(notification.status).toBe('firing');
    expect(notification.groupLabels).toEqual({
      alertname: 'LLMBudgetCritical',
      job: 'llm-app',
      llm_budget_name: BUDGET,
    });
    expect(notification.alerts.map((a) => a.labels.alertname)).toEqual(['LLMBudgetCritical']);
    // (Which lower tiers also get through in the burst after an outage is up to inhibition timing;
    // the inhibition itself is tested in test/rules.)
  });
});
