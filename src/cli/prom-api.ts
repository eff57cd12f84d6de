/**
 * A small client for the Prometheus HTTP API (`/api/v1/query`): instant vector queries with the
 * evaluation time made explicit, so what the CLI prints can be reproduced with the same PromQL.
 */
import { CliError } from './errors.js';
import { type Endpoint, maxBodyBytes, readAnswer, redactUrls } from './http-read.js';
import { parseQueryAnswer, type VectorSample } from './prom-answer.js';
import { endpointFor } from './request-auth.js';
import { safeText } from './terminal-text.js';

export type { VectorSample } from './prom-answer.js';

export interface PromClientOptions {
  /** Deadline of each request, answer included, ms. Default 15 000. */
  timeoutMs?: number;
  /** Largest answer accepted, bytes. Default `maxBodyBytes()`. */
  maxBytes?: number;
  fetch?: typeof fetch;
}

/** `http://host:9090/`, `host:9090`, `http://host/prefix` → a base URL without trailing slash. */
export function normalizeBaseUrl(raw: string, flag: string): string {
  const bad = () =>
    new CliError(
      `${flag} must be an http(s) URL like http://127.0.0.1:9090, got "${safeText(redactUrls(raw)).slice(0, 200)}"`,
      2,
    );
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    throw bad();
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw bad();
  return url.toString().replace(/\/+$/, '');
}

/** An endpoint from a string (tests, callers without auth) or as built by `endpointFor`. */
function asEndpoint(base: string | Endpoint): Endpoint {
  return typeof base === 'string' ? endpointFor(base.replace(/\/+$/, ''), {}) : base;
}

export class PromClient {
  /** The base URL as shown to people (credentials redacted). */
  readonly baseUrl: string;
  private readonly endpoint: Endpoint;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly fetchImpl: typeof fetch;

  constructor(base: string | Endpoint, options: PromClientOptions = {}) {
    this.endpoint = asEndpoint(base);
    this.baseUrl = this.endpoint.display;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.maxBytes = options.maxBytes ?? maxBodyBytes();
    this.fetchImpl = options.fetch ?? fetch;
  }

  /** Instant query at `time` (unix seconds). Scalars come back as one sample with no labels. */
  async query(expr: string, time: number): Promise<VectorSample[]> {
    const answer = await this.post('/api/v1/query', { query: expr, time: time.toFixed(3) });
    return parseQueryAnswer(answer.text, answer.status, expr, this.baseUrl);
  }

  /**
   * POST `params` to an API path with the CLI's protections: size limit, deadline, credentials,
   * redacted URLs, a one-line error for a protected endpoint.
   */
  protected async post(
    path: string,
    params: Record<string, string>,
  ): Promise<{ text: string; status: number }> {
    const answer = await readAnswer(
      this.endpoint,
      `${this.endpoint.url}${path}`,
      {
        method: 'POST',
        body: new URLSearchParams(params),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      },
      { what: 'Prometheus', timeoutMs: this.timeoutMs, maxBytes: this.maxBytes },
      this.fetchImpl,
    );
    if (answer.status === 401 || answer.status === 403) {
      throw new CliError(
        `Prometheus at ${this.baseUrl} answered HTTP ${answer.status}: it is protected; use --bearer-token, --basic-auth or --header`,
      );
    }
    return answer;
  }

  /** The single value of a query that yields at most one sample (0 when it yields none). */
  async scalar(expr: string, time: number): Promise<number> {
    const result = await this.query(expr, time);
    return result[0]?.value ?? 0;
  }
}
