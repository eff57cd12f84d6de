/** The budget guard's refusal is the one error of ours that reaches the caller, before any request. */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BudgetExceededError } from '../../../src/budgets/errors.js';
import { type FakeProvider, startFakeProvider } from '../../../src/demo/fake-provider/index.js';
import { instrumentAnthropic } from '../../../src/instrumentations/anthropic/index.js';
import { createHarness, type Harness } from './harness.js';

let fake: FakeProvider;
let h: Harness;

beforeAll(async () => {
  fake = await startFakeProvider();
  h = createHarness({ budgets: [{ name: 'tiny', limitUsd: 0.000001, window: '1d' }], budgetGuard: true });
});
afterAll(async () => {
  await h.shutdown();
  await fake.stop();
});

describe('budget guard with messages.create', () => {
  it('refuses a call that could pass the limit with BudgetExceededError; nothing is sent', async () => {
    const client = instrumentAnthropic(
      h.telemetry,
      new Anthropic({ apiKey: 'k', baseURL: fake.anthropicBaseURL, maxRetries: 0 }),
    );
    const sent = fake.requests.length;
    const error = await (async () =>
      client.messages.create({
        model: 'claude-haiku-4-5',
        max_tokens: 1024,
        messages: [{ role: 'user', content: 'hi' }],
      }))().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect(fake.requests.length).toBe(sent);
    expect(h.telemetry.summary().total.requests).toBe(0);
  });
});
