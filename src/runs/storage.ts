/** Our runs' spans, one set for the ESM and CommonJS copies of the library (see shared-instance.ts). */
import type { Span } from '@opentelemetry/api';
import { shared } from '../shared-instance.js';

/**
 * Our runs' `invoke_agent` spans: the recorder does not annotate them with one call's usage when a
 * manual `record()` inside a run finds one active (the run's span gets the run's totals at its end).
 */
export const runSpans = shared('runs.spans', () => new WeakSet<Span>());
