import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Provider, waitForUpdate } from '@pydantic/genai-prices';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveOptions } from '../../src/config/resolve.js';
import { useBundledCatalog } from '../../src/pricing/catalog-data.js';
import { DEFAULT_CATALOG_URL, writeCatalogFile } from '../../src/pricing/catalog-file.js';
import { makeTelemetry } from '../support/telemetry.js';

afterEach(() => useBundledCatalog());

describe('pricing options resolve with env fallbacks', () => {
  it('defaults: no refresh, no catalog file, not strict, local runtimes unpriced', () => {
    expect(resolveOptions({}, {}).pricing).toEqual({
      strict: false,
      localRuntimesFree: false,
      serviceTiers: [],
      catalogFile: undefined,
      refresh: undefined,
    });
  });

  it('env turns refresh on with the default URL and a 1-day TTL', () => {
    expect(resolveOptions({}, { LLM_COST_PRICES_REFRESH: 'true' }).pricing.refresh).toEqual({
      url: DEFAULT_CATALOG_URL,
      ttlMs: 86_400_000,
    });
    expect(
      resolveOptions(
        {},
        {
          LLM_COST_PRICES_REFRESH: '1',
          LLM_COST_PRICES_URL: 'http://mirror.internal/data.json',
          LLM_COST_PRICES_REFRESH_TTL_MS: '3600000',
          LLM_COST_PRICES_CATALOG_FILE: '/var/cache/catalog.json',
        },
      ).pricing,
    ).toMatchObject({
      refresh: { url: 'http://mirror.internal/data.json', ttlMs: 3_600_000 },
      catalogFile: '/var/cache/catalog.json',
    });
  });

  it.each([
    [
      { prices: { refresh: { url: 'ftp://x/data.json' } } },
      'prices.refresh.url must be an http(s) URL, got "ftp://x/data.json"',
    ],
    [
      { prices: { refresh: { ttlMs: 1000 } } },
      'prices.refresh.ttlMs must be an integer from 60000 to 2592000000, got 1000',
    ],
    [
      { prices: { localRuntimesFree: 'yes' as never } },
      'prices.localRuntimesFree must be a boolean, got "yes"',
    ],
    [{ strictPricing: 1 as never }, 'strictPricing must be a boolean, got 1'],
  ])('%j is refused', (options, message) => {
    expect(() => resolveOptions(options, {})).toThrow(`llm-cost-otel: ${message}`);
  });
});

describe('an air-gapped host prices from a pre-fetched catalog file', () => {
  it('register({ prices: { catalogFile } }) prices with the file, no network', async () => {
    const data = JSON.parse(JSON.stringify(await waitForUpdate())) as Provider[];
    const openai = data.find((p) => p.id === 'openai')!;
    (openai.models.find((m) => m.id === 'gpt-4o')!.prices as Record<string, number>).input_mtok = 3;
    const dir = mkdtempSync(join(tmpdir(), 'llm-cost-airgap-'));
    try {
      const file = join(dir, 'catalog.json');
      writeCatalogFile(file, {
        providers: data,
        date: '2026-11-30',
        source: 'https://example.invalid/data.json',
      });
      const t = makeTelemetry({ prices: { catalogFile: file } });
      // gpt-4o from the file: 1000×3 + 500×10 = 8000 µ$
      const r = t.record({
        provider: 'openai',
        model: 'gpt-4o',
        usage: { inputTokens: 1_000, outputTokens: 500 },
        span: null,
      });
      expect(r?.costUsd).toBeCloseTo(0.008, 15);
      // 2026-11-30T00:00:00Z = 1796083200 − 86400 = 1795996800
      expect(t.metrics()).toContain('\nllm_price_catalog_timestamp_seconds 1795996800\n');
      await t.shutdown();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a catalog file given without refresh is configuration', () => {
  it('a missing file fails startup with the path', () => {
    expect(() => makeTelemetry({ prices: { catalogFile: '/nonexistent/catalog.json' } })).toThrow(
      /^\/nonexistent\/catalog\.json: cannot read the price catalog: ENOENT/,
    );
  });
});
