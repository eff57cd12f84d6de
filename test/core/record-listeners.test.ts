/**
 * Record listeners (the summary, budgets, runs, `onRecord` subscribers) get every recorded call;
 * one that throws is logged and neither breaks `record()` nor stops the others.
 */
import { DiagLogLevel, diag } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../src/record/recorded-call.js';
import { ACME_PRICES, makeTelemetry } from '../support/telemetry.js';

afterEach(() => diag.disable());

describe('record listeners', () => {
  it('a throwing subscriber is logged; record(), later subscribers and the summary still see the call', () => {
    const errors: string[] = [];
    diag.setLogger(
      {
        error: (...a: unknown[]) => errors.push(a.join(' ')),
        warn() {},
        info() {},
        debug() {},
        verbose() {},
      },
      DiagLogLevel.ERROR,
    );
    const t = makeTelemetry({ prices: ACME_PRICES });
    const seen: RecordedCall[] = [];
    t.onRecord(() => {
      throw new Error('boom');
    });
    t.onRecord((call) => seen.push(call));
    // acme-1: $1/M input, $4/M output → 1000 × 1/1e6 + 500 × 4/1e6 = 0.001 + 0.002 = $0.003
    const recorded = t.record({
      provider: 'acme',
      model: 'acme-1',
      usage: { inputTokens: 1000, outputTokens: 500 },
      durationMs: 200,
      span: null,
    });
    expect(recorded?.costUsd).toBeCloseTo(0.003, 12);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBe(recorded);
    expect(errors.some((e) => e.includes('a record listener failed: boom'))).toBe(true);
    const total = t.summary().total;
    expect(total.requests).toBe(1);
    expect(total.costUsd).toBeCloseTo(0.003, 12);
    expect(total.tokens).toMatchObject({ input: 1000, output: 500, total: 1500 });
    expect(total.avgLatencyMs).toBe(200);
  });

  it('a subscriber gets only the call (the summary alone also gets the duration)', () => {
    const t = makeTelemetry({ prices: ACME_PRICES });
    const args: unknown[][] = [];
    t.onRecord((...a: unknown[]) => args.push(a));
    t.record({
      provider: 'acme',
      model: 'acme-1',
      usage: { inputTokens: 1, outputTokens: 1 },
      durationMs: 5,
      span: null,
    });
    expect(args).toHaveLength(1);
    expect(args[0]).toHaveLength(1);
  });

  it('unsubscribing stops the calls', () => {
    const t = makeTelemetry({ prices: ACME_PRICES });
    let calls = 0;
    const off = t.onRecord(() => {
      calls += 1;
    });
    t.record({ provider: 'acme', model: 'acme-1', usage: { inputTokens: 1, outputTokens: 1 }, span: null });
    off();
    t.record({ provider: 'acme', model: 'acme-1', usage: { inputTokens: 1, outputTokens: 1 }, span: null });
    expect(calls).toBe(1);
  });
});
