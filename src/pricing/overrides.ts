/**
 * Price overrides from code or a JSON/YAML file, validated up front: a bad entry is a
 * `PriceConfigError` at startup naming the file, the entry (0-based index, as in the array) and
 * model, the field and the bad value — never a silently mispriced call later.
 *
 * An entry is exactly one of:
 * - a custom price: `inputPerMTok` + `outputPerMTok` (+ optional cache/reasoning rates), e.g. a
 *   self-hosted model at `inputPerMTok: 0, outputPerMTok: 0` (explicit, so $0 is never a default);
 * - an alias: `aliasOf: { model, provider? }` — price like another model (Azure deployment names);
 * - a discount: `multiplier` alone — scales the catalog price of `model` (`*` = every model of the
 *   provider).
 * `multiplier` may be added to a custom price or an alias. It must be > 0: a free model is
 * declared with explicit $0 prices, so that a stray `multiplier: 0` cannot zero real spend.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats, statSync } from 'node:fs';
import { extname } from 'node:path';
import { closestKey } from '../config/known-keys.js';
import type { PriceOverride } from '../types.js';
import { errorMessage } from '../util/error-message.js';
import { parseYaml } from '../util/yaml.js';
import { describeValue } from './describe-value.js';
import { PriceConfigError } from './errors.js';
import { MAX_OVERRIDES, MAX_OVERRIDES_FILE_BYTES, multiplierProblem, rateProblem } from './limits.js';

const RATE_FIELDS = [
  'inputPerMTok',
  'outputPerMTok',
  'cacheReadPerMTok',
  'cacheWritePerMTok',
  'cacheWrite1hPerMTok',
  'reasoningPerMTok',
] as const;
const KNOWN_FIELDS = new Set<string>(['provider', 'model', 'aliasOf', 'multiplier', ...RATE_FIELDS]);

/**
 * Reads and validates an overrides file (`.json`, `.yaml` or `.yml`). The file holds a list of
 * entries, or an object with an `overrides` list. Messages start with `path` as given.
 */
export function loadPriceOverrides(path: string): PriceOverride[] {
  const extension = extname(path).toLowerCase();
  if (extension !== '.json' && extension !== '.yaml' && extension !== '.yml') {
    throw new PriceConfigError(`${path}: unsupported file type "${extension}"; use .json, .yaml or .yml`);
  }
  const text = readRegularFile(path);
  if (nestingDepth(text) > MAX_NESTING) {
    throw new PriceConfigError(
      `${path}: nested deeper than ${MAX_NESTING} levels; a price override file is a flat list of entries`,
    );
  }
  let data: unknown;
  try {
    data = extension === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const format = extension === '.json' ? 'JSON' : 'YAML';
    throw new PriceConfigError(`${path}: invalid ${format}: ${errorMessage(error).split('\n')[0]}`);
  }
  const isWrapped = typeof data === 'object' && data !== null && !Array.isArray(data) && 'overrides' in data;
  return validatePriceOverrides(isWrapped ? (data as { overrides: unknown }).overrides : data, path);
}

/**
 * Reads a regular file of at most MAX_OVERRIDES_FILE_BYTES. A FIFO, a device (`/dev/zero`) or a
 * directory is refused without reading: opening non-blocking and checking the opened descriptor
 * means a FIFO cannot hang the process and a swapped-in device cannot be read.
 */
function readRegularFile(path: string): string {
  const cannot = (error: unknown): never => {
    throw new PriceConfigError(`${path}: cannot read price overrides: ${errorMessage(error)}`);
  };
  let stats: Stats | undefined;
  try {
    stats = statSync(path);
  } catch (error) {
    cannot(error);
  }
  checkRegular(path, stats!);
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    cannot(error);
  }
  try {
    const opened = fstatSync(fd!);
    checkRegular(path, opened);
    const buffer = Buffer.alloc(Math.min(opened.size, MAX_OVERRIDES_FILE_BYTES) + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd!, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length === buffer.length) break;
    }
    if (length > MAX_OVERRIDES_FILE_BYTES) tooBig(path, opened.size);
    return buffer.toString('utf8', 0, length);
  } catch (error) {
    if (error instanceof PriceConfigError) throw error;
    return cannot(error);
  } finally {
    closeSync(fd!);
  }
}

/** Overrides are a list of flat entries (aliasOf is the deepest part); parsers recurse per level. */
const MAX_NESTING = 64;

/**
 * Deepest `[`/`{` nesting outside quoted strings — checked before parsing, because YAML and JSON
 * parsers recurse per level and a file of a million `[` costs seconds and a stack overflow.
 */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== '') {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '[' || c === '{') {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > MAX_NESTING) return deepest;
    } else if (c === ']' || c === '}') {
      depth--;
    }
  }
  return deepest;
}

function checkRegular(path: string, stats: Stats): void {
  if (!stats.isFile()) {
    const kind = stats.isFIFO()
      ? 'a FIFO'
      : stats.isCharacterDevice()
        ? 'a character device'
        : stats.isBlockDevice()
          ? 'a block device'
          : stats.isDirectory()
            ? 'a directory'
            : stats.isSocket()
              ? 'a socket'
              : 'not a file';
    throw new PriceConfigError(`${path}: not a regular file (${kind}); point it at a JSON or YAML file`);
  }
  if (stats.size > MAX_OVERRIDES_FILE_BYTES) tooBig(path, stats.size);
}

function tooBig(path: string, size: number): never {
  throw new PriceConfigError(
    `${path}: ${size} bytes; price override files are limited to ${MAX_OVERRIDES_FILE_BYTES} bytes (${MAX_OVERRIDES} entries)`,
  );
}

/**
 * Checks every entry and returns clean copies (only known fields). `source` prefixes messages:
 * the file path, or `overrides` for entries given in code.
 */
export function validatePriceOverrides(entries: unknown, source = 'overrides'): PriceOverride[] {
  if (!Array.isArray(entries)) {
    throw new PriceConfigError(
      `${source}: expected a list of price overrides (or { overrides: [...] }), got ${describeValue(entries)}`,
    );
  }
  if (entries.length > MAX_OVERRIDES) {
    throw new PriceConfigError(`${source}: ${entries.length} entries; at most ${MAX_OVERRIDES} are accepted`);
  }
  const seen = new Map<string, number>();
  return entries.map((raw, index) => {
    const entry = validateEntry(raw, `${source}: entry ${index}`);
    const key = `${entry.provider.toLowerCase()}\u0000${entry.model.toLowerCase()}`;
    const first = seen.get(key);
    if (first !== undefined) {
      throw new PriceConfigError(
        `${source}: entry ${index} (model "${entry.model}"): duplicates entry ${first} (provider "${entry.provider}"); merge them`,
      );
    }
    seen.set(key, index);
    return entry;
  });
}

function validateEntry(raw: unknown, at: string): PriceOverride {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new PriceConfigError(`${at}: must be an object, got ${describeValue(raw)}`);
  }
  const record = raw as Record<string, unknown>;
  const model = record['model'];
  if (typeof model !== 'string' || model.trim() === '') {
    throw new PriceConfigError(`${at}: model must be a non-empty string, got ${describeValue(model)}`);
  }
  const where = `${at} (model "${model}")`;
  const fail = (message: string): never => {
    throw new PriceConfigError(`${where}: ${message}`);
  };
  for (const field of Object.keys(record)) {
    if (!KNOWN_FIELDS.has(field)) {
      const nearest = closestKey(field, [...KNOWN_FIELDS]);
      fail(
        `unknown field ${JSON.stringify(field.slice(0, 64))}; did you mean "${nearest}"? (expected one of ${[...KNOWN_FIELDS].join(', ')})`,
      );
    }
  }
  const provider = record['provider'];
  if (typeof provider !== 'string' || provider.trim() === '') {
    fail(`provider must be a non-empty string (or "*" for any), got ${describeValue(provider)}`);
  }
  const entry: PriceOverride = { provider: provider as string, model };

  for (const field of RATE_FIELDS) {
    const value = record[field];
    if (value === undefined) continue;
    const problem = rateProblem(value);
    if (problem !== null) fail(`${field} ${problem}, got ${describeValue(value)}`);
    entry[field] = value as number;
  }
  const multiplier = record['multiplier'];
  if (multiplier !== undefined) {
    const problem = multiplierProblem(multiplier);
    if (problem !== null) fail(`multiplier ${problem} (0.8 = 20 % off), got ${describeValue(multiplier)}`);
    entry.multiplier = multiplier as number;
  }

  const hasRates = RATE_FIELDS.some((field) => entry[field] !== undefined);
  if (record['aliasOf'] !== undefined) {
    if (hasRates) fail('aliasOf cannot be combined with per-token prices; use multiplier to adjust an alias');
    entry.aliasOf = validateAlias(record['aliasOf'], entry, fail);
  } else if (hasRates) {
    if (entry.inputPerMTok === undefined) fail('inputPerMTok is required for a custom price, got undefined');
    if (entry.outputPerMTok === undefined)
      fail('outputPerMTok is required for a custom price, got undefined');
  } else if (entry.multiplier === undefined) {
    fail('needs aliasOf, inputPerMTok + outputPerMTok, or multiplier');
  }
  if (model === '*' && (entry.aliasOf !== undefined || hasRates)) {
    fail('model "*" is only allowed for a multiplier (a provider-wide discount)');
  }
  return entry;
}

function validateAlias(
  raw: unknown,
  entry: PriceOverride,
  fail: (message: string) => never,
): NonNullable<PriceOverride['aliasOf']> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return fail(`aliasOf must be an object like { model: "gpt-4o" }, got ${describeValue(raw)}`);
  }
  const { model, provider, ...rest } = raw as Record<string, unknown>;
  const extra = Object.keys(rest)[0];
  if (extra !== undefined) fail(`aliasOf has unknown field "${extra}"; expected model and optional provider`);
  if (typeof model !== 'string' || model.trim() === '') {
    fail(`aliasOf.model must be a non-empty string, got ${describeValue(model)}`);
  }
  if (
    provider !== undefined &&
    (typeof provider !== 'string' || provider.trim() === '' || provider === '*')
  ) {
    fail(`aliasOf.provider must be a provider name, got ${describeValue(provider)}`);
  }
  if (provider === undefined && entry.provider === '*') {
    fail('aliasOf.provider is required when provider is "*"');
  }
  const alias: NonNullable<PriceOverride['aliasOf']> = { model: model as string };
  if (provider !== undefined) alias.provider = provider as string;
  const sameProvider = (alias.provider ?? entry.provider).toLowerCase() === entry.provider.toLowerCase();
  if (sameProvider && alias.model.toLowerCase() === entry.model.toLowerCase()) {
    fail('aliasOf points at the entry itself');
  }
  return alias;
}
