/**
 * Which budgets a call counts against: the one rule, used for the spend series, the in-process
 * totals and the guard's reservations alike. A budget without `match` takes every call; with one,
 * every key it names must equal the call's label of that name (see `CallLabels`).
 */
import type { CallLabels } from '../record/labels.js';

/** Whether a call with these labels counts against a budget with this `match`. */
export function budgetMatches(
  match: Readonly<Record<string, string>> | undefined,
  labels: CallLabels,
): boolean {
  if (match === undefined) return true;
  for (const key in match) if (labels[key] !== match[key]) return false;
  return true;
}

/** The budgets (in their order) a call with these labels counts against. */
export function matchingBudgets<B extends { readonly match?: Readonly<Record<string, string>> }>(
  budgets: readonly B[],
  labels: CallLabels,
): B[] {
  return budgets.filter((budget) => budgetMatches(budget.match, labels));
}
