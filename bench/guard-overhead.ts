/**
 * What the budget guard adds to one `chat.completions.create` call, next to the bare SDK call and
 * the instrumented call without a guard, all in this one process: the in-process store, and the
 * Redis store against a real `redis-server` (no persistence) on a unix socket on this machine (one Lua round trip
 * to reserve; the settle is sent without waiting). No network to a provider: the SDK's `fetch`
 * answers from memory. A second table does the same for a 44,000-character CJK prompt, where the
 * estimator's tokenizer does real work.
 *
 * Run: `npx tsx bench/guard-overhead.ts` (needs `redis-server` on PATH).
 */
import OpenAI from 'openai';
import { preloadTokenizers } from '../src/budgets/estimate/index.js';
import type { RegisterOptions } from '../src/config/options.js';
import { resolveOptions } from '../src/config/resolve.js';
import { LLMTelemetry } from '../src/telemetry.js';
import { startRedis } from '../test/budgets/redis-server.js';
import { type CaseResult, report } from './harness.js';
import { BASIC_USAGE, BENCH_BASE_URL, chatCompletionJson, jsonFetch } from './openai-fixture.js';

const fetchJson = jsonFetch(chatCompletionJson('Hello there!', BASIC_USAGE));
const bare = () => new OpenAI({ apiKey: 'sk-bench', baseURL: BENCH_BASE_URL, fetch: fetchJson });

const BUDGETS: RegisterOptions = { budgets: [{ name: 'bench', limitUsd: 1e12, window: '30d' }] };

await preloadTokenizers();
const redis = await startRedis({ durable: false });
const handles: LLMTelemetry[] = [];
const instrumented = (options: RegisterOptions) => {
  const t = new LLMTelemetry(resolveOptions({ prometheus: false, ...options }, {}));
  handles.push(t);
  return t.instrument(bare());
};
const clients: Array<[string, OpenAI]> = [
  ['bare SDK call', bare()],
  ['instrumented, no guard', instrumented(BUDGETS)],
  ['guard, in-process store', instrumented({ ...BUDGETS, budgetGuard: true })],
  [
    'guard, Redis store (unix socket)',
    instrumented({
      ...BUDGETS,
      budgetGuard: true,
      budgetStore: { redis: { url: redis.url, keyPrefix: 'bench:', timeoutMs: 5000 } },
    }),
  ],
];

/**
 * Rounds interleave the cases (case A, B, C, D, then again), so a busy machine slows every case
 * alike and the ratios stay meaningful; the median round per case is reported.
 */
async function table(title: string, body: OpenAI.ChatCompletionCreateParamsNonStreaming, iterations: number) {
  const perOp = clients.map(() => [] as number[]);
  for (const [, client] of clients) for (let i = 0; i < 100; i++) await client.chat.completions.create(body);
  for (let round = 0; round < 15; round++) {
    for (const [c, [, client]] of clients.entries()) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < iterations; i++) await client.chat.completions.create(body);
      perOp[c]!.push(Number(process.hrtime.bigint() - start) / iterations);
    }
  }
  const results: CaseResult[] = clients.map(([name], c) => {
    const sorted = [...perOp[c]!].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    return { name, medianNs: at(0.5), p10Ns: at(0.1), p90Ns: at(0.9) };
  });
  report(title, results, 'bare SDK call');
}

try {
  await table(
    'guard overhead per call, short prompt ("Hello", max_tokens 64)',
    { model: 'gpt-4o', max_tokens: 64, messages: [{ role: 'user', content: 'Hello' }] },
    300,
  );
  await table(
    'guard overhead per call, 44,000-character CJK prompt (tokenized per call)',
    {
      model: 'gpt-4o',
      max_tokens: 64,
      messages: [{ role: 'user', content: '今日は良い天気ですね。'.repeat(4000) }],
    },
    30,
  );
} finally {
  for (const t of handles) await t.shutdown();
  await redis.stop();
}
