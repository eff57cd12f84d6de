/** The budget guard's refusal is the one error of ours that reaches the caller, before any request. */
import { GoogleGenAI } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BudgetExceededError } from '../../../src/budgets/errors.js';
import { type FakeProvider, startFakeProvider } from '../../../src/demo/fake-provider/index.js';
import { instrumentGemini } from '../../../src/instrumentations/gemini/index.js';
import { createHarness, type Harness } from '../anthropic/harness.js';

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

describe('budget guard with generateContent', () => {
  it('rejects with BudgetExceededError before sending anything', async () => {
    const ai = instrumentGemini(
      h.telemetry,
      new GoogleGenAI({ apiKey: 'k', httpOptions: { baseUrl: fake.geminiBaseURL } }),
    );
    const sent = fake.requests.length;
    const error = await ai.models
      .generateContent({ model: 'gemini-2.5-flash', contents: 'hi', config: { maxOutputTokens: 4096 } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect(fake.requests.length).toBe(sent);
    expect(h.telemetry.summary().total.requests).toBe(0);
  });
});
