/**
 * The library's own reporting: through the OTel diag logger (so apps see it where they already
 * look), plus a rate limiter so one bad model or label never floods the log.
 */
import { diag } from '@opentelemetry/api';
import { boundedText } from './bounded-text.js';
import { errorMessage } from './util/error-message.js';

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
    logger.error(`${what} failed: ${errorMessage(error)}`);
    return undefined;
  }
}

const NOTICES = Symbol.for('llm-cost-otel.notices');
type NoticeHolder = { [NOTICES]?: Set<string> };

/**
 * Say something a person must see — a lost port, an SDK left unpatched, ignored configuration —
 * as one line on stderr once per `key` per process (nobody reads `diag` by default), and on diag
 * each time.
 * `LLM_COST_QUIET=true` keeps stderr quiet. Shared across module copies (ESM and CommonJS builds).
 */
export function notice(key: string, message: string): void {
  logger.warn(message);
  const holder = globalThis as NoticeHolder;
  holder[NOTICES] ??= new Set();
  const said = holder[NOTICES];
  if (said.has(key)) return;
  if (said.size < 1000) said.add(key);
  if (!/^(1|true|yes|on)$/i.test(process.env.LLM_COST_QUIET ?? '')) {
    try {
      // The message may quote provider or caller data (a model name, a tier): one safe line.
      process.stderr.write(`[llm-cost-otel] ${boundedText(message, 2000) ?? ''}\n`);
    } catch {
      // stderr closed: nothing more we can do, and the app must not notice
    }
  }
}
