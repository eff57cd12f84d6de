import { afterEach, describe, expect, it } from 'vitest';
import { defaultMilestoneStep } from '../../src/budgets/tracked-budget.js';
import { captureDiag, makeRig } from './support.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
let diagLines: ReturnType<typeof captureDiag> | undefined;
afterEach(() => {
  diagLines?.stop();
  diagLines = undefined;
});

describe('threshold events fire once per crossing, with exact payloads', () => {
  it('80 %, 95 % and 100 % of a $10 daily budget, one event each, plus one log line each', () => {
    diagLines = captureDiag();
    const rig = makeRig([{ name: 'team-daily', limitUsd: 10, window: '1d', milestoneUsd: 0 }]);
    rig.spend(7.75);
    expect(rig.events).toEqual([]);
    rig.spend(0.25); // $8.00: exactly 80 %
    rig.spend(0.5); // $8.50
    rig.spend(1.25); // $9.75: past 95 %
    rig.spend(0.25); // $10.00: exactly 100 %
    rig.spend(1); // $11.00: nothing new to announce
    expect(rig.events).toEqual([
      {
        type: 'threshold',
        budget: 'team-daily',
        window: '1d',
        spentUsd: 8,
        limitUsd: 10,
        fraction: 0.8,
        threshold: 0.8,
      },
      {
        type: 'threshold',
        budget: 'team-daily',
        window: '1d',
        spentUsd: 9.75,
        limitUsd: 10,
        fraction: 0.975,
        threshold: 0.95,
      },
      {
        type: 'threshold',
        budget: 'team-daily',
        window: '1d',
        spentUsd: 10,
        limitUsd: 10,
        fraction: 1,
        threshold: 1,
      },
    ]);
    expect(diagLines.warn).toEqual([
      'budget "team-daily" (1d): 80% threshold crossed in this process, $8.00 of $10.00 spent (80%)',
      'budget "team-daily" (1d): 95% threshold crossed in this process, $9.75 of $10.00 spent (98%)',
      'budget "team-daily" (1d): 100% threshold crossed in this process, $10.00 of $10.00 spent (100%)',
    ]);
    expect(rig.budgets.spentUsd('team-daily')).toBe(11);
  });

  it('one call jumping over several thresholds raises each of them, lowest first', () => {
    const rig = makeRig([{ name: 'b', limitUsd: 4, window: '1h', thresholds: [1, 0.5], milestoneUsd: 0 }]);
    rig.spend(5);
    expect(rig.events.map((e) => [e.threshold, e.spentUsd, e.fraction])).toEqual([
      [0.5, 5, 1.25],
      [1, 5, 1.25],
    ]);
  });

  it('no spam: 200 more calls above every threshold raise nothing more', () => {
    const rig = makeRig([{ name: 'b', limitUsd: 10, window: '1d', milestoneUsd: 0 }]);
    for (let i = 0; i < 240; i++) rig.spend(0.25); // $60 in all
    expect(rig.events.map((e) => e.threshold)).toEqual([0.8, 0.95, 1]);
    expect(rig.budgets.spentUsd('b')).toBe(60);
  });

  it('calls without a cost (unpriced model, no usage) count nothing and raise nothing', () => {
    const rig = makeRig([{ name: 'b', limitUsd: 1, window: '1d' }]);
    rig.spend(0.75);
    expect(rig.spend(100, { model: 'no-such-model' })?.costUsd).toBeUndefined();
    rig.recorder.record({ provider: 'acme', model: 'quarter', outcome: 'error' });
    expect(rig.budgets.spentUsd('b')).toBe(0.75);
    expect(rig.events).toEqual([]);
  });
});

describe('dollar-milestone events', () => {
  it('every whole dollar of a $10 budget; a call jumping several dollars raises one event, the highest', () => {
    diagLines = captureDiag();
    const rig = makeRig([{ name: 'b', limitUsd: 10, window: '1d', thresholds: [5] }]);
    rig.spend(0.75);
    rig.spend(0.5); // $1.25
    rig.spend(0.5); // $1.75
    rig.spend(1.5); // $3.25: passes $2 and $3
    rig.spend(0.75); // $4.00 exactly
    expect(rig.events).toEqual([
      {
        type: 'milestone',
        budget: 'b',
        window: '1d',
        spentUsd: 1.25,
        limitUsd: 10,
        fraction: 0.125,
        milestoneUsd: 1,
      },
      {
        type: 'milestone',
        budget: 'b',
        window: '1d',
        spentUsd: 3.25,
        limitUsd: 10,
        fraction: 0.325,
        milestoneUsd: 3,
      },
      {
        type: 'milestone',
        budget: 'b',
        window: '1d',
        spentUsd: 4,
        limitUsd: 10,
        fraction: 0.4,
        milestoneUsd: 4,
      },
    ]);
    expect(diagLines.warn).toEqual([
      'budget "b" (1d): $1.00 milestone passed in this process, $1.25 of $10.00 spent (13%)',
      'budget "b" (1d): $3.00 milestone passed in this process, $3.25 of $10.00 spent (33%)',
      'budget "b" (1d): $4.00 milestone passed in this process, $4.00 of $10.00 spent (40%)',
    ]);
  });

  it('a custom step, and a threshold and a milestone reached by the same call (threshold first)', () => {
    const rig = makeRig([{ name: 'b', limitUsd: 10, window: '1d', milestoneUsd: 2.5, thresholds: [0.5] }]);
    rig.spend(2.25);
    rig.spend(0.25); // $2.50
    rig.spend(2.5); // $5.00: 50 % and the $5 milestone
    expect(rig.events.map((e) => [e.type, e.threshold ?? e.milestoneUsd])).toEqual([
      ['milestone', 2.5],
      ['threshold', 0.5],
      ['milestone', 5],
    ]);
  });

  it('milestoneUsd: 0 turns milestones off', () => {
    const rig = makeRig([{ name: 'b', limitUsd: 10, window: '1d', milestoneUsd: 0, thresholds: [10] }]);
    rig.spend(50);
    expect(rig.events).toEqual([]);
  });

  it.each([
    [0.5, 1],
    [10, 1],
    [100, 1],
    [100.25, 10],
    [1000, 10],
    [1000.5, 100],
    [25_000, 1000],
  ])('the default step for a $%d limit is $%d (at most 100 milestones per window)', (limit, step) => {
    expect(defaultMilestoneStep(limit)).toBe(step);
  });
});

describe('the rolling window: spend rolls out, and a level fires again only after falling below it', () => {
  it('a 1h window is 60 one-minute buckets: spend counts until the 60th minute after its own', () => {
    const rig = makeRig([{ name: 'hourly', limitUsd: 10, window: '1h', milestoneUsd: 0 }]);
    rig.spend(8); // at 00:00 → 80 %
    rig.advance(30 * MIN);
    rig.spend(0.25); // at 00:30 → $8.25
    rig.advance(29 * MIN + 59_999);
    expect(rig.budgets.spentUsd('hourly')).toBe(8.25); // 00:59:59.999: still inside
    rig.advance(1);
    expect(rig.budgets.spentUsd('hourly')).toBe(0.25); // 01:00: the 00:00 bucket left the window
    rig.spend(0.25); // $0.50: below 80 % → re-armed, nothing fires
    rig.spend(7.5); // $8.00 → 80 % again, in the new window
    expect(rig.events.map((e) => [e.threshold, e.spentUsd])).toEqual([
      [0.8, 8],
      [0.8, 8],
    ]);
    rig.advance(HOUR);
    expect(rig.budgets.spentUsd('hourly')).toBe(0);
  });

  it('staying above a level while the window rolls raises nothing new', () => {
    const rig = makeRig([{ name: 'hourly', limitUsd: 10, window: '1h', milestoneUsd: 0 }]);
    rig.spend(4.5);
    rig.advance(30 * MIN);
    rig.spend(4.5); // $9.00: 80 % fires
    rig.advance(30 * MIN);
    rig.spend(4.5); // first $4.50 rolled out: $4.50 before, $9.00 after → crossed again
    rig.advance(1 * MIN);
    rig.spend(0.25); // $9.25, never fell below 80 % since
    expect(rig.events.map((e) => [e.threshold, e.spentUsd])).toEqual([
      [0.8, 9],
      [0.8, 9],
    ]);
  });

  it('milestones re-arm when spend rolls out, too', () => {
    const rig = makeRig([{ name: 'daily', limitUsd: 10, window: '1d', thresholds: [10] }]);
    rig.spend(1.5);
    rig.advance(24 * HOUR);
    rig.spend(1.5);
    expect(rig.events.map((e) => [e.milestoneUsd, e.spentUsd])).toEqual([
      [1, 1.5],
      [1, 1.5],
    ]);
  });

  it('a long gap clears the whole ring', () => {
    const rig = makeRig([{ name: 'monthly', limitUsd: 100, window: '30d' }]);
    rig.spend(3);
    rig.advance(29 * 24 * HOUR);
    expect(rig.budgets.spentUsd('monthly')).toBe(3);
    rig.advance(365 * 24 * HOUR);
    expect(rig.budgets.spentUsd('monthly')).toBe(0);
  });
});

describe('callback exceptions are contained', () => {
  it('a throwing onBudgetEvent is reported; the call is still recorded and later events still arrive', () => {
    diagLines = captureDiag();
    let calls = 0;
    const rig = makeRig([{ name: 'b', limitUsd: 1, window: '1d', thresholds: [0.5, 1], milestoneUsd: 0 }], {
      onEvent: () => {
        calls += 1;
        throw new Error('pager down');
      },
    });
    expect(rig.spend(0.5)?.costUsd).toBe(0.5);
    expect(rig.spend(0.5)?.costUsd).toBe(0.5);
    expect(calls).toBe(2);
    expect(rig.events.map((e) => e.threshold)).toEqual([0.5, 1]);
    expect(diagLines.error).toEqual([
      'onBudgetEvent threw for budget "b" (threshold): pager down',
      'onBudgetEvent threw for budget "b" (threshold): pager down',
    ]);
    expect(rig.budgets.spentUsd('b')).toBe(1);
  });
});

describe('which calls count: the recorder’s matching', () => {
  it('match on agent and on an allow-listed dimension; a call counts for every budget it matches', () => {
    const rig = makeRig(
      [
        { name: 'all', limitUsd: 100, window: '1d' },
        { name: 'planner', limitUsd: 100, window: '1d', match: { agent: 'planner' } },
        { name: 'search-team', limitUsd: 100, window: '1d', match: { team: 'search', provider: 'acme' } },
      ],
      { dimensions: ['team'] },
    );
    rig.spend(1, { agent: 'planner' });
    rig.spend(2, { agent: 'writer', dimensions: { team: 'search' } });
    rig.spend(4, { agent: 'planner', dimensions: { team: 'ads' } });
    rig.spend(8); // default agent "app", no team
    expect(['all', 'planner', 'search-team', 'nope'].map((n) => rig.budgets.spentUsd(n))).toEqual([
      15,
      5,
      2,
      undefined,
    ]);
  });
});
