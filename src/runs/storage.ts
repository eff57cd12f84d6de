/**
 * The innermost agent run, per async context. One store for the ESM and CommonJS copies of the
 * library (see shared-instance.ts), apart from the attribution store: a run is an object with
 * totals, the attribution scope only strings.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Span } from '@opentelemetry/api';
import { shared } from '../shared-instance.js';
import type { ActiveRun } from './run.js';

export const runStorage = shared('runs', () => new AsyncLocalStorage<ActiveRun>());

/**
 * Our runs' `invoke_agent` spans: the recorder does not annotate them with one call's usage when a
 * manual `record()` inside a run finds one active (the run's span gets the run's totals at its end).
 */
export const runSpans = shared('runs.spans', () => new WeakSet<Span>());
