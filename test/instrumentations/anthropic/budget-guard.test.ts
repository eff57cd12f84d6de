/** The budget guard's refusal is the one error of ours that reaches the caller, before any request. */
import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { BudgetExceededError } from '../../../src/budgets/errors.js';
import { instrumentAnthropic } from '../../../src/instrumentations/anthropic/index.js';
import { TINY_BUDGET, useSdkSuite } from '../support/sdk-harness.js';

const h = useSdkSuite(TINY_BUDGET, { reset: false });

/** A messages.create call through `suite`'s telemetry: refused with BudgetExceededError, nothing sent. */
async function expectRefused(suite: typeof h): Promise<void> {
  const client = instrumentAnthropic(
    suite.telemetry,
    new Anthropic({ apiKey: 'k', baseURL: suite.fake.anthropicBaseURL, maxRetries: 0 }),
  );
  const sent = suite.fake.requests.length;
  const error = await (async () =>
    client.messages.create({
      model: 'claude-haiku-4-5',
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'hi' }],
    }))().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(BudgetExceededError);
  expect(suite.fake.requests.length).toBe(sent);
}

describe('budget guard with messages.create', () => {
  it('refuses a call that could pass the limit with BudgetExceededError; nothing is sent', async () => {
    await expectRefused(h);
    expect(h.telemetry.summary().total.requests).toBe(0);
  });
});

describe('budget guard and the configured default operation', () => {
  const scoped = useSdkSuite(
    {
      budgets: [{ name: 'triage', limitUsd: 0.000001, window: '1d', match: { operation: 'triage' } }],
      budgetGuard: true,
      defaultOperation: 'triage',
    },
    { reset: false },
  );

  it('a call that names no operation is guarded under the default operation, as record() labels it', async () => {
    await expectRefused(scoped);
  });
});
