import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Counter, collectDefaultMetrics, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { LLMTelemetry } from '../../src/telemetry.js';
import { promtoolCheck } from '../support/exposition.js';
import { ACME_PRICES, makeTelemetry } from '../support/telemetry.js';
import { recordWorkload } from './workload.js';

const GOLDEN = join(import.meta.dirname, '../fixtures/golden/metrics.txt');

let telemetry: LLMTelemetry | undefined;
afterEach(async () => {
  await telemetry?.shutdown();
  telemetry = undefined;
});

describe('the /metrics exposition is pinned by a golden file', () => {
  it('through our own HTTP server', async () => {
    telemetry = makeTelemetry({
      prices: ACME_PRICES,
      budgets: [{ name: 'team-daily', limitUsd: 25, window: '1d' }],
      prometheus: { server: true, port: 0 },
    });
    recordWorkload(telemetry);
    const url = await telemetry.metricsUrl();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const res = await fetch(url!);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, text);
    expect(text).toBe(readFileSync(GOLDEN, 'utf8'));
    expect(promtoolCheck(text)).toEqual([]);
  });

  it('merged into an app prom-client Registry: one HELP/TYPE per family, same samples', async () => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    new Counter({ name: 'app_jobs_total', help: 'Jobs the app ran.', registers: [registry] }).inc(3);
    telemetry = makeTelemetry({
      prices: ACME_PRICES,
      budgets: [{ name: 'team-daily', limitUsd: 25, window: '1d' }],
      promClientRegistry: registry,
    });
    recordWorkload(telemetry);
    const merged = await registry.metrics();
    const ours = telemetry.metrics();
    // Every sample line of ours appears verbatim in the merged output.
    for (const line of ours.split('\n').filter((l) => l && !l.startsWith('#')))
      expect(merged).toContain(line);
    const typeLines = merged.split('\n').filter((l) => l.startsWith('# TYPE '));
    expect(new Set(typeLines).size).toBe(typeLines.length);
    expect(merged).toContain('app_jobs_total 3');
    // promtool accepts it, prom-client's own default-metric naming lint aside.
    const problems = promtoolCheck(merged).filter((l) => !/^(nodejs_|process_)/.test(l));
    expect(problems).toEqual([]);
    // Unregistering on shutdown leaves the app's registry as it was.
    await telemetry.shutdown();
    expect(await registry.metrics()).not.toContain('llm_cost_usd_total');
  });

  it('a metrics handler mounted on the app server serves the same text', async () => {
    const { createServer } = await import('node:http');
    telemetry = makeTelemetry({ prices: ACME_PRICES });
    recordWorkload(telemetry);
    const server = createServer((req, res) =>
      req.url === '/metrics' ? telemetry!.metricsHandler(req, res) : res.end('app'),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(text).toBe(telemetry.metrics());
      expect((await fetch(`http://127.0.0.1:${port}/metrics`, { method: 'POST' })).status).toBe(405);
    } finally {
      server.close();
    }
  });
});
