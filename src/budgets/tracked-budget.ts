/**
 * One budget's in-process state: its rolling-window spend, what calls in flight have reserved
 * against it, and which thresholds and milestones have already been announced in this window.
 */
import { RollingSpend } from './rolling-spend.js';
import {
  BUDGET_WINDOW_MS,
  type BudgetConfig,
  type BudgetEvent,
  type BudgetWindow,
  DEFAULT_BUDGET_THRESHOLDS,
} from './types.js';

/**
 * Float sums of call costs land a hair off round numbers (0.1 + 0.2); a level counts as reached
 * within a nano-dollar so "spent exactly $8.00" crosses the 80 % threshold of $10.
 */
const TOLERANCE_USD = 1e-9;

/** Default milestone step: the smallest power of ten ≥ $1 giving at most 100 milestones per window. */
export function defaultMilestoneStep(limitUsd: number): number {
  let step = 1;
  while (limitUsd > step * 100) step *= 10;
  return step;
}

export class TrackedBudget {
  readonly name: string;
  readonly window: BudgetWindow;
  readonly limitUsd: number;
  readonly match: Readonly<Record<string, string>> | undefined;
  readonly milestoneStep: number;
  /** Sum of the estimates of this budget's unsettled reservations, USD. */
  reservedUsd = 0;
  reservations = 0;
  private readonly spend: RollingSpend;
  private readonly thresholds: readonly number[];
  /** Per threshold: announced in this window and not yet fallen below since. */
  private readonly announced: boolean[];
  /** Highest milestone multiple announced and not yet fallen below. */
  private milestoneLevel = 0;

  constructor(config: BudgetConfig) {
    this.name = config.name;
    this.window = config.window;
    this.limitUsd = config.limitUsd;
    this.match = config.match;
    this.spend = new RollingSpend(BUDGET_WINDOW_MS[config.window]);
    this.thresholds = [...(config.thresholds ?? DEFAULT_BUDGET_THRESHOLDS)].sort((a, b) => a - b);
    this.announced = this.thresholds.map(() => false);
    this.milestoneStep = config.milestoneUsd ?? defaultMilestoneStep(config.limitUsd);
  }

  spentUsd(now: number): number {
    return this.spend.total(now);
  }

  /** Add a recorded call's cost; `emit` gets the events it triggers (thresholds ascending, then a milestone). */
  addCost(now: number, costUsd: number, emit: (event: BudgetEvent) => void): void {
    const before = this.spend.total(now);
    this.rearm(before);
    const spent = this.spend.add(now, costUsd);
    const limit = this.limitUsd;
    for (let i = 0; i < this.thresholds.length; i++) {
      const threshold = this.thresholds[i]!;
      if (this.announced[i] || spent < threshold * limit - TOLERANCE_USD) continue;
      this.announced[i] = true;
      emit(this.event('threshold', spent, { threshold }));
    }
    const step = this.milestoneStep;
    if (step > 0) {
      const level = Math.floor((spent + TOLERANCE_USD) / step);
      if (level > this.milestoneLevel) {
        // One event for the highest milestone passed, however many one call jumped over.
        this.milestoneLevel = level;
        emit(this.event('milestone', spent, { milestoneUsd: level * step }));
      }
    }
  }

  /** Levels the window's spend has fallen below (old spend rolled out) may be announced again. */
  private rearm(spent: number): void {
    const limit = this.limitUsd;
    for (let i = 0; i < this.thresholds.length; i++) {
      if (this.announced[i] && spent < this.thresholds[i]! * limit - TOLERANCE_USD) this.announced[i] = false;
    }
    const step = this.milestoneStep;
    if (step > 0) {
      const level = Math.floor((spent + TOLERANCE_USD) / step);
      if (level < this.milestoneLevel) this.milestoneLevel = level;
    }
  }

  private event(
    type: BudgetEvent['type'],
    spentUsd: number,
    level: Pick<BudgetEvent, 'threshold' | 'milestoneUsd'>,
  ): BudgetEvent {
    return {
      type,
      budget: this.name,
      window: this.window,
      spentUsd,
      limitUsd: this.limitUsd,
      fraction: spentUsd / this.limitUsd,
      ...level,
    };
  }

  /** Spend is over the limit (a call cost more than it reserved): no new call until it is back under. */
  isClosed(now: number): boolean {
    return this.spend.total(now) > this.limitUsd + TOLERANCE_USD;
  }

  /** Would `estimateUsd` more, on top of spend and reservations, pass the limit? */
  wouldExceed(now: number, estimateUsd: number): boolean {
    return this.spend.total(now) + this.reservedUsd + estimateUsd > this.limitUsd + TOLERANCE_USD;
  }

  reserve(usd: number): void {
    this.reservedUsd += usd;
    this.reservations += 1;
  }

  release(usd: number): void {
    this.reservations -= 1;
    // With nothing in flight the sum is exactly zero; don't let float residue linger.
    this.reservedUsd = this.reservations === 0 ? 0 : Math.max(0, this.reservedUsd - usd);
  }
}
