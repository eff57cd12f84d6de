/**
 * Fleet-wide budgets on a real `redis-server` (unix socket, no TCP port): several processes share
 * one limit; Redis going away mid-run follows the policy and the totals reconcile when it is
 * back; the rolling window rolls over. Prices: gpt-4o $2.50/M input, $10/M output.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BudgetReservation, ReserveInput } from '../../src/budgets/budget-guard.js';
import { BudgetExceededError } from '../../src/budgets/errors.js';
import { preloadTokenizers } from '../../src/budgets/estimate/index.js';
import { type FakeProvider, startFakeProvider } from '../../src/demo/fake-provider/index.js';
import { realisticPromptTokens } from '../../src/demo/fake-provider/realistic-tokens.js';
import type { LLMTelemetry } from '../../src/telemetry.js';
import { makeTelemetry, samples } from '../support/telemetry.js';
import { type RedisProcess, sharedSpend, startRedis, until } from './redis-server.js';
import { makeRig } from './support.js';

const run = promisify(execFile);
const MIN = 60_000;
let redis: RedisProcess;
let fake: FakeProvider;
let prefixes = 0;
const prefix = () => `test${++prefixes}:`;

beforeAll(async () => {
  await preloadTokenizers();
  redis = await startRedis();
  fake = await startFakeProvider({
    promptTokens: realisticPromptTokens,
    outputTokens: 50,
    maxConcurrentRequests: 256,
    maxConnections: 256,
  });
});
afterAll(async () => {
  await fake?.stop();
  await redis?.stop();
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** What the provider billed for requests from index `from` on (its usage × the published gpt-4o prices). */
function billed(from = 0): number[] {
  return fake.requests
    .slice(from)
    .flatMap((r) => (r.usage === undefined ? [] : [(r.usage.input * 2.5 + r.usage.output * 10) / 1e6]));
}
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('one $1 budget shared by 4 processes × 50 concurrent calls', () => {
  it('total spend ≤ $1 + one call, and Redis holds exactly what the provider billed', {
    timeout: 120_000,
  }, async () => {
    const keyPrefix = prefix();
    const from = fake.requests.length;
    const worker = fileURLToPath(new URL('./fixtures/redis-guard-worker.ts', import.meta.url));
    const outputs = await Promise.all(
      Array.from({ length: 4 }, () =>
        run(process.execPath, ['--import', 'tsx', worker], {
          env: {
            ...process.env,
            REDIS_URL: redis.url,
            FAKE_URL: fake.openaiBaseURL,
            KEY_PREFIX: keyPrefix,
            CALLS: '50',
          },
        }),
      ),
    );
    const results = outputs.map(
      (o) => JSON.parse(o.stdout.trim()) as { admitted: number; refused: number; reasons: string[] },
    );
    const admitted = sum(results.map((r) => r.admitted));
    expect(results.flatMap((r) => r.reasons).every((reason) => reason === 'limit')).toBe(true);
    expect(admitted).toBeGreaterThan(0);
    expect(admitted).toBeLessThan(200);
    const costs = billed(from);
    expect(costs).toHaveLength(admitted);
    expect(sum(costs)).toBeLessThanOrEqual(1 + Math.max(...costs) + 1e-9);
    // The estimates are upper bounds here, so the tighter bound holds too.
    expect(sum(costs)).toBeLessThanOrEqual(1 + 1e-9);
    expect(await sharedSpend(redis.client, `${keyPrefix}fleet:1d`)).toBeCloseTo(sum(costs), 9);
  });
});

describe('Redis going away mid-run', () => {
  const body = {
    model: 'gpt-4o',
    max_tokens: 50,
    messages: [{ role: 'user' as const, content: 'hello there' }],
  };

  async function guarded(failOpen: boolean): Promise<{ t: LLMTelemetry; client: OpenAI; keyPrefix: string }> {
    const keyPrefix = prefix();
    const t = makeTelemetry({
      budgets: [{ name: 'b', limitUsd: 1, window: '1d' }],
      budgetGuard: true,
      budgetStore: { redis: { url: redis.url, keyPrefix, timeoutMs: 300, failOpen } },
    });
    const client = t.instrument(new OpenAI({ apiKey: 'k', baseURL: fake.openaiBaseURL, maxRetries: 0 }));
    return { t, client, keyPrefix };
  }

  async function outage(failOpen: boolean) {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const { t, client, keyPrefix } = await guarded(failOpen);
    const from = fake.requests.length;
    for (let i = 0; i < 3; i++) await client.chat.completions.create(body);
    // A call admitted before the outage and still in flight when Redis dies: its settle waits.
    const inFlight = client.chat.completions.create(body, { headers: { 'x-fake-latency-ms': '300' } });
    await until('the slow call to reach the provider', () => fake.requests.length === from + 4);
    await redis.kill();
    await inFlight;
    const during = await Promise.allSettled(
      Array.from({ length: 5 }, () => client.chat.completions.create(body)),
    );
    await redis.restart();
    const total = sum(billed(from));
    await until(
      'the shared spend to reconcile',
      async () => Math.abs((await sharedSpend(redis.client, `${keyPrefix}b:1d`)) - total) < 1e-9,
    );
    // Back to normal: the next call is admitted and charged.
    await client.chat.completions.create(body);
    const after = sum(billed(from));
    await until(
      'the next call to be charged',
      async () => Math.abs((await sharedSpend(redis.client, `${keyPrefix}b:1d`)) - after) < 1e-9,
    );
    const metrics = t.metrics();
    await t.shutdown();
    return { during, metrics, sent: fake.requests.length - from };
  }

  it('failOpen false (default): calls are refused within the timeout, counted; totals reconcile after restart', {
    timeout: 60_000,
  }, async () => {
    const { during, metrics, sent } = await outage(false);
    expect(
      during.map((r) => (r.status === 'rejected' ? BudgetExceededError.is(r.reason)?.reason : 'sent')),
    ).toEqual(Array(5).fill('store_unavailable'));
    expect(sent).toBe(5);
    expect(samples(metrics, 'llm_budget_refusals_total')).toContain(
      'llm_budget_refusals_total{llm_budget_name="b",reason="store_unavailable"} 5',
    );
  });

  it('failOpen true: calls go out unguarded, counted; their cost reaches Redis once it is back', {
    timeout: 60_000,
  }, async () => {
    const { during, metrics, sent } = await outage(true);
    expect(during.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(sent).toBe(10);
    expect(samples(metrics, 'llm_budget_unguarded_calls_total')).toContain(
      'llm_budget_unguarded_calls_total{llm_budget_name="b",reason="store_unavailable"} 5',
    );
  });
});

describe('every SDK waits for the store’s answer before sending', () => {
  async function clients(limitUsd: number) {
    const { createOpenAI } = await import('@ai-sdk/openai');
    const { generateText, wrapLanguageModel } = await import('ai');
    const { llmCostMiddleware } = await import('../../src/instrumentations/vercel-ai/index.js');
    const keyPrefix = prefix();
    const t = makeTelemetry({
      budgets: [{ name: 'b', limitUsd, window: '1d' }],
      budgetGuard: true,
      budgetStore: { redis: { url: redis.url, keyPrefix, timeoutMs: 2000 } },
    });
    const openai = t.instrument(new OpenAI({ apiKey: 'k', baseURL: fake.openaiBaseURL, maxRetries: 0 }));
    const anthropic = t.instrument(
      new Anthropic({ apiKey: 'k', baseURL: fake.anthropicBaseURL, maxRetries: 0 }),
    );
    const gemini = t.instrument(
      new GoogleGenAI({ apiKey: 'k', httpOptions: { baseUrl: fake.geminiBaseURL } }),
    );
    const model = wrapLanguageModel({
      model: createOpenAI({ baseURL: fake.openaiBaseURL, apiKey: 'k' }).chat('gpt-4o'),
      middleware: llmCostMiddleware(t),
    });
    const user = [{ role: 'user' as const, content: 'hi' }];
    const calls: Array<() => PromiseLike<unknown>> = [
      () => openai.chat.completions.create({ model: 'gpt-4o', max_tokens: 16, messages: user }),
      () =>
        openai.chat.completions.create({ model: 'gpt-4o', max_tokens: 16, messages: user }).withResponse(),
      () => anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 16, messages: user }),
      () =>
        gemini.models.generateContent({
          model: 'gemini-2.5-flash',
          contents: 'hi',
          config: { maxOutputTokens: 16 },
        }),
      () => generateText({ model, prompt: 'hi', maxOutputTokens: 16, maxRetries: 0 }),
    ];
    return { t, calls };
  }

  it('admitted: each call is sent once and charged', async () => {
    const { t, calls } = await clients(100);
    const from = fake.requests.length;
    for (const call of calls) await call();
    expect(fake.requests.length - from).toBe(calls.length);
    await t.shutdown();
  });

  it('refused: each rejects with BudgetExceededError (the SDK’s own APIPromise where it has one), nothing sent', async () => {
    const { t, calls } = await clients(0.000001);
    const from = fake.requests.length;
    for (const call of calls) {
      const error = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(BudgetExceededError.is(error)?.reason).toBe('limit');
    }
    expect(fake.requests.length).toBe(from);
    await t.shutdown();
  });
});

describe('the rolling window on Redis', () => {
  /** `acme/quarter` ($0.25 per input token): n input tokens by the guard's byte count. */
  const req = (inputTokens: number): ReserveInput => ({
    provider: 'acme',
    model: 'quarter',
    body: { input: 'x'.repeat(inputTokens - 3), max_tokens: 0 },
  });

  it('spend counts for 59 of 60 minutes of a 1h window, then rolls out', async () => {
    const keyPrefix = prefix();
    const rig = makeRig([{ name: 'hourly', limitUsd: 1, window: '1h' }], {
      guard: true,
      redis: { url: redis.url, keyPrefix, timeoutMs: 2000, failOpen: false },
    });
    rig.spend(1);
    await until(
      'the charge to reach Redis',
      async () => (await sharedSpend(redis.client, `${keyPrefix}hourly:1h`)) === 1,
    );
    const refuse = async () =>
      BudgetExceededError.is(await Promise.resolve(rig.budgets.reserve(req(3))).catch((e: unknown) => e));
    expect(await refuse()).toMatchObject({ reason: 'limit', spentUsd: 1, estimatedUsd: 0.75 });
    rig.advance(59 * MIN);
    expect((await refuse())?.reason).toBe('limit');
    rig.advance(MIN);
    const held = (await rig.budgets.reserve(req(3))) as BudgetReservation;
    expect(held.estimatedUsd).toBe(0.75);
    await rig.budgets.close();
  });
});

describe('Redis refusing a settlement', () => {
  it('is said once and dropped, and does not hold up the settlements behind it', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const keyPrefix = prefix();
    const rig = makeRig([{ name: 'daily', limitUsd: 100, window: '1d' }], {
      guard: true,
      redis: { url: redis.url, keyPrefix, timeoutMs: 2000, failOpen: false },
    });
    // Another app's value in this bucket's key: INCRBYFLOAT fails with a ReplyError.
    const bucketMs = 86_400_000 / 60;
    const head = Math.floor(Date.UTC(2025, 0, 1) / bucketMs);
    await redis.client.set(`${keyPrefix}daily:1d:s:${head}`, 'not a number');
    rig.spend(1);
    rig.advance(bucketMs);
    rig.spend(2);
    await until(
      'the second charge to land',
      async () => (await redis.client.get(`${keyPrefix}daily:1d:s:${head + 1}`)) === '2',
    );
    const said = stderr.mock.calls
      .map(([line]) => String(line))
      .filter((l) => l.includes('Redis refused a settlement'));
    expect(said).toHaveLength(1);
    await rig.budgets.close();
  });
});
