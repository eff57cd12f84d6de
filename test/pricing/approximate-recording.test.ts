/**
 * The recording side of approximate matches: counted per matched model, said once on stderr,
 * marked on the span, and unpriced under strictPricing (option and env).
 */
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LABEL, METRIC } from '../../src/metrics/names.js';
import { ATTR } from '../../src/record/span-attributes.js';
import { makeTelemetry, samples } from '../support/telemetry.js';

const call = (model: string, extra: Record<string, unknown> = {}) => ({
  provider: 'anthropic',
  model,
  usage: { inputTokens: 1_000, outputTokens: 500 },
  span: null,
  ...extra,
});

let stderr: string[];
beforeEach(() => {
  stderr = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk));
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

describe('an approximate price is counted and said once', () => {
  it('counts llm_price_approximate_requests_total by matched model and warns once per model', () => {
    const t = makeTelemetry();
    // claude-sonnet-5-5 priced as claude-sonnet-5 ($2/$10): 1000×2 + 500×10 = 7000 µ$
    for (let i = 0; i < 3; i++) expect(t.record(call('claude-sonnet-5-5'))?.costUsd).toBeCloseTo(0.007, 15);
    const lines = samples(t.metrics(), METRIC.priceApproximateRequests);
    expect(lines).toEqual([
      `${METRIC.priceApproximateRequests}{${LABEL.provider}="anthropic",${LABEL.model}="claude-sonnet-5-5",${LABEL.matchedModel}="anthropic/claude-sonnet-5"} 3`,
    ]);
    const said = stderr.filter((l) => l.includes('claude-sonnet-5-5'));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(
      /^\[llm-cost-otel\] anthropic model "claude-sonnet-5-5" is not in the price catalog; priced as anthropic\/claude-sonnet-5 \(catalog rule starts_with "claude-sonnet-5"\)/,
    );
  });

  it('a service tier without a price is counted and said as such', () => {
    const t = makeTelemetry();
    // gpt-5.5 at standard rates: 1000×5 + 500×30 = 20000 µ$
    const r = t.record({ ...call('gpt-5.5'), provider: 'openai', serviceTier: 'scale' });
    expect(r?.costUsd).toBeCloseTo(0.02, 15);
    expect(samples(t.metrics(), METRIC.priceApproximateRequests)).toEqual([
      `${METRIC.priceApproximateRequests}{${LABEL.provider}="openai",${LABEL.model}="gpt-5.5",${LABEL.matchedModel}="openai/gpt-5.5"} 1`,
    ]);
    expect(stderr.join('')).toContain(
      '[llm-cost-otel] openai model "gpt-5.5" at service tier "scale" has no price for openai/gpt-5.5: standard rates, counted in llm_price_approximate_requests_total.',
    );
  });

  it('an exact match moves no approximate counter', () => {
    const t = makeTelemetry();
    t.record(call('claude-sonnet-5'));
    expect(samples(t.metrics(), METRIC.priceApproximateRequests)).toEqual([]);
  });

  it('a provider-reported cost is not an approximation', () => {
    const t = makeTelemetry();
    t.record(call('claude-opus-4-8-fast', { costUsd: 0.01 }));
    expect(samples(t.metrics(), METRIC.priceApproximateRequests)).toEqual([]);
  });

  it('LLM_COST_QUIET=1 keeps stderr silent (the counter still moves)', () => {
    vi.stubEnv('LLM_COST_QUIET', '1');
    try {
      const t = makeTelemetry();
      t.record(call('claude-sonnet-5-1-20261015'));
      expect(stderr.filter((l) => l.includes('claude-sonnet-5-1-20261015'))).toEqual([]);
      expect(samples(t.metrics(), METRIC.priceApproximateRequests)).toHaveLength(1);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('strictPricing makes approximations unpriced', () => {
  for (const [how, telemetry] of [
    ['option', () => makeTelemetry({ strictPricing: true })],
    ['env LLM_COST_STRICT_PRICING', () => makeTelemetry({}, { LLM_COST_STRICT_PRICING: 'true' })],
  ] as const) {
    it(`by ${how}: no cost, llm_unpriced_requests_total counts it`, () => {
      const t = telemetry();
      expect(t.record(call('claude-opus-4-8-fast'))?.costUsd).toBeUndefined();
      const text = t.metrics();
      expect(samples(text, METRIC.unpricedRequests)).toEqual([
        `${METRIC.unpricedRequests}{${LABEL.provider}="anthropic",${LABEL.model}="claude-opus-4-8-fast"} 1`,
      ]);
      expect(samples(text, METRIC.priceApproximateRequests)).toEqual([]);
    });
  }

  it('rejects a non-boolean env value', () => {
    expect(() => makeTelemetry({}, { LLM_COST_STRICT_PRICING: 'maybe' })).toThrow(
      'env LLM_COST_STRICT_PRICING must be true or false, got "maybe"',
    );
  });
});

describe('the span says how the price was matched', () => {
  it('llm.price.match is approximate / exact', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const tracer = provider.getTracer('test');
    const t = makeTelemetry();
    for (const model of ['claude-sonnet-5-5', 'claude-sonnet-5']) {
      const span = tracer.startSpan(model);
      t.record(call(model, { span }));
      span.end();
    }
    const matches = exporter.getFinishedSpans().map((s) => [s.name, s.attributes[ATTR.priceMatch]]);
    expect(matches).toEqual([
      ['claude-sonnet-5-5', 'approximate'],
      ['claude-sonnet-5', 'exact'],
    ]);
  });
});
