/**
 * The guard against a real local HTTP server that counts requests: a refused call never reaches
 * the network. The "wrapper" here is the minimal shape every SDK wrapper follows (construct a
 * CallTracker, then send, then `end()`), so this pins CallTracker's part of the contract.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BudgetExceededError } from '../../src/budgets/errors.js';
import type { RegisterOptions } from '../../src/config/options.js';
import { resolveOptions } from '../../src/config/resolve.js';
import { CallTracker } from '../../src/instrumentations/shared/call-tracker.js';
import { LLMTelemetry } from '../../src/telemetry.js';
import { nonZeroSamples } from '../support/telemetry.js';

/** `openai/quarter`: $0.25 per input token, $0.50 per output token. */
const PRICES = {
  overrides: [{ provider: 'openai', model: 'quarter', inputPerMTok: 250_000, outputPerMTok: 500_000 }],
};
/**
 * "quarter" has no tokenizer, so its text is bounded by UTF-8 bytes: "abcdefgh" (8) + 4 for the
 * message object + 3 per request = 15 input tokens ($3.75) + 1 output token ($0.50): at most
 * $4.25. The server bills exactly that, so each call costs its full reservation.
 */
const BODY = { model: 'quarter', max_tokens: 1, messages: [{ role: 'user', content: 'abcdefgh' }] };

let server: Server;
let baseUrl: string;
let requests = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    requests += 1;
    req.resume().on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          id: `chatcmpl-${requests}`,
          object: 'chat.completion',
          created: 1_700_000_000,
          model: 'quarter',
          choices: [{ index: 0, message: { role: 'assistant', content: 'x' }, finish_reason: 'length' }],
          usage: { prompt_tokens: 15, completion_tokens: 1, total_tokens: 16 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const exporter = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
let telemetry: LLMTelemetry | undefined;
afterEach(async () => {
  await telemetry?.shutdown();
  telemetry = undefined;
  exporter.reset();
  requests = 0;
});

function guarded(limitUsd: number, options: RegisterOptions = {}): LLMTelemetry {
  telemetry = new LLMTelemetry(
    resolveOptions(
      {
        prometheus: false,
        tracerProvider,
        prices: PRICES,
        budgets: [{ name: 'team-daily', limitUsd, window: '1d' }],
        budgetGuard: true,
        ...options,
      },
      {},
    ),
  );
  return telemetry;
}

/** What an SDK wrapper does: tracker first (may throw), then the request, then end(). */
async function send(t: LLMTelemetry): Promise<void> {
  const tracker = new CallTracker(t, {
    provider: 'openai',
    model: BODY.model,
    apiOperation: 'chat',
    body: BODY,
  });
  const res = await fetch(`${baseUrl}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(BODY) });
  const json = (await res.json()) as { usage: { prompt_tokens: number; completion_tokens: number } };
  tracker.end({
    outcome: 'success',
    usage: { inputTokens: json.usage.prompt_tokens, outputTokens: json.usage.completion_tokens },
  });
}

describe('the guard refuses before the request is sent', () => {
  it('$8.50 budget, $4.25 calls: two go out, the third throws with no request, span or metric', async () => {
    const t = guarded(8.5);
    await send(t);
    await send(t);
    const refused = await send(t).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(BudgetExceededError);
    expect((refused as Error).message).toBe(
      'Budget "team-daily" (1d) would be exceeded: spent $8.50 + this call up to $4.25 > limit $8.50. Raise the limit, wait for the window to roll, or disable budgetGuard.',
    );
    expect(requests).toBe(2);
    expect(exporter.getFinishedSpans()).toHaveLength(2);
    expect(
      nonZeroSamples(t.metrics(), 'llm_requests_total').map((l) => l.slice(l.lastIndexOf(' ') + 1)),
    ).toEqual(['2']);
    expect([t.budgets.spentUsd('team-daily'), t.budgets.reservedUsd('team-daily')]).toEqual([8.5, 0]);
  });

  it('10 concurrent calls with $8.50 of $17.00 spent: 2 are sent, 8 refused, spend ends at $17.00', async () => {
    const t = guarded(17);
    t.record({ provider: 'openai', model: 'quarter', usage: { inputTokens: 34, outputTokens: 0 } }); // $8.50
    // All ten construct their tracker (reserve) before any response arrives.
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => send(t)));
    const refused = results.filter((r) => r.status === 'rejected').map((r) => r.reason);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect(refused).toHaveLength(8);
    expect(
      refused.every((e) => e instanceof BudgetExceededError && e.spentUsd === 8.5 && e.reservedUsd === 8.5),
    ).toBe(true);
    expect(requests).toBe(2);
    // Each sent call cost its full $4.25 estimate: the limit is reached, not passed.
    expect([t.budgets.spentUsd('team-daily'), t.budgets.reservedUsd('team-daily')]).toEqual([17, 0]);
    expect(nonZeroSamples(t.metrics(), 'llm_budget_spend_usd_total')).toEqual([
      'llm_budget_spend_usd_total{llm_budget_name="team-daily"} 17',
    ]);
  });

  it('with budgetGuard off the same calls all go out (events still fire)', async () => {
    const events: string[] = [];
    const t = guarded(8.5, {
      budgetGuard: false,
      onBudgetEvent: (e) => events.push(`${e.type}:${e.threshold ?? e.milestoneUsd}`),
    });
    for (let i = 0; i < 3; i++) await send(t);
    expect(requests).toBe(3);
    // $4.25, then $8.50 (every threshold and the $8 milestone at once), then $12.75.
    expect(events).toEqual([
      'milestone:4',
      'threshold:0.8',
      'threshold:0.95',
      'threshold:1',
      'milestone:8',
      'milestone:12',
    ]);
  });

  it('through the real openai client: the refusal reaches the caller and no request is sent', async () => {
    const t = guarded(6.5);
    const client = t.instrument(new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey: 'test-key', maxRetries: 0 }));
    await client.chat.completions.create(BODY as OpenAI.ChatCompletionCreateParamsNonStreaming);
    await expect(
      client.chat.completions.create(BODY as OpenAI.ChatCompletionCreateParamsNonStreaming),
    ).rejects.toBeInstanceOf(BudgetExceededError);
    expect(requests).toBe(1);
  });
});
