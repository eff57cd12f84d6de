/**
 * How long one `/metrics` scrape can block the app's event loop, after a label flood fills every
 * family to its series cap: the synchronous exposition (`telemetry.metrics()` encoded to UTF-8,
 * the whole page in one turn — what /metrics did before) against the handler's yielding renderer (slices of
 * `SLICE_CHARS`, an event-loop turn between them). A probe re-arms `setImmediate` continuously and
 * records the longest gap between its turns: that gap is the longest the app waited.
 *
 *   npm run bench -- scrape        (or: node --import tsx bench/scrape.ts)
 *
 * Medians of repeated scrapes in one process; the ratio is the figure to read.
 */

import { resolveOptions } from '../src/config/resolve.js';
import { renderYielding } from '../src/export/yielding-render.js';
import type { MetricFamily } from '../src/metrics/family.js';
import { LLMTelemetry } from '../src/telemetry.js';

const PRICES = { overrides: [{ provider: 'acme', model: 'acme-1', inputPerMTok: 1, outputPerMTok: 4 }] };

function flooded(agents: number): LLMTelemetry {
  const t = new LLMTelemetry(resolveOptions({ maxSeries: agents, prices: PRICES, prometheus: false }, {}));
  for (let i = 0; i < agents; i++) {
    t.record({
      provider: 'acme',
      model: 'acme-1',
      agent: `agent-${i}`,
      usage: { inputTokens: 100, outputTokens: 10, cacheReadTokens: 20, reasoningTokens: 2 },
      durationMs: 100,
    });
  }
  return t;
}

/** Runs `work` while a setImmediate probe measures the longest gap between its turns (ms). */
async function longestBlock(work: () => unknown | Promise<unknown>): Promise<number> {
  let longest = 0;
  let last = performance.now();
  let running = true;
  const probe = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (running) setImmediate(probe);
  };
  setImmediate(probe);
  await new Promise((r) => setImmediate(r));
  await work();
  await new Promise((r) => setImmediate(r));
  running = false;
  // The last gap: from the probe's previous turn to the end of the work.
  longest = Math.max(longest, performance.now() - last);
  return longest;
}

async function median(fn: () => Promise<number>, rounds = 7): Promise<number> {
  await fn();
  const values: number[] = [];
  for (let i = 0; i < rounds; i++) values.push(await fn());
  values.sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)] as number;
}

console.log('\n## event-loop block of one /metrics scrape after a label flood\n');
console.log(
  '| agents (= series cap) | series | page | sync: block | yielding: longest block | slices | yielding ÷ sync | sync block per 10k series |',
);
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const agents of [500, 2000, 5000]) {
  const telemetry = flooded(agents);
  const families = (telemetry as unknown as { families: MetricFamily[] }).families;
  const stats = { slices: 0, series: 0 };
  const page = Buffer.concat(await renderYielding(families, {}, stats)).length;
  // The old handler: the whole page as one string, encoded for the socket in the same turn.
  const sync = await median(() => longestBlock(() => Buffer.from(telemetry.metrics(), 'utf8')));
  const yielding = await median(() => longestBlock(() => renderYielding(families)));
  console.log(
    `| ${agents} | ${stats.series} | ${(page / 1e6).toFixed(1)} MB | ${sync.toFixed(1)} ms | ${yielding.toFixed(1)} ms | ${stats.slices} | ${(yielding / sync).toFixed(3)} | ${((sync * 10_000) / stats.series).toFixed(1)} ms |`,
  );
  await telemetry.shutdown();
}
