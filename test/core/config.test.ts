import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { resolveOptions } from '../../src/config/resolve.js';

const bad =
  (options: unknown, env: NodeJS.ProcessEnv = {}) =>
  () =>
    resolveOptions(options as never, env);

describe('register() options are validated up front, naming the field and the value', () => {
  it.each([
    [
      { prometheus: { port: 70000 } },
      'llm-cost-otel: prometheus.port must be an integer from 0 to 65535, got 70000',
    ],
    [
      { prometheus: { port: 'abc' } },
      'llm-cost-otel: prometheus.port must be an integer from 0 to 65535, got "abc"',
    ],
    [
      { prometheus: { endpoint: 'metrics' } },
      'llm-cost-otel: prometheus.endpoint must be a path starting with "/", got "metrics"',
    ],
    [
      { dimensions: ['team-name'] },
      'llm-cost-otel: dimensions[0] must be a Prometheus label name like "team", got "team-name"',
    ],
    [
      { dimensions: ['model'] },
      'llm-cost-otel: dimensions[0] is reserved (built-in label); pick another name, got "model"',
    ],
    [{ maxSeries: 0 }, 'llm-cost-otel: maxSeries must be an integer from 10 to 1000000, got 0'],
    [{ defaultAgent: '' }, 'llm-cost-otel: defaultAgent must be a non-empty string, got ""'],
    [{ otlp: { url: 'not a url' } }, 'llm-cost-otel: otlp.url must be a URL, got "not a url"'],
    [
      { instrumentations: ['cohere'] },
      'llm-cost-otel: instrumentations[0] must be one of openai, anthropic, google-genai, got "cohere"',
    ],
    [{ promClientRegistry: {} }, 'llm-cost-otel: promClientRegistry must be a prom-client Registry, got {}'],
  ])('%j', (options, message) => {
    expect(bad(options)).toThrowError(new ConfigError(message));
  });

  it('env values are validated too, naming the variable', () => {
    expect(bad({}, { LLM_COST_METRICS_PORT: 'x' })).toThrow(
      'llm-cost-otel: env LLM_COST_METRICS_PORT must be an integer from 0 to 65535, got "x"',
    );
    expect(bad({}, { LLM_COST_PROMETHEUS_SERVER: 'maybe' })).toThrow(
      'llm-cost-otel: env LLM_COST_PROMETHEUS_SERVER must be true or false, got "maybe"',
    );
  });
});

describe('defaults and env fallbacks', () => {
  it('binds 127.0.0.1:9465 (not the OTel exporter 9464) when no MeterProvider takes the metrics; the service name is the default agent', () => {
    const o = resolveOptions({}, { OTEL_SERVICE_NAME: 'checkout' });
    expect(o.prometheus).toEqual({ server: 'auto', host: '127.0.0.1', port: 9465, endpoint: '/metrics' });
    expect(o.defaultAgent).toBe('checkout');
    // No app operation configured: each call's API operation stands in.
    expect(o.defaultOperation).toBeUndefined();
    expect(o.maxSeries).toBe(2000);
  });

  it('honours LLM_COST_METRICS_HOST/PORT and the other LLM_COST_* variables, never the OTel exporter ones', () => {
    expect(
      resolveOptions({}, { OTEL_EXPORTER_PROMETHEUS_HOST: '0.0.0.0', OTEL_EXPORTER_PROMETHEUS_PORT: '9999' })
        .prometheus,
    ).toMatchObject({ host: '127.0.0.1', port: 9465 });
    const o = resolveOptions(
      {},
      {
        LLM_COST_METRICS_HOST: '0.0.0.0',
        LLM_COST_METRICS_PORT: '9999',
        LLM_COST_DEFAULT_AGENT: 'bot',
        LLM_COST_DIMENSIONS: 'team, environment',
        LLM_COST_INSTRUMENTATIONS: 'all',
      },
    );
    expect(o.prometheus.host).toBe('0.0.0.0');
    expect(o.prometheus.port).toBe(9999);
    expect(o.defaultAgent).toBe('bot');
    expect(o.dimensions).toEqual(['team', 'environment']);
    expect(o.instrumentations).toEqual(['openai', 'anthropic', 'google-genai']);
  });

  it('an unknown SDK name in LLM_COST_INSTRUMENTATIONS is said once on stderr; the known ones still start', () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const o = resolveOptions({}, { LLM_COST_INSTRUMENTATIONS: 'openai, antropic' });
      expect(o.instrumentations).toEqual(['openai']);
      expect(stderr.mock.calls.map((c) => String(c[0]))).toEqual([
        '[llm-cost-otel] env LLM_COST_INSTRUMENTATIONS names "antropic", which is not an SDK llm-cost-otel instruments (openai, anthropic, google-genai, or all/none); instrumenting openai only.\n',
      ]);
    } finally {
      stderr.mockRestore();
    }
  });

  it('code wins over env', () => {
    expect(
      resolveOptions({ prometheus: { port: 1234 } }, { LLM_COST_METRICS_PORT: '9999' }).prometheus.port,
    ).toBe(1234);
  });
});

describe('budgets config', () => {
  it.each([
    [
      [{ name: 'a', limitUsd: -1, window: '1d' }],
      'llm-cost-otel: budgets[0] (a).limitUsd must be a positive number of USD, got -1',
    ],
    [
      [{ name: 'a', limitUsd: 5, window: '2d' }],
      'llm-cost-otel: budgets[0] (a).window must be one of 1h, 1d, 7d, 30d, got "2d"',
    ],
    [
      [{ name: 'a', limitUsd: 5, window: '1d', match: { team: 'x' } }],
      'llm-cost-otel: budgets[0] (a).match has unknown key "team" (use provider, model, agent, operation; dimensions must be allow-listed in options.dimensions), got {"team":"x"}',
    ],
    [
      [
        { name: 'a', limitUsd: 5, window: '1d' },
        { name: 'a', limitUsd: 5, window: '1d' },
      ],
      'llm-cost-otel: budgets[1].name must be unique, got "a"',
    ],
  ])('%j', (budgets, message) => {
    expect(bad({ budgets })).toThrowError(new ConfigError(message));
  });

  it('loads from a YAML file and from JSON in LLM_COST_BUDGETS', () => {
    const dir = mkdtempSync(join(tmpdir(), 'budgets-'));
    const file = join(dir, 'budgets.yaml');
    writeFileSync(
      file,
      'budgets:\n  - name: daily\n    limitUsd: 50\n    window: 1d\n    match: { agent: planner }\n',
    );
    expect(resolveOptions({ budgets: file }, {}).budgets).toEqual([
      { name: 'daily', limitUsd: 50, window: '1d', match: { agent: 'planner' }, thresholds: [0.8, 0.95, 1] },
    ]);
    const fromEnv = resolveOptions(
      {},
      { LLM_COST_BUDGETS: '[{"name":"m","limitUsd":1000,"window":"30d","thresholds":[1,0.5]}]' },
    );
    expect(fromEnv.budgets[0]?.thresholds).toEqual([0.5, 1]);
    expect(bad({}, { LLM_COST_BUDGETS: '[oops' })).toThrow(/LLM_COST_BUDGETS is not valid JSON/);
    expect(bad({ budgets: join(dir, 'missing.yaml') })).toThrow(/cannot read budgets file .*missing\.yaml/);
  });
});
