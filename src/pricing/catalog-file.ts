/**
 * Catalog data from outside the package: parsing and validating genai-prices' `data.json`
 * (downloaded, or a pre-fetched file), fetching it, and the file format `llm-cost prices update`
 * writes. Downloaded data is untrusted: shape, sizes and every rate are checked, and a bad file is
 * refused whole (the data in use stays) with a message naming the provider, model and field.
 */
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import type { Provider } from '@pydantic/genai-prices';
import { errorMessage } from '../util/error-message.js';
import { describeValue } from './describe-value.js';
import { PriceConfigError } from './errors.js';
import { MAX_RATE_PER_MTOK } from './limits.js';

/** Where genai-prices publishes its data (the package's `REMOTE_DATA_JSON_URL`). */
export const DEFAULT_CATALOG_URL =
  'https://raw.githubusercontent.com/pydantic/genai-prices/main/prices/new_data/v2/data.json';
/** The bundled data is ~0.5 MB; 32 MB leaves room for growth and refuses garbage. */
export const MAX_CATALOG_BYTES = 32 * 1024 * 1024;
const MAX_PROVIDERS = 1_000;
const MAX_MODELS = 100_000;
const MAX_MATCH_DEPTH = 16;
const FORMAT = 'llm-cost-otel/catalog@1';

export interface CatalogData {
  providers: Provider[];
  /** YYYY-MM-DD: when the data was published (Last-Modified) or fetched. */
  date: string;
  /** URL or file it came from. */
  source: string;
}

/** Validates parsed `data.json` content (a list of providers). @throws PriceConfigError */
export function validateCatalog(data: unknown, where: string): Provider[] {
  if (!Array.isArray(data))
    throw new PriceConfigError(`${where}: expected a list of providers, got ${describeValue(data)}`);
  if (data.length === 0 || data.length > MAX_PROVIDERS) {
    throw new PriceConfigError(`${where}: ${data.length} providers; expected 1 to ${MAX_PROVIDERS}`);
  }
  let models = 0;
  data.forEach((provider, p) => {
    const at = `${where}: provider ${p}`;
    if (!isObject(provider) || typeof provider.id !== 'string' || provider.id === '') {
      throw new PriceConfigError(
        `${at}: needs an id, got ${describeValue(isObject(provider) ? provider.id : provider)}`,
      );
    }
    if (!Array.isArray(provider.models)) {
      throw new PriceConfigError(
        `${at} ("${provider.id}"): models must be a list, got ${describeValue(provider.models)}`,
      );
    }
    models += provider.models.length;
    if (models > MAX_MODELS) throw new PriceConfigError(`${where}: more than ${MAX_MODELS} models`);
    provider.models.forEach((model: unknown, m: number) => {
      const mAt = `${at} ("${provider.id}") model ${m}`;
      if (!isObject(model) || typeof model.id !== 'string' || model.id === '') {
        throw new PriceConfigError(`${mAt}: needs an id`);
      }
      const named = `${where}: ${provider.id}/${model.id}`;
      checkMatch(model.match, named, 0);
      checkPrices(model.prices, named);
    });
  });
  return data as Provider[];
}

function checkMatch(logic: unknown, at: string, depth: number): void {
  if (depth > MAX_MATCH_DEPTH)
    throw new PriceConfigError(`${at}: match nested deeper than ${MAX_MATCH_DEPTH}`);
  if (!isObject(logic))
    throw new PriceConfigError(`${at}: match must be an object, got ${describeValue(logic)}`);
  const keys = Object.keys(logic);
  if (keys.length !== 1)
    throw new PriceConfigError(`${at}: match must have exactly one rule, got ${keys.join(', ')}`);
  const key = keys[0]!;
  const value = logic[key];
  if (key === 'or' || key === 'and') {
    if (!Array.isArray(value)) throw new PriceConfigError(`${at}: match.${key} must be a list`);
    for (const inner of value) checkMatch(inner, at, depth + 1);
    return;
  }
  if (
    !['equals', 'starts_with', 'ends_with', 'contains', 'regex'].includes(key) ||
    typeof value !== 'string'
  ) {
    throw new PriceConfigError(`${at}: unknown match rule ${key}=${describeValue(value)}`);
  }
  if (key === 'regex') {
    try {
      new RegExp(value);
    } catch {
      throw new PriceConfigError(
        `${at}: match.regex is not a valid regular expression: ${describeValue(value)}`,
      );
    }
  }
}

function checkPrices(prices: unknown, at: string): void {
  if (Array.isArray(prices)) {
    if (prices.length === 0) throw new PriceConfigError(`${at}: prices is an empty list`);
    for (const conditional of prices) {
      if (!isObject(conditional)) throw new PriceConfigError(`${at}: conditional price must be an object`);
      checkConstraint(conditional.constraint, at);
      checkModelPrice(conditional.prices, at);
    }
    return;
  }
  checkModelPrice(prices, at);
}

function checkConstraint(constraint: unknown, at: string): void {
  if (constraint === undefined) return;
  if (!isObject(constraint)) throw new PriceConfigError(`${at}: constraint must be an object`);
  if (constraint.type === 'start_date' && typeof constraint.start_date === 'string') {
    if (
      !/^\d{4}-\d{2}-\d{2}$/.test(constraint.start_date) ||
      Number.isNaN(Date.parse(constraint.start_date))
    ) {
      throw new PriceConfigError(
        `${at}: constraint.start_date must be YYYY-MM-DD, got ${describeValue(constraint.start_date)}`,
      );
    }
    return;
  }
  const time = /^\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;
  if (
    constraint.type === 'time_of_date' &&
    typeof constraint.start_time === 'string' &&
    typeof constraint.end_time === 'string' &&
    time.test(constraint.start_time) &&
    time.test(constraint.end_time)
  ) {
    return;
  }
  throw new PriceConfigError(`${at}: unsupported price constraint ${describeValue(constraint)}`);
}

function checkModelPrice(price: unknown, at: string): void {
  if (!isObject(price))
    throw new PriceConfigError(`${at}: prices must be an object, got ${describeValue(price)}`);
  for (const [key, value] of Object.entries(price)) {
    if (typeof value === 'number') {
      checkRate(value, `${at}: prices.${key}`);
      continue;
    }
    if (!isObject(value) || typeof value.base !== 'number' || !Array.isArray(value.tiers)) {
      throw new PriceConfigError(
        `${at}: prices.${key} must be a number or { base, tiers }, got ${describeValue(value)}`,
      );
    }
    checkRate(value.base, `${at}: prices.${key}.base`);
    value.tiers.forEach((tier: unknown, t: number) => {
      if (
        !isObject(tier) ||
        typeof tier.start !== 'number' ||
        !(tier.start >= 0) ||
        !Number.isFinite(tier.start)
      ) {
        throw new PriceConfigError(`${at}: prices.${key}.tiers[${t}] needs a start token count`);
      }
      checkRate(tier.price, `${at}: prices.${key}.tiers[${t}].price`);
    });
  }
}

function checkRate(value: unknown, at: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_RATE_PER_MTOK) {
    throw new PriceConfigError(
      `${at} must be a price from 0 to ${MAX_RATE_PER_MTOK}, got ${describeValue(value)}`,
    );
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses catalog file text: our wrapper (`{ format, source, date, providers }`) or a bare
 * `data.json` list (then dated by `fallbackDate`, e.g. the file's modification time).
 */
export function parseCatalogText(text: string, where: string, fallbackDate: string): CatalogData {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new PriceConfigError(`${where}: invalid JSON: ${errorMessage(error).split('\n')[0]}`);
  }
  if (isObject(data) && data.format === FORMAT) {
    const date =
      typeof data.date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(data.date) ? data.date : fallbackDate;
    const source = typeof data.source === 'string' ? data.source : where;
    return { providers: validateCatalog(data.providers, where), date, source };
  }
  return { providers: validateCatalog(data, where), date: fallbackDate, source: where };
}

/** Reads a pre-fetched catalog file (size-capped, regular files only). @throws PriceConfigError */
export function readCatalogFile(path: string): CatalogData {
  let stats: ReturnType<typeof statSync>;
  try {
    stats = statSync(path);
  } catch (error) {
    throw new PriceConfigError(`${path}: cannot read the price catalog: ${errorMessage(error)}`);
  }
  if (!stats.isFile()) throw new PriceConfigError(`${path}: not a regular file`);
  if (stats.size > MAX_CATALOG_BYTES) {
    throw new PriceConfigError(
      `${path}: ${stats.size} bytes; catalog files are limited to ${MAX_CATALOG_BYTES} bytes`,
    );
  }
  const data = parseCatalogText(readFileSync(path, 'utf8'), path, dateOf(stats.mtime));
  // A bare data.json names no source of its own; the file path is it.
  return data.source === path ? data : { ...data, source: `${data.source} (via ${path})` };
}

/** Writes the wrapper format atomically (temp file + rename), so readers never see half a file. */
export function writeCatalogFile(path: string, data: CatalogData): void {
  const text = JSON.stringify({
    format: FORMAT,
    source: data.source,
    date: data.date,
    providers: data.providers,
  });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, path);
}

/**
 * Fetches and validates catalog data. The date is the response's Last-Modified, else today.
 * @throws PriceConfigError for an HTTP failure, an oversized body or invalid data.
 */
export async function fetchCatalog(url: string, timeoutMs = 30_000): Promise<CatalogData> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  } catch (error) {
    throw new PriceConfigError(`${url}: cannot fetch the price catalog: ${errorMessage(error)}`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new PriceConfigError(`${url}: HTTP ${response.status} fetching the price catalog`);
  }
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > MAX_CATALOG_BYTES) {
    await response.body?.cancel();
    throw new PriceConfigError(
      `${url}: ${declared} bytes; the catalog is limited to ${MAX_CATALOG_BYTES} bytes`,
    );
  }
  const text = await readCapped(response, url);
  const modified = Date.parse(response.headers.get('last-modified') ?? '');
  const date = dateOf(Number.isNaN(modified) ? new Date() : new Date(modified));
  return parseCatalogText(text, url, date);
}

async function readCapped(response: Response, url: string): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_CATALOG_BYTES) {
      await reader.cancel();
      throw new PriceConfigError(
        `${url}: more than ${MAX_CATALOG_BYTES} bytes; the catalog is limited to that`,
      );
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function dateOf(time: Date): string {
  return time.toISOString().slice(0, 10);
}
