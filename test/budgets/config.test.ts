import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { resolveOptions } from '../../src/config/resolve.js';

describe('budget reaction options', () => {
  it('budgetGuard defaults to false; env LLM_COST_BUDGET_GUARD turns it on; code wins over env', () => {
    expect(resolveOptions({}, {}).budgetGuard).toBe(false);
    expect(resolveOptions({}, { LLM_COST_BUDGET_GUARD: 'true' }).budgetGuard).toBe(true);
    expect(resolveOptions({ budgetGuard: false }, { LLM_COST_BUDGET_GUARD: '1' }).budgetGuard).toBe(false);
  });

  it.each([
    [{ budgetGuard: 'yes' }, {}, 'llm-cost-otel: budgetGuard must be a boolean, got "yes"'],
    [
      {},
      { LLM_COST_BUDGET_GUARD: 'maybe' },
      'llm-cost-otel: env LLM_COST_BUDGET_GUARD must be true or false, got "maybe"',
    ],
    [{ onBudgetEvent: 'log' }, {}, 'llm-cost-otel: onBudgetEvent must be a function, got "log"'],
    [
      { budgets: [{ name: 'a', limitUsd: 1, window: '1d', milestoneUsd: -1 }] },
      {},
      'llm-cost-otel: budgets[0] (a).milestoneUsd must be a non-negative number of USD (0 turns milestone events off), got -1',
    ],
  ])('%j %j is refused up front', (options, env, message) => {
    expect(() => resolveOptions(options as never, env)).toThrowError(new ConfigError(message));
  });

  it('milestoneUsd is kept when given and absent otherwise', () => {
    const { budgets } = resolveOptions(
      {
        budgets: [
          { name: 'a', limitUsd: 1, window: '1d', milestoneUsd: 0 },
          { name: 'b', limitUsd: 1, window: '1d' },
        ],
      },
      {},
    );
    expect(budgets.map((b) => 'milestoneUsd' in b && b.milestoneUsd)).toEqual([0, false]);
  });
});
