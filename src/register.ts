/**
 * `register()`: one call sets everything up; a second call returns the same handle (counter
 * values kept). The handle lives on `globalThis` so the ESM and CommonJS builds, if both get
 * loaded, still share one.
 */
import type { RegisterOptions } from './config/options.js';
import { resolveOptions } from './config/resolve.js';
import { logger, notice } from './diag.js';
import { LLMTelemetry } from './telemetry.js';
import type { LLMCall } from './types.js';

const KEY = Symbol.for('llm-cost-otel.telemetry');
type Holder = { [KEY]?: LLMTelemetry };

/**
 * Set up cost telemetry. Options are validated up front (a `ConfigError` names the bad field
 * and value); nothing has started when it throws.
 */
export function register(options?: RegisterOptions): LLMTelemetry {
  const holder = globalThis as Holder;
  const existing = holder[KEY];
  if (existing && !existing.isShutdown) {
    if (options !== undefined && Object.keys(options).length > 0) {
      notice(
        'register-again',
        `register() was called again with options (${Object.keys(options).join(', ')}); the first configuration stays in force and these options are ignored. Configure llm-cost-otel in one place.`,
      );
    }
    return existing;
  }
  const telemetry = new LLMTelemetry(resolveOptions(options));
  holder[KEY] = telemetry;
  telemetry.addShutdownHook(() => {
    if (holder[KEY] === telemetry) holder[KEY] = undefined;
  });
  return telemetry;
}

/** The registered telemetry, or undefined before `register()` / after `shutdown()`. */
export function getTelemetry(): LLMTelemetry | undefined {
  const t = (globalThis as Holder)[KEY];
  return t && !t.isShutdown ? t : undefined;
}

/** `record()` on the registered telemetry; a no-op (reported once) before `register()`. */
let warnedUnregistered = false;
export function record(call: LLMCall) {
  const telemetry = getTelemetry();
  if (telemetry === undefined) {
    if (!warnedUnregistered) {
      warnedUnregistered = true;
      logger.warn('record() called before register(): the call was not counted');
    }
    return undefined;
  }
  return telemetry.record(call);
}
