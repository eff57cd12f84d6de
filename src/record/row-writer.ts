/**
 * One record's metric writes, all onto its row's preallocated series: requests, tokens and cost by
 * token type, the per-request cost, cache savings, duration, and the `gen_ai.client.*` families.
 */
import type { MetricFamilies } from '../metrics/families.js';
import { tokensOfType } from '../pricing/buckets.js';
import type { Outcome, TokenUsage, UsageBuckets } from '../types.js';
import type { CostChoice } from './cost-choice.js';
import type { Row, RowTable } from './rows.js';

/** What one record adds to its row. */
export interface RowWrite {
  outcome: Outcome;
  /** `''` unless the outcome is `error`. */
  errorType: string;
  usage?: TokenUsage;
  buckets?: UsageBuckets;
  cost: CostChoice;
  /** A plausible duration, ms; undefined when the call reported none (or a corrupt one). */
  durationMs: number | undefined;
  /** Record `gen_ai.client.*` for this call (off when a peer instrumentation records them). */
  genAi: boolean;
}

export class RowWriter {
  constructor(
    private readonly metricFamilies: MetricFamilies,
    private readonly rows: RowTable,
  ) {}

  /** The request counter; written first, before anything about the call's usage can fail. */
  countRequest(row: Row, outcome: Outcome, errorType: string): void {
    const overflowCounters = row.overflowCounters;
    for (let i = 0; i < overflowCounters.length; i++) overflowCounters[i]!.add(1);
    this.rows.requestSeries(row, outcome, errorType).add(1);
  }

  /** Tokens, cost, duration and the GenAI families. */
  write(row: Row, w: RowWrite): void {
    // Every token type written by its name, spelled out (this runs on every call): a loop over
    // TOKEN_TYPES would make each access a keyed load with a changing key.
    const b = w.buckets;
    if (b !== undefined) {
      const t = row.tokens;
      if (b.input) t.input.add(b.input);
      if (b.cacheRead) t.cache_read.add(b.cacheRead);
      const writes = tokensOfType(b, 'cache_write');
      if (writes) t.cache_write.add(writes);
      if (b.output) t.output.add(b.output);
      if (b.reasoning) t.reasoning.add(b.reasoning);
    }
    const { costUsd, breakdown, cacheSavingsUsd } = w.cost;
    if (costUsd !== undefined && breakdown !== undefined) {
      const c = row.cost;
      if (breakdown.input) c.input.add(breakdown.input);
      if (breakdown.cache_read) c.cache_read.add(breakdown.cache_read);
      if (breakdown.cache_write) c.cache_write.add(breakdown.cache_write);
      if (breakdown.output) c.output.add(breakdown.output);
      if (breakdown.reasoning) c.reasoning.add(breakdown.reasoning);
      row.requestCost.observe(costUsd);
      if (cacheSavingsUsd > 0) row.cacheSavings.add(cacheSavingsUsd);
    }
    const durationMs = w.durationMs;
    const usage = w.usage;
    if (durationMs !== undefined) this.rows.durationSeries(row, w.outcome).observe(durationMs / 1000);
    if (!w.genAi || (durationMs === undefined && usage === undefined)) return;
    const genAi = this.rows.genAiKeys(row);
    const ins = this.metricFamilies;
    if (durationMs !== undefined) {
      const errorType = w.errorType;
      const opKey = errorType === '' ? genAi.base : `${genAi.base}${errorType}`;
      ins.genAiOperationDuration
        .get(opKey, [genAi.op, row.values[0]!, row.values[1]!, errorType])
        .observe(durationMs / 1000);
    }
    if (usage !== undefined) {
      ins.genAiTokenUsage.get(genAi.inputKey, genAi.inputValues).observe(usage.inputTokens);
      ins.genAiTokenUsage.get(genAi.outputKey, genAi.outputValues).observe(usage.outputTokens);
    }
  }
}
