/**
 * The processor's rules on hand-made spans: which attributes are read (current and legacy names),
 * inclusive vs exclusive counts, which spans are calls, deduplication against our spans, and
 * attribution captured at span start.
 */
import { type Attributes, context, SpanStatusCode, trace } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withLLMContext } from '../../../src/context.js';
import { BoundedMap } from '../../../src/instrumentations/span-processor/bounded.js';
import { LLMCostSpanProcessor } from '../../../src/instrumentations/span-processor/index.js';
import { type Harness, startHarness } from './harness.js';

describe('LLMCostSpanProcessor rules', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.stop());

  const tracer = () => h.tracerProvider.getTracer('other-instrumentation');
  function emit(attributes: Attributes, end: Attributes = {}, status?: SpanStatusCode, name = 'chat x') {
    const span = tracer().startSpan(name, { attributes });
    span.setAttributes(end);
    if (status !== undefined) span.setStatus({ code: status });
    span.end();
    return span;
  }

  it('legacy gen_ai.system / prompt_tokens / completion_tokens (OpenLLMetry ≤ 0.1x spelling)', () => {
    emit(
      { 'gen_ai.system': 'OpenAI', 'gen_ai.request.model': 'gpt-4o' },
      {
        'gen_ai.usage.prompt_tokens': 10,
        'gen_ai.usage.completion_tokens': 4,
        'gen_ai.response.model': 'gpt-4o-2024-08-06',
      },
    );
    expect(h.calls).toHaveLength(1);
    expect(h.calls[0]).toMatchObject({
      provider: 'openai',
      model: 'gpt-4o',
      responseModel: 'gpt-4o-2024-08-06',
      apiOperation: 'chat',
      usage: { inputTokens: 10, outputTokens: 4 },
    });
    expect(h.calls[0]?.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('inclusive counts with cache and reasoning parts; exclusive ones are added up', () => {
    emit({
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'claude-sonnet-4-5',
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.cache_read.input_tokens': 600,
      'gen_ai.usage.cache_write.input_tokens': 300,
      'anthropic.usage.cache_creation.ephemeral_1h_input_tokens': 200,
      'gen_ai.usage.output_tokens': 50,
      'gen_ai.usage.reasoning.output_tokens': 20,
    });
    // Exclusive spelling (input without the cache parts, reasoning beside the output).
    emit({
      'gen_ai.system': 'anthropic',
      'gen_ai.request.model': 'claude-sonnet-4-5',
      'gen_ai.usage.input_tokens': 100,
      'gen_ai.usage.cache_read_input_tokens': 600,
      'gen_ai.usage.cache_creation_input_tokens': 300,
      'gen_ai.usage.output_tokens': 30,
      'gen_ai.usage.reasoning_tokens': 40,
    });
    expect(h.calls.map((c) => c.usage)).toEqual([
      {
        inputTokens: 1000,
        outputTokens: 50,
        cacheReadTokens: 600,
        cacheWriteTokens: 300,
        cacheWrite1hTokens: 200,
        reasoningTokens: 20,
      },
      {
        inputTokens: 1000,
        outputTokens: 70,
        cacheReadTokens: 600,
        cacheWriteTokens: 300,
        reasoningTokens: 40,
      },
    ]);
  });

  it('skips spans that are not model calls', () => {
    const base = { 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o' };
    const usage = { 'gen_ai.usage.input_tokens': 5, 'gen_ai.usage.output_tokens': 5 };
    emit({ ...base, 'gen_ai.operation.name': 'invoke_agent', ...usage });
    emit({ ...base, 'gen_ai.operation.name': 'execute_tool' });
    emit({ ...base }); // no operation, no counts (e.g. count_tokens-like spans)
    emit({ 'gen_ai.operation.name': 'chat', ...usage }); // no provider
    emit({ 'gen_ai.provider.name': 'openai', 'gen_ai.operation.name': 'chat', ...usage }); // no model
    emit({
      'ai.operationId': 'ai.generateText',
      'gen_ai.system': 'openai.chat',
      'gen_ai.request.model': 'x',
      ...usage,
    });
    emit({ 'ai.operationId': 'ai.toolCall', ...usage });
    emit({ 'http.request.method': 'POST' });
    expect(h.calls).toHaveLength(0);
  });

  it('an inference span without counts is a request with usage missing, never zeros', () => {
    emit({
      'gen_ai.provider.name': 'openai',
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4o',
    });
    expect(h.calls[0]).toMatchObject({
      outcome: 'success',
      usageMissingReason: 'span_no_usage',
      usage: undefined,
    });
  });

  it('status ERROR → error with error.type, else the exception event, else _OTHER; abort types → aborted', () => {
    const base = {
      'gen_ai.provider.name': 'openai',
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4o',
    };
    emit({ ...base, 'error.type': 'RateLimitError' }, {}, SpanStatusCode.ERROR);
    const s = tracer().startSpan('chat gpt-4o', { attributes: base });
    s.recordException({ name: 'InternalServerError', message: 'no' });
    s.setStatus({ code: SpanStatusCode.ERROR });
    s.end();
    emit(base, {}, SpanStatusCode.ERROR);
    emit({ ...base, 'error.type': 'APIUserAbortError' }, {}, SpanStatusCode.ERROR);
    expect(h.calls.map((c) => [c.outcome, c.errorType])).toEqual([
      ['error', 'RateLimitError'],
      ['error', 'InternalServerError'],
      ['error', '_OTHER'],
      ['aborted', undefined],
    ]);
  });

  it('Vercel doGenerate spans: provider id mapped, cache and reasoning from ai.usage.*', () => {
    emit({
      'ai.operationId': 'ai.generateText.doGenerate',
      'gen_ai.system': 'anthropic.messages',
      'gen_ai.request.model': 'claude-sonnet-4-5',
      'gen_ai.usage.input_tokens': 700,
      'gen_ai.usage.output_tokens': 30,
      'ai.usage.inputTokenDetails.cacheReadTokens': 500,
      'ai.usage.inputTokenDetails.cacheWriteTokens': 100,
      'ai.usage.outputTokenDetails.reasoningTokens': 10,
    });
    expect(h.calls[0]).toMatchObject({
      provider: 'anthropic',
      apiOperation: 'chat',
      usage: {
        inputTokens: 700,
        outputTokens: 30,
        cacheReadTokens: 500,
        cacheWriteTokens: 100,
        reasoningTokens: 10,
      },
    });
  });

  describe('deduplication against our spans', () => {
    const ours = () => h.telemetry.tracer;
    const foreign = {
      'gen_ai.provider.name': 'openai',
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.usage.input_tokens': 5,
      'gen_ai.usage.output_tokens': 5,
    };

    it('skips our own spans and spans marked llm.cost.recorded', () => {
      ours().startSpan('chat gpt-4o', { attributes: foreign }).end();
      emit({ ...foreign, 'llm.cost.recorded': true });
      expect(h.calls).toHaveLength(0);
    });

    it('skips a foreign span whose parent is ours (even when it ends after ours)', () => {
      const parent = ours().startSpan('chat gpt-4o');
      const ctx = trace.setSpan(context.active(), parent);
      const child = tracer().startSpan('chat gpt-4o', { attributes: foreign }, ctx);
      parent.end();
      child.end();
      expect(h.calls).toHaveLength(0);
    });

    it('skips a foreign span that has one of ours as child', () => {
      const outer = tracer().startSpan('chat gpt-4o', { attributes: foreign });
      const ctx = trace.setSpan(context.active(), outer);
      ours().startSpan('chat gpt-4o', {}, ctx).end();
      outer.end();
      expect(h.calls).toHaveLength(0);
      // A sibling foreign span, unrelated to ours, is priced.
      emit(foreign);
      expect(h.calls).toHaveLength(1);
    });
  });

  it('attribution is the scope in effect when the span started', () => {
    const span = withLLMContext({ agent: 'planner', operation: 'plan', task: 'T-7' }, () =>
      tracer().startSpan('chat gpt-4o', {
        attributes: { 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o' },
      }),
    );
    span.setAttributes({ 'gen_ai.usage.input_tokens': 3, 'gen_ai.usage.output_tokens': 1 });
    withLLMContext({ agent: 'other' }, () => span.end());
    expect(h.calls[0]).toMatchObject({ agent: 'planner', operation: 'plan', task: 'T-7' });
    // Without a scope, the span's own gen_ai.agent.name names the agent.
    emit({
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.agent.name': 'Math Tutor',
      'gen_ai.usage.input_tokens': 1,
    });
    expect(h.calls[1]?.agent).toBe('Math Tutor');
  });

  it('after shutdown, or with no telemetry, nothing is recorded and nothing throws', async () => {
    const lone = new LLMCostSpanProcessor();
    const span = { spanContext: () => ({ spanId: 'a' }), attributes: {}, name: 'x', status: { code: 0 } };
    expect(() => lone.onStart(span as never, context.active())).not.toThrow();
    expect(() => lone.onEnd(span as never)).not.toThrow();
    expect(() => lone.onEnd({} as never)).not.toThrow();
    await h.processor.shutdown();
    emit({
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.usage.input_tokens': 1,
    });
    expect(h.calls).toHaveLength(0);
  });
});

describe('BoundedMap', () => {
  it('forgets the oldest entries beyond its size', () => {
    const m = new BoundedMap<string, number>(2);
    m.set('a', 1);
    m.set('b', 2);
    m.set('c', 3);
    expect([m.has('a'), m.has('b'), m.has('c'), m.size]).toEqual([false, true, true, 2]);
    expect(m.take('b')).toBe(2);
    expect(m.has('b')).toBe(false);
  });
});
