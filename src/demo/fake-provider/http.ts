/** Writing JSON replies and provider-shaped errors with the headers each provider sends. */
import type { ServerResponse } from 'node:http';
import { type ErrorStatus, errorBody, errorHttpStatus } from './errors.js';
import type { Exchange } from './exchange.js';
import type { FakeProviderFamily } from './types.js';

/** Headers each provider puts on every reply; the SDKs surface the request id (`_request_id`). */
export function providerHeaders(family: FakeProviderFamily, requestId: string): Record<string, string> {
  if (family === 'openai') return { 'x-request-id': requestId, 'openai-version': '2020-10-01' };
  if (family === 'anthropic') return { 'request-id': requestId };
  return { 'x-goog-request-id': requestId };
}

export function writeJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendJson(ex: Exchange, body: unknown, family: FakeProviderFamily): void {
  ex.record.status = 200;
  ex.record.outcome = 'completed';
  writeJson(ex.res, 200, body, providerHeaders(family, ex.requestId));
}

export function sendError(
  res: ServerResponse,
  family: FakeProviderFamily,
  status: ErrorStatus,
  requestId: string,
  options: { retryAfterSeconds: number; detail?: string },
): number {
  const httpStatus = errorHttpStatus(family, status);
  const headers = providerHeaders(family, requestId);
  if (status === 429) {
    headers['retry-after'] = String(options.retryAfterSeconds);
    if (family === 'openai') {
      headers['x-ratelimit-limit-requests'] = '60';
      headers['x-ratelimit-remaining-requests'] = '0';
      headers['x-ratelimit-reset-requests'] = `${options.retryAfterSeconds}s`;
    }
  }
  writeJson(res, httpStatus, errorBody(family, status, requestId, options.detail), headers);
  return httpStatus;
}
