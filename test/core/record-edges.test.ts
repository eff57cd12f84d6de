/**
 * Every record accounted (issue: figures lost at the edges): fields of the wrong type are coerced
 * or dropped with the call still counted; implausible usage is recorded as reported and flagged;
 * a response model priced differently from the request model is counted; malformed usage from
 * the SDK wrappers is said, like malformed usage given to record().
 */
import { DiagLogLevel, diag } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { METRIC } from '../../src/metrics/names.js';
import type { LLMCall } from '../../src/types.js';
import { ACME_PRICES, makeTelemetry, nonZeroSamples } from '../support/telemetry.js';

const warnings: string[] = [];
diag.setLogger(
  {
    error: (...a) => warnings.push(a.join(' ')),
    warn: (...a) => warnings.push(a.join(' ')),
    info() {},
    debug() {},
    verbose() {},
  },
  DiagLogLevel.WARN,
);
afterEach(() => {
  warnings.length = 0;
});

describe('fields of the wrong type', () => {
  it('a symbol or object where a string belongs drops to the default; the call, tokens and cost still count', () => {
    const t = makeTelemetry({ prices: ACME_PRICES });
    const r = t.record({
      provider: 'acme',
      model: 'acme-1',
      agent: Symbol('x') as unknown as string,
      operation: { op: 1 } as unknown as string,
      task: Symbol('t') as unknown as string,
      responseModel: Symbol('m') as unknown as string,
      serviceTier: 7 as unknown as string,
      usage: { inputTokens: 1_000_000, outputTokens: 0 },
    });
    // acme-1 input is $1/M → 1,000,000 tokens = $1.
    expect(r?.costUsd).toBe(1);
    expect(r?.agent).toBe('unknown_service');
    expect(nonZeroSamples(t.metrics(), METRIC.requests)).toHaveLength(1);
    expect(warnings.some((w) => w.includes('agent must be a string, got symbol'))).toBe(true);
  });

  it('a non-string responseModel is ignored: priced by the request model, not dropped', () => {
    const t = makeTelemetry({ prices: ACME_PRICES });
    const r = t.record({
      provider: 'acme',
      model: 'acme-1',
      responseModel: 42 as unknown as string,
      usage: { inputTokens: 1_000_000, outputTokens: 1_000_000 },
    });
    // Request model acme-1: $1/M in + $4/M out = $5 ("42" is no priced model).
    expect(r?.costUsd).toBe(5);
    expect(nonZeroSamples(t.metrics(), METRIC.tokens).length).toBe(2);
  });

  it('a numeric model name is text, not a lost call', () => {
    const t = makeTelemetry({ prices: ACME_PRICES });
    t.record({ provider: 'acme', model: 4 as unknown as string, usage: { inputTokens: 1, outputTokens: 1 } });
    expect(nonZeroSamples(t.metrics(), METRIC.requests)[0]).toContain('gen_ai_request_model="4"');
  });
});

describe('implausible usage', () => {
  it('999,999,999 tokens on one call: recorded as reported, counted and marked on the span', () => {
    const exporter = new InMemorySpanExporter();
    const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer(
      't',
    );
    const t = makeTelemetry({ prices: ACME_PRICES });
    const span = tracer.startSpan('chat acme-1');
    const r = t.record({
      provider: 'acme',
      model: 'acme-1',
      usage: { inputTokens: 999_999_999, outputTokens: 0 },
      span,
    });
    span.end();
    // As reported: 999,999,999 × $1/M = $999.999999.
    expect(r?.costUsd).toBeCloseTo(999.999999, 9);
    expect(nonZeroSamples(t.metrics(), METRIC.implausibleUsage)).toEqual([
      `${METRIC.implausibleUsage}{gen_ai_provider_name="acme",gen_ai_request_model="acme-1"} 1`,
    ]);
    expect(exporter.getFinishedSpans()[0]!.attributes['llm.usage.implausible']).toBe(true);
    expect(warnings.some((w) => w.includes('reported 999999999 tokens for one call'))).toBe(true);
  });

  it('a configured ceiling applies; usage under it is not flagged', () => {
    const t = makeTelemetry({ prices: ACME_PRICES, maxPlausibleTokens: 5_000 });
    t.record({ provider: 'acme', model: 'acme-1', usage: { inputTokens: 4_000, outputTokens: 1_000 } });
    expect(nonZeroSamples(t.metrics(), METRIC.implausibleUsage)).toEqual([]);
    t.record({ provider: 'acme', model: 'acme-1', usage: { inputTokens: 4_000, outputTokens: 1_001 } });
    expect(nonZeroSamples(t.metrics(), METRIC.implausibleUsage)).toHaveLength(1);
  });
});

describe('request and response models', () => {
  const prices = {
    overrides: [
      ...ACME_PRICES.overrides,
      { provider: 'acme', model: 'acme-pro', inputPerMTok: 150, outputPerMTok: 600 },
      { provider: 'acme', model: 'acme-1-2025-01-01', inputPerMTok: 1, outputPerMTok: 4 },
    ],
  };
  const call = (responseModel: string): LLMCall => ({
    provider: 'acme',
    model: 'acme-1',
    responseModel,
    usage: { inputTokens: 1_000_000, outputTokens: 0 },
  });

  it('answered by a model priced differently: cost from the response model, counted under the request label', () => {
    const t = makeTelemetry({ prices });
    // acme-pro: 1,000,000 input × $150/M = $150 (acme-1 would be $1).
    expect(t.record(call('acme-pro'))?.costUsd).toBe(150);
    expect(nonZeroSamples(t.metrics(), METRIC.modelMismatch)).toEqual([
      `${METRIC.modelMismatch}{gen_ai_provider_name="acme",gen_ai_request_model="acme-1",gen_ai_response_model="acme-pro"} 1`,
    ]);
  });

  it('a dated snapshot at the same price is no mismatch', () => {
    const t = makeTelemetry({ prices });
    expect(t.record(call('acme-1-2025-01-01'))?.costUsd).toBe(1);
    expect(nonZeroSamples(t.metrics(), METRIC.modelMismatch)).toEqual([]);
  });
});

describe('malformed usage from the SDK wrappers', () => {
  it('is said on diag once, like malformed usage given to record()', () => {
    const t = makeTelemetry({ prices: ACME_PRICES });
    for (let i = 0; i < 3; i++)
      t.record({ provider: 'acme', model: 'acme-1', usageMissingReason: 'invalid' });
    expect(warnings.filter((w) => w.includes('invalid usage from acme/acme-1'))).toHaveLength(1);
    expect(nonZeroSamples(t.metrics(), METRIC.usageMissing)).toEqual([
      `${METRIC.usageMissing}{gen_ai_provider_name="acme",gen_ai_request_model="acme-1",reason="invalid"} 3`,
    ]);
  });
});
