/** The budget guard's refusal is the one error of ours that reaches the caller, before any request. */
import { GoogleGenAI } from '@google/genai';
import { describe, expect, it } from 'vitest';
import { BudgetExceededError } from '../../../src/budgets/errors.js';
import { instrumentGemini } from '../../../src/instrumentations/gemini/index.js';
import { TINY_BUDGET, useSdkSuite } from '../support/sdk-harness.js';

const h = useSdkSuite(TINY_BUDGET, { reset: false });

describe('budget guard with generateContent', () => {
  it('rejects with BudgetExceededError before sending anything', async () => {
    const ai = instrumentGemini(
      h.telemetry,
      new GoogleGenAI({ apiKey: 'k', httpOptions: { baseUrl: h.fake.geminiBaseURL } }),
    );
    const sent = h.fake.requests.length;
    const error = await ai.models
      .generateContent({ model: 'gemini-2.5-flash', contents: 'hi', config: { maxOutputTokens: 4096 } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect(h.fake.requests.length).toBe(sent);
    expect(h.telemetry.summary().total.requests).toBe(0);
  });
});
