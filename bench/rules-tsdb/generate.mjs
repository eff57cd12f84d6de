#!/usr/bin/env node
/**
 * Writes a synthetic OpenMetrics file for `promtool tsdb create-blocks-from openmetrics`: the
 * raw counters an llm-cost-otel fleet exports (≥ 10k cost series, budget spend/limit/threshold
 * series) at a 15 s scrape over the last `RAW_HOURS`, and the 5m tiles the shipped recording rules
 * would have written over the last `TILE_DAYS` (so 30-day figures can be timed as they run in
 * production, from tiles). Every raw series grows at its own constant rate, so tiles and raw
 * increases agree and can be checked against each other.
 *
 * promtool 2.x reads its input file once per 2-hour block, so the data is written as one file per
 * 2-hour window (`<outDir>/<start>.om`); import each with
 * `promtool tsdb create-blocks-from openmetrics <file> <data dir>`.
 *
 *   node bench/rules-tsdb/generate.mjs <outDir> [RAW_HOURS=6] [TILE_DAYS=30]
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const [outDir, rawHoursArg = '6', tileDaysArg = '30'] = process.argv.slice(2);
if (!outDir) throw new Error('usage: generate.mjs <outDir> [RAW_HOURS] [TILE_DAYS]');
mkdirSync(outDir, { recursive: true });
const RAW_HOURS = Number(rawHoursArg);
const TILE_DAYS = Number(tileDaysArg);
const SCRAPE = 15;
const TILE = 300;
/** End of the data, aligned to a tile: the time every query is evaluated at. */
export const END = Math.floor(Date.now() / 1000 / 3600) * 3600 - 3600;

const JOBS = ['app-a', 'app-b'];
const INSTANCES = ['i-1', 'i-2'];
const MODELS = [
  ['openai', 'gpt-4o'],
  ['openai', 'gpt-4o-mini'],
  ['openai', 'o3'],
  ['openai', 'text-embedding-3-small'],
  ['anthropic', 'claude-sonnet-4-5'],
  ['anthropic', 'claude-opus-4-1'],
  ['anthropic', 'claude-haiku-4-5'],
  ['anthropic', 'claude-3-5-haiku'],
  ['gcp.gemini', 'gemini-2.5-pro'],
  ['gcp.gemini', 'gemini-2.5-flash'],
  ['gcp.gemini', 'gemini-2.0-flash'],
  ['gcp.gemini', 'gemini-2.5-flash-lite'],
];
const AGENTS = Array.from({ length: 21 }, (_, i) => `agent-${i + 1}`);
const APP_OPERATIONS = ['plan', 'answer'];
const TOKEN_TYPES = ['input', 'cache_read', 'cache_write', 'output', 'reasoning'];
const BUDGETS = Array.from({ length: 20 }, (_, i) => `budget-${i + 1}`);

let seed = 42;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};

/** One cost row (the tile level) and its raw series (instance × token type), each with a rate in USD/s. */
const rows = [];
for (const job of JOBS)
  for (const [provider, model] of MODELS)
    for (const agent of AGENTS)
      for (const op of APP_OPERATIONS) {
        const row = `job="${job}",gen_ai_provider_name="${provider}",gen_ai_request_model="${model}",gen_ai_agent_name="${agent}",gen_ai_operation_name="chat",llm_operation_name="${op}"`;
        const raw = [];
        for (const instance of INSTANCES)
          for (const type of TOKEN_TYPES) {
            raw.push({
              labels: `${row.replace(`job="${job}"`, `job="${job}",instance="${instance}"`)},llm_token_type="${type}"`,
              rate: random() * 1e-4,
            });
          }
        rows.push({ labels: row, raw });
      }
const budgets = [];
for (const job of JOBS)
  for (const name of BUDGETS) {
    const raw = INSTANCES.map((instance) => ({
      labels: `job="${job}",instance="${instance}",llm_budget_name="${name}"`,
      rate: random() * 1e-3,
    }));
    budgets.push({ job, name, labels: `job="${job}",llm_budget_name="${name}"`, raw });
  }

const rawStart = END - RAW_HOURS * 3600;
const tileStart = END - TILE_DAYS * 86_400;
const WINDOW = 7200;
const costTileName =
  'job_gen_ai_provider_name_gen_ai_request_model_gen_ai_agent_name_gen_ai_operation_name_llm_operation_name:llm_cost_usd:increase5m';
const budgetTileName = 'job_llm_budget_name:llm_budget_spend_usd:increase5m';
const allRaw = rows.flatMap((r) => r.raw);
const budgetRaw = budgets.flatMap((b) => b.raw);
const limits = budgets.flatMap((b) =>
  b.raw.map((r) => ({ labels: `${r.labels},llm_budget_window="30d"`, value: 5000 })),
);
const thresholds = budgets.flatMap((b) =>
  b.raw.flatMap((r) =>
    [0.8, 0.95, 1].map((th) => ({ labels: `${r.labels},llm_budget_threshold="${th}"`, value: th })),
  ),
);
// Recorded series are gauges in the exposition: their names carry no `_total`.
const tile = (series) =>
  series.map((s) => ({ labels: s.labels, value: (s.raw.reduce((a, r) => a + r.rate, 0) * TILE).toFixed(9) }));
const costTiles = tile(rows);
const budgetTiles = tile(budgets);
const cost = (s, t) => (s.rate * (t - tileStart)).toFixed(9);

let samples = 0;
let files = 0;
/** One family over [from, to) at `step`, time-major (the family stays contiguous). */
function family(lines, type, name, sampleName, series, from, to, step, valueAt) {
  lines.push(`# TYPE ${name} ${type}\n`);
  const first = Math.ceil(from / step) * step;
  for (let t = first; t < to && t <= END; t += step) {
    for (const s of series) lines.push(`${sampleName}{${s.labels}} ${valueAt(s, t)} ${t}\n`);
    samples += series.length;
  }
}
for (let w = Math.floor(tileStart / WINDOW) * WINDOW; w <= END; w += WINDOW) {
  const from = Math.max(w, tileStart);
  const to = w + WINDOW;
  const lines = [];
  family(lines, 'gauge', costTileName, costTileName, costTiles, from, to, TILE, (s) => s.value);
  family(lines, 'gauge', budgetTileName, budgetTileName, budgetTiles, from, to, TILE, (s) => s.value);
  if (to > rawStart) {
    const rawFrom = Math.max(from, rawStart);
    family(lines, 'counter', 'llm_cost_usd', 'llm_cost_usd_total', allRaw, rawFrom, to, SCRAPE, cost);
    family(
      lines,
      'counter',
      'llm_budget_spend_usd',
      'llm_budget_spend_usd_total',
      budgetRaw,
      rawFrom,
      to,
      SCRAPE,
      cost,
    );
    family(
      lines,
      'gauge',
      'llm_budget_limit_usd',
      'llm_budget_limit_usd',
      limits,
      rawFrom,
      to,
      SCRAPE,
      (s) => s.value,
    );
    family(
      lines,
      'gauge',
      'llm_budget_threshold_ratio',
      'llm_budget_threshold_ratio',
      thresholds,
      rawFrom,
      to,
      SCRAPE,
      (s) => s.value,
    );
  }
  lines.push('# EOF\n');
  const stream = createWriteStream(join(outDir, `${w}.om`));
  for (let i = 0; i < lines.length; i += 10_000) {
    if (!stream.write(lines.slice(i, i + 10_000).join(''))) await new Promise((r) => stream.once('drain', r));
  }
  await new Promise((r) => stream.end(r));
  files += 1;
}
console.log(
  JSON.stringify({
    end: END,
    rawHours: RAW_HOURS,
    tileDays: TILE_DAYS,
    rawCostSeries: allRaw.length,
    budgetSeries: budgetRaw.length,
    costTileRows: rows.length,
    samples,
    files,
  }),
);
