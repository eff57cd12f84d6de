/**
 * Vercel AI SDK `experimental_telemetry` spans priced by `LLMCostSpanProcessor`: only the inner
 * `ai.generateText.doGenerate` / `ai.streamText.doStream` spans (the outer ones wrap them), and
 * exactly once when `llmCostMiddleware` also measures the model (the doGenerate span is its parent).
 */
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, streamText, wrapLanguageModel } from 'ai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withLLMContext } from '../../../src/context.js';
import { llmCostMiddleware } from '../../../src/instrumentations/vercel-ai/index.js';
import { type Harness, startHarness, until, usageHeaders } from './harness.js';

const PROMPT = 'Say hello to the test suite';
const USAGE = { input: 100, cacheRead: 40, output: 20, reasoning: 7 };
const INCLUSIVE = { inputTokens: 140, outputTokens: 27, cacheReadTokens: 40, reasoningTokens: 7 };

describe('Vercel AI SDK telemetry spans → LLMCostSpanProcessor', () => {
  let h: Harness;
  let openai: ReturnType<typeof createOpenAI>;
  const telemetry = () => ({ isEnabled: true, tracer: h.tracerProvider.getTracer('ai') });
  const aiSpans = () => h.spans().filter((s) => s.instrumentationScope.name === 'ai');
  beforeEach(async () => {
    h = await startHarness();
    openai = createOpenAI({ baseURL: h.fake.openaiBaseURL, apiKey: 'sk-test' });
  });
  afterEach(() => h.stop());

  it('generateText: the doGenerate span is priced once, the outer span is not', async () => {
    await withLLMContext({ agent: 'researcher', task: 'T-9' }, () =>
      generateText({
        model: openai.chat('gpt-4o'),
        prompt: PROMPT,
        headers: usageHeaders(USAGE),
        experimental_telemetry: telemetry(),
      }),
    );
    await until(() => aiSpans().length === 2);
    expect(
      aiSpans()
        .map((s) => s.name)
        .sort(),
    ).toEqual(['ai.generateText', 'ai.generateText.doGenerate']);
    expect(h.calls).toHaveLength(1);
    expect(h.calls[0]).toMatchObject({
      provider: 'openai',
      model: 'gpt-4o',
      apiOperation: 'chat',
      outcome: 'success',
      usage: INCLUSIVE,
      agent: 'researcher',
      task: 'T-9',
      span: null,
    });
    // gpt-4o per MTok: input $2.50, cached input $1.25, output (reasoning included) $10:
    // (140 − 40)×2.50 + 40×1.25 + 27×10 = 570 → $0.00057.
    expect(h.telemetry.summary().total.costUsd).toBeCloseTo(0.00057, 12);
  });

  it('streamText: the doStream span is priced once', async () => {
    const s = streamText({
      model: openai.chat('gpt-4o'),
      prompt: PROMPT,
      headers: usageHeaders(USAGE),
      experimental_telemetry: telemetry(),
    });
    await s.text;
    await until(() => aiSpans().length === 2);
    expect(
      aiSpans()
        .map((s) => s.name)
        .sort(),
    ).toEqual(['ai.streamText', 'ai.streamText.doStream']);
    expect(h.calls).toHaveLength(1);
    expect(h.calls[0]).toMatchObject({ provider: 'openai', outcome: 'success', usage: INCLUSIVE });
  });

  it('a failed call: one error request from the doGenerate span', async () => {
    await generateText({
      model: openai.chat('gpt-4o'),
      prompt: PROMPT,
      maxRetries: 0,
      headers: { 'x-fake-scenario': 'error-500' },
      experimental_telemetry: telemetry(),
    }).catch(() => undefined);
    await until(() => aiSpans().length === 2);
    expect(h.calls).toHaveLength(1);
    expect(h.calls[0]).toMatchObject({ provider: 'openai', outcome: 'error', errorType: 'AI_APICallError' });
    expect(h.calls[0]?.usage).toBeUndefined();
  });

  it('with llmCostMiddleware on the model too: each call counts once (the middleware’s)', async () => {
    const model = wrapLanguageModel({
      model: openai.chat('gpt-4o'),
      middleware: llmCostMiddleware(h.telemetry),
    });
    await generateText({
      model,
      prompt: PROMPT,
      headers: usageHeaders(USAGE),
      experimental_telemetry: telemetry(),
    });
    const s = streamText({
      model,
      prompt: PROMPT,
      headers: usageHeaders(USAGE),
      experimental_telemetry: telemetry(),
    });
    await s.text;
    await until(() => aiSpans().length === 4 && h.openSpans() === 0);
    expect(h.calls).toHaveLength(2);
    expect(h.calls.every((c) => c.span !== null)).toBe(true);
    const ours = h.spans().filter((s) => s.instrumentationScope.name === 'llm-cost-otel');
    const inner = aiSpans().filter((s) => s.name.endsWith('.doGenerate') || s.name.endsWith('.doStream'));
    expect(ours.map((s) => s.parentSpanContext?.spanId).sort()).toEqual(
      inner.map((s) => s.spanContext().spanId).sort(),
    );
    expect(h.telemetry.summary().total).toMatchObject({
      requests: 2,
      tokens: { input: 200, cache_read: 80 },
    });
  });
});
