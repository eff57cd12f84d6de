/**
 * The flags every command that reads a Prometheus shares: `--prometheus` (required), credentials
 * (request-auth.ts), `--timeout` per request, `--range`/`--at`, and a `--format` from a fixed set.
 */
import { helpOption, str } from './command.js';
import { parseDuration } from './durations.js';
import { usageError } from './errors.js';
import type { Endpoint } from './http-read.js';
import { normalizeBaseUrl } from './prom-api.js';
import { type AuthFlags, authHeaders, endpointFor, REQUEST_OPTIONS } from './request-auth.js';

/** What `whatif`, `advise` and `report` share: one Prometheus, a range ending at an instant, a format. */
export const PROMETHEUS_READ_OPTIONS = {
  ...helpOption,
  ...REQUEST_OPTIONS,
  prometheus: str,
  range: str,
  at: str,
  format: str,
} as const;

export interface PrometheusFlags extends AuthFlags {
  prometheus?: string;
  timeout?: string;
}

/** The Prometheus `command` reads, with its credentials, and each request's deadline (default 15s). */
export function prometheusTarget(
  command: string,
  flags: PrometheusFlags,
  env: NodeJS.ProcessEnv,
): { endpoint: Endpoint; timeoutMs: number } {
  if (!flags.prometheus)
    throw usageError(`${command}: --prometheus <url> is required (see llm-cost ${command} --help)`);
  return {
    endpoint: endpointFor(normalizeBaseUrl(flags.prometheus, '--prometheus'), authHeaders(flags, env)),
    timeoutMs: parseDuration(flags.timeout ?? '15s', '--timeout'),
  };
}

/** `--format`: one of `allowed`, the first by default. */
export function formatFlag<F extends string>(value: string | undefined, allowed: readonly [F, ...F[]]): F {
  const format = value ?? allowed[0];
  if ((allowed as readonly string[]).includes(format)) return format as F;
  const choices = allowed.length === 2 ? allowed.join(' or ') : `one of ${allowed.join(', ')}`;
  throw usageError(`--format must be ${choices}, got "${format}"`);
}
