/**
 * Runtime catalog refresh against a real local HTTP server serving a changed data.json: prices
 * change and a formerly unpriced model becomes priced in the same PriceBook (no restart); the
 * file cache serves a "restart" with the server down; bad data and failures keep the data in use.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Provider, updatePrices, waitForUpdate } from '@pydantic/genai-prices';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { METRIC } from '../../src/metrics/names.js';
import { catalogInfo, useBundledCatalog } from '../../src/pricing/catalog-data.js';
import { CatalogRefresher } from '../../src/pricing/catalog-refresh.js';
import { PriceBook } from '../../src/pricing/index.js';
import { makeTelemetry, samples } from '../support/telemetry.js';

const usage = { inputTokens: 1_000, outputTokens: 500 };
let bundled: Provider[];
let changed: Provider[];
let body = '';
let status = 200;
let server: Server;
let url: string;
let dir: string;

beforeAll(async () => {
  bundled = (await waitForUpdate())!;
  changed = JSON.parse(JSON.stringify(bundled)) as Provider[];
  const openai = changed.find((p) => p.id === 'openai')!;
  // gpt-4o input $2.50 → $3.00, and a model the bundled data does not know.
  (openai.models.find((m) => m.id === 'gpt-4o')!.prices as Record<string, number>).input_mtok = 3;
  openai.models.unshift({
    id: 'gpt-brand-new',
    match: { equals: 'gpt-brand-new' },
    prices: { input_mtok: 1, output_mtok: 2 },
  });
  body = JSON.stringify(changed);
  dir = mkdtempSync(join(tmpdir(), 'llm-cost-catalog-'));
  server = createServer((_req, res) => {
    res.writeHead(status, {
      'content-type': 'application/json',
      'last-modified': 'Tue, 01 Dec 2026 08:00:00 GMT',
    });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/data.json`;
});

afterAll(async () => {
  if (server.listening) await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

afterEach(() => {
  useBundledCatalog();
  status = 200;
  body = JSON.stringify(changed);
  vi.restoreAllMocks();
});

const cost = (book: PriceBook, model: string) => {
  const r = book.price({ provider: 'openai', model, usage });
  return r.priced ? r.costUsd : undefined;
};

describe('refresh from a URL', () => {
  it('changes prices and prices a new model in the same PriceBook, then serves a restart from the file cache', async () => {
    const book = new PriceBook();
    // bundled gpt-4o: 1000×2.5 + 500×10 = 7500 µ$; gpt-brand-new unknown
    expect(cost(book, 'gpt-4o')).toBeCloseTo(0.0075, 15);
    expect(cost(book, 'gpt-brand-new')).toBeUndefined();

    const cacheFile = join(dir, 'catalog.json');
    const refresher = new CatalogRefresher({ url, ttlMs: 3_600_000, cacheFile });
    expect(await refresher.refresh()).toBe(true);
    // refreshed gpt-4o: 1000×3 + 500×10 = 8000 µ$; gpt-brand-new: 1000×1 + 500×2 = 2000 µ$
    expect(cost(book, 'gpt-4o')).toBeCloseTo(0.008, 15);
    expect(cost(book, 'gpt-brand-new')).toBeCloseTo(0.002, 15);
    expect(catalogInfo()).toEqual({ source: url, date: '2026-12-01' });

    // "Restart": back to the bundled data, the server gone, the cache file still there.
    useBundledCatalog();
    expect(cost(book, 'gpt-4o')).toBeCloseTo(0.0075, 15);
    await new Promise((resolve) => server.close(resolve));
    const restarted = new CatalogRefresher({ url, ttlMs: 3_600_000, cacheFile });
    restarted.start();
    restarted.stop();
    expect(cost(book, 'gpt-4o')).toBeCloseTo(0.008, 15);
    expect(cost(new PriceBook(), 'gpt-brand-new')).toBeCloseTo(0.002, 15);
    expect(catalogInfo()).toEqual({ source: `${url} (via ${cacheFile})`, date: '2026-12-01' });

    // Server down: the refresh fails, says so once, and the cached data stays.
    const stderr: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    });
    expect(await restarted.refresh()).toBe(false);
    expect(cost(book, 'gpt-4o')).toBeCloseTo(0.008, 15);
    expect(stderr.join('')).toContain('[llm-cost-otel] price catalog refresh failed');
    await new Promise<void>((resolve) => server.listen(Number(new URL(url).port), '127.0.0.1', resolve));
  });

  it('refuses data with an absurd rate, naming provider, model and field, and keeps the data in use', async () => {
    const bad = JSON.parse(body) as Provider[];
    (
      bad.find((p) => p.id === 'openai')!.models.find((m) => m.id === 'gpt-4o')!.prices as Record<
        string,
        number
      >
    ).output_mtok = 1e308;
    body = JSON.stringify(bad);
    const stderr: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    });
    const refresher = new CatalogRefresher({ url: `${url}?bad`, ttlMs: 3_600_000 });
    expect(await refresher.refresh()).toBe(false);
    expect(stderr.join('')).toContain(
      ': openai/gpt-4o: prices.output_mtok must be a price from 0 to 1000000, got 1e+308',
    );
    expect(catalogInfo().source).toBe('bundled');
  });

  it('an HTTP error keeps the data in use', async () => {
    status = 503;
    const refresher = new CatalogRefresher({ url: `${url}?503`, ttlMs: 3_600_000 });
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await refresher.refresh()).toBe(false);
    expect(catalogInfo().source).toBe('bundled');
  });
});

describe('the catalog date is exported', () => {
  it('llm_price_catalog_timestamp_seconds follows the data in use', async () => {
    const t = makeTelemetry();
    const gauge = () => samples(t.metrics(), METRIC.priceCatalogTimestamp);
    // 2026-09-23T00:00:00Z (bundled genai-prices 0.1.8) = 1790121600
    expect(gauge()).toEqual([`${METRIC.priceCatalogTimestamp} 1790121600`]);
    expect(await new CatalogRefresher({ url, ttlMs: 3_600_000 }).refresh()).toBe(true);
    // 2026-12-01T00:00:00Z = 1796083200
    expect(gauge()).toEqual([`${METRIC.priceCatalogTimestamp} 1796083200`]);
  });
});

describe('data replaced through genai-prices updatePrices() is noticed', () => {
  it('a PriceBook drops its cached resolutions within a few hundred lookups', async () => {
    const book = new PriceBook();
    expect(cost(book, 'gpt-4o')).toBeCloseTo(0.0075, 15);
    updatePrices(({ setProviderData }) => setProviderData(changed));
    try {
      let seen: number | undefined;
      for (let i = 0; i < 300 && seen === undefined; i++) {
        const c = cost(book, 'gpt-4o');
        if (c !== undefined && Math.abs(c - 0.008) < 1e-12) seen = i;
      }
      expect(seen).toBeDefined();
      expect(catalogInfo().source).toBe('app');
    } finally {
      updatePrices(({ setProviderData }) => setProviderData(bundled));
    }
  });
});
