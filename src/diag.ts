/**
 * The library's own reporting: through the OTel diag logger (so apps see it where they already
 * look), plus a rate limiter so one bad model or label never floods the log.
 */
import { diag } from '@opentelemetry/api';

export const logger = diag.createComponentLogger({ namespace: 'llm-cost-otel' });

/** Warn once per key (bounded: after `maxKeys` distinct keys, further keys share one warning). */
export class OnceWarner {
  private readonly seen = new Set<string>();
  private saturated = false;
  constructor(private readonly maxKeys = 1000) {}

  warn(key: string, message: string): boolean {
    if (this.seen.has(key)) return false;
    if (this.seen.size >= this.maxKeys) {
      if (this.saturated) return false;
      this.saturated = true;
      logger.warn(`${message} (further warnings of this kind are suppressed)`);
      return true;
    }
    this.seen.add(key);
    logger.warn(message);
    return true;
  }
}

/** Run `fn`, reporting (never throwing) whatever it throws. Telemetry must not break the app. */
export function guarded<T>(what: string, fn: () => T): T | undefined {
  try {
    return fn();
  } catch (error) {
    logger.error(`${what} failed: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}
