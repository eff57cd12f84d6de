/**
 * The one budget matcher: which budgets a call counts against, by its labels. The same rule
 * feeds `llm_budget_spend_usd_total`, the in-process totals, and the guard's reservations — so a
 * call is held against exactly the budgets its cost is then charged to.
 */
import { describe, expect, it } from 'vitest';
import { budgetMatches, matchingBudgets } from '../../src/budgets/match.js';
import { serialize } from '../../src/metrics/exposition.js';
import { callLabels } from '../../src/record/labels.js';
import { makeRig } from './support.js';

const call = {
  provider: 'openai',
  model: 'gpt-4o',
  agent: 'planner',
  apiOperation: 'chat',
  operation: 'triage',
  team: 'search',
};

describe('budgetMatches', () => {
  it('takes every call when the budget names no match', () => {
    expect(budgetMatches(undefined, call)).toBe(true);
  });

  it.each([
    ['provider', { provider: 'openai' }, true],
    ['provider', { provider: 'anthropic' }, false],
    ['model', { model: 'gpt-4o' }, true],
    ['model', { model: 'gpt-4o-mini' }, false],
    ['agent', { agent: 'planner' }, true],
    ['agent', { agent: 'writer' }, false],
    ['operation', { operation: 'triage' }, true],
    ['operation', { operation: 'chat' }, false],
    ['a dimension', { team: 'search' }, true],
    ['a dimension', { team: 'ads' }, false],
  ])('by %s: %j → %s', (_what, match, expected) => {
    expect(budgetMatches(match, call)).toBe(expected);
  });

  it('needs every key to match', () => {
    expect(budgetMatches({ provider: 'openai', agent: 'planner' }, call)).toBe(true);
    expect(budgetMatches({ provider: 'openai', agent: 'writer' }, call)).toBe(false);
  });

  it('a label the call does not have never matches (not even the empty string)', () => {
    expect(budgetMatches({ region: '' }, call)).toBe(false);
  });

  it('matchingBudgets keeps the budgets that match, in their order', () => {
    const budgets: { name: string; match?: Record<string, string> }[] = [
      { name: 'all' },
      { name: 'anthropic', match: { provider: 'anthropic' } },
      { name: 'planner', match: { agent: 'planner' } },
    ];
    expect(matchingBudgets(budgets, call).map((b) => b.name)).toEqual(['all', 'planner']);
  });
});

describe("the guard's labels are the recorder's", () => {
  const defaults = { defaultAgent: 'app', dimensions: ['team'] };

  it('fills in what the call left out as the recorder does', () => {
    expect(
      callLabels(
        { provider: 'openai', model: 'text-embedding-3-small', apiOperation: 'embeddings' },
        defaults,
      ),
    ).toEqual({
      provider: 'openai',
      model: 'text-embedding-3-small',
      agent: 'app',
      apiOperation: 'embeddings',
      // No operation and no default operation: the API operation, as record() labels it.
      operation: 'embeddings',
      team: '',
    });
    expect(
      callLabels({ provider: 'openai', model: 'm' }, { ...defaults, defaultOperation: 'batch' }).operation,
    ).toBe('batch');
  });

  it('equals the labels record() gives the same call', () => {
    const rig = makeRig([{ name: 'all', limitUsd: 100, window: '1d' }], { dimensions: ['team'] });
    const recorded = rig.spend(0.25, { agent: 'planner', dimensions: { team: 'search' } });
    // The rig records `acme/quarter` with defaultAgent 'app' and defaultOperation 'chat'.
    const guard = callLabels(
      { provider: 'acme', model: 'quarter', agent: 'planner', dimensions: { team: 'search' } },
      { defaultAgent: 'app', defaultOperation: 'chat', dimensions: ['team'] },
    );
    expect(recorded?.dimensions).toEqual(guard);
  });
});

describe('spend series and in-process totals follow the one matcher', () => {
  it('adds a call to the spend of exactly the budgets it matches', () => {
    const rig = makeRig([
      { name: 'all', limitUsd: 100, window: '1d' },
      { name: 'planner', limitUsd: 100, window: '1d', match: { agent: 'planner' } },
      { name: 'other-model', limitUsd: 100, window: '1d', match: { model: 'other' } },
    ]);
    rig.spend(0.75, { agent: 'planner' }); // 3 input tokens × $0.25
    rig.spend(0.5, { agent: 'writer' }); // 2 input tokens × $0.25
    expect(rig.budgets.spentUsd('all')).toBe(1.25);
    expect(rig.budgets.spentUsd('planner')).toBe(0.75);
    expect(rig.budgets.spentUsd('other-model')).toBe(0);
    const text = serialize([rig.metricFamilies.budgetSpend]);
    expect(text).toContain('llm_budget_spend_usd_total{llm_budget_name="all"} 1.25');
    expect(text).toContain('llm_budget_spend_usd_total{llm_budget_name="planner"} 0.75');
    expect(text).toContain('llm_budget_spend_usd_total{llm_budget_name="other-model"} 0');
  });
});
