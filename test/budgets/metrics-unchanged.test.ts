/** Budget metrics belong to the recorder: events and the guard must not change a single sample. */
import { afterEach, describe, expect, it } from 'vitest';
import type { LLMTelemetry } from '../../src/telemetry.js';
import { makeTelemetry, samples } from '../support/telemetry.js';

const PRICES = {
  overrides: [{ provider: 'acme', model: 'quarter', inputPerMTok: 250_000, outputPerMTok: 500_000 }],
};
const BUDGETS = [
  { name: 'team-daily', limitUsd: 10, window: '1d' as const },
  { name: 'planner-hourly', limitUsd: 2, window: '1h' as const, match: { agent: 'planner' } },
];

const made: LLMTelemetry[] = [];
afterEach(async () => {
  for (const t of made.splice(0)) await t.shutdown();
});

function workload(t: LLMTelemetry): void {
  for (const [agent, inputTokens, outputTokens] of [
    ['planner', 4, 1],
    ['writer', 8, 2],
    ['planner', 2, 0],
    ['writer', 20, 4],
  ] as const) {
    t.record({ provider: 'acme', model: 'quarter', agent, usage: { inputTokens, outputTokens } });
  }
}

describe('llm_budget_spend_usd_total and llm_budget_limit_usd are the recorder’s, unchanged', () => {
  it('the same workload gives byte-identical metrics with and without events and guard', () => {
    const events: unknown[] = [];
    const plain = makeTelemetry({ prices: PRICES, budgets: BUDGETS });
    const reacting = makeTelemetry({
      prices: PRICES,
      budgets: BUDGETS,
      budgetGuard: true,
      onBudgetEvent: (e) => events.push(e),
    });
    made.push(plain, reacting);
    workload(plain);
    workload(reacting);
    expect(events).toHaveLength(12); // 7 for team-daily, 5 for planner-hourly
    // The guard adds its own families (refusals, overshoot, unguarded calls) and changes nothing else.
    const guardFamily = /^(# (HELP|TYPE) )?llm_budget_(refusals|overshoot|unguarded_calls)_total/;
    const withoutGuard = reacting
      .metrics()
      .split('\n')
      .filter((line) => !guardFamily.test(line))
      .join('\n');
    expect(withoutGuard).not.toBe(reacting.metrics());
    expect(withoutGuard).toBe(plain.metrics());
    // $1.50 + $3.00 + $0.50 + $7.00 = $12.00 in all; planner $2.00.
    expect(samples(reacting.metrics(), 'llm_budget_spend_usd_total')).toEqual([
      'llm_budget_spend_usd_total{llm_budget_name="team-daily"} 12',
      'llm_budget_spend_usd_total{llm_budget_name="planner-hourly"} 2',
    ]);
    expect(samples(reacting.metrics(), 'llm_budget_limit_usd')).toEqual([
      'llm_budget_limit_usd{llm_budget_name="team-daily",llm_budget_window="1d"} 10',
      'llm_budget_limit_usd{llm_budget_name="planner-hourly",llm_budget_window="1h"} 2',
    ]);
    expect([reacting.budgets.spentUsd('team-daily'), reacting.budgets.spentUsd('planner-hourly')]).toEqual([
      12, 2,
    ]);
  });
});
