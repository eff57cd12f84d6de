/** Independent telemetry instances for tests (register() is a process-wide singleton). */
import { type RegisterOptions, resolveOptions } from '../../src/config/options.js';
import { LLMTelemetry } from '../../src/telemetry.js';

/** A telemetry handle with no server unless asked, built from options only (process env ignored). */
export function makeTelemetry(options: RegisterOptions = {}, env: NodeJS.ProcessEnv = {}): LLMTelemetry {
  return new LLMTelemetry(resolveOptions({ prometheus: { server: false }, ...options }, env));
}

/** A custom model at round prices so exposition values are easy to check by hand. */
export const ACME_PRICES = {
  overrides: [
    {
      provider: 'acme',
      model: 'acme-1',
      inputPerMTok: 1,
      outputPerMTok: 4,
      cacheReadPerMTok: 0.1,
      cacheWritePerMTok: 1.25,
      cacheWrite1hPerMTok: 2,
    },
  ],
};

/** Lines of an exposition for one family, without HELP/TYPE. */
export function samples(text: string, name: string): string[] {
  return text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
}
