/**
 * Cached `PriceBook.price()` vs genai-prices `calcPrice()` per call, same process, same inputs.
 * Prints the median ns/op of each over several rounds and the ratio (target: cached ≥ 20× faster).
 *
 *   npx tsx bench/price-lookup.ts
 */
import { calcPrice, type Usage } from '@pydantic/genai-prices';
import { PriceBook } from '../src/pricing/index.js';
import type { PriceCallInput } from '../src/types.js';

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

function perCall(i: number): void {
  const input = baseline[i % baseline.length]!;
  const result = calcPrice(input.usage, input.model, { providerId: input.providerId, timestamp });
  if (result) sink += result.total_price;
}

/** Median ns/op over `rounds` timed loops of `ops` calls each, after a warm-up loop. */
function measure(fn: (i: number) => void, ops: number, rounds = 15): number {
  for (let i = 0; i < ops; i++) fn(i);
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < ops; i++) fn(i);
    samples.push(Number(process.hrtime.bigint() - start) / ops);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

const cachedNs = measure(cached, 200_000);
const baselineNs = measure(perCall, 5_000);
console.log(`PriceBook.price (cached)   ${cachedNs.toFixed(1)} ns/op`);
console.log(`genai-prices calcPrice     ${baselineNs.toFixed(1)} ns/op`);
console.log(`ratio                      ${(baselineNs / cachedNs).toFixed(1)}× faster (target ≥ 20×)`);
if (Number.isNaN(sink)) console.log('unreachable');
