/**
 * The in-process summary as a record listener: every recorded call added to its summary row
 * (attribution × task; the task is bounded here, never a metric label).
 */
import { tokensOfType } from '../pricing/buckets.js';
import { TOKEN_TYPES } from '../types.js';
import type { CallLabels } from './labels.js';
import type { RecordedCall } from './recorded-call.js';
import type { SummaryTable } from './summary.js';

/** A record listener that also gets the call's plausible duration (not part of `RecordedCall`). */
export type RecordSink = (call: RecordedCall, durationMs: number | undefined) => void;

export function summaryListener(table: SummaryTable): RecordSink {
  /** Each row's summary key, built once per label object (rows keep theirs for good). */
  const keys = new WeakMap<CallLabels, string>();
  return (call, durationMs) => {
    const labels = call.dimensions;
    let key = keys.get(labels);
    if (key === undefined) {
      key = Object.values(labels).join('\u0000');
      keys.set(labels, key);
    }
    const task = call.task;
    const row = table.row(task === undefined ? key : `${key}\u0001${task}`, () => ({
      ...labels,
      task: task ?? '',
    }));
    row.requests += 1;
    if (call.outcome === 'success') row.successes += 1;
    else if (call.outcome === 'error') row.errors += 1;
    else row.aborted += 1;
    if (call.costUsd !== undefined) row.addCost(call.costUsd);
    else if (call.usage !== undefined) row.unpriced += 1;
    const buckets = call.buckets;
    if (buckets !== undefined) {
      // `row.tokens` is indexed like TOKEN_TYPES.
      for (let i = 0; i < TOKEN_TYPES.length; i++) row.tokens[i]! += tokensOfType(buckets, TOKEN_TYPES[i]!);
    }
    if (durationMs !== undefined) {
      row.durationMsSum += durationMs;
      row.durationCount += 1;
    }
  };
}
