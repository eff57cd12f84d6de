import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { tempDir } from '../support/processes.js';
import { ALERTMANAGER_DIR, parseEnvFile, renderAlertmanagerConfig, run } from './support.js';

const shipped = join(ALERTMANAGER_DIR, 'alertmanager.yml');

interface Route {
  receiver?: string;
  matchers?: string[];
  repeat_interval?: string;
  routes?: Route[];
}
const dir = tempDir('amtool');
afterAll(() => run('rm', ['-rf', dir]));

function routesTo(configFile: string, labels: Record<string, string>): string {
  const args = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  const result = run('amtool', ['config', 'routes', 'test', `--config.file=${configFile}`, ...args]);
  expect(result.status, result.output).toBe(0);
  return result.stdout.trim();
}

describe('amtool check-config', () => {
  it('accepts the shipped alertmanager/alertmanager.yml', () => {
    const result = run('amtool', ['check-config', shipped]);
    expect(result.status, result.output).toBe(0);
    expect(result.stdout).toContain('5 receivers');
    expect(result.stdout).toContain('3 inhibit rules');
  });

  it('accepts the template rendered with no variables (webhook, plus blackhole and a null heartbeat)', () => {
    const file = join(dir, 'minimal.yml');
    writeFileSync(file, renderAlertmanagerConfig({}));
    const result = run('amtool', ['check-config', file]);
    expect(result.status, result.output).toBe(0);
    expect(result.stdout).toContain('3 receivers');
  });
});

describe('the shipped config holds no secrets', () => {
  it('reads the Slack URL and SMTP password from files', () => {
    const text = readFileSync(shipped, 'utf8');
    expect(text).toContain('api_url_file: "/etc/alertmanager/secrets/slack-api-url"');
    expect(text).toContain('auth_password_file: "/etc/alertmanager/secrets/smtp-auth-password"');
    expect(text).not.toMatch(/hooks\.slack\.com|auth_password:|api_url:/);
  });

  it('writes a Slack URL given by env to a mode-600 file, not into the YAML', () => {
    const secrets = join(dir, 'secrets');
    const url = 'https://hooks.slack.com/services/T000/B000/not-a-real-token';
    const yaml = renderAlertmanagerConfig({
      ALERTMANAGER_SLACK_API_URL: url,
      ALERTMANAGER_SECRETS_DIR: secrets,
    });
    expect(yaml).not.toContain(url);
    expect(yaml).toContain(`api_url_file: "${secrets}/slack-api-url"`);
    expect(readFileSync(join(secrets, 'slack-api-url'), 'utf8')).toBe(url);
    expect(run('stat', ['-c', '%a', join(secrets, 'slack-api-url')]).stdout.trim()).toBe('600');
  });

  it('escapes values for YAML', () => {
    const yaml = renderAlertmanagerConfig({
      ALERTMANAGER_SLACK_API_URL_FILE: '/run/secrets/slack',
      ALERTMANAGER_SLACK_CHANNEL: '#a"b\\c&d|e',
    });
    expect(yaml).toContain('channel: "#a\\"b\\\\c&d|e"');
  });

  it('refuses email without a sender, naming the variable', () => {
    expect(() => renderAlertmanagerConfig({ ALERTMANAGER_SMTP_SMARTHOST: 'smtp:25' })).toThrow(
      /ALERTMANAGER_SMTP_FROM is required/,
    );
  });
});

describe('amtool config routes test (shipped routing)', () => {
  it('pages critical alerts to Slack, email and the webhook', () => {
    expect(
      routesTo(shipped, { alertname: 'LLMBudgetCritical', severity: 'critical', llm_budget_name: 'daily' }),
    ).toBe('slack,email,webhook');
  });

  it('sends warnings to Slack and the webhook', () => {
    expect(
      routesTo(shipped, { alertname: 'LLMBudgetWarning', severity: 'warning', llm_budget_name: 'daily' }),
    ).toBe('slack,webhook');
  });

  it('sends info to the webhook only', () => {
    expect(routesTo(shipped, { alertname: 'LLMSomething', severity: 'info' })).toBe('webhook');
  });

  it('takes only llm-cost-otel alerts: anything else ends in the blackhole receiver', () => {
    expect(routesTo(shipped, { alertname: 'NodeDown', severity: 'critical' })).toBe('blackhole');
  });

  it('sends the Watchdog to the heartbeat receiver only', () => {
    expect(routesTo(shipped, { alertname: 'LLMWatchdog', severity: 'info' })).toBe('heartbeat');
  });

  it('repeats a page every 12h, a warning every 24h, info every 7d, the heartbeat every minute', () => {
    const doc = parse(readFileSync(shipped, 'utf8')) as { route: Route };
    const ours = doc.route.routes?.find((r) => r.matchers?.includes('alertname=~"LLM.+"'));
    const repeatFor = (severity: string) =>
      ours?.routes?.find((r) => (r.matchers ?? [`severity="info"`]).includes(`severity="${severity}"`))
        ?.repeat_interval;
    expect([repeatFor('critical'), repeatFor('warning'), repeatFor('info')]).toEqual(['12h', '24h', '7d']);
    const heartbeat = doc.route.routes?.find((r) => r.receiver === 'heartbeat');
    expect(heartbeat?.repeat_interval).toBe('1m');
  });

  it('drops the Watchdog when no heartbeat URL is configured', () => {
    const file = join(dir, 'no-heartbeat.yml');
    writeFileSync(file, renderAlertmanagerConfig({}));
    expect(readFileSync(file, 'utf8')).not.toContain('hc-ping');
    expect(routesTo(file, { alertname: 'LLMWatchdog', severity: 'info' })).toBe('heartbeat');
    const doc = parse(readFileSync(file, 'utf8')) as {
      receivers: { name: string; webhook_configs?: unknown }[];
    };
    expect(doc.receivers.find((r) => r.name === 'heartbeat')?.webhook_configs).toBeUndefined();
  });

  it('routes everything to the webhook when Slack and email are not configured', () => {
    const file = join(dir, 'webhook-only.yml');
    writeFileSync(file, renderAlertmanagerConfig({}));
    expect(routesTo(file, { alertname: 'LLMBudgetCritical', severity: 'critical' })).toBe('webhook');
  });

  it('keeps example.env free of secret values', () => {
    const vars = parseEnvFile(readFileSync(join(ALERTMANAGER_DIR, 'example.env'), 'utf8'));
    expect(Object.keys(vars).filter((k) => /PASSWORD$|API_URL$/.test(k))).toEqual([]);
  });
});
