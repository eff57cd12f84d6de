/**
 * Every network read of the CLI: one deadline for the whole exchange (a body that trickles
 * forever ends at it), a size limit on the body, credentials kept out of URLs and messages, and
 * one-line `CliError`s for every way it can fail.
 */

import { errorMessage } from '../util/error-message.js';
import { CliError, unreachable } from './errors.js';

/** Where requests go, and how they present themselves. */
export interface Endpoint {
  /** Base URL without credentials and without a trailing slash. */
  url: string;
  /** The URL for messages and titles: credentials replaced by `***`. */
  display: string;
  /** Extra request headers (authorization, --header); never printed. */
  headers: Record<string, string>;
}

export interface ReadLimits {
  /** What is being read, for messages: `Prometheus`, `the metrics endpoint`. */
  what: string;
  /** Deadline for the whole exchange, headers and body, ms. */
  timeoutMs: number;
  /** Largest body accepted, bytes. */
  maxBytes: number;
}

/** Default body limit: env `LLM_COST_CLI_MAX_BODY_BYTES` overrides it. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

export function maxBodyBytes(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.LLM_COST_CLI_MAX_BODY_BYTES;
  if (raw === undefined || raw === '') return DEFAULT_MAX_BODY_BYTES;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    throw new CliError(
      `LLM_COST_CLI_MAX_BODY_BYTES must be a positive whole number of bytes, got "${raw.slice(0, 40)}"`,
      2,
    );
  }
  return n;
}

/** `scheme://user:pass@host` → `scheme://***@host`, anywhere in a text. */
export function redactUrls(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@]*@/gi, '$1***@');
}

export interface Answer {
  status: number;
  text: string;
}

class DeadlineError extends Error {}

/** Send one request to `url` (a URL of `endpoint`) and read the whole answer within the limits. */
export async function readAnswer(
  endpoint: Endpoint,
  url: string,
  init: { method?: string; body?: URLSearchParams; headers?: Record<string, string> },
  limits: ReadLimits,
  fetchImpl: typeof fetch = fetch,
): Promise<Answer> {
  const controller = new AbortController();
  const seconds = `${Math.round(limits.timeoutMs / 100) / 10}s`;
  const timer = setTimeout(() => controller.abort(new DeadlineError()), limits.timeoutMs);
  const display = redactUrls(url.replace(endpoint.url, endpoint.display));
  try {
    let res: Response;
    try {
      res = await fetchImpl(url, {
        method: init.method ?? 'GET',
        body: init.body,
        headers: { ...endpoint.headers, ...init.headers },
        signal: controller.signal,
      });
    } catch (error) {
      if (controller.signal.aborted)
        throw new CliError(`cannot reach ${limits.what} at ${endpoint.display}: timed out after ${seconds}`);
      throw unreachable(limits.what, endpoint.display, error);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = res.body?.getReader();
    try {
      while (reader) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.length;
        if (size > limits.maxBytes) {
          await reader.cancel().catch(() => {});
          throw new CliError(
            `${limits.what} at ${display} sent more than ${limits.maxBytes} bytes; refusing to read on (LLM_COST_CLI_MAX_BODY_BYTES raises the limit)`,
          );
        }
        chunks.push(value);
      }
    } catch (error) {
      if (error instanceof CliError) throw error;
      if (controller.signal.aborted) {
        throw new CliError(
          `${limits.what} at ${display} did not finish its answer within ${seconds} (timed out)`,
        );
      }
      throw new CliError(`${limits.what} at ${display} broke off its answer: ${errorMessage(error)}`);
    }
    return { status: res.status, text: Buffer.concat(chunks).toString('utf8') };
  } finally {
    clearTimeout(timer);
  }
}
