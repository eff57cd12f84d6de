/**
 * What every SDK test suite captures and waits for: `record()` inputs and results, the fake
 * provider's usage header, and conditions polled with a deadline (never a fixed sleep).
 */
import type { Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { vi } from 'vitest';
import type { RecordedCall } from '../../../src/record/recorder.js';
import type { LLMTelemetry } from '../../../src/telemetry.js';
import type { LLMCall, UsageBuckets } from '../../../src/types.js';

/** Every `record()` input (`calls`) and what it concluded (`recorded`), in call order. */
export function captureRecords(telemetry: LLMTelemetry): { calls: LLMCall[]; recorded: RecordedCall[] } {
  const calls: LLMCall[] = [];
  const recorded: RecordedCall[] = [];
  telemetry.onRecord((r) => recorded.push(r));
  const record = telemetry.record.bind(telemetry);
  vi.spyOn(telemetry, 'record').mockImplementation((call) => {
    calls.push(call);
    return record(call);
  });
  return { calls, recorded };
}

/** Headers that make the fake provider report exactly this usage (disjoint buckets). */
export function usageHeaders(usage: Partial<UsageBuckets>, extra: Record<string, string> = {}) {
  return { 'x-fake-usage': JSON.stringify(usage), ...extra };
}

/** Wait until `predicate` holds (records of streams end asynchronously); throws after `ms`. */
export async function until(predicate: () => boolean, ms = 2000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > ms) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * Counts spans started and not yet ended. Placed after the span processor under test, `open === 0`
 * means every span has been through its `onEnd`: no record can still come from one.
 */
export class OpenSpans implements SpanProcessor {
  open = 0;
  ended = 0;

  onStart(_span: Span): void {
    this.open++;
  }

  onEnd(): void {
    this.open--;
    this.ended++;
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
