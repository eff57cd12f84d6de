/**
 * What a cluster primary and its workers say to each other over the `cluster` IPC channel:
 * the primary asks for figures, each worker answers with a snapshot of its metric families.
 * Messages carry a `type` prefixed with the library name so an app's own messages never clash.
 */
import type { FamilyType } from '../metrics/series.js';

export const COLLECT_REQUEST = 'llm-cost-otel:collect';
export const FIGURES_REPLY = 'llm-cost-otel:figures';

export interface CollectRequest {
  type: typeof COLLECT_REQUEST;
  id: number;
}

/** A counter or gauge series: label values and value. */
export interface ScalarSnapshot {
  labels: string[];
  value: number;
}

/** A histogram series: non-cumulative bucket counts (last = +Inf), sum, count, min, max. */
export interface HistogramSnapshot {
  labels: string[];
  counts: number[];
  sum: number;
  count: number;
  min: number | null;
  max: number | null;
}

export interface FamilySnapshot {
  name: string;
  help: string;
  type: FamilyType;
  instrument: { name: string; unit: string };
  labelNames: string[];
  uncappedLabels: string[];
  buckets: number[];
  series: Array<ScalarSnapshot | HistogramSnapshot>;
}

export interface FiguresReply {
  type: typeof FIGURES_REPLY;
  id: number;
  families: FamilySnapshot[];
}

export function isCollectRequest(message: unknown): message is CollectRequest {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { type?: unknown }).type === COLLECT_REQUEST &&
    typeof (message as { id?: unknown }).id === 'number'
  );
}

export function isFiguresReply(message: unknown): message is FiguresReply {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { type?: unknown }).type === FIGURES_REPLY &&
    typeof (message as { id?: unknown }).id === 'number' &&
    Array.isArray((message as { families?: unknown }).families)
  );
}
