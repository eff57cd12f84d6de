#!/usr/bin/env node
/**
 * Writes a synthetic OpenMetrics file for `promtool tsdb create-blocks-from openmetrics`: the
 * raw counters an llm-cost-otel fleet exports (≥ 10k cost series, budget spend/limit/threshold
 * series) at a 15 s scrape over the last `RAW_HOURS`, and the 5m tiles the shipped recording rules
 * would have written over the last `TILE_DAYS` (so 30-day figures can be timed as they run in
 * production, from tiles). Every raw series grows at its own constant rate, so tiles and raw
 * increases agree and can be checked against each other.
 *
 *   node bench/rules-tsdb/generate.mjs <out.om> [RAW_HOURS=6] [TILE_DAYS=30]
 */
import { createWriteStream } from 'node:fs';

const [out, rawHoursArg = '6', tileDaysArg = '30'] = process.argv.slice(2);
if (!out) throw new Error('usage: generate.mjs <out.om> [RAW_HOURS] [TILE_DAYS]');
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

const stream = createWriteStream(out, { highWaterMark: 1 << 22 });
let buffer = '';
const write = async (text) => {
  buffer += text;
  if (buffer.length > 1 << 22) {
    if (!stream.write(buffer)) await new Promise((r) => stream.once('drain', r));
    buffer = '';
  }
};

const rawStart = END - RAW_HOURS * 3600;
const tileStart = END - TILE_DAYS * 86_400;
let samples = 0;
/** A counter family: every series at every step, time-major (one family stays contiguous). */
async function counter(name, series, start, step, valueAt) {
  await write(`# TYPE ${name} counter\n`);
  for (let t = start; t <= END; t += step) {
    for (const s of series) {
      await write(`${name}_total{${s.labels}} ${valueAt(s, t)} ${t}\n`);
      samples += 1;
    }
  }
}
async function gauge(name, series, start, step) {
  await write(`# TYPE ${name} gauge\n`);
  for (let t = start; t <= END; t += step) {
    for (const s of series) {
      await write(`${name}{${s.labels}} ${s.value} ${t}\n`);
      samples += 1;
    }
  }
}

const allRaw = rows.flatMap((r) => r.raw);
await counter('llm_cost_usd', allRaw, rawStart, SCRAPE, (s, t) => (s.rate * (t - tileStart)).toFixed(9));
const budgetRaw = budgets.flatMap((b) => b.raw);
await counter('llm_budget_spend_usd', budgetRaw, rawStart, SCRAPE, (s, t) => (s.rate * (t - tileStart)).toFixed(9));
await gauge(
  'llm_budget_limit_usd',
  budgets.flatMap((b) =>
    b.raw.map((r) => ({ labels: `${r.labels},llm_budget_window="30d"`, value: 5000 })),
  ),
  rawStart,
  SCRAPE,
);
await gauge(
  'llm_budget_threshold_ratio',
  budgets.flatMap((b) =>
    b.raw.flatMap((r) =>
      [0.8, 0.95, 1].map((th) => ({ labels: `${r.labels},llm_budget_threshold="${th}"`, value: th })),
    ),
  ),
  rawStart,
  SCRAPE,
);
// Recorded series are gauges in the exposition: their names carry no `_total`.
const tile = (series) => series.map((s) => ({ labels: s.labels, value: (s.raw.reduce((a, r) => a + r.rate, 0) * TILE).toFixed(9) }));
const costTiles = tile(rows);
await write('# TYPE job_gen_ai_provider_name_gen_ai_request_model_gen_ai_agent_name_gen_ai_operation_name_llm_operation_name:llm_cost_usd:increase5m gauge\n');
for (let t = tileStart; t <= END; t += TILE)
  for (const s of costTiles) {
    await write(`job_gen_ai_provider_name_gen_ai_request_model_gen_ai_agent_name_gen_ai_operation_name_llm_operation_name:llm_cost_usd:increase5m{${s.labels}} ${s.value} ${t}\n`);
    samples += 1;
  }
const budgetTiles = tile(budgets);
await write('# TYPE job_llm_budget_name:llm_budget_spend_usd:increase5m gauge\n');
for (let t = tileStart; t <= END; t += TILE)
  for (const s of budgetTiles) {
    await write(`job_llm_budget_name:llm_budget_spend_usd:increase5m{${s.labels}} ${s.value} ${t}\n`);
    samples += 1;
  }
await write('# EOF\n');
stream.write(buffer);
await new Promise((r) => stream.end(r));
console.log(
  JSON.stringify({ end: END, rawHours: RAW_HOURS, tileDays: TILE_DAYS, rawCostSeries: allRaw.length, budgetSeries: budgetRaw.length, costTileRows: rows.length, samples }),
);
