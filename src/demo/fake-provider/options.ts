/** Validates fake provider options up front and fills in the defaults documented in types.ts. */
import type { FakeFaultRates, FakeProviderOptions, FakeRequestInfo } from './types.js';

export const LOOPBACK_HOST = '127.0.0.1';

export interface ResolvedOptions {
  host: string;
  port: number;
  latencyMs: number;
  chunkDelayMs: number;
  slowMs: number;
  outputTokens: (request: FakeRequestInfo) => number;
  promptTokens?: FakeProviderOptions['promptTokens'];
  outputCapFactor: number;
  reasoningTokens: number;
  cacheHitRatio: number;
  cacheWriteRatio: number;
  seed: number;
  faults: Required<FakeFaultRates>;
  responseModels: Record<string, string>;
  cutAfterEvents: number;
  retryAfterSeconds: number;
  maxBodyBytes: number;
  maxConnections: number;
  maxConcurrentRequests: number;
  maxRecordedRequests: number;
  unref: boolean;
}

function count(name: string, value: number | undefined, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) {
    throw new TypeError(`Invalid fake provider option ${name}: ${value} — use an integer ≥ ${min}`);
  }
  return value;
}

function ratio(name: string, value: number | undefined): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new TypeError(`Invalid fake provider option ${name}: ${value} — use a number from 0 to 1`);
  }
  return value;
}

function capFactor(value: number | undefined): number {
  if (value === undefined) return 1;
  if (typeof value !== 'number' || !(value >= 1)) {
    throw new TypeError(
      `Invalid fake provider option outputCapFactor: ${value} — use a number ≥ 1 (Infinity ignores the cap)`,
    );
  }
  return value;
}

export function resolveOptions(options: FakeProviderOptions = {}): ResolvedOptions {
  const host = options.host ?? LOOPBACK_HOST;
  if (host !== LOOPBACK_HOST) {
    throw new TypeError(
      `Invalid fake provider host: ${host} — the fake provider listens on ${LOOPBACK_HOST} only; omit host`,
    );
  }
  const port = count('port', options.port, 0);
  if (port > 65_535) throw new TypeError(`Invalid fake provider option port: ${port} — use 0–65535`);
  const outputTokens = options.outputTokens ?? 20;
  if (typeof outputTokens === 'number') count('outputTokens', outputTokens, 0);
  else if (typeof outputTokens !== 'function') {
    throw new TypeError(
      `Invalid fake provider option outputTokens: ${String(outputTokens)} — use a number or a function`,
    );
  }
  return {
    host,
    port,
    latencyMs: count('latencyMs', options.latencyMs, 0),
    chunkDelayMs: count('chunkDelayMs', options.chunkDelayMs, 0),
    slowMs: count('slowMs', options.slowMs, 1500),
    outputTokens: typeof outputTokens === 'number' ? () => outputTokens : outputTokens,
    promptTokens: options.promptTokens,
    outputCapFactor: capFactor(options.outputCapFactor),
    reasoningTokens: count('reasoningTokens', options.reasoningTokens, 64),
    cacheHitRatio: ratio('cacheHitRatio', options.cacheHitRatio),
    cacheWriteRatio: ratio('cacheWriteRatio', options.cacheWriteRatio),
    seed: count('seed', options.seed, 1),
    faults: {
      rateLimit: ratio('faults.rateLimit', options.faults?.rateLimit),
      serverError: ratio('faults.serverError', options.faults?.serverError),
      cutMidStream: ratio('faults.cutMidStream', options.faults?.cutMidStream),
    },
    responseModels: { ...options.responseModels },
    cutAfterEvents: count('cutAfterEvents', options.cutAfterEvents, 3),
    retryAfterSeconds: count('retryAfterSeconds', options.retryAfterSeconds, 1),
    maxBodyBytes: count('maxBodyBytes', options.maxBodyBytes, 1024 * 1024, 1),
    maxConnections: count('maxConnections', options.maxConnections, 64, 1),
    maxConcurrentRequests: count('maxConcurrentRequests', options.maxConcurrentRequests, 64, 1),
    maxRecordedRequests: count('maxRecordedRequests', options.maxRecordedRequests, 1000),
    unref: options.unref ?? false,
  };
}
