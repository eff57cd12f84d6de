/** Public budget configuration and the in-process events budgets raise. */

export const BUDGET_WINDOWS = ['1h', '1d', '7d', '30d'] as const;
export type BudgetWindow = (typeof BUDGET_WINDOWS)[number];

export const BUDGET_WINDOW_MS: Record<BudgetWindow, number> = {
  '1h': 3_600_000,
  '1d': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};

export const DEFAULT_BUDGET_THRESHOLDS: readonly number[] = [0.8, 0.95, 1];

export interface BudgetConfig {
  /** Unique name; the `llm_budget_name` label. */
  name: string;
  /** Limit over the window, USD. */
  limitUsd: number;
  /** Rolling window the limit applies to. */
  window: BudgetWindow;
  /**
   * Which calls count: every given key must equal the call's value. Keys: `provider`, `model`,
   * `agent`, `operation`, or an allow-listed dimension. Omit to count every call.
   */
  match?: Record<string, string>;
  /** Fractions of the limit that raise in-process events and alerts. Default `[0.8, 0.95, 1]`. */
  thresholds?: number[];
  /**
   * Step of the in-process dollar-milestone events (one event each time the window's spend passes
   * a multiple of it). `0` turns milestone events off. Default: $1 for limits up to $100, $10 up
   * to $1,000, $100 up to $10,000, … (so a window has at most 100 milestones).
   */
  milestoneUsd?: number;
}

/**
 * Raised in-process (callback + one log line) when the process's own spend in a budget's
 * current rolling window crosses a threshold or a dollar milestone. Fires once per crossing:
 * again only after the window's spend has dropped below that level (old spend rolled out) and
 * crossed it anew.
 */
export interface BudgetEvent {
  type: 'threshold' | 'milestone';
  /** The budget's name. */
  budget: string;
  window: BudgetWindow;
  /** This process's spend in the budget's current rolling window, the triggering call included, USD. */
  spentUsd: number;
  limitUsd: number;
  /** `spentUsd / limitUsd`. */
  fraction: number;
  /** The fraction of the limit crossed (`type: 'threshold'`). */
  threshold?: number;
  /** The dollar amount crossed, a multiple of the budget's milestone step (`type: 'milestone'`). */
  milestoneUsd?: number;
}

export type BudgetEventListener = (event: BudgetEvent) => void;
