/**
 * Warnings about the guard that change what the app sees (a call refused for a reason the user
 * must act on, a budget closed by an overshoot, the shared store down): said once per key on
 * stderr, where a person looks, and on the OTel diag logger, where tools look.
 */
import { logger } from '../diag.js';

export class PersonNotice {
  private readonly seen = new Set<string>();

  constructor(private readonly maxKeys = 1000) {}

  /** Say `message` unless `key` was said before; true when said. */
  once(key: string, message: string): boolean {
    if (this.seen.has(key) || this.seen.size >= this.maxKeys) return false;
    this.seen.add(key);
    say(message);
    return true;
  }

  /** Forget `key`, so the next `once(key)` speaks again (a recovered condition that recurs). */
  reset(key: string): void {
    this.seen.delete(key);
  }
}

export function say(message: string): void {
  logger.warn(message);
  try {
    process.stderr.write(`[llm-cost-otel] ${message}\n`);
  } catch {
    // stderr closed: the diag line above is all we can do
  }
}
