/**
 * The one way our own steps fail inside an SDK call: `<what> failed: <message>`, never thrown to
 * the caller (telemetry must not break the app's LLM call). Such a failure leaves calls unmeasured
 * or an SDK unpatched, so it is said once per step on stderr (notice), and on diag each time.
 */
import { notice } from '../../diag.js';
import { errorMessage } from '../../util/error-message.js';

/** Report a failure of one of our steps. */
export function reportFailure(what: string, error: unknown): void {
  notice(
    `sdk-step-failed:${what}`,
    `${what} failed: ${errorMessage(error)} (LLM calls it touched may be missing from the cost figures)`,
  );
}

/** Run one step of ours; what it throws is reported, never passed on. */
export function safely(what: string, fn: () => void): void {
  try {
    fn();
  } catch (error) {
    reportFailure(what, error);
  }
}
