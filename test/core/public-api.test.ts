/**
 * The public API is what the entries export; this pins it, so a name added or dropped is a
 * decision made in review, not an accident of a re-export. Types are checked by `tsc` on the
 * README's imports (test/consumers/package-surface.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { PRICING_EXPORTS, ROOT_EXPORTS } from '../consumers/public-exports.js';

describe('public API', () => {
  it('llm-cost-otel exports exactly the curated names', async () => {
    expect(Object.keys(await import('../../src/index.js')).sort()).toEqual([...ROOT_EXPORTS].sort());
  });

  it('llm-cost-otel/pricing exports exactly the pricing helpers', async () => {
    expect(Object.keys(await import('../../src/entry-pricing.js')).sort()).toEqual(
      [...PRICING_EXPORTS].sort(),
    );
  });

  it('llm-cost-otel/register exports nothing (it only starts the telemetry)', async () => {
    const { readFileSync } = await import('node:fs');
    const source = readFileSync(new URL('../../src/register-hook.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/^export /m);
  });

  it('the handle register() returns is the internal class, seen through the public interface', async () => {
    const { register } = await import('../../src/index.js');
    const telemetry = register({ prometheus: false, meterProvider: false });
    try {
      // What the interface leaves out still exists at run time, but is not part of the type.
      expect('priceBook' in telemetry).toBe(true);
      // @ts-expect-error priceBook is internal
      void telemetry.priceBook;
      // @ts-expect-error addShutdownHook is internal
      void telemetry.addShutdownHook;
      // @ts-expect-error budget reservations are internal
      void telemetry.budgets.reserve;
      expect(telemetry.budgets.spentUsd('none')).toBeUndefined();
    } finally {
      await telemetry.shutdown();
    }
  });
});

describe('public errors', () => {
  it('PriceConfigError is a ConfigError, and a ConfigError is not a PriceConfigError', async () => {
    const { ConfigError, PriceConfigError } = await import('../../src/index.js');
    expect(new PriceConfigError('bad price')).toBeInstanceOf(ConfigError);
    expect(new PriceConfigError('bad price')).toBeInstanceOf(PriceConfigError);
    expect(new ConfigError('bad option')).not.toBeInstanceOf(PriceConfigError);
  });
});
