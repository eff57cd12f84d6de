/**
 * Cached `PriceBook.price()` vs genai-prices `calcPrice()` per call, same process, same inputs.
 * Prints the median ns/op of each over several rounds and the ratios (target: cached ≥ 100×
 * faster, also with service tiers and with catalog refreshes — each refresh makes every
 * PriceBook drop and rebuild its cached resolutions).
 *
 *   npx tsx bench/price-lookup.ts
 */
import { calcPrice, type Usage, waitForUpdate } from '@pydantic/genai-prices';
import { installCatalog } from '../src/pricing/catalog-data.js';
import { PriceBook } from '../src/pricing/index.js';
import type { PriceCallInput } from '../src/types.js';
import { measure } from './harness.js';

const calls: PriceCallInput[] = [
  {
    provider: 'openai',
    model: 'gpt-4o',
    usage: { inputTokens: 1_200, cacheReadTokens: 400, outputTokens: 350 },
  },
  {
    provider: 'openai',
    model: 'o4-mini',
    usage: { inputTokens: 900, outputTokens: 2_000, reasoningTokens: 1_500 },
  },
  {
    provider: 'anthropic',
    model: 'claude-sonnet-4-20250514',
    usage: {
      inputTokens: 8_000,
      cacheReadTokens: 5_000,
      cacheWriteTokens: 2_000,
      cacheWrite1hTokens: 500,
      outputTokens: 700,
    },
  },
  { provider: 'gcp.gemini', model: 'gemini-2.5-pro', usage: { inputTokens: 210_000, outputTokens: 1_000 } },
  {
    provider: 'gcp.gemini',
    model: 'gemini-2.5-flash',
    usage: { inputTokens: 3_000, outputTokens: 900, reasoningTokens: 600 },
  },
];
const catalogIds: Record<string, string> = {
  openai: 'openai',
  anthropic: 'anthropic',
  'gcp.gemini': 'google',
};
const baseline = calls.map((call) => ({
  model: call.model,
  providerId: catalogIds[call.provider]!,
  usage: {
    input_tokens: call.usage.inputTokens,
    cache_read_tokens: call.usage.cacheReadTokens,
    cache_write_tokens: call.usage.cacheWriteTokens,
    cache_write_1h_tokens: call.usage.cacheWrite1hTokens,
    output_tokens: call.usage.outputTokens,
    output_reasoning_tokens: call.usage.reasoningTokens,
  } satisfies Usage,
}));

const book = new PriceBook();
const timestamp = new Date();
let sink = 0;

function cached(i: number): void {
  const result = book.price(calls[i % calls.length]!);
  if (result.priced) sink += result.costUsd;
}

const TIERS = ['priority', 'flex', undefined, 'batch'] as const;
const tiered = calls.map((call, i) => ({ ...call, serviceTier: TIERS[i % TIERS.length] }));
function cachedWithTiers(i: number): void {
  const result = book.price(tiered[i % tiered.length]!);
  if (result.priced) sink += result.costUsd;
}

/** A refresh every REFRESH_EVERY calls — far more often than a real daily TTL. */
const REFRESH_EVERY = 20_000;
const providers = (await waitForUpdate())!;
const refreshed = new PriceBook();
function cachedWithRefresh(i: number): void {
  if (i % REFRESH_EVERY === 0) installCatalog(providers, { source: 'bench', date: '2026-12-04' });
  const result = refreshed.price(calls[i % calls.length]!);
  if (result.priced) sink += result.costUsd;
}

function perCall(i: number): void {
  const input = baseline[i % baseline.length]!;
  const result = calcPrice(input.usage, input.model, { providerId: input.providerId, timestamp });
  if (result) sink += result.total_price;
}

/** Median ns/op (the shared harness, warmed up with as many calls as it times per round). */
const medianNs = (fn: (i: number) => void, ops: number): number =>
  measure('', fn, { iterations: ops, warmup: ops }).medianNs;

const cachedNs = medianNs(cached, 200_000);
const tiersNs = medianNs(cachedWithTiers, 200_000);
const refreshNs = medianNs(cachedWithRefresh, 200_000);
const baselineNs = medianNs(perCall, 5_000);
const line = (name: string, ns: number) =>
  console.log(
    `${name.padEnd(44)}${ns.toFixed(1).padStart(10)} ns/op   ${(baselineNs / ns).toFixed(1).padStart(7)}× faster than calcPrice`,
  );
line('PriceBook.price (cached)', cachedNs);
line('  + service tiers (priority/flex/batch)', tiersNs);
line(`  + a catalog refresh every ${REFRESH_EVERY} calls`, refreshNs);
console.log(`${'genai-prices calcPrice'.padEnd(44)}${baselineNs.toFixed(1).padStart(10)} ns/op`);
const worst = Math.min(baselineNs / cachedNs, baselineNs / tiersNs, baselineNs / refreshNs);
console.log(`worst ratio ${worst.toFixed(1)}× (target ≥ 100×): ${worst >= 100 ? 'ok' : 'BELOW TARGET'}`);
if (Number.isNaN(sink)) console.log('unreachable');
