/**
 * Property-based tests of `record()` with arbitrary and malicious calls: nothing throws into the
 * caller, nothing non-finite reaches /metrics, and `promtool check metrics` accepts the exposition
 * whatever the label values were. The parsers get the same treatment in hostile-parsing.test.ts.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LLMTelemetry } from '../../src/telemetry.js';
import type { LLMCall } from '../../src/types.js';
import { promtoolCheck } from '../support/exposition.js';
import { ACME_PRICES, makeTelemetry } from '../support/telemetry.js';
import { anyCall, expectFiniteExposition, RECORD_RUNS, silenceDiag } from './hostile-values.js';

silenceDiag();

/** A telemetry that was handed three calls reporting $1e308 each. */
function telemetryAfterAbsurdCosts(): LLMTelemetry {
  const t = makeTelemetry({ prices: ACME_PRICES });
  for (let i = 0; i < 3; i++) {
    t.record({
      provider: 'acme',
      model: 'acme-1',
      usage: { inputTokens: 10, outputTokens: 1 },
      costUsd: 1e308,
    });
  }
  return t;
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
    const t = telemetryAfterAbsurdCosts();
    expectFiniteExposition(t.metrics());
  });

  // record() refuses reported costs above $1M per call, and the summary never sums to Infinity.
  it('summary() stays finite after absurd provider-reported costs', () => {
    const t = telemetryAfterAbsurdCosts();
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
