/**
 * Real Alertmanager with the shipped template (rendered with short waits and a local webhook):
 * a budget's warning is inhibited while its critical fires; unrelated warnings still go out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerFlushed, MARKER_ALERTNAME } from '../support/barriers.js';
import { eventually, type RunningProcess, startAlertmanager } from '../support/processes.js';
import { renderAlertmanagerConfig, startWebhookReceiver, type WebhookReceiver } from './support.js';

const GROUP_WAIT_MS = 1_000;

let webhook: WebhookReceiver;
let alertmanager: RunningProcess;

beforeAll(async () => {
  webhook = await startWebhookReceiver();
  alertmanager = await startAlertmanager({
    config: renderAlertmanagerConfig({
      ALERTMANAGER_WEBHOOK_URL: webhook.url,
      ALERTMANAGER_GROUP_WAIT: `${GROUP_WAIT_MS / 1000}s`,
      ALERTMANAGER_GROUP_INTERVAL: '1s',
      ALERTMANAGER_REPEAT_INTERVAL_CRITICAL: '1h',
    }),
  });
});

afterAll(async () => {
  await alertmanager?.stop();
  await webhook?.close();
});

const alert = (labels: Record<string, string>) => ({
  labels,
  annotations: { summary: `${labels.alertname} test`, description: 'posted by inhibition.test.ts' },
  startsAt: new Date().toISOString(),
});

const id = (labels: Record<string, string>) =>
  [labels.alertname, labels.severity, labels.llm_budget_name ?? labels.gen_ai_provider_name].join('/');

describe('Alertmanager inhibits warnings by criticals for the same budget or alert', () => {
  it('delivers only the criticals and the unrelated warnings', async () => {
    const posted = [
      // budget "daily": 80 %, 95 % and 100 % tiers all firing at once
      alert({
        alertname: 'LLMBudgetWarning',
        severity: 'warning',
        llm_budget_name: 'daily',
        llm_budget_window: '1d',
      }),
      alert({
        alertname: 'LLMBudgetNearlyExhausted',
        severity: 'critical',
        llm_budget_name: 'daily',
        llm_budget_window: '1d',
      }),
      alert({
        alertname: 'LLMBudgetCritical',
        severity: 'critical',
        llm_budget_name: 'daily',
        llm_budget_window: '1d',
      }),
      // another budget's warning: nothing critical for it
      alert({
        alertname: 'LLMBudgetWarning',
        severity: 'warning',
        llm_budget_name: 'weekly',
        llm_budget_window: '7d',
      }),
      // one alert at two severities for anthropic; openai only warning
      alert({
        alertname: 'LLMProviderErrorRatioHigh',
        severity: 'warning',
        gen_ai_provider_name: 'anthropic',
      }),
      alert({
        alertname: 'LLMProviderErrorRatioHigh',
        severity: 'critical',
        gen_ai_provider_name: 'anthropic',
      }),
      alert({ alertname: 'LLMProviderErrorRatioHigh', severity: 'warning', gen_ai_provider_name: 'openai' }),
    ];
    const res = await fetch(`${alertmanager.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(posted),
    });
    expect(res.status).toBe(200);

    const delivered = () =>
      new Set(
        webhook.received
          .flatMap((n) => n.alerts)
          .filter((a) => !a.labels.alertname?.startsWith(MARKER_ALERTNAME))
          .map((a) => id(a.labels)),
      );
    const expected = [
      'LLMBudgetCritical/critical/daily',
      'LLMBudgetWarning/warning/weekly',
      'LLMProviderErrorRatioHigh/critical/anthropic',
      'LLMProviderErrorRatioHigh/warning/openai',
    ];
    await eventually(async () => (expected.every((e) => delivered().has(e)) ? true : undefined), {
      timeoutMs: 15_000,
      what: `webhook notifications for ${expected.join(', ')} (got ${[...delivered()].join(', ')})`,
    });

    // Alertmanager itself says why the others are silent.
    const suppressed = (await (
      await fetch(`${alertmanager.url}/api/v2/alerts?active=false&inhibited=true&silenced=false`)
    ).json()) as { labels: Record<string, string>; status: { state: string; inhibitedBy: string[] } }[];
    expect(
      suppressed
        .filter((a) => a.status.inhibitedBy.length > 0)
        .map((a) => id(a.labels))
        .sort(),
    ).toEqual([
      'LLMBudgetNearlyExhausted/critical/daily',
      'LLMBudgetWarning/warning/daily',
      'LLMProviderErrorRatioHigh/warning/anthropic',
    ]);

    // The inhibited groups had their group_wait and group_interval to (wrongly) flush: Alertmanager
    // has since delivered two marker alerts posted after them, each after the same group_wait.
    await alertmanagerFlushed(alertmanager.url, webhook.received);
    expect([...delivered()].sort()).toEqual([...expected].sort());
    // One notification per group: daily's critical once, not repeated.
    const daily = webhook.received.filter((n) => n.groupLabels.alertname === 'LLMBudgetCritical');
    expect(daily).toHaveLength(1);
    expect(daily[0]!.groupLabels).toEqual({ alertname: 'LLMBudgetCritical', llm_budget_name: 'daily' });
  });
});
