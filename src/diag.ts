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

const noticed = new Set<string>();
/** Distinct notice keys remembered; past it, further notices are dropped (memory stays bounded). */
const MAX_NOTICE_KEYS = 1000;
let noticesSaturated = false;

/**
 * Say something a person must see, once per `key` per process: one `[llm-cost-otel] …` line on
 * stderr (unless env `LLM_COST_QUIET` is truthy) and a warning on the OTel diag logger. For
 * failures that change the figures a user reads (an approximate price, a stale catalog).
 */
export function notice(key: string, message: string): void {
  if (noticed.has(key)) return;
  if (noticed.size >= MAX_NOTICE_KEYS) {
    if (!noticesSaturated) logger.warn(`${message} (further notices are suppressed)`);
    noticesSaturated = true;
    return;
  }
  noticed.add(key);
  logger.warn(message);
  if (isQuiet(process.env.LLM_COST_QUIET)) return;
  try {
    process.stderr.write(`[llm-cost-otel] ${message}\n`);
  } catch {
    // stderr closed: diag already has it.
  }
}

function isQuiet(value: string | undefined): boolean {
  return value !== undefined && value !== '' && !/^(0|false|no|off)$/i.test(value.trim());
}
