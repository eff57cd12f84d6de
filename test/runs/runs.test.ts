/**
 * Agent runs: totals are the sum of their calls (sub-runs rolled up), outcomes (result, thrown,
 * explicit, manual, abandoned), and attribution under concurrency. Prices: the ACME model at
 * $1/M input and $4/M output tokens (test/support/telemetry.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { getLLMContext } from '../../src/context.js';
import { LABEL, METRIC } from '../../src/metrics/names.js';
import type { AgentRunEnd } from '../../src/runs/types.js';
import type { LLMTelemetry } from '../../src/telemetry.js';
import { ACME_PRICES, makeTelemetry, samples } from '../support/telemetry.js';

const call = (inputTokens: number, outputTokens: number) => ({
  provider: 'acme',
  model: 'acme-1',
  usage: { inputTokens, outputTokens },
});

/** Every ended run, in end order. */
function collect(t: LLMTelemetry): AgentRunEnd[] {
  const ended: AgentRunEnd[] = [];
  t.onRunEnd((r) => ended.push(r));
  return ended;
}

/** The value of one sample of `name` whose labels include all of `labels`. */
function value(t: LLMTelemetry, name: string, labels: Record<string, string>): number | undefined {
  const line = samples(t.metrics(), name).find((l) =>
    Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)),
  );
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

let t: LLMTelemetry;
afterEach(async () => {
  await t?.shutdown();
});

describe('a run costs the sum of its calls; sub-runs are reported apart and rolled up', () => {
  it('parent and child totals, by hand', async () => {
    t = makeTelemetry({ prices: ACME_PRICES });
    const ended = collect(t);
    await t.withAgentRun({ agent: 'planner', task: 'T-1' }, async () => {
      // 1000 in × $1/M = 0.001; 500 out × $4/M = 0.002 → 0.003
      t.record(call(1000, 500));
      await t.withAgentRun({ agent: 'coder' }, async () => {
        expect(getLLMContext()?.agent).toBe('coder');
        // 2000 × 1/M + 1000 × 4/M = 0.002 + 0.004 = 0.006
        t.record(call(2000, 1000));
        await new Promise((r) => setImmediate(r));
        // 10000 × 1/M = 0.01
        t.record(call(10_000, 0));
      });
    });
    const [child, parent] = ended;
    expect(child?.agent).toBe('coder');
    // coder: 0.006 + 0.01 = 0.016; 2000+1000+10000 = 13000 tokens; 2 calls
    expect(child?.totals.costUsd).toBeCloseTo(0.016, 12);
    expect(child?.totals.tokens.total).toBe(13_000);
    expect(child?.totals.llmCalls).toBe(2);
    expect(child?.parentId).toBe(parent?.id);
    // planner: its own 0.003 + the coder's 0.016 = 0.019; 1500 + 13000 tokens; 3 calls
    expect(parent?.agent).toBe('planner');
    expect(parent?.task).toBe('T-1');
    expect(parent?.totals.costUsd).toBeCloseTo(0.019, 12);
    expect(parent?.totals.tokens).toEqual({
      input: 13_000,
      cache_read: 0,
      cache_write: 0,
      output: 1500,
      reasoning: 0,
      total: 14_500,
    });
    expect(parent?.totals.llmCalls).toBe(3);

    const coder = { [LABEL.agent]: 'coder', [LABEL.runOutcome]: 'success' };
    const planner = { [LABEL.agent]: 'planner', [LABEL.runOutcome]: 'success' };
    expect(value(t, METRIC.agentRuns, coder)).toBe(1);
    expect(value(t, `${METRIC.agentRunCostUsd}_sum`, coder)).toBeCloseTo(0.016, 12);
    expect(value(t, `${METRIC.agentRunCostUsd}_sum`, planner)).toBeCloseTo(0.019, 12);
    expect(value(t, `${METRIC.agentRunLlmCalls}_sum`, planner)).toBe(3);
    // 0.019 falls in the (0.01, 0.025] bucket
    expect(value(t, `${METRIC.agentRunCostUsd}_bucket`, { ...planner, le: '0.01' })).toBe(0);
    expect(value(t, `${METRIC.agentRunCostUsd}_bucket`, { ...planner, le: '0.025' })).toBe(1);
    // The calls themselves carry the innermost agent: coder's 0.016 of LLM spend.
    const coderSpend = samples(t.metrics(), METRIC.costUsd)
      .filter((l) => l.includes(`${LABEL.agent}="coder"`))
      .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
    expect(coderSpend).toBeCloseTo(0.016, 12);
    // Every outcome exists at 0 from an agent's first run.
    expect(value(t, METRIC.agentRuns, { [LABEL.agent]: 'coder', [LABEL.runOutcome]: 'abandoned' })).toBe(0);
  });

  it('unpriced calls add tokens and count, never $0 silently', async () => {
    t = makeTelemetry({ prices: ACME_PRICES });
    const ended = collect(t);
    await t.withAgentRun({ agent: 'a' }, () => {
      t.record({ provider: 'acme', model: 'no-such-model', usage: { inputTokens: 10, outputTokens: 0 } });
    });
    expect(ended[0]?.totals).toMatchObject({ costUsd: 0, llmCalls: 1, unpricedCalls: 1 });
    expect(ended[0]?.totals.tokens.total).toBe(10);
  });
});

describe('outcomes', () => {
  it('a thrown error fails the run and is rethrown as the same object', async () => {
    t = makeTelemetry({ prices: ACME_PRICES });
    const ended = collect(t);
    class RateLimited extends Error {
      override name = 'RateLimited';
    }
    const error = new RateLimited('slow down');
    const p = t.withAgentRun({ agent: 'coder' }, async () => {
      t.record(call(1000, 0));
      throw error;
    });
    await expect(p).rejects.toBe(error);
    expect(ended[0]).toMatchObject({ outcome: 'failure', reason: 'RateLimited' });
    expect(ended[0]?.totals.costUsd).toBeCloseTo(0.001, 12);
    expect(value(t, METRIC.agentRuns, { [LABEL.agent]: 'coder', [LABEL.runOutcome]: 'failure' })).toBe(1);
  });

  it('a synchronous throw and a non-Error throw are rethrown unchanged too', async () => {
    t = makeTelemetry();
    const thrown = { code: 42 };
    await expect(
      t.withAgentRun({ agent: 'a' }, () => {
        throw thrown;
      }),
    ).rejects.toBe(thrown);
  });

  it('the result is returned unchanged', async () => {
    t = makeTelemetry();
    const result = { answer: 42 };
    await expect(t.withAgentRun({ agent: 'a' }, async () => result)).resolves.toBe(result);
  });

  it('run.fail(reason) wins over a result; run.succeed() wins over a throw (still rethrown)', async () => {
    t = makeTelemetry();
    const ended = collect(t);
    await t.withAgentRun({ agent: 'a' }, async (run) => {
      run.fail('tests_failed');
      return 'done';
    });
    const error = new Error('cleanup failed');
    await expect(
      t.withAgentRun({ agent: 'b' }, async (run) => {
        run.succeed();
        throw error;
      }),
    ).rejects.toBe(error);
    expect(ended.map((r) => [r.agent, r.outcome, r.reason])).toEqual([
      ['a', 'failure', 'tests_failed'],
      ['b', 'success', undefined],
    ]);
  });

  it('startAgentRun → end({ outcome }); later ends do nothing', () => {
    t = makeTelemetry({ prices: ACME_PRICES });
    const ended = collect(t);
    const run = t.startAgentRun({ agent: 'callback' });
    run.run(() => t.record(call(1000, 0)));
    t.record(call(5000, 0)); // outside the run
    run.end({ outcome: 'failure', reason: 'gave_up' });
    run.end();
    run.succeed();
    expect(run.ended).toBe(true);
    expect(ended).toHaveLength(1);
    expect(ended[0]).toMatchObject({ outcome: 'failure', reason: 'gave_up' });
    expect(ended[0]?.totals.costUsd).toBeCloseTo(0.001, 12);
    const ok = t.startAgentRun({ agent: 'callback' });
    ok.succeed();
    expect(ended[1]?.outcome).toBe('success');
    expect(t.runs.openRuns).toBe(0);
  });
});

describe('abandoned runs', () => {
  it('a run nobody ends is closed as abandoned after the timeout, with what it cost so far', async () => {
    t = makeTelemetry({ prices: ACME_PRICES, runs: { timeoutMs: 20 } });
    const abandoned = new Promise<AgentRunEnd>((resolve) =>
      t.onRunEnd((r) => {
        if (r.outcome === 'abandoned') resolve(r);
      }),
    );
    const run = t.startAgentRun({ agent: 'forgetful' });
    run.run(() => t.record(call(3000, 0)));
    const event = await abandoned;
    expect(event).toMatchObject({ agent: 'forgetful', outcome: 'abandoned', reason: 'timeout' });
    expect(event.totals.costUsd).toBeCloseTo(0.003, 12);
    expect(run.ended).toBe(true);
    expect(t.runs.openRuns).toBe(0);
    expect(value(t, METRIC.agentRuns, { [LABEL.agent]: 'forgetful', [LABEL.runOutcome]: 'abandoned' })).toBe(
      1,
    );
    // Ending it late changes nothing.
    run.end();
    expect(value(t, METRIC.agentRuns, { [LABEL.agent]: 'forgetful', [LABEL.runOutcome]: 'success' })).toBe(0);
  });

  it('a withAgentRun function that never settles is abandoned too', async () => {
    t = makeTelemetry({ runs: { timeoutMs: 20 } });
    const abandoned = new Promise<AgentRunEnd>((resolve) => t.onRunEnd(resolve));
    void t.withAgentRun({ agent: 'stuck' }, () => new Promise(() => {}));
    expect((await abandoned).outcome).toBe('abandoned');
    expect(t.runs.openRuns).toBe(0);
  });

  it('past maxOpenRuns the oldest open run is abandoned: open runs stay bounded', () => {
    t = makeTelemetry({ runs: { maxOpenRuns: 3 } });
    const ended = collect(t);
    const runs = Array.from({ length: 5 }, (_, i) => t.startAgentRun({ agent: `a${i}` }));
    expect(t.runs.openRuns).toBe(3);
    expect(ended.map((r) => [r.agent, r.outcome, r.reason])).toEqual([
      ['a0', 'abandoned', 'too_many_open_runs'],
      ['a1', 'abandoned', 'too_many_open_runs'],
    ]);
    for (const r of runs) r.end();
    expect(t.runs.openRuns).toBe(0);
  });

  it('shutdown closes open runs as abandoned', async () => {
    t = makeTelemetry();
    const ended = collect(t);
    t.startAgentRun({ agent: 'late' });
    await t.shutdown();
    expect(ended.map((r) => [r.outcome, r.reason])).toEqual([['abandoned', 'shutdown']]);
  });
});

describe('100 parallel runs with interleaved calls are attributed to their own run', () => {
  it('each run gets exactly its calls', async () => {
    t = makeTelemetry({ prices: ACME_PRICES });
    const ended = collect(t);
    const tick = () => new Promise((r) => setImmediate(r));
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        t.withAgentRun({ agent: `agent-${i % 4}`, task: `T-${i}` }, async () => {
          // Run i makes (i % 5) + 1 calls of (i + 1) × 1000 input tokens: (i + 1) × $0.001 each.
          for (let c = 0; c <= i % 5; c++) {
            await tick();
            if ((i + c) % 3 === 0) await tick();
            t.record(call((i + 1) * 1000, 0));
          }
        }),
      ),
    );
    expect(ended).toHaveLength(100);
    for (const r of ended) {
      const i = Number(r.task?.slice(2));
      expect(r.agent).toBe(`agent-${i % 4}`);
      expect(r.parentId).toBeUndefined();
      expect(r.totals.llmCalls).toBe((i % 5) + 1);
      expect(r.totals.tokens.input).toBe(((i % 5) + 1) * (i + 1) * 1000);
      expect(r.totals.costUsd).toBeCloseTo(((i % 5) + 1) * (i + 1) * 0.001, 12);
    }
  });
});

describe('configuration', () => {
  it('rejects bad run options with the field and value', () => {
    expect(() => makeTelemetry({ runs: { timeoutMs: 0 } })).toThrow(
      'runs.timeoutMs must be an integer from 1 to 604800000, got 0',
    );
    expect(() => makeTelemetry({ runs: { dimensions: ['agent'] } })).toThrow(
      'runs.dimensions[0] is reserved (built-in label); pick another name, got "agent"',
    );
    expect(() =>
      makeTelemetry({ runs: { baselines: { coder: { baselineCostPerSuccessUsd: -1 } } } }),
    ).toThrow('runs.baselines.coder.baselineCostPerSuccessUsd must be a positive number of USD, got -1');
    expect(() => makeTelemetry({}, { LLM_COST_RUN_BASELINES: '{nope' })).toThrow(
      'env LLM_COST_RUN_BASELINES is not valid JSON',
    );
  });

  it('reads the env fallbacks', () => {
    t = makeTelemetry(
      {},
      {
        LLM_COST_RUN_TIMEOUT_MS: '5000',
        LLM_COST_RUN_DIMENSIONS: 'variant',
        LLM_COST_RUN_BASELINES: '{"coder":{"baselineCostPerSuccessUsd":0.3}}',
      },
    );
    expect(t.options.runs).toMatchObject({
      timeoutMs: 5000,
      dimensions: ['variant'],
      baselines: { coder: 0.3 },
    });
  });
});

describe('bounded like every family', () => {
  it('past maxSeries new agents land in the overflow series; every run is still counted', async () => {
    t = makeTelemetry({ maxSeries: 10 });
    for (let i = 0; i < 15; i++) await t.withAgentRun({ agent: `agent-${i}` }, () => undefined);
    const lines = samples(t.metrics(), METRIC.agentRuns);
    // The cap counts agents (the outcome is a bounded label): 10 agents fit, the other 5 share the
    // overflow agent, each with its 3 outcomes.
    expect(lines.length).toBe((10 + 1) * 3);
    const successes = lines
      .filter((l) => l.includes(`${LABEL.runOutcome}="success"`))
      .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
    expect(successes).toBe(15);
    expect(lines.some((l) => l.includes(`${LABEL.agent}="__overflow__"`))).toBe(true);
  });
});
