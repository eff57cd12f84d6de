import { describe, expect, it } from 'vitest';
import { withLLMContext } from '../../src/context.js';
import { LABEL, METRIC } from '../../src/metrics/names.js';
import { ACME_PRICES, makeTelemetry, nonZeroSamples, samples } from '../support/telemetry.js';

const acme = (usage: Record<string, number>, extra: Record<string, unknown> = {}) => ({
  provider: 'acme',
  model: 'acme-1',
  usage: { inputTokens: 0, outputTokens: 0, ...usage },
  ...extra,
});

describe('record() splits inclusive usage into disjoint buckets and prices each', () => {
  it('input includes cache reads and writes; output includes reasoning', () => {
    const t = makeTelemetry({ prices: ACME_PRICES });
    const r = t.record(
      acme({
        inputTokens: 10_000,
        cacheReadTokens: 4_000,
        cacheWriteTokens: 3_000,
        cacheWrite1hTokens: 1_000,
        outputTokens: 2_000,
        reasoningTokens: 500,
      }),
    );
    // input 3000×$1/M = 0.003; cache read 4000×0.1/M = 0.0004; 5m writes 2000×1.25/M = 0.0025,
    // 1h writes 1000×2/M = 0.002; output 1500×4/M = 0.006; reasoning 500×4/M = 0.002 → 0.0159
    expect(r?.buckets).toEqual({
      input: 3000,
      cacheRead: 4000,
      cacheWrite5m: 2000,
      cacheWrite1h: 1000,
      output: 1500,
      reasoning: 500,
    });
    expect(r?.costUsd).toBeCloseTo(0.0159, 12);
    expect(r?.breakdown?.cache_write).toBeCloseTo(0.0045, 12);
    const text = t.metrics();
    const tokenLines = samples(text, METRIC.tokens).map(
      (l) => `${l.match(/llm_token_type="(\w+)"/)![1]} ${l.split(' ').pop()}`,
    );
    expect(tokenLines).toEqual([
      'input 3000',
      'cache_read 4000',
      'cache_write 3000',
      'output 1500',
      'reasoning 500',
    ]);
    // What cache reads saved against the base input price: 4000 × (1 − 0.1)/M.
    expect(samples(text, METRIC.cacheSavingsUsd)[0]).toMatch(/ 0\.0036$/);
  });

  it('a provider-reported cost wins over the computed one', () => {
    const t = makeTelemetry({ prices: ACME_PRICES });
    const r = t.record(acme({ inputTokens: 1000, outputTokens: 1000 }, { costUsd: 0.5 }));
    expect(r?.costUsd).toBe(0.5);
    expect(r?.costSource).toBe('provider');
    // Spread in proportion to our own breakdown (0.001 input : 0.004 output).
    expect(r?.breakdown?.input).toBeCloseTo(0.1, 12);
    expect(r?.breakdown?.output).toBeCloseTo(0.4, 12);
    expect(t.summary().total.costUsd).toBe(0.5);
  });

  it('zero tokens on a known model is priced at $0, not unpriced', () => {
    const t = makeTelemetry({ prices: ACME_PRICES });
    const r = t.record(acme({}));
    expect(r?.costUsd).toBe(0);
    expect(nonZeroSamples(t.metrics(), METRIC.unpricedRequests)).toEqual([]);
  });
});

describe('an unknown model is never priced at $0 silently', () => {
  it('adds no cost, counts llm_unpriced_requests_total, still counts tokens and the request', () => {
    const t = makeTelemetry();
    const r = t.record({
      provider: 'openai',
      model: 'gpt-nonexistent-9',
      usage: { inputTokens: 100, outputTokens: 50 },
    });
    expect(r?.costUsd).toBeUndefined();
    const text = t.metrics();
    expect(nonZeroSamples(text, METRIC.unpricedRequests)).toEqual([
      `${METRIC.unpricedRequests}{gen_ai_provider_name="openai",gen_ai_request_model="gpt-nonexistent-9"} 1`,
    ]);
    expect(samples(text, METRIC.costUsd).every((l) => l.endsWith(' 0'))).toBe(true);
    expect(nonZeroSamples(text, METRIC.requests)).toHaveLength(1);
    expect(t.summary().total).toMatchObject({ requests: 1, unpriced: 1, costUsd: 0 });
  });
});

describe('bad input is counted, never thrown, never NaN on /metrics', () => {
  const bad: Array<[string, unknown]> = [
    ['negative', { inputTokens: -5, outputTokens: 1 }],
    ['NaN', { inputTokens: Number.NaN, outputTokens: 1 }],
    ['Infinity', { inputTokens: 1, outputTokens: Number.POSITIVE_INFINITY }],
    ['string', { inputTokens: '12', outputTokens: 1 }],
    ['absurd', { inputTokens: 1e15, outputTokens: 1 }],
    ['missing field', { outputTokens: 1 }],
    [
      'throwing getter',
      Object.defineProperty({ outputTokens: 1 }, 'inputTokens', {
        get() {
          throw new Error('boom');
        },
        enumerable: true,
      }),
    ],
  ];
  it.each(bad)('%s usage → llm_usage_missing_total{reason="invalid"}', (_name, usage) => {
    const t = makeTelemetry({ prices: ACME_PRICES });
    expect(() => t.record({ provider: 'acme', model: 'acme-1', usage: usage as never })).not.toThrow();
    const text = t.metrics();
    expect(text).not.toMatch(/NaN|Inf(?!")/);
    expect(nonZeroSamples(text, METRIC.usageMissing)).toEqual([
      `${METRIC.usageMissing}{gen_ai_provider_name="acme",gen_ai_request_model="acme-1",reason="invalid"} 1`,
    ]);
    expect(t.summary().total.costUsd).toBe(0);
  });

  it('a call with no usage counts reason="missing" (unless it failed); garbage calls do not throw', () => {
    const t = makeTelemetry({ prices: ACME_PRICES });
    t.record({ provider: 'acme', model: 'acme-1' });
    t.record({ provider: 'acme', model: 'acme-1', outcome: 'error', errorType: 'RateLimitError' });
    expect(() => t.record(null as never)).not.toThrow();
    expect(() => t.record({ provider: 42, model: undefined } as never)).not.toThrow();
    const missing = samples(t.metrics(), METRIC.usageMissing);
    expect(missing).toContain(
      `${METRIC.usageMissing}{gen_ai_provider_name="acme",gen_ai_request_model="acme-1",reason="missing"} 1`,
    );
    expect(missing.some((l) => l.includes('reason="invalid_call"'))).toBe(true);
  });

  it('label values with quotes, newlines and lone surrogates are escaped / made well-formed', () => {
    const t = makeTelemetry();
    t.record({ provider: 'x', model: 'a"b\nc\\d\uD800', usage: { inputTokens: 1, outputTokens: 1 } });
    const line = nonZeroSamples(t.metrics(), METRIC.unpricedRequests)[0];
    expect(line).toBe(
      `${METRIC.unpricedRequests}{gen_ai_provider_name="x",gen_ai_request_model="a\\"b\\nc\\\\d\uFFFD"} 1`,
    );
  });
});

describe('attribution', () => {
  it('comes from the call, then the nearest withLLMContext scope, then the configured default', async () => {
    const t = makeTelemetry({ prices: ACME_PRICES, defaultAgent: 'svc' });
    t.record(acme({ inputTokens: 1 }));
    await withLLMContext({ agent: 'planner', operation: 'plan' }, async () => {
      await new Promise((r) => setTimeout(r, 1));
      t.record(acme({ inputTokens: 1 }));
      await withLLMContext({ operation: 'critique' }, async () => {
        t.record(acme({ inputTokens: 1 }));
        t.record(acme({ inputTokens: 1 }, { agent: 'explicit' }));
      });
    });
    const groups = t
      .summary({ by: ['agent', 'operation'] })
      .groups.map((g) => `${g.key.agent}/${g.key.operation}`);
    expect(groups.sort()).toEqual(['explicit/critique', 'planner/critique', 'planner/plan', 'svc/chat']);
  });

  it('task ids go to the summary and spans, never to metric labels', () => {
    const t = makeTelemetry({ prices: ACME_PRICES });
    withLLMContext({ task: 'T-42' }, () => t.record(acme({ inputTokens: 1000 })));
    t.record(acme({ inputTokens: 1000 }, { task: 'T-43' }));
    expect(t.metrics()).not.toContain('T-42');
    const byTask = t.summary({ by: ['task'] });
    expect(byTask.groups.map((g) => [g.key.task, g.costUsd])).toEqual([
      ['T-42', 0.001],
      ['T-43', 0.001],
    ]);
  });

  it('only allow-listed dimensions become labels', () => {
    const t = makeTelemetry({ prices: ACME_PRICES, dimensions: ['team'] });
    withLLMContext({ team: 'search', user: 'alice@example.com' }, () => t.record(acme({ inputTokens: 1 })));
    const text = t.metrics();
    expect(samples(text, METRIC.requests)[0]).toContain('team="search"');
    expect(text).not.toContain('alice');
  });
});

describe('series cap', () => {
  it('bounds series per family with one overflow series and keeps totals exact', () => {
    const t = makeTelemetry({ prices: ACME_PRICES, maxSeries: 50 });
    for (let i = 0; i < 1000; i++) t.record({ ...acme({ inputTokens: 1000 }), agent: `agent-${i}` });
    const text = t.metrics();
    const requestSeries = samples(text, METRIC.requests);
    // 50 label combinations plus the overflow one, each with its 3 outcomes (a bounded label).
    expect(requestSeries.length).toBe((50 + 1) * 3);
    expect(requestSeries.some((l) => l.includes(`${LABEL.agent}="__overflow__"`))).toBe(true);
    const total = requestSeries.reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
    expect(total).toBe(1000);
    expect(t.summary().total.costUsd).toBeCloseTo(1, 12);
    // One cap, one line per family, and each of the 950 records past the cap counted once.
    const overflow = samples(text, METRIC.seriesOverflow);
    expect(overflow).toContain(`${METRIC.seriesOverflow}{metric="${METRIC.requests}"} 950`);
    expect(overflow).toContain(`${METRIC.seriesOverflow}{metric="${METRIC.costUsd}"} 950`);
    const names = overflow.map((l) => l.match(/metric="(\w+)"/)![1]);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('cost sums do not drift', () => {
  it('1,000,000 increments of 3e-7 USD read back as 0.3', () => {
    const t = makeTelemetry({ prices: ACME_PRICES });
    for (let i = 0; i < 1_000_000; i++)
      t.record({
        provider: 'acme',
        model: 'acme-1',
        usage: { inputTokens: 0, outputTokens: 0 },
        costUsd: 3e-7,
      });
    expect(Math.abs(t.summary().total.costUsd - 0.3)).toBeLessThan(1e-9);
    const line = samples(t.metrics(), METRIC.costUsd).find((l) => l.includes('llm_token_type="input"'))!;
    expect(Math.abs(Number(line.split(' ').pop()) - 0.3)).toBeLessThan(1e-9);
  });
});
