import { afterEach, describe, expect, it } from 'vitest';
import { type BudgetReservation, DEFAULT_MAX_OUTPUT_TOKENS } from '../../src/budgets/budget-guard.js';
import { BudgetExceededError } from '../../src/budgets/errors.js';
import { BudgetExceededError as PublicBudgetExceededError } from '../../src/index.js';
import { captureDiag, makeRig } from './support.js';

const MIN = 60_000;
/** `acme/quarter` prices: $0.25 per input token, $0.50 per output token. */
const call = (inputTokens: number, maxOutputTokens: number, agent?: string) => ({
  provider: 'acme',
  model: 'quarter',
  agent,
  estimatedInputTokens: inputTokens,
  maxOutputTokens,
});

let diagLines: ReturnType<typeof captureDiag> | undefined;
afterEach(() => {
  diagLines?.stop();
  diagLines = undefined;
});

describe('the reservation is the call’s maximum cost', () => {
  it('input estimate × input price + max output tokens × output price, held until settled', () => {
    const rig = makeRig([{ name: 'b', limitUsd: 100, window: '1d' }], { guard: true });
    const r = rig.budgets.reserve(call(6, 3)); // 6 × $0.25 + 3 × $0.50
    expect(r).toEqual(expect.objectContaining({ estimatedUsd: 3, budgets: ['b'] }));
    expect(rig.budgets.reservedUsd('b')).toBe(3);
    rig.budgets.settle(r, 2);
    rig.budgets.settle(r, 2); // idempotent
    expect(rig.budgets.reservedUsd('b')).toBe(0);
  });

  it(`a request with no output cap is assumed to produce ${DEFAULT_MAX_OUTPUT_TOKENS} tokens`, () => {
    const rig = makeRig([{ name: 'b', limitUsd: 10_000, window: '1d' }], { guard: true });
    expect(rig.budgets.reserve({ provider: 'acme', model: 'quarter' })?.estimatedUsd).toBe(2048);
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
    expect(rig.budgets.reserve(call(4, 0, 'planner'))?.budgets).toEqual(['all', 'planner']);
    // No agent: the default agent ("app") and operation ("chat"), as the recorder would label it.
    expect(rig.budgets.reserve(call(4, 0))?.budgets).toEqual(['all', 'app']);
    expect(['all', 'planner', 'app'].map((n) => rig.budgets.reservedUsd(n))).toEqual([2, 1, 1]);
  });
});

describe('refusal: BudgetExceededError when spent + in flight + this call > limit', () => {
  it('names the budget, the amounts and what to do', () => {
    const rig = makeRig([{ name: 'team-daily', limitUsd: 10, window: '1d' }], { guard: true });
    rig.spend(9.75);
    let error: unknown;
    try {
      rig.budgets.reserve(call(2, 0)); // up to $0.50
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect(error).toBeInstanceOf(PublicBudgetExceededError);
    expect(error).toMatchObject({
      name: 'BudgetExceededError',
      message:
        'Budget "team-daily" (1d) would be exceeded: spent $9.75 + this call up to $0.50 > limit $10.00. Raise the limit, wait for the window to roll, or disable budgetGuard.',
      budget: 'team-daily',
      window: '1d',
      limitUsd: 10,
      spentUsd: 9.75,
      reservedUsd: 0,
      estimatedUsd: 0.5,
    });
    expect(rig.budgets.reservedUsd('team-daily')).toBe(0);
  });

  it('reaching the limit exactly is allowed; anything more is refused', () => {
    const rig = makeRig([{ name: 'b', limitUsd: 10, window: '1d' }], { guard: true });
    rig.spend(9.5);
    expect(rig.budgets.reserve(call(2, 0))?.estimatedUsd).toBe(0.5); // $9.50 + $0.50 = $10.00
    expect(() => rig.budgets.reserve(call(1, 0))).toThrow(
      'Budget "b" (1d) would be exceeded: spent $9.50 (+ $0.50 reserved by calls in flight) + this call up to $0.25 > limit $10.00. Raise the limit, wait for the window to roll, or disable budgetGuard.',
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
    expect(() => rig.budgets.reserve(call(8, 0))).toThrow(/^Budget "tight" \(1h\)/);
    expect(['roomy', 'tight', 'tighter'].map((n) => rig.budgets.reservedUsd(n))).toEqual([0, 0, 0]);
  });

  it('the refusal lifts when the window rolls', () => {
    const rig = makeRig([{ name: 'hourly', limitUsd: 1, window: '1h' }], { guard: true });
    rig.spend(1);
    expect(() => rig.budgets.reserve(call(1, 0))).toThrow(BudgetExceededError);
    rig.advance(60 * MIN);
    expect(rig.budgets.reserve(call(1, 0))?.estimatedUsd).toBe(0.25);
  });
});

describe('10 concurrent calls near the limit overshoot by at most one reservation', () => {
  it('$8 spent of $10, ten calls of up to $0.50 each: 4 admitted, 6 refused, final spend $10.00', () => {
    const rig = makeRig([{ name: 'b', limitUsd: 10, window: '1d' }], { guard: true });
    rig.spend(8);
    // All ten reserve before any of them settles (they are all in flight at once).
    const outcomes = Array.from({ length: 10 }, () => {
      try {
        return rig.budgets.reserve(call(2, 0));
      } catch (error) {
        return error as BudgetExceededError;
      }
    });
    const admitted = outcomes.filter(
      (o): o is BudgetReservation => o !== undefined && !(o instanceof BudgetExceededError),
    );
    const refused = outcomes.filter((o) => o instanceof BudgetExceededError);
    expect(admitted).toHaveLength(4);
    expect(refused.map((e) => [e.spentUsd, e.reservedUsd])).toEqual(Array(6).fill([8, 2]));
    expect(rig.budgets.reservedUsd('b')).toBe(2);
    // Each admitted call costs its full estimate: recorded first, then settled (as CallTracker.end does).
    for (const r of admitted) {
      rig.spend(0.5);
      rig.budgets.settle(r, 0.5);
    }
    expect(rig.budgets.spentUsd('b')).toBe(10);
    expect(rig.budgets.reservedUsd('b')).toBe(0);
    expect(rig.budgets.spentUsd('b')! - 10).toBeLessThanOrEqual(0.5);
  });

  it('spend is never counted twice: while a call is in flight it is reserved, once recorded it is spent', () => {
    const rig = makeRig([{ name: 'b', limitUsd: 2, window: '1d' }], { guard: true });
    const r = rig.budgets.reserve(call(4, 0)); // $1.00
    expect([rig.budgets.spentUsd('b'), rig.budgets.reservedUsd('b')]).toEqual([0, 1]);
    rig.spend(0.75); // the call's actual cost
    rig.budgets.settle(r, 0.75);
    expect([rig.budgets.spentUsd('b'), rig.budgets.reservedUsd('b')]).toEqual([0.75, 0]);
    // $0.75 spent leaves room for exactly $1.25 more.
    expect(rig.budgets.reserve(call(5, 0))?.estimatedUsd).toBe(1.25);
  });

  it('a call that cost more than its reservation is reported once per model', () => {
    diagLines = captureDiag();
    const rig = makeRig([{ name: 'b', limitUsd: 100, window: '1d' }], { guard: true });
    for (let i = 0; i < 2; i++) rig.budgets.settle(rig.budgets.reserve(call(1, 0)), 3);
    expect(diagLines.warn).toEqual([
      'budget guard: a acme "quarter" call cost $3.00, more than the $0.25 reserved for it; set max_tokens on requests so the guard\'s bound holds',
    ]);
  });
});

describe('unsettled reservations expire', () => {
  it('after 10 minutes they stop holding the budget; a late settle changes nothing', () => {
    diagLines = captureDiag();
    const rig = makeRig([{ name: 'b', limitUsd: 2, window: '1d' }], { guard: true });
    const leaked = Array.from({ length: 4 }, () => rig.budgets.reserve(call(2, 0)));
    expect(() => rig.budgets.reserve(call(2, 0))).toThrow(BudgetExceededError);
    rig.advance(10 * MIN - 1);
    expect(() => rig.budgets.reserve(call(2, 0))).toThrow(BudgetExceededError);
    rig.advance(1);
    const fresh = rig.budgets.reserve(call(2, 0));
    expect(rig.budgets.reservedUsd('b')).toBe(0.5);
    for (const r of leaked) rig.budgets.settle(r, 0.5);
    expect(rig.budgets.reservedUsd('b')).toBe(0.5);
    rig.budgets.settle(fresh);
    expect(rig.budgets.reservedUsd('b')).toBe(0);
    expect(diagLines.warn).toEqual([
      'budget guard: a acme "quarter" call\'s reservation of $0.50 was not settled within 600 s and was released (an instrumentation did not end its call; further ones are released silently)',
    ]);
  });

  it('the timeout is configurable', () => {
    const rig = makeRig([{ name: 'b', limitUsd: 1, window: '1d' }], {
      guard: true,
      reservationTimeoutMs: 5000,
    });
    rig.budgets.reserve(call(4, 0));
    rig.advance(5000);
    expect(rig.budgets.reservedUsd('b')).toBe(0);
  });
});

describe('what the guard lets through untouched', () => {
  it('an unpriced model reserves nothing, is never refused, and is reported once', () => {
    diagLines = captureDiag();
    const rig = makeRig([{ name: 'b', limitUsd: 1, window: '1d' }], { guard: true });
    rig.spend(1);
    expect(rig.budgets.reserve({ provider: 'acme', model: 'mystery', maxOutputTokens: 100 })).toBeUndefined();
    expect(rig.budgets.reserve({ provider: 'acme', model: 'mystery', maxOutputTokens: 100 })).toBeUndefined();
    expect(diagLines.warn.filter((l) => l.startsWith('budget guard:'))).toEqual([
      'budget guard: no price for acme model "mystery", so its calls reserve nothing and are never refused. Add a price override to guard them.',
    ]);
  });

  it('calls no budget matches, and zero-cost calls, are not held', () => {
    const rig = makeRig([{ name: 'b', limitUsd: 1, window: '1d', match: { agent: 'planner' } }], {
      guard: true,
    });
    rig.spend(1, { agent: 'planner' });
    expect(rig.budgets.reserve(call(100, 100, 'writer'))).toBeUndefined();
    expect(rig.budgets.reserve(call(0, 0, 'planner'))).toBeUndefined();
  });

  it('with the guard off (the default) nothing is reserved or refused', () => {
    const rig = makeRig([{ name: 'b', limitUsd: 1, window: '1d' }]);
    rig.spend(5);
    expect(rig.budgets.guarding).toBe(false);
    expect(rig.budgets.reserve(call(100, 100))).toBeUndefined();
    expect(makeRig([], { guard: true }).budgets.guarding).toBe(false);
  });
});
