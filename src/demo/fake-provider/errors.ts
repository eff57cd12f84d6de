/**
 * Error bodies in each provider's real shape, with the statuses and headers their SDKs map to
 * their error classes (`RateLimitError`, `InternalServerError`, `ApiError` with `status`).
 */
import type { FakeProviderFamily } from './types.js';

export type ErrorStatus = 400 | 401 | 413 | 429 | 500 | 503;

interface ErrorText {
  openai: { type: string; code: string | null; message: string };
  anthropic: { type: string; message: string };
  gemini: { status: string; message: string };
}

const TEXT: Record<ErrorStatus, ErrorText> = {
  400: {
    openai: {
      type: 'invalid_request_error',
      code: null,
      message: 'Invalid request (forced by the fake provider).',
    },
    anthropic: { type: 'invalid_request_error', message: 'Invalid request (forced by the fake provider).' },
    gemini: { status: 'INVALID_ARGUMENT', message: 'Invalid request (forced by the fake provider).' },
  },
  401: {
    openai: {
      type: 'invalid_request_error',
      code: 'invalid_api_key',
      message: 'Incorrect API key provided.',
    },
    anthropic: { type: 'authentication_error', message: 'invalid x-api-key' },
    gemini: { status: 'UNAUTHENTICATED', message: 'API key not valid. Please pass a valid API key.' },
  },
  413: {
    openai: { type: 'invalid_request_error', code: null, message: 'Request body too large.' },
    anthropic: { type: 'request_too_large', message: 'Request exceeds the maximum allowed number of bytes.' },
    gemini: { status: 'INVALID_ARGUMENT', message: 'Request payload size exceeds the limit.' },
  },
  429: {
    openai: {
      type: 'requests',
      code: 'rate_limit_exceeded',
      message: 'Rate limit reached for requests. Please try again in 1s.',
    },
    anthropic: { type: 'rate_limit_error', message: 'Number of requests has exceeded your rate limit.' },
    gemini: { status: 'RESOURCE_EXHAUSTED', message: 'Resource has been exhausted (e.g. check quota).' },
  },
  500: {
    openai: {
      type: 'server_error',
      code: null,
      message: 'The server had an error while processing your request. Sorry about that!',
    },
    anthropic: { type: 'api_error', message: 'Internal server error' },
    gemini: { status: 'INTERNAL', message: 'An internal error has occurred. Please retry.' },
  },
  503: {
    openai: {
      type: 'server_error',
      code: null,
      message: 'The engine is currently overloaded, please try again later.',
    },
    anthropic: { type: 'overloaded_error', message: 'Overloaded' },
    gemini: { status: 'UNAVAILABLE', message: 'The model is overloaded. Please try again later.' },
  },
};

/** The HTTP status a provider sends: Anthropic says "overloaded" with 529. */
export function errorHttpStatus(family: FakeProviderFamily, status: ErrorStatus): number {
  return family === 'anthropic' && status === 503 ? 529 : status;
}

/** The error body, with `detail` replacing the canned message when given. */
export function errorBody(
  family: FakeProviderFamily,
  status: ErrorStatus,
  requestId: string,
  detail?: string,
) {
  if (family === 'openai') {
    const { type, code, message } = TEXT[status].openai;
    return { error: { message: detail ?? message, type, param: null, code } };
  }
  if (family === 'anthropic') {
    const { type, message } = TEXT[status].anthropic;
    return { type: 'error', error: { type, message: detail ?? message }, request_id: requestId };
  }
  const { status: code, message } = TEXT[status].gemini;
  return { error: { code: status, message: detail ?? message, status: code } };
}

/** The in-stream error event a provider sends when a stream fails after it started. */
export function streamErrorPayload(family: FakeProviderFamily, requestId: string) {
  return errorBody(family, family === 'anthropic' ? 503 : 500, requestId);
}
