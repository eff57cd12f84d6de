/**
 * Checks every options resolver shares (library, pricing, runs): one error shape naming the field,
 * what it must be and the value it got; integers in a range; boolean env flags.
 */
import { ConfigError, show } from './errors.js';

/** @throws ConfigError `llm-cost-otel: <field> <expected>, got <value>`. */
export function fail(field: string, expected: string, value: unknown): never {
  throw new ConfigError(`llm-cost-otel: ${field} ${expected}, got ${show(value)}`);
}

/** An integer from `min` to `max`; numeric strings (from env) are accepted. */
export function integerIn(field: string, value: unknown, min: number, max: number): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    fail(field, `must be an integer from ${min} to ${max}`, value);
  }
  return n;
}

/** `true`/`false` (also 1/0, yes/no, on/off) from env `name`; unset or empty is undefined. */
export function envFlag(name: string, env: NodeJS.ProcessEnv): boolean | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off)$/i.test(v)) return false;
  fail(`env ${name}`, 'must be true or false', v);
}
