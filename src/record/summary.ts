/**
 * In-process totals for apps that decide in code: the same records as the metrics, grouped by
 * any attribution dimension (task included), in bounded memory.
 */
import { TOKEN_TYPES, type TokenType } from '../types.js';

export type SummaryDimension = 'provider' | 'model' | 'agent' | 'operation' | 'task' | (string & {});

export interface SummaryQuery {
  /** Dimensions to group by. Default: no grouping (one total). */
  by?: SummaryDimension[];
  /** Keep only records whose dimensions equal these values. */
  where?: Partial<Record<SummaryDimension, string>>;
}

export interface SummaryTotals {
  costUsd: number;
  tokens: Record<TokenType, number> & { total: number };
  requests: number;
  successes: number;
  errors: number;
  aborted: number;
  unpriced: number;
  /** successes / requests (0 when no requests). */
  successRate: number;
  /** USD per 1,000 tokens of all types (0 when no tokens). */
  costPer1kTokens: number;
  /** USD per successful request (0 when none succeeded). */
  costPerSuccessfulRequest: number;
  /** Mean duration of calls that reported one, ms (0 when none). */
  avgLatencyMs: number;
}

export interface SummaryGroup extends SummaryTotals {
  /** The group's dimension values, by the `by` names. */
  key: Record<string, string>;
}

export interface Summary {
  total: SummaryTotals;
  groups: SummaryGroup[];
  /** True when some records fell into the overflow row (the cap was reached). */
  overflowed: boolean;
}

/** One accumulation row per distinct (provider, model, agent, operation, task, dimensions). */
export class SummaryRow {
  cost = 0;
  costCompensation = 0;
  /** Tokens by type, indexed like `TOKEN_TYPES`. */
  readonly tokens = new Float64Array(TOKEN_TYPES.length);
  requests = 0;
  successes = 0;
  errors = 0;
  aborted = 0;
  unpriced = 0;
  durationMsSum = 0;
  durationCount = 0;
  constructor(readonly dims: Readonly<Record<string, string>>) {}

  addCost(value: number): void {
    const t = this.cost + value;
    // Never let one absurd value turn the totals into Infinity/NaN for good.
    if (!Number.isFinite(t)) return;
    if (Math.abs(this.cost) >= Math.abs(value)) this.costCompensation += this.cost - t + value;
    else this.costCompensation += value - t + this.cost;
    this.cost = t;
  }
}

export const OVERFLOW_TASK = '__overflow__';

export class SummaryTable {
  readonly rows = new Map<string, SummaryRow>();
  private overflowRow?: SummaryRow;
  constructor(private readonly maxRows: number) {}

  row(key: string, dims: () => Record<string, string>): SummaryRow {
    const found = this.rows.get(key);
    if (found !== undefined) return found;
    if (this.rows.size >= this.maxRows) {
      if (this.overflowRow === undefined) {
        const d = dims();
        for (const k of Object.keys(d)) d[k] = OVERFLOW_TASK;
        this.overflowRow = new SummaryRow(d);
      }
      return this.overflowRow;
    }
    const created = new SummaryRow(dims());
    this.rows.set(key, created);
    return created;
  }

  query(query: SummaryQuery = {}): Summary {
    const by = query.by ?? [];
    const where = Object.entries(query.where ?? {}).filter(([, v]) => v !== undefined) as [string, string][];
    const groups = new Map<string, { key: Record<string, string>; rows: SummaryRow[] }>();
    const all: SummaryRow[] = [];
    const rows = this.overflowRow ? [...this.rows.values(), this.overflowRow] : this.rows.values();
    for (const row of rows) {
      if (!where.every(([k, v]) => (row.dims[k] ?? '') === v)) continue;
      all.push(row);
      const key: Record<string, string> = {};
      for (const dim of by) key[dim] = row.dims[dim] ?? '';
      const id = by.map((d) => key[d]).join('\u0000');
      let group = groups.get(id);
      if (group === undefined) {
        group = { key, rows: [] };
        groups.set(id, group);
      }
      group.rows.push(row);
    }
    return {
      total: totalsOf(all),
      groups: [...groups.values()]
        .map((g) => ({ key: g.key, ...totalsOf(g.rows) }))
        .sort((a, b) => b.costUsd - a.costUsd),
      overflowed: this.overflowRow !== undefined,
    };
  }
}

function totalsOf(rows: readonly SummaryRow[]): SummaryTotals {
  let cost = 0;
  let costCompensation = 0;
  const tokens = new Float64Array(TOKEN_TYPES.length);
  let requests = 0;
  let successes = 0;
  let errors = 0;
  let aborted = 0;
  let unpriced = 0;
  let durationMsSum = 0;
  let durationCount = 0;
  for (const row of rows) {
    const value = row.cost + row.costCompensation;
    const t = cost + value;
    if (Math.abs(cost) >= Math.abs(value)) costCompensation += cost - t + value;
    else costCompensation += value - t + cost;
    cost = t;
    for (let i = 0; i < TOKEN_TYPES.length; i++) tokens[i]! += row.tokens[i]!;
    requests += row.requests;
    successes += row.successes;
    errors += row.errors;
    aborted += row.aborted;
    unpriced += row.unpriced;
    durationMsSum += row.durationMsSum;
    durationCount += row.durationCount;
  }
  const costUsd = cost + costCompensation;
  const tokenRecord = { total: 0 } as Record<TokenType, number> & { total: number };
  TOKEN_TYPES.forEach((type, i) => {
    tokenRecord[type] = tokens[i]!;
    tokenRecord.total += tokens[i]!;
  });
  return {
    costUsd,
    tokens: tokenRecord,
    requests,
    successes,
    errors,
    aborted,
    unpriced,
    successRate: requests > 0 ? successes / requests : 0,
    costPer1kTokens: tokenRecord.total > 0 ? (costUsd / tokenRecord.total) * 1000 : 0,
    costPerSuccessfulRequest: successes > 0 ? costUsd / successes : 0,
    avgLatencyMs: durationCount > 0 ? durationMsSum / durationCount : 0,
  };
}
