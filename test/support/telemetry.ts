/** Independent telemetry instances for tests (register() is a process-wide singleton). */
import type { RegisterOptions } from '../../src/config/options.js';
import { resolveOptions } from '../../src/config/resolve.js';
import { LLMTelemetry } from '../../src/telemetry.js';

/**
 * A telemetry handle with no server and no MeterProvider unless asked, built from options only
 * (process env ignored).
 */
export function makeTelemetry(options: RegisterOptions = {}, env: NodeJS.ProcessEnv = {}): LLMTelemetry {
  return new LLMTelemetry(
    resolveOptions({ prometheus: { server: false }, meterProvider: false, ...options }, env),
  );
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

/** Samples of `name` whose value is not 0 (series known up front exist at 0 from a row's first call). */
export function nonZeroSamples(text: string, name: string): string[] {
  return samples(text, name).filter((l) => !l.endsWith(' 0'));
}
