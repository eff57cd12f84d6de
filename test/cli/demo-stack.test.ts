/**
 * `demo --with-prometheus`: a local Prometheus (shipped rules, scraping the demo) and Alertmanager
 * on free loopback ports, all stopped and their temp dirs removed when the demo gets SIGTERM.
 */
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/processes.js';
import { type RunningCli, startCli } from './support.js';

let demo: RunningCli | undefined;
afterAll(() => demo?.kill());

const api = async <T>(url: string): Promise<T> => {
  const body = (await (await fetch(url)).json()) as { data: T };
  return body.data;
};

describe('llm-cost demo --with-prometheus', () => {
  it('starts Prometheus + Alertmanager with the shipped rules and stops them on SIGTERM', async () => {
    demo = startCli(['demo', '--with-prometheus', '--no-ui', '--port', '0', '--calls', '10', '--rate', '10']);
    const [, metricsUrl] = await demo.waitFor(/^metrics\s+(http:\/\/\S+\/metrics)$/m, 60_000);
    const [, prometheusUrl] = await demo.waitFor(/^prometheus\s+(http:\/\/127\.0\.0\.1:\d+)\s/m, 60_000);
    const [, alertmanagerUrl] = await demo.waitFor(/^alertmanager\s+(http:\/\/127\.0\.0\.1:\d+)$/m);

    const target = await eventually(
      async () => {
        const { activeTargets } = await api<{ activeTargets: Array<{ scrapeUrl: string; health: string }> }>(
          `${prometheusUrl}/api/v1/targets`,
        );
        return activeTargets.find((t) => t.health === 'up');
      },
      { timeoutMs: 30_000, what: 'the demo target to be up' },
    );
    expect(target.scrapeUrl).toBe(metricsUrl);
    const { groups } = await api<{ groups: Array<{ name: string; file: string }> }>(
      `${prometheusUrl}/api/v1/rules`,
    );
    expect(groups.map((g) => g.name)).toContain('llm-cost.budget.records');
    expect(groups.every((g) => /prometheus\/rules\/[^/]+\.ya?ml$/.test(g.file))).toBe(true);
    const { activeAlertmanagers } = await api<{ activeAlertmanagers: Array<{ url: string }> }>(
      `${prometheusUrl}/api/v1/alertmanagers`,
    );
    expect(activeAlertmanagers.map((a) => new URL(a.url).origin)).toEqual([alertmanagerUrl]);
    const flags = await api<Record<string, string>>(`${prometheusUrl}/api/v1/status/flags`);
    const configFile = flags['config.file']!;
    expect(existsSync(configFile)).toBe(true);

    demo.child.kill('SIGTERM');
    const { code } = await demo.exited;
    expect(code, demo.stderr()).toBe(0);
    expect(existsSync(configFile)).toBe(false);
    await expect(fetch(`${prometheusUrl}/-/ready`)).rejects.toThrow();
    await expect(fetch(`${alertmanagerUrl}/-/ready`)).rejects.toThrow();
  }, 120_000);
});
