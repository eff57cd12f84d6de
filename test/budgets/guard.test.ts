/**
 * The guard's arithmetic on an in-process rig. `acme/quarter`: $0.25 per input token, $0.50 per
 * output token. `req(n, m)` is a body of exactly n input tokens by the guard's count for a
 * non-OpenAI model (n − 3 one-byte characters + 3 per request) and an output cap of m.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { BudgetReservation, ReserveInput } from '../../src/budgets/budget-guard.js';
import { BudgetExceededError } from '../../src/budgets/errors.js';
import { BudgetExceededError as PublicBudgetExceededError } from '../../src/index.js';
import { serialize } from '../../src/metrics/exposition.js';
import { captureDiag, makeRig, type Rig } from './support.js';

const MIN = 60_000;
const req = (inputTokens: number, maxOutputTokens?: number, agent?: string): ReserveInput => ({
  provider: 'acme',
  model: 'quarter',
  agent,
  body: { input: 'x'.repeat(inputTokens - 3), max_tokens: maxOutputTokens },
});

/** Reserve synchronously (the in-process store never returns a promise). */
function reserve(rig: Rig, input: ReserveInput): BudgetReservation | undefined {
  const r = rig.budgets.reserve(input);
  if (r instanceof Promise) throw new Error('in-process reserve returned a promise');
  return r;
}

/** End a call as CallTracker does: record its cost, settling the reservation with that record. */
function end(rig: Rig, r: BudgetReservation | undefined, costUsd: number): void {
  rig.budgets.settleWith(r, () => rig.spend(costUsd));
}

function refusal(fn: () => unknown): BudgetExceededError {
  try {
    fn();
  } catch (error) {
    if (error instanceof BudgetExceededError) return error;
    throw error;
  }
  throw new Error('not refused');
}

let diagLines: ReturnType<typeof captureDiag> | undefined;
afterEach(() => {
  diagLines?.stop();
  diagLines = undefined;
});

describe('the reservation is the call’s maximum cost', () => {
  it('input bound × input price + output cap × output price, held until settled', () => {
    const rig = makeRig([{ name: 'b', limitUsd: 100, window: '1d' }], { guard: true });
    const r = reserve(rig, req(6, 3)); // 6 × $0.25 + 3 × $0.50 = $3.00
    expect(r).toEqual(expect.objectContaining({ estimatedUsd: 3, budgets: ['b'] }));
    expect(rig.budgets.reservedUsd('b')).toBe(3);
    end(rig, r, 2);
    rig.budgets.settle(r); // idempotent
    expect([rig.budgets.spentUsd('b'), rig.budgets.reservedUsd('b')]).toEqual([2, 0]);
  });

  it('no output cap and no published maximum: the 2M-token fallback window bounds the output', () => {
    const rig = makeRig([{ name: 'b', limitUsd: 10_000_000, window: '1d' }], { guard: true });
    // 3 × $0.25 + 2,000,000 × $0.50
    expect(reserve(rig, req(3))?.estimatedUsd).toBe(1_000_000.75);
  });

  it('a call is held against every budget it matches, and only those', () => {
    const rig = makeRig(
      [
        { name: 'all', limitUsd: 100, window: '1d' },
        { name: 'planner', limitUsd: 100, window: '1h', match: { agent: 'planner' } },
        { name: 'app', limitUsd: 100, window: '1h', match: { agent: 'app', operation: 'chat' } },
      ],
      { guard: true },
    );
    expect(reserve(rig, req(4, 0, 'planner'))?.budgets).toEqual(['all', 'planner']);
    // No agent: the default agent ("app") and operation ("chat"), as the recorder would label it.
    expect(reserve(rig, req(4, 0))?.budgets).toEqual(['all', 'app']);
    expect(['all', 'planner', 'app'].map((n) => rig.budgets.reservedUsd(n))).toEqual([2, 1, 1]);
  });
});

describe('refusal: BudgetExceededError when spent + in flight + this call > limit', () => {
  it('names the budget, the amounts and what to do', () => {
    const rig = makeRig([{ name: 'team-daily', limitUsd: 10, window: '1d' }], { guard: true });
    rig.spend(9.75);
    const error = refusal(() => reserve(rig, req(3, 0))); // up to $0.75
    expect(error).toBeInstanceOf(PublicBudgetExceededError);
    expect(error).toMatchObject({
      name: 'BudgetExceededError',
      reason: 'limit',
      message:
        'Budget "team-daily" (1d) would be exceeded: spent $9.75 + this call up to $0.75 > limit $10.00. Raise the limit, wait for the window to roll, or disable budgetGuard.',
      budget: 'team-daily',
      window: '1d',
      limitUsd: 10,
      spentUsd: 9.75,
      reservedUsd: 0,
      estimatedUsd: 0.75,
    });
    expect(rig.budgets.reservedUsd('team-daily')).toBe(0);
  });

  it('reaching the limit exactly is allowed; anything more is refused', () => {
    const rig = makeRig([{ name: 'b', limitUsd: 10, window: '1d' }], { guard: true });
    rig.spend(9.25);
    expect(reserve(rig, req(3, 0))?.estimatedUsd).toBe(0.75); // $9.25 + $0.75 = $10.00
    expect(refusal(() => reserve(rig, req(3, 0))).message).toBe(
      'Budget "b" (1d) would be exceeded: spent $9.25 (+ $0.75 reserved by calls in flight) + this call up to $0.75 > limit $10.00. Raise the limit, wait for the window to roll, or disable budgetGuard.',
    );
  });

  it('the first budget (in config order) that would be passed is the one reported', () => {
    const rig = makeRig(
      [
        { name: 'roomy', limitUsd: 100, window: '1d' },
        { name: 'tight', limitUsd: 1, window: '1h' },
        { name: 'tighter', limitUsd: 0.5, window: '1h' },
      ],
      { guard: true },
    );
    expect(refusal(() => reserve(rig, req(8, 0))).budget).toBe('tight');
    expect(['roomy', 'tight', 'tighter'].map((n) => rig.budgets.reservedUsd(n))).toEqual([0, 0, 0]);
  });

  it('the refusal lifts when the window rolls', () => {
    const rig = makeRig([{ name: 'hourly', limitUsd: 1, window: '1h' }], { guard: true });
    rig.spend(1);
    refusal(() => reserve(rig, req(3, 0)));
    rig.advance(60 * MIN);
    expect(reserve(rig, req(3, 0))?.estimatedUsd).toBe(0.75);
  });

  it('$7 spent of $10, ten calls of up to $0.75 in flight at once: 4 admitted, 6 refused, spend ends at $10', () => {
    const rig = makeRig([{ name: 'b', limitUsd: 10, window: '1d' }], { guard: true });
    rig.spend(7);
    const outcomes = Array.from({ length: 10 }, () => {
      try {
        return reserve(rig, req(3, 0));
      } catch (error) {
        return error as BudgetExceededError;
      }
    });
    const admitted = outcomes.filter((o) => o !== undefined && !(o instanceof BudgetExceededError));
    const refused = outcomes.filter((o) => o instanceof BudgetExceededError);
    expect(admitted).toHaveLength(4);
    expect(refused.map((e) => [e.spentUsd, e.reservedUsd])).toEqual(Array(6).fill([7, 3]));
    for (const r of admitted) end(rig, r as BudgetReservation, 0.75);
    expect([rig.budgets.spentUsd('b'), rig.budgets.reservedUsd('b')]).toEqual([10, 0]);
  });
});

describe('overshoot: a call that cost more than it reserved is counted, said, and closes the budget', () => {
  it('$1 reserved, $3 booked: overshoot counted with its cause, the budget refuses until the window rolls', () => {
    diagLines = captureDiag();
    const rig = makeRig([{ name: 'b', limitUsd: 2, window: '1h' }], { guard: true });
    end(rig, reserve(rig, req(4, 0)), 3); // booked as 12 input tokens: more than the 4 counted
    const error = refusal(() => reserve(rig, req(3, 0)));
    expect(error).toMatchObject({ reason: 'closed', spentUsd: 3 });
    expect(error.message).toBe(
      'Budget "b" (1h) is closed: spent $3.00 of limit $2.00 (a call cost more than it reserved). New calls are refused until spend in the window is back under the limit.',
    );
    const text = serialize(rig.budgets.guardFamilies);
    expect(text).toContain(
      'llm_budget_overshoot_total{llm_budget_name="b",reason="input_over_estimate"} 1\n',
    );
    expect(text).toContain('llm_budget_refusals_total{llm_budget_name="b",reason="closed"} 1\n');
    expect(diagLines.warn.filter((l) => l.startsWith('budget guard'))).toEqual([
      'budget guard: a acme "quarter" call cost $3.00, more than the $1.00 reserved for it: the prompt was billed as 12 input tokens, more than the 4 the guard counted (bytes); please report this. Counted in llm_budget_overshoot_total; a budget whose spend is now over its limit ("b") refuses new calls until spend is back under it.',
    ]);
    rig.advance(60 * MIN);
    expect(reserve(rig, req(3, 0))?.estimatedUsd).toBe(0.75);
  });
});

describe('unpriced request models', () => {
  it('are refused by default, with how to price them', () => {
    const rig = makeRig([{ name: 'b', limitUsd: 1, window: '1d' }], { guard: true });
    const error = refusal(() =>
      reserve(rig, { provider: 'acme', model: 'mystery', body: { max_tokens: 1 } }),
    );
    expect(error.reason).toBe('unpriced_model');
    expect(error.message).toBe(
      `Budget "b" (1d) cannot guard this call: no price for acme model "mystery", so its cost cannot be bounded and the call is refused. Price it — e.g. prices: { overrides: [{ provider: 'acme', model: 'mystery', aliasOf: { model: '<a catalog model, e.g. gpt-4o>' } }] } (or a file in LLM_COST_PRICES_FILE) — or admit unpriced calls with unpricedModels: 'allow' (env LLM_COST_BUDGET_UNPRICED_MODELS=allow).`,
    );
    expect(serialize(rig.budgets.guardFamilies)).toContain(
      'llm_budget_refusals_total{llm_budget_name="b",reason="unpriced_model"} 1\n',
    );
  });

  it("unpricedModels: 'allow' admits them unguarded, counted", () => {
    diagLines = captureDiag();
    const rig = makeRig([{ name: 'b', limitUsd: 1, window: '1d' }], { guard: true, unpricedModels: 'allow' });
    for (let i = 0; i < 2; i++)
      expect(reserve(rig, { provider: 'acme', model: 'mystery', body: {} })).toBeUndefined();
    expect(serialize(rig.budgets.guardFamilies)).toContain(
      'llm_budget_unguarded_calls_total{llm_budget_name="b",reason="unpriced_model"} 2\n',
    );
    expect(diagLines.warn).toHaveLength(1);
  });
});

describe('unsettled reservations expire', () => {
  it('after 10 minutes they stop holding the budget; a late settle changes nothing', () => {
    diagLines = captureDiag();
    const rig = makeRig([{ name: 'b', limitUsd: 3, window: '1d' }], { guard: true });
    const leaked = Array.from({ length: 4 }, () => reserve(rig, req(3, 0)));
    refusal(() => reserve(rig, req(3, 0)));
    rig.advance(10 * MIN - 1);
    refusal(() => reserve(rig, req(3, 0)));
    rig.advance(1);
    const fresh = reserve(rig, req(3, 0));
    expect(rig.budgets.reservedUsd('b')).toBe(0.75);
    for (const r of leaked) rig.budgets.settle(r);
    expect(rig.budgets.reservedUsd('b')).toBe(0.75);
    rig.budgets.settle(fresh);
    expect(rig.budgets.reservedUsd('b')).toBe(0);
    expect(diagLines.warn).toEqual([
      'budget guard: a acme "quarter" call\'s reservation of $0.75 was not settled within 600 s and was released (an instrumentation did not end its call; further ones are released silently)',
    ]);
  });

  it('the timeout is configurable', () => {
    const rig = makeRig([{ name: 'b', limitUsd: 1, window: '1d' }], {
      guard: true,
      reservationTimeoutMs: 5000,
    });
    reserve(rig, req(4, 0));
    rig.advance(5000);
    expect(rig.budgets.reservedUsd('b')).toBe(0);
  });
});

describe('what the guard lets through untouched', () => {
  it('calls no budget matches are not held', () => {
    const rig = makeRig([{ name: 'b', limitUsd: 1, window: '1d', match: { agent: 'planner' } }], {
      guard: true,
    });
    rig.spend(1, { agent: 'planner' });
    expect(reserve(rig, req(100, 100, 'writer'))).toBeUndefined();
  });

  it('with the guard off (the default) nothing is reserved or refused, and no guard family is exposed', () => {
    const rig = makeRig([{ name: 'b', limitUsd: 1, window: '1d' }]);
    rig.spend(5);
    expect(rig.budgets.guarding).toBe(false);
    expect(reserve(rig, req(100, 100))).toBeUndefined();
    expect(rig.budgets.guardFamilies).toEqual([]);
    expect(makeRig([], { guard: true }).budgets.guarding).toBe(false);
  });
});
