/**
 * `top --prometheus` and `export` against a real Prometheus scraping the demo: what they print
 * equals what the documented PromQL returns at the same evaluation time.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  promQuery,
  type RunningProcess,
  scrapeConfig,
  startPrometheus,
} from '../support/processes.js';
import { type RunningCli, runMain, startCli } from './support.js';

let demo: RunningCli;
let prometheus: RunningProcess;
let metricsTotal: number;

beforeAll(async () => {
  // increase() only sees what happens after a series' first scrape: Prometheus is up before the
  // demo, and takes the port the demo bound (0, read back) by a config reload — one scrape
  // interval at most before the calls, which are spread over a few intervals.
  prometheus = await startPrometheus({ config: scrapeConfig('llm-cost-demo', []) });
  demo = startCli(['demo', '--calls', '40', '--rate', '5', '--no-ui', '--port', '0', '--no-prometheus']);
  const [, url] = await demo.waitFor(/^metrics\s+(http:\/\/\S+\/metrics)$/m);
  writeFileSync(join(prometheus.dir, 'prometheus.yml'), scrapeConfig('llm-cost-demo', [new URL(url!).host]));
  expect((await fetch(`${prometheus.url}/-/reload`, { method: 'POST' })).status).toBe(200);
  await demo.waitFor(/^workload done: 40 calls/m, 60_000);
  const text = await (await fetch(url!)).text();
  metricsTotal = text
    .split('\n')
    .filter((l) => l.startsWith('llm_requests_total{'))
    .reduce((s, l) => s + Number(l.split(' ').at(-1)), 0);
  // Wait until Prometheus holds the final counter values.
  await eventually(
    async () => {
      const [r] = await promQuery(prometheus.url, 'sum(llm_requests_total)');
      return r && Number(r.value[1]) === metricsTotal ? true : undefined;
    },
    { timeoutMs: 30_000, what: 'Prometheus to scrape the final values' },
  );
}, 120_000);

afterAll(async () => {
  demo?.kill();
  await prometheus?.stop();
});

const value = async (expr: string, time: number) => {
  const result = await promQuery(prometheus.url, expr, time);
  return result.length === 0 ? undefined : Number(result[0]!.value[1]);
};

describe('llm-cost top --once --prometheus', () => {
  it('prints the figures of its PromQL at the instant it names', async () => {
    const json = await runMain(['top', '--once', '--json', '--prometheus', prometheus.url, '--range', '1h']);
    expect(json.code, json.stderr).toBe(0);
    const s = JSON.parse(json.stdout);
    const t = Date.parse(s.at) / 1000;
    expect(s.totalUsd).toBe(await value('sum(increase(llm_cost_usd_total[1h]))', t));
    expect(s.totalUsd).toBeGreaterThan(0);
    expect(s.usdPerHour).toBe(await value('sum(rate(llm_cost_usd_total[5m])) * 3600', t));
    expect(s.requests).toBe(await value('sum(increase(llm_requests_total[1h]))', t));
    const agents = await promQuery(
      prometheus.url,
      'sum by (gen_ai_agent_name) (increase(llm_cost_usd_total[1h]))',
      t,
    );
    expect(agents.length).toBe(5);
    for (const a of agents) {
      const row = s.agents.find((r: { name: string }) => r.name === a.metric.gen_ai_agent_name);
      expect(row.costUsd).toBe(Number(a.value[1]));
    }
    const daily = s.budgets.find((b: { name: string }) => b.name === 'demo-daily');
    expect(daily).toMatchObject({ window: '1d', limitUsd: 5 });
    expect(daily.spentUsd).toBe(
      await value(
        'sum by (llm_budget_name) (increase(llm_budget_spend_usd_total{llm_budget_name="demo-daily"}[1d]))',
        t,
      ),
    );
  });

  it('prints the total as text, without escape codes in a pipe', async () => {
    const plain = await runMain(['top', '--once', '--prometheus', prometheus.url]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).not.toContain('\u001b[');
    const at = /^llm-cost top {2}\S+ {2}(\S+)$/m.exec(plain.stdout)![1]!;
    const expected = await value('sum(increase(llm_cost_usd_total[1d]))', Date.parse(at) / 1000);
    expect(plain.stdout).toMatch(
      new RegExp(`^Total spend\\s+\\$${expected!.toFixed(4)}\\s+increase over the last 1d$`, 'm'),
    );
  });
});

describe('llm-cost export', () => {
  const exportFrom = (...args: string[]) => runMain(['export', '--prometheus', prometheus.url, ...args]);

  it('--format csv equals the PromQL results', async () => {
    const to = Math.round(Date.now()) / 1000;
    const res = await exportFrom(
      '--by',
      'agent,model',
      '--range',
      '1h',
      '--to',
      String(to),
      '--format',
      'csv',
    );
    expect(res.code, res.stderr).toBe(0);
    const [header, ...lines] = res.stdout.trimEnd().split('\n');
    expect(header).toBe('agent,model,cost_usd,tokens,requests');
    const query = async (metric: string) =>
      new Map(
        (
          await promQuery(
            prometheus.url,
            `sum by (gen_ai_agent_name, gen_ai_request_model) (increase(${metric}[1h]))`,
            to,
          )
        ).map((r) => [`${r.metric.gen_ai_agent_name},${r.metric.gen_ai_request_model}`, r.value[1]]),
      );
    const [cost, tokens, requests] = await Promise.all([
      query('llm_cost_usd_total'),
      query('llm_tokens_total'),
      query('llm_requests_total'),
    ]);
    const expected = [...requests.keys()].map(
      (key) => `${key},${cost.get(key) ?? ''},${tokens.get(key) ?? ''},${requests.get(key)}`,
    );
    expect([...lines].sort()).toEqual(expected.sort());
    expect(lines.length).toBeGreaterThanOrEqual(6);
  });

  it('--step splits the range into windows, one query per window and metric', async () => {
    const to = Math.round(Date.now()) / 1000;
    const res = await exportFrom(
      ...['--by', 'agent', '--from', String(to - 8), '--to', String(to), '--step', '4s', '--format', 'json'],
    );
    expect(res.code, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout);
    const windows = [...new Set(out.rows.map((r: { to: string }) => r.to))];
    expect(windows).toEqual([new Date((to - 4) * 1000).toISOString(), new Date(to * 1000).toISOString()]);
    for (const [i, end] of [to - 4, to].entries()) {
      const rows = out.rows.filter((r: { to: string }) => r.to === windows[i]);
      const expected = await promQuery(
        prometheus.url,
        'sum by (gen_ai_agent_name) (increase(llm_cost_usd_total[4s]))',
        end,
      );
      expect(rows.map((r: { agent: string; costUsd: number }) => [r.agent, r.costUsd]).sort()).toEqual(
        expected.map((e) => [e.metric.gen_ai_agent_name, Number(e.value[1])]).sort(),
      );
      expect(rows.length).toBe(5);
    }
  });
});
