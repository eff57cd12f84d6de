/**
 * The worker side of cluster aggregation: answer the primary's collection requests with a
 * snapshot of this process's families, and push one every `pushIntervalMs` (and a last one at
 * shutdown), so a worker that crashes loses at most one interval of figures: the primary keeps a
 * worker's newest figures, asked for or pushed, and folds them into its retired total on exit.
 */
import { logger, notice } from '../diag.js';
import type { MetricFamily } from '../metrics/family.js';
import { errorMessage } from '../util/error-message.js';
import { FIGURES_REPLY, type FiguresReply, isCollectRequest } from './protocol.js';
import { snapshotFamilies } from './snapshot.js';

/** Push id: figures the worker sent unasked (collection requests count up from 1). */
export const PUSH_ID = 0;

/** Start answering (and pushing every `pushIntervalMs`, 0 = never); returns the stop function (idempotent). */
export function answerClusterPrimary(
  families: () => readonly MetricFamily[],
  pushIntervalMs = 0,
): () => void {
  if (typeof process.send !== 'function') {
    notice(
      'cluster-no-ipc',
      'cluster worker mode is on but this process has no IPC channel to a primary; its LLM figures reach no /metrics',
    );
    return () => {};
  }
  const send = (id: number) => {
    try {
      const reply: FiguresReply = { type: FIGURES_REPLY, id, families: snapshotFamilies(families()) };
      process.send?.(reply, undefined, {}, (error) => {
        if (error) logger.debug(`sending figures to the cluster primary failed: ${error.message}`);
      });
    } catch (error) {
      notice(
        'cluster-answer-failed',
        `answering the cluster primary failed: ${errorMessage(error)}; this worker's figures are missing from that scrape`,
      );
    }
  };
  const onMessage = (message: unknown) => {
    if (isCollectRequest(message)) send(message.id);
  };
  // A cluster worker's IPC channel is already ref'd by the cluster module: listening adds no lifetime.
  process.on('message', onMessage);
  const timer = pushIntervalMs > 0 ? setInterval(() => send(PUSH_ID), pushIntervalMs) : undefined;
  timer?.unref();
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    if (timer !== undefined) clearInterval(timer);
    process.off('message', onMessage);
    // The last figures, so a worker that shuts down cleanly loses nothing.
    if (process.connected) send(PUSH_ID);
  };
}
