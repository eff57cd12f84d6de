/** An SDK call whose observation fails on our side still ends: span closed, request counted. */
import { afterEach, describe, expect, it } from 'vitest';
import { CallTracker } from '../../src/instrumentations/shared/call-tracker.js';
import { measuredMethod } from '../../src/instrumentations/shared/sdk-call.js';
import type { LLMTelemetry } from '../../src/telemetry.js';
import { makeTelemetry } from '../support/telemetry.js';

let telemetry: LLMTelemetry | undefined;
afterEach(async () => {
  await telemetry?.shutdown();
  telemetry = undefined;
});

function wrappedWithFailingObserver(t: LLMTelemetry, original: () => unknown) {
  return measuredMethod(
    () => t,
    original,
    () => true,
    {
      what: 'a test call',
      open: (sink) => ({
        tracker: new CallTracker(sink, { provider: 'openai', model: 'gpt-4o', apiOperation: 'chat' }),
      }),
      observe: () => {
        throw new Error('observer broke');
      },
    },
  );
}

describe('measuredMethod when observing the result throws', () => {
  it('hands back the SDK result and counts the call once it resolves (usage missing)', async () => {
    const t = makeTelemetry();
    telemetry = t;
    const result = { id: 'r1' };
    const returned = wrappedWithFailingObserver(t, () => Promise.resolve(result))();
    await expect(returned).resolves.toBe(result);
    const total = t.summary().total;
    expect(total.requests).toBe(1);
    expect(t.metrics()).toMatch(/llm_usage_missing_total\{[^}]*reason="missing"[^}]*\} 1/);
  });

  it('counts a rejected result as an error', async () => {
    const t = makeTelemetry();
    telemetry = t;
    const failure = new Error('provider said no');
    const returned = wrappedWithFailingObserver(t, () => Promise.reject(failure))();
    await expect(returned).rejects.toBe(failure);
    expect(t.summary().total.errors).toBe(1);
  });
});
