import { LABEL, METRIC } from '../metrics/names.js';

/**
 * Cost is not labelled by outcome, so what aborted calls cost is estimated: aborted calls × the
 * model's average cost per call (an upper bound: an aborted stream is billed for what it generated
 * before the cut). Errors are left out: a provider bills no tokens for a 429 or a 5xx returned
 * before generation, so their price is latency and retries, not spend.
 */
export function failedCallCostQuery(range: string, extraBy: readonly string[] = []): string {
  const by = [LABEL.provider, LABEL.model, ...extraBy].join(', ');
  return `sum by (${by}) (increase(${METRIC.requests}{${LABEL.outcome}="aborted"}[${range}])) * on (${by}) (sum by (${by}) (increase(${METRIC.costUsd}[${range}])) / (sum by (${by}) (increase(${METRIC.requests}[${range}])) > 0)) > 0`;
}
