/** Capturing what the library says through OpenTelemetry's `diag`, for tests that assert on it. */
import { DiagLogLevel, diag } from '@opentelemetry/api';

/**
 * Routes `diag` errors and warnings into `lines` (each call's arguments joined by spaces); info and
 * below are dropped. Returns `lines`. `diag.disable()` undoes it.
 */
export function captureDiagWarnings(lines: string[] = []): string[] {
  const push = (...args: unknown[]) => {
    lines.push(args.join(' '));
  };
  diag.setLogger({ error: push, warn: push, info() {}, debug() {}, verbose() {} }, DiagLogLevel.WARN);
  return lines;
}
