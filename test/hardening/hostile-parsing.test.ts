/**
 * Property-based tests of what parses outside input — config resolution, the price resolver,
 * usage normalisation: a valid result or a clear error, never another exception, and never a
 * non-finite or negative number.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { resolveOptions } from '../../src/config/resolve.js';
import { PriceBook } from '../../src/pricing/index.js';
import { normalizeUsageDetailed } from '../../src/usage/index.js';
import { ACME_PRICES } from '../support/telemetry.js';
import {
  circular,
  explodingProxy,
  hostileNumber,
  hostileString,
  RUNS,
  silenceDiag,
  usage,
} from './hostile-values.js';

silenceDiag();

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
