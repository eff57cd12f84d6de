/** Validation of `prices.serviceTiers` entries: a bad one is a `PriceConfigError` at startup. */
import type { ServiceTierRate } from '../types.js';
import { describeValue } from './describe-value.js';
import { PriceConfigError } from './errors.js';
import { MAX_OVERRIDES, multiplierProblem, rateProblem } from './limits.js';

const FIELDS = new Set([
  'provider',
  'tier',
  'model',
  'multiplier',
  'bucketMultipliers',
  'rates',
  'source',
  'checked',
]);
const BUCKETS = new Set(['input', 'cacheRead', 'cacheWrite', 'output', 'reasoning']);

export function validateServiceTiers(entries: unknown, source: string): ServiceTierRate[] {
  const at = `${source}: serviceTiers`;
  if (!Array.isArray(entries))
    throw new PriceConfigError(`${at}: expected a list, got ${describeValue(entries)}`);
  if (entries.length > MAX_OVERRIDES) {
    throw new PriceConfigError(`${at}: ${entries.length} entries; at most ${MAX_OVERRIDES} are accepted`);
  }
  return entries.map((raw, index) => validateTier(raw, `${at} entry ${index}`));
}

function validateTier(raw: unknown, at: string): ServiceTierRate {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new PriceConfigError(`${at}: must be an object, got ${describeValue(raw)}`);
  }
  const r = raw as Record<string, unknown>;
  const fail = (field: string, problem: string, value: unknown): never => {
    throw new PriceConfigError(`${at}: ${field} ${problem}, got ${describeValue(value)}`);
  };
  for (const field of Object.keys(r))
    if (!FIELDS.has(field)) fail(`field "${field}"`, 'is not known', r[field]);
  for (const field of ['provider', 'tier'] as const) {
    if (typeof r[field] !== 'string' || (r[field] as string).trim() === '') {
      fail(field, 'must be a non-empty string', r[field]);
    }
  }
  const entry: ServiceTierRate = { provider: r.provider as string, tier: r.tier as string };
  if (r.model !== undefined) {
    if (typeof r.model !== 'string' || r.model.trim() === '')
      fail('model', 'must be a non-empty string', r.model);
    entry.model = r.model as string;
  }
  if ((r.multiplier === undefined) === (r.rates === undefined)) {
    fail('multiplier/rates', 'exactly one is required', { multiplier: r.multiplier, rates: r.rates });
  }
  if (r.multiplier !== undefined) {
    const problem = multiplierProblem(r.multiplier);
    if (problem) fail('multiplier', problem, r.multiplier);
    entry.multiplier = r.multiplier as number;
  }
  if (r.bucketMultipliers !== undefined) {
    const b = r.bucketMultipliers;
    if (typeof b !== 'object' || b === null || Array.isArray(b))
      fail('bucketMultipliers', 'must be an object', b);
    const out: NonNullable<ServiceTierRate['bucketMultipliers']> = {};
    for (const [bucket, value] of Object.entries(b as Record<string, unknown>)) {
      if (!BUCKETS.has(bucket)) fail(`bucketMultipliers.${bucket}`, 'is not a bucket', value);
      const problem = multiplierProblem(value);
      if (problem) fail(`bucketMultipliers.${bucket}`, problem, value);
      out[bucket as keyof typeof out] = value as number;
    }
    entry.bucketMultipliers = out;
  }
  if (r.rates !== undefined) {
    if (entry.model === undefined) fail('rates', 'need a model (absolute rates are per model)', r.rates);
    const rates = r.rates;
    if (typeof rates !== 'object' || rates === null || Array.isArray(rates))
      fail('rates', 'must be an object', rates);
    const { input, output, cacheRead, ...rest } = rates as Record<string, unknown>;
    const extra = Object.keys(rest)[0];
    if (extra !== undefined) fail(`rates.${extra}`, 'is not known (input, cacheRead, output)', rest[extra]);
    for (const [name, value] of [
      ['input', input],
      ['output', output],
    ] as const) {
      const problem = rateProblem(value);
      if (problem) fail(`rates.${name}`, problem, value);
    }
    if (cacheRead !== undefined) {
      const problem = rateProblem(cacheRead);
      if (problem) fail('rates.cacheRead', problem, cacheRead);
    }
    entry.rates = { input: input as number, output: output as number };
    if (cacheRead !== undefined) entry.rates.cacheRead = cacheRead as number;
  }
  for (const field of ['source', 'checked'] as const) {
    if (r[field] !== undefined) {
      if (typeof r[field] !== 'string') fail(field, 'must be a string', r[field]);
      entry[field] = r[field] as string;
    }
  }
  return entry;
}
