/**
 * Times every budget/tile recording rule and every 30-day dashboard panel of the shipped monitoring
 * against a synthetic TSDB (made by generate.mjs + promtool), next to the raw-counter queries the
 * rules replace, in the same run. Prints a Markdown table for docs/performance.md.
 *
 *   npx tsx bench/rules-tsdb/measure.ts <data dir> <end (unix seconds, from generate.mjs)> [rawHours=6]
 *
 * Each query runs 5 times; the table shows the median wall time and Prometheus' own count of
 * samples the query touched (`stats=all`, `totalQueryableSamples`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { dashboardQueries, substituteVariables } from '../../grafana/src/queries.js';
import { PROMETHEUS_BIN, startServer, tempDir } from '../../src/demo/processes.js';

const [dataDir, endArg, rawHoursArg = '6'] = process.argv.slice(2);
if (!dataDir || !endArg) throw new Error('usage: measure.ts <data dir> <end> [rawHours]');
const END = Number(endArg);
const RAW_HOURS = Number(rawHoursArg);
const ROOT = join(import.meta.dirname, '..', '..');

/** Prometheus on the bench's TSDB, through the launcher the tests use (port 0, read back from its log). */
async function startPrometheus(): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = tempDir('tsdb-bench');
  writeFileSync(join(dir, 'prometheus.yml'), 'global: { scrape_interval: 15s }\n');
  return startServer({
    name: 'Prometheus',
    bin: PROMETHEUS_BIN,
    args: [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${dataDir}`,
      '--storage.tsdb.retention.time=35d',
      '--query.max-samples=500000000',
      '--query.timeout=10m',
    ],
    dir,
    readyTimeoutMs: 300_000,
  });
}

interface Timing {
  ms: number;
  samples: number | undefined;
  series: number;
}

async function time(url: string, expr: string): Promise<Timing> {
  const runs: number[] = [];
  let samples: number | undefined;
  let series = 0;
  for (let i = 0; i < 5; i++) {
    const params = new URLSearchParams({ query: expr, time: String(END), stats: 'all' });
    const started = performance.now();
    const res = await fetch(`${url}/api/v1/query`, { method: 'POST', body: params });
    const body = (await res.json()) as {
      status: string;
      error?: string;
      data?: { result: unknown[]; stats?: { samples?: { totalQueryableSamples?: number } } };
    };
    runs.push(performance.now() - started);
    if (body.status !== 'success') throw new Error(`${expr}: ${body.error}`);
    samples = body.data?.stats?.samples?.totalQueryableSamples;
    series = body.data?.result.length ?? 0;
  }
  runs.sort((a, b) => a - b);
  return { ms: runs[2]!, samples, series };
}

const rules = parse(readFileSync(join(ROOT, 'prometheus', 'rules', 'llm-cost-recording.yml'), 'utf8')) as {
  groups: { name: string; rules: { record: string; expr: string; labels?: Record<string, string> }[] }[];
};
const measured: { kind: string; name: string; expr: string }[] = [];
for (const g of rules.groups) {
  if (g.name !== 'llm-cost.tiles.records' && g.name !== 'llm-cost.budget.records') continue;
  for (const r of g.rules) {
    const window = r.labels?.llm_budget_window;
    measured.push({ kind: 'rule', name: `${r.record}${window ? ` (${window})` : ''}`, expr: r.expr });
  }
}
const LONG_PANELS = new Set([
  'Spend, last 7 days',
  'Spend, last 30 days',
  'Projected month-end spend',
  'Budget usage',
  'Budgets: spent vs limit',
]);
for (const q of dashboardQueries()) {
  if (!LONG_PANELS.has(q.panelTitle)) continue;
  measured.push({
    kind: 'panel',
    name: `${q.panelTitle} [${q.refId}]`,
    expr: substituteVariables(q.expr, { __range: '30d' }),
  });
}
// What the rules and panels replace: raw counters over the window. The synthetic raw data spans
// RAW_HOURS, so these run over 1h…RAW_HOURS and scale linearly in samples (shown) to 30 days.
for (const h of [1, RAW_HOURS / 2, RAW_HOURS]) {
  measured.push({
    kind: 'raw',
    name: `old budget rule: sum by (llm_budget_name) (increase(spend[${h}h]))`,
    expr: `sum by (llm_budget_name) (increase(llm_budget_spend_usd_total[${h}h]))`,
  });
  measured.push({
    kind: 'raw',
    name: `old 30-day panel: sum(increase(llm_cost_usd_total[${h}h]))`,
    expr: `sum(increase(llm_cost_usd_total{job=~".*",gen_ai_provider_name=~".*",gen_ai_request_model=~".*",gen_ai_agent_name=~".*",llm_operation_name=~".*"}[${h}h]))`,
  });
}
// Cross-check: 6h of tiles equal 6h of raw increase (the generator gives every series a constant rate).
measured.push({
  kind: 'check',
  name: `tiles over ${RAW_HOURS}h`,
  expr: `sum(sum_over_time(job_gen_ai_provider_name_gen_ai_request_model_gen_ai_agent_name_gen_ai_operation_name_llm_operation_name:llm_cost_usd:increase5m[${RAW_HOURS * 3600 - 150}s]))`,
});
measured.push({
  kind: 'check',
  name: `raw over ${RAW_HOURS}h`,
  expr: `sum(increase(llm_cost_usd_total[${RAW_HOURS}h]))`,
});

const prometheus = await startPrometheus();
try {
  const series = await time(prometheus.url, 'count({__name__=~".+"})');
  console.log(`series in the TSDB at the end time: ${series.series > 0 ? 'see below' : 0}`);
  console.log('| kind | query | median ms | samples read | result series |');
  console.log('|---|---|---:|---:|---:|');
  for (const m of measured) {
    const t = await time(prometheus.url, m.expr);
    console.log(`| ${m.kind} | ${m.name} | ${t.ms.toFixed(1)} | ${t.samples ?? '—'} | ${t.series} |`);
  }
  for (const expr of [
    'count({__name__=~".+"})',
    `sum(sum_over_time(job_gen_ai_provider_name_gen_ai_request_model_gen_ai_agent_name_gen_ai_operation_name_llm_operation_name:llm_cost_usd:increase5m[${RAW_HOURS * 3600 - 150}s]))`,
    `sum(increase(llm_cost_usd_total[${RAW_HOURS}h]))`,
  ]) {
    const params = new URLSearchParams({ query: expr, time: String(END) });
    const body = (await (await fetch(`${prometheus.url}/api/v1/query?${params}`)).json()) as {
      data: { result: { value: [number, string] }[] };
    };
    console.log(`${expr} = ${body.data.result[0]?.value[1]}`);
  }
} finally {
  await prometheus.stop();
}
