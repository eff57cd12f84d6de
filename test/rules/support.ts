/**
 * Paths of the shipped monitoring files, a bounded runner for promtool / amtool / sh, a webhook
 * receiver, and the waits the budget-alert end-to-end tests share.
 */
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { config } from '../../prometheus/src/config.js';
import { renderRuleFiles } from '../../prometheus/src/rules.js';
import { eventually, promQuery } from '../support/processes.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PROMETHEUS_DIR = join(ROOT, 'prometheus');
export const RULES_DIR = join(PROMETHEUS_DIR, 'rules');
export const FIXTURES_DIR = join(ROOT, 'test', 'fixtures', 'rules');
export const ALERTMANAGER_DIR = join(ROOT, 'alertmanager');
export const RUNBOOK = join(ROOT, 'docs', 'runbook.md');

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
  /** stdout + stderr, for assertion messages. */
  output: string;
}

export function run(
  bin: string,
  args: string[],
  { env, cwd, timeoutMs = 60_000 }: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): RunResult {
  const result = spawnSync(bin, args, { cwd: cwd ?? ROOT, env, encoding: 'utf8', timeout: timeoutMs });
  if (result.error) throw result.error;
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    output: `${bin} ${args.join(' ')} → ${result.status}\n${result.stdout}${result.stderr}`,
  };
}

/**
 * Renders `alertmanager/alertmanager.yml.tmpl` with the shipped script and only the given
 * variables (plus PATH), so the caller's environment cannot leak in.
 */
export function renderAlertmanagerConfig(vars: Record<string, string>): string {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...vars };
  const result = run('sh', [join(ALERTMANAGER_DIR, 'render-config.sh')], { env });
  if (result.status !== 0) throw new Error(`render-config.sh failed:\n${result.output}`);
  return result.stdout;
}

/** `KEY='value'` lines of a shell env file (the format of alertmanager/example.env). */
export function parseEnvFile(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)='([^']*)'$/.exec(line.trim());
    if (match) vars[match[1]!] = match[2]!;
  }
  return vars;
}

/** What Alertmanager's webhook integration POSTs. */
export interface WebhookNotification {
  status: string;
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  alerts: { status: string; labels: Record<string, string>; annotations: Record<string, string> }[];
}

export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>/alerts` */
  url: string;
  received: WebhookNotification[];
  close(): Promise<void>;
}

/** A local webhook receiver on 127.0.0.1 and an ephemeral port that records every notification. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: WebhookNotification[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/alerts')
        received.push(JSON.parse(body) as WebhookNotification);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/alerts`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Tile width for end-to-end tests at a 1s scrape: ten scrapes per tile, so a late scrape on a busy
 * machine cannot leave a tile with a single sample (its increase would be lost), and spend still
 * shows up within seconds.
 */
export const SHORT_TILE = '10s';

/**
 * A shipped rule file, generated from the shipped config with only the tile cut to
 * {@link SHORT_TILE} (a 5m tile group would hold spend back for minutes) and every `for:` cut to
 * 1s; expressions and annotations otherwise unchanged. For end-to-end tests at 1s scrape/evaluation.
 */
export function withShortFor(name: string): string {
  const doc = parseYaml(renderRuleFiles({ ...config, tile: SHORT_TILE })[name] ?? '') as {
    groups: { rules: { for?: string }[] }[];
  };
  for (const group of doc.groups) for (const rule of group.rules) if (rule.for) rule.for = '1s';
  return stringifyYaml(doc, { lineWidth: 0 });
}

/**
 * Waits until Prometheus holds two scrapes of `budget`'s spend series (exported at 0 from
 * register()): from then on increase() sees every call, so spending now fires the alert.
 */
export async function awaitBudgetSpendScraped(
  prometheusUrl: string,
  budget: string,
  timeoutMs: number,
): Promise<void> {
  await eventually(
    async () => {
      const r = await promQuery(
        prometheusUrl,
        `count_over_time(llm_budget_spend_usd_total{llm_budget_name="${budget}"}[1m])`,
      );
      return Number(r[0]?.value[1] ?? 0) >= 2 ? true : undefined;
    },
    { timeoutMs, what: 'two scrapes of the budget spend series at 0' },
  );
}
