/** Public budget configuration. */

export const BUDGET_WINDOWS = ['1h', '1d', '7d', '30d'] as const;
export type BudgetWindow = (typeof BUDGET_WINDOWS)[number];

export const BUDGET_WINDOW_MS: Record<BudgetWindow, number> = {
  '1h': 3_600_000,
  '1d': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};

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
}
