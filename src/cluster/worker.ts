/**
 * The worker side of cluster aggregation: answer the primary's collection requests with a
 * snapshot of this process's families. Nothing is sent unless asked, so a worker whose primary
 * does not aggregate costs nothing.
 */
import { logger } from '../diag.js';
import type { MetricFamily } from '../metrics/family.js';
import { FIGURES_REPLY, type FiguresReply, isCollectRequest } from './protocol.js';
import { snapshotFamilies } from './snapshot.js';

/** Start answering; returns the function that stops (idempotent). */
export function answerClusterPrimary(families: () => readonly MetricFamily[]): () => void {
  if (typeof process.send !== 'function') {
    logger.warn(
      'cluster worker mode is on but this process has no IPC channel to a primary; nothing is reported',
    );
    return () => {};
  }
  const onMessage = (message: unknown) => {
    if (!isCollectRequest(message)) return;
    try {
      const reply: FiguresReply = {
        type: FIGURES_REPLY,
        id: message.id,
        families: snapshotFamilies(families()),
      };
      process.send?.(reply, undefined, {}, (error) => {
        if (error) logger.debug(`sending figures to the cluster primary failed: ${error.message}`);
      });
    } catch (error) {
      logger.error(
        `answering the cluster primary failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  };
  // A cluster worker's IPC channel is already ref'd by the cluster module: listening adds no lifetime.
  process.on('message', onMessage);
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    process.off('message', onMessage);
  };
}
