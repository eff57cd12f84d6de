import { afterAll, describe, expect, it } from 'vitest';
import { AGENTS, planCall } from '../../src/demo/workload-plan.js';
import { type RunningCli, startCli } from './support.js';

/** The test's own reading of an exposition: `name{labels} value` lines, labels as a map. */
function samples(text: string, name: string) {
  const out: Array<{ labels: Record<string, string>; value: number }> = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const labels = Object.fromEntries(
      [...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]),
    );
    out.push({ labels, value: Number(m[3]) });
  }
  return out;
}
const total = (text: string, name: string, where: Record<string, string> = {}) =>
  samples(text, name)
    .filter((s) => Object.entries(where).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);

const running: RunningCli[] = [];
afterAll(() => {
  for (const p of running) p.kill();
});

describe('llm-cost demo --duration', () => {
  it('serves cost for every agent while it runs, then exits 0 with a summary', async () => {
    const demo = startCli([
      'demo',
      '--duration',
      '5s',
      '--no-ui',
      '--port',
      '0',
      '--seed',
      '1',
      '--no-prometheus',
    ]);
    running.push(demo);
    const [, url] = await demo.waitFor(/^metrics\s+(http:\/\/\S+\/metrics)$/m);
    let text = '';
    const deadline = Date.now() + 40_000;
    let missing: string[] = [...AGENTS];
    while (Date.now() < deadline && missing.length > 0) {
      const res = await fetch(url!).catch(() => undefined);
      if (res?.ok) {
        text = await res.text();
        missing = AGENTS.filter(
          (agent) => !(total(text, 'llm_cost_usd_total', { gen_ai_agent_name: agent }) > 0),
        );
      }
      if (missing.length > 0) await new Promise((r) => setTimeout(r, 200));
    }
    expect(missing, `agents without cost in:\n${text}`).toEqual([]);
    const providers = new Set(samples(text, 'llm_cost_usd_total').map((s) => s.labels.gen_ai_provider_name));
    expect([...providers].sort()).toEqual(['anthropic', 'gcp.gemini', 'openai']);
    expect(samples(text, 'llm_budget_limit_usd').map((s) => [s.labels.llm_budget_name, s.value])).toEqual([
      ['demo-daily', 5],
      ['demo-coder-daily', 2],
    ]);

    const { code } = await demo.exited;
    expect(code, demo.stderr()).toBe(0);
    expect(demo.stdout()).toMatch(/^llm-cost demo: \d+ calls in \d+s/m);
    expect(demo.stderr()).toBe('');
  }, 90_000);
});

describe('llm-cost top --once --metrics against the demo', () => {
  it('prints the totals of the demo /metrics page', async () => {
    const demo = startCli([
      'demo',
      '--calls',
      '30',
      '--rate',
      '30',
      '--no-ui',
      '--port',
      '0',
      '--no-prometheus',
    ]);
    running.push(demo);
    const [, url] = await demo.waitFor(/^metrics\s+(http:\/\/\S+\/metrics)$/m);
    await demo.waitFor(/^workload done: 30 calls/m, 60_000);
    const text = await (await fetch(url!)).text();
    const expectedTotal = total(text, 'llm_cost_usd_total');
    expect(expectedTotal).toBeGreaterThan(0);

    const { runMain } = await import('./support.js');
    const json = await runMain(['top', '--once', '--json', '--interval', '200ms', '--metrics', url!]);
    expect(json.code, json.stderr).toBe(0);
    const snapshot = JSON.parse(json.stdout);
    expect(snapshot.totalUsd).toBeCloseTo(expectedTotal, 12);
    expect(snapshot.requests).toBe(total(text, 'llm_requests_total'));
    // 30 tasks; a task whose call was rate limited retries it once (seed 1, the demo's default).
    const retried = Array.from({ length: 30 }, (_, seq) => planCall(1, seq)).filter(
      (c) => c.fault === 'error-429',
    ).length;
    expect(snapshot.requests).toBe(30 + retried);
    expect(snapshot.usdPerHour).toBe(0);
    expect(snapshot.unpricedRequests).toBe(total(text, 'llm_unpriced_requests_total'));
    for (const agent of AGENTS) {
      const row = snapshot.agents.find((a: { name: string }) => a.name === agent);
      expect(row.costUsd).toBeCloseTo(total(text, 'llm_cost_usd_total', { gen_ai_agent_name: agent }), 12);
      expect(row.requests).toBe(total(text, 'llm_requests_total', { gen_ai_agent_name: agent }));
    }
    const daily = snapshot.budgets.find((b: { name: string }) => b.name === 'demo-daily');
    expect(daily.spentUsd).toBeCloseTo(
      total(text, 'llm_budget_spend_usd_total', { llm_budget_name: 'demo-daily' }),
      12,
    );

    const plain = await runMain(['top', '--once', '--interval', '200ms', '--metrics', url!]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).not.toContain('\u001b[');
    expect(plain.stdout).toMatch(new RegExp(`^Total spend\\s+\\$${expectedTotal.toFixed(4)}\\s`, 'm'));
    expect(plain.stdout).toMatch(new RegExp(`^Requests\\s+${30 + retried}\\s`, 'm'));
    expect(plain.stdout).toMatch(/^ {2}demo-daily\s+1d\s/m);

    demo.child.kill('SIGINT');
    const { code } = await demo.exited;
    expect(code).toBe(0);
  }, 120_000);
});
