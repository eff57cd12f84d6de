/**
 * Property-based tests over everything the outside world feeds us: `record()` with arbitrary and
 * malicious calls, config parsing, the price resolver, usage normalisation. The properties:
 * nothing throws into the caller, nothing non-finite reaches /metrics, and `promtool check
 * metrics` accepts the exposition whatever the label values were.
 */
import { DiagLogLevel, diag } from '@opentelemetry/api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { resolveOptions } from '../../src/config/resolve.js';
import { PriceBook } from '../../src/pricing/index.js';
import type { LLMTelemetry } from '../../src/telemetry.js';
import type { LLMCall } from '../../src/types.js';
import { normalizeUsageDetailed } from '../../src/usage/index.js';
import { promtoolCheck } from '../cluster/support.js';
import { ACME_PRICES, makeTelemetry } from '../support/telemetry.js';

// Unknown model names cost a closest-name search each (ms), so record() runs are kept modest.
const RUNS = Number(process.env.FC_RUNS ?? 300);
const RECORD_RUNS = Number(process.env.FC_RUNS ?? 120);

beforeAll(() => {
  // The library reports bad input through diag; keep the test output quiet.
  diag.setLogger({ error() {}, warn() {}, info() {}, debug() {}, verbose() {} }, DiagLogLevel.ERROR);
});
afterAll(() => diag.disable());

/** Strings that break naive exposition: quotes, backslashes, newlines, lone surrogates, huge ones. */
const hostileString = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom(
    '',
    '"',
    '\\',
    '\n',
    '\r\n',
    'a"b\\c\nd',
    '\ud800',
    'x\udfffy',
    '\u0000',
    '}',
    'le="+Inf"',
    '# HELP',
    'acme-1',
    'x'.repeat(100_000),
  ),
);

const hostileNumber = fc.oneof(
  fc.double(),
  fc.constantFrom(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -1,
    -0,
    1e308,
    2 ** 53 + 1,
    1e-320,
  ),
  fc.integer(),
  fc.nat({ max: 10_000_000 }),
);

/** A count as JSON might bring it: numbers, numeric strings, junk. */
const hostileCount = fc.oneof(
  hostileNumber,
  fc.constantFrom('100', '-5', 'NaN', '1e400', '', '0x10', null, undefined, true, {}, [], 10n),
);

function throwingGetters<T extends object>(target: T, keys: string[]): T {
  for (const key of keys) {
    Object.defineProperty(target, key, {
      enumerable: true,
      get() {
        throw new Error(`getter ${key} exploded`);
      },
    });
  }
  return target;
}

// fast-check itself asks generated values for its clone method: answer that one, throw on the rest.
const explodingProxy = new Proxy(
  {},
  {
    get(_target, key) {
      if (key === fc.cloneMethod) return undefined;
      throw new Error('proxy get');
    },
    has(_target, key) {
      if (key === fc.cloneMethod) return false;
      throw new Error('proxy has');
    },
    ownKeys() {
      throw new Error('proxy ownKeys');
    },
    getOwnPropertyDescriptor() {
      throw new Error('proxy descriptor');
    },
    getPrototypeOf() {
      throw new Error('proxy prototype');
    },
  },
);

const circular = (() => {
  const o: Record<string, unknown> = { inputTokens: 10, outputTokens: 5 };
  o.self = o;
  o.usage = o;
  return o;
})();

const usage = fc.oneof(
  fc.record(
    {
      inputTokens: hostileCount,
      outputTokens: hostileCount,
      cacheReadTokens: hostileCount,
      cacheWriteTokens: hostileCount,
      cacheWrite1hTokens: hostileCount,
      reasoningTokens: hostileCount,
    },
    { requiredKeys: [] },
  ),
  fc.anything(),
  fc.constantFrom(explodingProxy, circular),
  fc.constant(null).map(() => throwingGetters({ outputTokens: 1 }, ['inputTokens'])),
);

const call = fc.record(
  {
    provider: fc.oneof(hostileString, fc.constantFrom('acme', 'openai', 'anthropic'), fc.anything()),
    model: fc.oneof(hostileString, fc.constantFrom('acme-1', 'gpt-4o'), fc.anything()),
    responseModel: fc.oneof(hostileString, fc.anything()),
    agent: fc.oneof(hostileString, fc.anything()),
    operation: hostileString,
    apiOperation: hostileString,
    task: hostileString,
    dimensions: fc.oneof(fc.dictionary(hostileString, hostileString), fc.anything()),
    usage,
    usageMissingReason: fc.oneof(hostileString, fc.anything()),
    durationMs: hostileCount,
    outcome: fc.oneof(fc.constantFrom('success', 'error', 'aborted'), hostileString),
    errorType: fc.oneof(hostileString, fc.anything()),
    costUsd: hostileCount,
    serviceTier: hostileString,
    timestamp: fc.oneof(fc.date(), hostileNumber, fc.anything()),
    span: fc.oneof(fc.constant(null), fc.anything(), fc.constant(explodingProxy)),
  },
  { requiredKeys: [] },
);

const anyCall = fc.oneof(
  { weight: 6, arbitrary: call },
  { weight: 1, arbitrary: fc.anything() },
  { weight: 1, arbitrary: fc.constantFrom(explodingProxy, circular, null, undefined, 42, 'call') },
  { weight: 1, arbitrary: call.map((c) => throwingGetters(c, ['usage', 'model'])) },
);

/** Every sample line's value is a finite number and the line has the exposition's shape. */
function expectFiniteExposition(text: string): void {
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const value = line.slice(line.lastIndexOf(' ') + 1);
    expect(Number.isFinite(Number(value)), line.slice(0, 300)).toBe(true);
    expect(line, line.slice(0, 300)).toMatch(/^[a-z_]+(\{.*\})? \S+$/s);
  }
}

describe('record() with hostile input', () => {
  let telemetry: LLMTelemetry;
  beforeAll(() => {
    telemetry = makeTelemetry({
      prices: ACME_PRICES,
      dimensions: ['team'],
      budgets: [{ name: 'all', limitUsd: 10, window: '1d' }],
      maxSeries: 200,
    });
  });

  it('never throws, and /metrics stays finite and well-formed', () => {
    fc.assert(
      fc.property(fc.array(anyCall, { maxLength: 4 }), (calls) => {
        for (const c of calls) {
          let result: unknown;
          expect(() => {
            result = telemetry.record(c as LLMCall);
          }).not.toThrow();
          if (result !== undefined) {
            const cost = (result as { costUsd?: number }).costUsd;
            if (cost !== undefined) expect(Number.isFinite(cost) && cost >= 0, String(cost)).toBe(true);
          }
        }
        expectFiniteExposition(telemetry.metrics());
      }),
      { numRuns: RECORD_RUNS },
    );
    expect(promtoolCheck(telemetry.metrics())).toEqual([]);
  }, 90_000);

  it('provider-reported costs near Number.MAX_VALUE do not turn a counter into NaN', () => {
    const t = makeTelemetry({ prices: ACME_PRICES });
    for (let i = 0; i < 3; i++) {
      t.record({
        provider: 'acme',
        model: 'acme-1',
        usage: { inputTokens: 10, outputTokens: 1 },
        costUsd: 1e308,
      });
    }
    expectFiniteExposition(t.metrics());
  });

  // record() refuses reported costs above $1M per call, and the summary never sums to Infinity.
  it('summary() stays finite after absurd provider-reported costs', () => {
    const t = makeTelemetry({ prices: ACME_PRICES });
    for (let i = 0; i < 3; i++) {
      t.record({
        provider: 'acme',
        model: 'acme-1',
        usage: { inputTokens: 10, outputTokens: 1 },
        costUsd: 1e308,
      });
    }
    expect(Number.isFinite(t.summary().total.costUsd)).toBe(true);
  });

  it('promtool check metrics accepts label values with quotes, backslashes, newlines and lone surrogates', () => {
    telemetry = makeTelemetry({ prices: ACME_PRICES, dimensions: ['team'] });
    for (const s of ['a"b\\c\nd', '\ud800', 'x\udfffy', '\r\n', '\u0000', '}', 'le="+Inf"', '# HELP']) {
      telemetry.record({
        provider: 'acme',
        model: s,
        agent: s,
        operation: s,
        dimensions: { team: s },
        usage: { inputTokens: 1, outputTokens: 1 },
        outcome: 'error',
        errorType: s,
      });
    }
    const text = telemetry.metrics();
    expectFiniteExposition(text);
    expect(text).toContain('gen_ai_agent_name="a\\"b\\\\c\\nd"');
    expect(promtoolCheck(text)).toEqual([]);
  });
});

describe('resolveOptions() with arbitrary input', () => {
  const ENV_KEYS = [
    'OTEL_SERVICE_NAME',
    'LLM_COST_DIMENSIONS',
    'LLM_COST_MAX_SERIES',
    'LLM_COST_PROMETHEUS_SERVER',
    'OTEL_EXPORTER_PROMETHEUS_PORT',
    'OTEL_EXPORTER_PROMETHEUS_HOST',
    'LLM_COST_OTLP',
    'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT',
    'OTEL_METRIC_EXPORT_INTERVAL',
    'LLM_COST_BUDGETS',
    'LLM_COST_INSTRUMENTATIONS',
    'LLM_COST_OPENAI_INJECT_STREAM_USAGE',
    'LLM_COST_METRICS_BEARER_TOKEN',
    'LLM_COST_CLUSTER_ROLE',
    'LLM_COST_CLUSTER_WORKER_TIMEOUT_MS',
  ];
  const value = fc.oneof(fc.anything(), hostileString, hostileNumber);
  const options = fc.oneof(
    fc.anything(),
    fc.record(
      {
        serviceName: value,
        defaultAgent: value,
        defaultOperation: value,
        dimensions: fc.oneof(fc.array(value), value),
        maxSeries: value,
        prometheus: fc.oneof(
          value,
          fc.record(
            {
              server: value,
              host: value,
              port: value,
              endpoint: value,
              auth: fc.oneof(
                value,
                fc.record(
                  {
                    bearerToken: value,
                    basic: fc.oneof(value, fc.record({ username: value, password: value })),
                  },
                  {
                    requiredKeys: [],
                  },
                ),
              ),
            },
            { requiredKeys: [] },
          ),
        ),
        otlp: fc.oneof(
          value,
          fc.record({ url: value, headers: value, intervalMs: value }, { requiredKeys: [] }),
        ),
        budgets: fc.oneof(
          value,
          fc.array(
            fc.record(
              {
                name: value,
                limitUsd: value,
                window: fc.oneof(value, fc.constantFrom('1h', '1d')),
                match: value,
                thresholds: value,
              },
              { requiredKeys: [] },
            ),
          ),
          fc.json(),
        ),
        instrumentations: fc.oneof(value, fc.array(value)),
        injectStreamUsage: value,
        cluster: fc.oneof(value, fc.record({ role: value, workerTimeoutMs: value }, { requiredKeys: [] })),
      },
      { requiredKeys: [] },
    ),
  );
  const env = fc.dictionary(
    fc.constantFrom(...ENV_KEYS),
    fc.oneof(fc.string(), fc.json(), fc.constantFrom('true', '0', 'all', 'worker')),
  );

  it('returns a valid result or throws a ConfigError — never another exception', () => {
    fc.assert(
      fc.property(options, env, (o, e) => {
        try {
          const r = resolveOptions(o as never, e);
          expect(Number.isInteger(r.maxSeries) && r.maxSeries >= 10).toBe(true);
          expect(Number.isInteger(r.prometheus.port)).toBe(true);
          expect(typeof r.prometheus.host).toBe('string');
          expect(r.prometheus.endpoint.startsWith('/')).toBe(true);
          expect(typeof r.cluster.worker).toBe('boolean');
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
          expect(error.message).toMatch(/^llm-cost-otel: /);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('PriceBook.price() with arbitrary input', () => {
  const book = new PriceBook({ overrides: ACME_PRICES.overrides });
  it('never throws; a priced call costs a finite amount ≥ 0', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom('openai', 'anthropic', 'gcp.gemini', 'acme', '*'), hostileString),
        fc.oneof(
          fc.constantFrom('gpt-4o', 'gpt-4o-2024-08-06', 'claude-sonnet-4-20250514', 'acme-1'),
          hostileString,
        ),
        fc.record(
          {
            inputTokens: hostileNumber,
            outputTokens: hostileNumber,
            cacheReadTokens: hostileNumber,
            cacheWriteTokens: hostileNumber,
            cacheWrite1hTokens: hostileNumber,
            reasoningTokens: hostileNumber,
          },
          { requiredKeys: ['inputTokens', 'outputTokens'] },
        ),
        fc.oneof(fc.date(), hostileNumber, fc.constant(undefined)),
        (provider, model, usage, timestamp) => {
          const result = book.price({
            provider,
            model,
            usage,
            timestamp: timestamp as Date | number | undefined,
          });
          if (result.priced) {
            expect(Number.isFinite(result.costUsd) && result.costUsd >= 0, String(result.costUsd)).toBe(true);
            for (const v of Object.values(result.breakdown)) expect(Number.isFinite(v) && v >= 0).toBe(true);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('normalizeUsage() with arbitrary input', () => {
  it('never throws; usage it returns is finite and ≥ 0', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('openai', 'anthropic', 'gcp.gemini', 'aws.bedrock', 'openrouter', 'other'),
        fc.oneof(fc.anything(), usage, fc.constantFrom(explodingProxy, circular)),
        (provider, raw) => {
          const result = normalizeUsageDetailed(provider, raw);
          if ('usage' in result && result.usage) {
            for (const [k, v] of Object.entries(result.usage)) {
              if (v !== undefined) expect(Number.isFinite(v) && (v as number) >= 0, `${k}=${v}`).toBe(true);
            }
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});
