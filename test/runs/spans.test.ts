/**
 * Runs as spans: our `invoke_agent {agent}` span with the run's totals and the SDK's CLIENT spans as
 * its children (real `openai` client against the fake provider); frameworks' own `invoke_agent`
 * spans, seen by the span processor, become runs without code. Prices: `acme-1` at $1/M input and
 * $4/M output tokens, under provider `openai` too.
 */
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AgentRunEnd } from '../../src/runs/types.js';
import { type Harness, startHarness, usageHeaders } from '../instrumentations/span-processor/harness.js';
import { ACME_PRICES } from '../support/telemetry.js';

const PRICES = {
  overrides: [
    ...ACME_PRICES.overrides,
    { provider: 'openai', model: 'acme-1', inputPerMTok: 1, outputPerMTok: 4 },
  ],
};

let h: Harness;
let ended: AgentRunEnd[];
beforeEach(async () => {
  h = await startHarness({ telemetry: { prices: PRICES } });
  ended = [];
  h.telemetry.onRunEnd((r) => ended.push(r));
});
afterEach(() => h.stop());

describe('a run is one invoke_agent span with its totals; LLM CLIENT spans are its children', () => {
  it('through the real openai client', async () => {
    const openai = h.telemetry.instrument(
      new OpenAI({ baseURL: h.fake.openaiBaseURL, apiKey: 'sk-test', maxRetries: 0 }),
    );
    await h.telemetry.withAgentRun({ agent: 'coder', task: 'T-7', operation: 'fix_bug' }, async () => {
      for (const usage of [
        { input: 1000, output: 500 },
        { input: 3000, output: 250 },
      ]) {
        await openai.chat.completions.create(
          { model: 'acme-1', messages: [{ role: 'user', content: 'hi' }] },
          { headers: usageHeaders(usage) },
        );
      }
    });
    const spans = h.spans();
    const run = spans.find((s) => s.name === 'invoke_agent coder');
    expect(run).toBeDefined();
    const clients = spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'chat');
    expect(clients).toHaveLength(2);
    for (const c of clients) expect(c.parentSpanContext?.spanId).toBe(run!.spanContext().spanId);
    // 1000 × 1/M + 500 × 4/M = 0.003; 3000 × 1/M + 250 × 4/M = 0.004 → 0.007
    expect(run!.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'coder',
      'llm.operation.name': 'fix_bug',
      'llm.task.id': 'T-7',
      'gen_ai.usage.input_tokens': 4000,
      'gen_ai.usage.output_tokens': 750,
      'gen_ai.usage.cost.currency': 'USD',
      'llm.run.outcome': 'success',
      'llm.run.llm_calls': 2,
    });
    expect(run!.attributes['gen_ai.usage.cost.amount']).toBeCloseTo(0.007, 12);
    expect(run!.status.code).not.toBe(SpanStatusCode.ERROR);
    // The calls are counted once (our CLIENT spans are not priced again by the processor).
    expect(h.calls).toHaveLength(2);
    expect(ended[0]?.totals.costUsd).toBeCloseTo(0.007, 12);
  });

  it('a failed run marks its span as an error with the reason as error.type; no per-call attributes on it', async () => {
    await h.telemetry.withAgentRun({ agent: 'coder' }, async (run) => {
      h.telemetry.record({
        provider: 'acme',
        model: 'acme-1',
        usage: { inputTokens: 1000, outputTokens: 0 },
      });
      run.fail('tests_failed');
    });
    const span = h.spans().find((s) => s.name === 'invoke_agent coder')!;
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).toBe('tests_failed');
    expect(span.attributes['llm.run.outcome']).toBe('failure');
    // A manual record() inside the run does not write its own call's model onto the run span.
    expect(span.attributes['gen_ai.request.model']).toBeUndefined();
    expect(span.attributes['gen_ai.usage.cost.amount']).toBeCloseTo(0.001, 12);
  });
});

describe("frameworks' invoke_agent spans become runs", () => {
  const tracer = () => h.tracerProvider.getTracer('agent-framework');

  it('GenAI spans and manual records inside are the run; its status is the outcome', () => {
    const agent = tracer().startSpan('invoke_agent researcher', {
      attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'researcher' },
    });
    context.with(trace.setSpan(context.active(), agent), () => {
      // Another instrumentation's chat span: 2000 × 1/M + 1000 × 4/M = 0.006
      const chat = tracer().startSpan('chat acme-1', {
        attributes: {
          'gen_ai.provider.name': 'acme',
          'gen_ai.operation.name': 'chat',
          'gen_ai.request.model': 'acme-1',
          'gen_ai.usage.input_tokens': 2000,
          'gen_ai.usage.output_tokens': 1000,
        },
      });
      chat.end();
      // A manual record while the agent span is active: 5000 × 1/M = 0.005
      h.telemetry.record({
        provider: 'acme',
        model: 'acme-1',
        usage: { inputTokens: 5000, outputTokens: 0 },
      });
    });
    expect(ended).toHaveLength(0);
    agent.setStatus({ code: SpanStatusCode.ERROR });
    agent.setAttribute('error.type', 'Timeout');
    agent.end();
    expect(ended).toHaveLength(1);
    expect(ended[0]).toMatchObject({ agent: 'researcher', outcome: 'failure', reason: 'Timeout' });
    // 0.006 + 0.005 = 0.011
    expect(ended[0]?.totals.costUsd).toBeCloseTo(0.011, 12);
    expect(ended[0]?.totals.llmCalls).toBe(2);
    expect(h.telemetry.runs.openRuns).toBe(0);
    // The manual record did not write its call onto the framework's agent span.
    const exported = h.spans().find((s) => s.name === 'invoke_agent researcher');
    expect(exported?.attributes['gen_ai.operation.name']).toBe('invoke_agent');
    expect(exported?.attributes['gen_ai.request.model']).toBeUndefined();
  });

  it('nested framework agents roll up; a run started inside one is its child', async () => {
    const outer = tracer().startSpan('invoke_agent boss', {
      attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'boss' },
    });
    await context.with(trace.setSpan(context.active(), outer), async () => {
      const inner = tracer().startSpan('invoke_agent worker', {
        attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'worker' },
      });
      context.with(trace.setSpan(context.active(), inner), () => {
        // 1000 × 4/M = 0.004
        h.telemetry.record({
          provider: 'acme',
          model: 'acme-1',
          usage: { inputTokens: 0, outputTokens: 1000 },
        });
      });
      inner.end();
      await h.telemetry.withAgentRun({ agent: 'helper' }, () => {
        // 1000 × 1/M = 0.001
        h.telemetry.record({
          provider: 'acme',
          model: 'acme-1',
          usage: { inputTokens: 1000, outputTokens: 0 },
        });
      });
    });
    outer.end();
    const by = Object.fromEntries(ended.map((r) => [r.agent, r]));
    expect(by.worker?.parentId).toBe(by.boss?.id);
    expect(by.helper?.parentId).toBe(by.boss?.id);
    expect(by.worker?.totals.costUsd).toBeCloseTo(0.004, 12);
    expect(by.helper?.totals.costUsd).toBeCloseTo(0.001, 12);
    // boss: 0.004 + 0.001
    expect(by.boss?.totals.costUsd).toBeCloseTo(0.005, 12);
    expect(by.boss?.outcome).toBe('success');
  });

  it('a call span ending outside the agent span’s context still belongs to its run', () => {
    const agent = tracer().startSpan('invoke_agent streamer', {
      attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'streamer' },
    });
    const chat = tracer().startSpan(
      'chat acme-1',
      {
        attributes: {
          'gen_ai.provider.name': 'acme',
          'gen_ai.operation.name': 'chat',
          'gen_ai.request.model': 'acme-1',
          'gen_ai.usage.input_tokens': 3000,
          'gen_ai.usage.output_tokens': 0,
        },
      },
      trace.setSpan(context.active(), agent),
    );
    // Ended from the root context (a stream finished by another task): 3000 × 1/M = 0.003
    context.with(trace.deleteSpan(context.active()), () => chat.end());
    agent.end();
    expect(ended[0]).toMatchObject({ agent: 'streamer', outcome: 'success' });
    expect(ended[0]?.totals.costUsd).toBeCloseTo(0.003, 12);
  });

  it('an invoke_agent attribute set only at the end still counts the run (with no calls)', () => {
    const span = tracer().startSpan('agent step');
    span.setAttributes({ 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'late' });
    span.end();
    expect(ended).toHaveLength(1);
    expect(ended[0]).toMatchObject({ agent: 'late', outcome: 'success' });
    expect(ended[0]?.totals.llmCalls).toBe(0);
  });
});

describe('an invoke_agent span without gen_ai.agent.name', () => {
  it('takes the scope agent, like an LLM call, and says nothing on stderr', async () => {
    const { withLLMContext } = await import('../../src/context.js');
    const stderr = vi.spyOn(process.stderr, 'write');
    withLLMContext({ agent: 'scoped' }, () => {
      const span = h.tracerProvider.getTracer('agent-framework').startSpan('invoke_agent', {
        attributes: { 'gen_ai.operation.name': 'invoke_agent' },
      });
      span.end();
    });
    expect(ended.map((r) => r.agent)).toEqual(['scoped']);
    expect(stderr.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('no agent name'))).toEqual([]);
    stderr.mockRestore();
  });
});

describe('an SDK error inside a run', () => {
  it('reaches the caller as the same object, of the SDK’s own class; the run fails with its name', async () => {
    const openai = h.telemetry.instrument(
      new OpenAI({ baseURL: h.fake.openaiBaseURL, apiKey: 'sk-test', maxRetries: 0 }),
    );
    let inner: unknown;
    const outer = await h.telemetry
      .withAgentRun({ agent: 'coder' }, async () => {
        try {
          await openai.chat.completions.create(
            { model: 'acme-1', messages: [{ role: 'user', content: 'hi' }] },
            { headers: { 'x-fake-scenario': 'error-429' } },
          );
        } catch (error) {
          inner = error;
          throw error;
        }
      })
      .catch((error: unknown) => error);
    expect(outer).toBe(inner);
    expect(outer).toBeInstanceOf(OpenAI.RateLimitError);
    expect(ended[0]).toMatchObject({ agent: 'coder', outcome: 'failure', reason: 'RateLimitError' });
    expect(ended[0]?.totals).toMatchObject({ llmCalls: 1, failedCalls: 1 });
  });
});
