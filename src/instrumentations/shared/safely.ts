/**
 * The one way our own steps fail inside an SDK call: reported through diag as `<what> failed:
 * <message>`, never thrown to the caller (telemetry must not break the app's LLM call).
 */
import { logger } from '../../diag.js';
import { errorMessage } from '../../util/error-message.js';

/** Report a failure of one of our steps. */
export function reportFailure(what: string, error: unknown): void {
  logger.error(`${what} failed: ${errorMessage(error)}`);
}

/** Run one step of ours; what it throws is reported, never passed on. */
export function safely(what: string, fn: () => void): void {
  try {
    fn();
  } catch (error) {
    reportFailure(what, error);
  }
}
