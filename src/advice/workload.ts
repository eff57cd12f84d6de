/**
 * The observed workload as Prometheus has it: per (provider, model, and the chosen grouping
 * labels), the tokens in each `llm_token_type` bucket, the cost, the calls and the unpriced calls
 * over a range. Four instant queries, each kept with its result so a figure can name its query.
 */
import { LABEL, METRIC } from '../metrics/names.js';
import { TOKEN_TYPES, type TokenType } from '../types.js';
import { emptyMix, type TokenMix } from './reprice.js';

export interface PromSample {
  metric: Record<string, string>;
  /** The value exactly as Prometheus wrote it. */
  text: string;
  value: number;
}

/** Anything that runs an instant query at a time (unix seconds); the CLI's PromClient is one. */
export interface InstantQuerier {
  query(expr: string, time: number): Promise<PromSample[]>;
}

export interface WorkloadRow {
  provider: string;
  model: string;
  /** Values of the extra grouping labels (e.g. `{ gen_ai_agent_name: 'planner' }`). */
  group: Record<string, string>;
  mix: TokenMix;
  /** Observed cost; null when the model had unpriced calls (the observed figure is incomplete). */
  costUsd: number | null;
  requests: number;
  unpricedRequests: number;
}

export interface WorkloadQueries {
  tokens: string;
  cost: string;
  requests: string;
  unpriced: string;
}

export function workloadQueries(groupLabels: readonly string[], range: string): WorkloadQueries {
  const by = [LABEL.provider, LABEL.model, ...groupLabels].join(', ');
  return {
    tokens: `sum by (${by}, ${LABEL.tokenType}) (increase(${METRIC.tokens}[${range}]))`,
    cost: `sum by (${by}) (increase(${METRIC.costUsd}[${range}]))`,
    requests: `sum by (${by}) (increase(${METRIC.requests}[${range}]))`,
    unpriced: `sum by (${LABEL.provider}, ${LABEL.model}) (increase(${METRIC.unpricedRequests}[${range}]))`,
  };
}

/** Builds rows from the four query results (pure: unit-tested on synthetic samples). */
export function workloadRows(
  groupLabels: readonly string[],
  results: Record<keyof WorkloadQueries, readonly PromSample[]>,
): WorkloadRow[] {
  const rows = new Map<string, WorkloadRow>();
  const rowOf = (metric: Record<string, string>): WorkloadRow => {
    const provider = metric[LABEL.provider] ?? '';
    const model = metric[LABEL.model] ?? '';
    const group = Object.fromEntries(groupLabels.map((l) => [l, metric[l] ?? '']));
    const key = [provider, model, ...groupLabels.map((l) => group[l])].join('\u0000');
    let row = rows.get(key);
    if (!row) {
      row = { provider, model, group, mix: emptyMix(), costUsd: 0, requests: 0, unpricedRequests: 0 };
      rows.set(key, row);
    }
    return row;
  };
  for (const s of results.tokens) {
    const type = s.metric[LABEL.tokenType] as TokenType;
    if (TOKEN_TYPES.includes(type)) rowOf(s.metric).mix[type] += s.value;
  }
  for (const s of results.cost) rowOf(s.metric).costUsd = s.value;
  for (const s of results.requests) rowOf(s.metric).requests = s.value;
  const unpriced = new Map(
    results.unpriced.map((s) => [`${s.metric[LABEL.provider]}\u0000${s.metric[LABEL.model]}`, s.value]),
  );
  for (const row of rows.values()) {
    row.unpricedRequests = unpriced.get(`${row.provider}\u0000${row.model}`) ?? 0;
    if (row.unpricedRequests > 0) row.costUsd = null;
  }
  return [...rows.values()]
    .filter((r) => r.requests > 0 || Object.values(r.mix).some((v) => v > 0))
    .sort((a, b) => (b.costUsd ?? 0) - (a.costUsd ?? 0) || a.model.localeCompare(b.model));
}

export async function fetchWorkload(
  source: InstantQuerier,
  groupLabels: readonly string[],
  range: string,
  time: number,
): Promise<{ rows: WorkloadRow[]; queries: WorkloadQueries }> {
  const queries = workloadQueries(groupLabels, range);
  const [tokens, cost, requests, unpriced] = await Promise.all([
    source.query(queries.tokens, time),
    source.query(queries.cost, time),
    source.query(queries.requests, time),
    source.query(queries.unpriced, time),
  ]);
  return { rows: workloadRows(groupLabels, { tokens, cost, requests, unpriced }), queries };
}
