/**
 * A small client for the Prometheus HTTP API (`/api/v1/query`): instant vector queries with the
 * evaluation time made explicit, so what the CLI prints can be reproduced with the same PromQL.
 */
import { CliError, unreachable } from './errors.js';

export interface VectorSample {
  metric: Record<string, string>;
  /** The value exactly as Prometheus wrote it. */
  text: string;
  value: number;
}

export interface PromClientOptions {
  /** Per-request timeout, ms. Default 15 000. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** `http://host:9090/`, `host:9090`, `http://host/prefix` → a base URL without trailing slash. */
export function normalizeBaseUrl(raw: string, flag: string): string {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    throw new CliError(`${flag} must be an http(s) URL like http://127.0.0.1:9090, got "${raw}"`, 2);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError(`${flag} must be an http(s) URL like http://127.0.0.1:9090, got "${raw}"`, 2);
  }
  return url.toString().replace(/\/+$/, '');
}

export class PromClient {
  readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(baseUrl: string, options: PromClientOptions = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.fetchImpl = options.fetch ?? fetch;
  }

  /** Instant query at `time` (unix seconds). Scalars come back as one sample with no labels. */
  async query(expr: string, time: number): Promise<VectorSample[]> {
    const url = `${this.baseUrl}/api/v1/query`;
    const body = new URLSearchParams({ query: expr, time: time.toFixed(3) });
    let res: Response;
    try {
      res = await this.fetchImpl(url, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw unreachable('Prometheus', this.baseUrl, error);
    }
    let parsed: {
      status?: string;
      error?: string;
      data?: { resultType?: string; result?: unknown };
    };
    try {
      parsed = (await res.json()) as typeof parsed;
    } catch {
      throw new CliError(
        `${this.baseUrl} did not answer like a Prometheus server (HTTP ${res.status} from /api/v1/query, not JSON)`,
      );
    }
    if (parsed.status !== 'success') {
      throw new CliError(`Prometheus rejected the query ${expr}: ${parsed.error ?? `HTTP ${res.status}`}`);
    }
    const { resultType, result } = parsed.data ?? {};
    if (resultType === 'scalar') {
      const [, text] = result as [number, string];
      return [{ metric: {}, text, value: Number(text) }];
    }
    if (resultType !== 'vector' || !Array.isArray(result)) {
      throw new CliError(`Prometheus answered ${expr} with a ${resultType} result; expected a vector`);
    }
    return (result as Array<{ metric: Record<string, string>; value: [number, string] }>).map((r) => ({
      metric: r.metric,
      text: r.value[1],
      value: Number(r.value[1]),
    }));
  }

  /** The single value of a query that yields at most one sample (0 when it yields none). */
  async scalar(expr: string, time: number): Promise<number> {
    const result = await this.query(expr, time);
    return result[0]?.value ?? 0;
  }
}
