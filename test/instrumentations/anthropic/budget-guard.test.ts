/** The budget guard's refusal is the one error of ours that reaches the caller, before any request. */
import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { BudgetExceededError } from '../../../src/budgets/errors.js';
import { instrumentAnthropic } from '../../../src/instrumentations/anthropic/index.js';
import { TINY_BUDGET, useSdkSuite } from '../support/sdk-harness.js';

const h = useSdkSuite(TINY_BUDGET, { reset: false });

describe('budget guard with messages.create', () => {
  it('refuses a call that could pass the limit with BudgetExceededError; nothing is sent', async () => {
    const client = instrumentAnthropic(
      h.telemetry,
      new Anthropic({ apiKey: 'k', baseURL: h.fake.anthropicBaseURL, maxRetries: 0 }),
    );
    const sent = h.fake.requests.length;
    const error = await (async () =>
      client.messages.create({
        model: 'claude-haiku-4-5',
        max_tokens: 1024,
        messages: [{ role: 'user', content: 'hi' }],
      }))().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect(h.fake.requests.length).toBe(sent);
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
    const client = instrumentAnthropic(
      scoped.telemetry,
      new Anthropic({ apiKey: 'k', baseURL: scoped.fake.anthropicBaseURL, maxRetries: 0 }),
    );
    const sent = scoped.fake.requests.length;
    const error = await (async () =>
      client.messages.create({
        model: 'claude-haiku-4-5',
        max_tokens: 1024,
        messages: [{ role: 'user', content: 'hi' }],
      }))().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect(scoped.fake.requests.length).toBe(sent);
  });
});
