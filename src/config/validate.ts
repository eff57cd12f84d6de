/**
 * The checks every option resolver shares: each failure a `ConfigError` naming the field, what
 * was expected and the value given.
 */
import { ConfigError, show } from './errors.js';

export function fail(field: string, expected: string, value: unknown): never {
  throw new ConfigError(`llm-cost-otel: ${field} ${expected}, got ${show(value)}`);
}

export function nonEmptyString(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') fail(field, 'must be a non-empty string', value);
  return value;
}

export function integerIn(field: string, value: unknown, min: number, max: number): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    fail(field, `must be an integer from ${min} to ${max}`, value);
  }
  return n;
}

export function envFlag(name: string, env: NodeJS.ProcessEnv): boolean | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off)$/i.test(v)) return false;
  fail(`env ${name}`, 'must be true or false', v);
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * A list of extra label names (`dimensions`, `runs.dimensions`): the option's array, else the
 * comma-separated env text; each a Prometheus label name, not built in, not repeated.
 */
export function labelNameList(
  field: string,
  value: unknown,
  envText: string | undefined,
  reserved: ReadonlySet<string>,
  example: string,
): string[] {
  const raw =
    value ??
    (envText
      ? envText
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : []);
  if (!Array.isArray(raw)) fail(field, 'must be an array of label names', raw);
  const names = raw.map((d, i) => {
    if (typeof d !== 'string' || !LABEL_NAME.test(d) || d.startsWith('__')) {
      fail(`${field}[${i}]`, `must be a Prometheus label name like "${example}"`, d);
    }
    if (reserved.has(d) || d.startsWith('gen_ai_') || d.startsWith('llm_')) {
      fail(`${field}[${i}]`, 'is reserved (built-in label); pick another name', d);
    }
    return d;
  });
  if (new Set(names).size !== names.length) fail(field, 'must not repeat a name', names);
  return names;
}
