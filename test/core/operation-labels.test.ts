/**
 * `gen_ai_operation_name` carries only the API operation (GenAI semconv values); the app's own
 * operation has its own label `llm_operation_name` and span attribute `llm.operation.name`.
 */
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

import { describe, expect, it } from 'vitest';
import { withLLMContext } from '../../src/context.js';
import { METRIC } from '../../src/metrics/names.js';
import { ACME_PRICES, makeTelemetry, nonZeroSamples, samples } from '../support/telemetry.js';

const call = (extra: Record<string, unknown> = {}) => ({
  provider: 'acme',
  model: 'acme-1',
  usage: { inputTokens: 1000, outputTokens: 100 },
  durationMs: 250,
  ...extra,
});

describe('the API operation and the app operation are two labels', () => {
  it('llm_* families carry both; gen_ai_client_* carry the API operation only', () => {
    const t = makeTelemetry({ prices: ACME_PRICES });
    withLLMContext({ agent: 'planner', operation: 'analyze_and_plan' }, () =>
      t.record(call({ apiOperation: 'embeddings' })),
    );
    const text = t.metrics();
    expect(nonZeroSamples(text, METRIC.requests)).toEqual([
      `${METRIC.requests}{gen_ai_provider_name="acme",gen_ai_request_model="acme-1",gen_ai_agent_name="planner",gen_ai_operation_name="embeddings",llm_operation_name="analyze_and_plan",llm_outcome="success",error_type=""} 1`,
    ]);
    const tokenUsage = samples(text, `${METRIC.genAiTokenUsage}_count`);
    expect(tokenUsage).toHaveLength(2);
    for (const line of tokenUsage) {
      expect(line).toContain('gen_ai_operation_name="embeddings"');
      expect(line).not.toContain('analyze_and_plan');
    }
  });

  it('with no app operation named, llm_operation_name falls back to the configured default, then the API operation', () => {
    const plain = makeTelemetry({ prices: ACME_PRICES });
    plain.record(call({ apiOperation: 'generate_content' }));
    plain.record(call());
    expect(
      nonZeroSamples(plain.metrics(), METRIC.requests).map((l) =>
        l
          .match(/gen_ai_operation_name="(\w+)",llm_operation_name="(\w+)"/)!
          .slice(1)
          .join('/'),
      ),
    ).toEqual(['generate_content/generate_content', 'chat/chat']);

    const configured = makeTelemetry({ prices: ACME_PRICES, defaultOperation: 'background' });
    configured.record(call({ apiOperation: 'chat' }));
    expect(nonZeroSamples(configured.metrics(), METRIC.requests)[0]).toContain(
      'gen_ai_operation_name="chat",llm_operation_name="background"',
    );
  });

  it('the span gets gen_ai.operation.name = API operation and llm.operation.name = app operation', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const t = makeTelemetry({ prices: ACME_PRICES });
    const span = provider.getTracer('test').startSpan('chat acme-1');
    withLLMContext({ operation: 'validate_outputs' }, () => t.record(call({ apiOperation: 'chat', span })));
    span.end();
    const attributes = exporter.getFinishedSpans()[0]!.attributes;
    expect(attributes['gen_ai.operation.name']).toBe('chat');
    expect(attributes['llm.operation.name']).toBe('validate_outputs');
  });

  it('summary() groups by either', () => {
    const t = makeTelemetry({ prices: ACME_PRICES });
    withLLMContext({ operation: 'plan' }, () => {
      t.record(call({ apiOperation: 'chat' }));
      t.record(call({ apiOperation: 'embeddings' }));
    });
    const groups = t.summary({ by: ['operation', 'apiOperation'] }).groups.map((g) => g.key);
    expect(groups).toEqual(
      expect.arrayContaining([
        { operation: 'plan', apiOperation: 'chat' },
        { operation: 'plan', apiOperation: 'embeddings' },
      ]),
    );
    expect(groups).toHaveLength(2);
  });
});

describe('series known up front exist at 0 from a row first call', () => {
  it('so rate()/increase() see the first error, abort, unpriced call and missing usage', () => {
    const t = makeTelemetry({ prices: ACME_PRICES });
    t.record(call());
    const text = t.metrics();
    const labels =
      'gen_ai_provider_name="acme",gen_ai_request_model="acme-1",gen_ai_agent_name="unknown_service",gen_ai_operation_name="chat",llm_operation_name="chat"';
    expect(samples(text, METRIC.requests)).toEqual([
      `${METRIC.requests}{${labels},llm_outcome="success",error_type=""} 1`,
      `${METRIC.requests}{${labels},llm_outcome="error",error_type=""} 0`,
      `${METRIC.requests}{${labels},llm_outcome="aborted",error_type=""} 0`,
    ]);
    expect(samples(text, `${METRIC.requestDurationSeconds}_count`)).toEqual([
      `${METRIC.requestDurationSeconds}_count{${labels},llm_outcome="success"} 1`,
      `${METRIC.requestDurationSeconds}_count{${labels},llm_outcome="error"} 0`,
      `${METRIC.requestDurationSeconds}_count{${labels},llm_outcome="aborted"} 0`,
    ]);
    expect(samples(text, METRIC.unpricedRequests)).toEqual([
      `${METRIC.unpricedRequests}{gen_ai_provider_name="acme",gen_ai_request_model="acme-1"} 0`,
    ]);
    const reasons = samples(text, METRIC.usageMissing).map((l) => l.match(/reason="(\w+)"} 0$/)?.[1]);
    expect(reasons).toContain('stream_no_usage');
    expect(reasons).toContain('invalid');
    expect(reasons.every((r) => r !== undefined)).toBe(true);
  });
});
