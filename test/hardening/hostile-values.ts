/**
 * What the outside world may feed us, as fast-check arbitraries: hostile strings, numbers and
 * counts, usage objects with throwing getters, proxies and cycles, whole LLM calls. Shared by the
 * property-based tests of record() and of the parsers.
 */
import { DiagLogLevel, diag } from '@opentelemetry/api';
import fc from 'fast-check';
import { afterAll, beforeAll, expect } from 'vitest';

// Unknown model names cost a closest-name search each (ms), so record() runs are kept modest.
export const RUNS = Number(process.env.FC_RUNS ?? 300);
export const RECORD_RUNS = Number(process.env.FC_RUNS ?? 120);

/** The library reports bad input through diag; keeps the test output quiet for a test file. */
export function silenceDiag(): void {
  beforeAll(() => {
    diag.setLogger({ error() {}, warn() {}, info() {}, debug() {}, verbose() {} }, DiagLogLevel.ERROR);
  });
  afterAll(() => diag.disable());
}

/** Strings that break naive exposition: quotes, backslashes, newlines, lone surrogates, huge ones. */
export const hostileString = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom(
    '',
    '"',
    '\\',
    '\n',
    '\r\n',
    'a"b\\c\nd',
    '\ud800',
    'x\udfffy',
    '\u0000',
    '}',
    'le="+Inf"',
    '# HELP',
    'acme-1',
    'x'.repeat(100_000),
  ),
);

export const hostileNumber = fc.oneof(
  fc.double(),
  fc.constantFrom(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -1,
    -0,
    1e308,
    2 ** 53 + 1,
    1e-320,
  ),
  fc.integer(),
  fc.nat({ max: 10_000_000 }),
);

/** A count as JSON might bring it: numbers, numeric strings, junk. */
export const hostileCount = fc.oneof(
  hostileNumber,
  fc.constantFrom('100', '-5', 'NaN', '1e400', '', '0x10', null, undefined, true, {}, [], 10n),
);

export function throwingGetters<T extends object>(target: T, keys: string[]): T {
  for (const key of keys) {
    Object.defineProperty(target, key, {
      enumerable: true,
      get() {
        throw new Error(`getter ${key} exploded`);
      },
    });
  }
  return target;
}

// fast-check itself asks generated values for its clone method: answer that one, throw on the rest.
export const explodingProxy = new Proxy(
  {},
  {
    get(_target, key) {
      if (key === fc.cloneMethod) return undefined;
      throw new Error('proxy get');
    },
    has(_target, key) {
      if (key === fc.cloneMethod) return false;
      throw new Error('proxy has');
    },
    ownKeys() {
      throw new Error('proxy ownKeys');
    },
    getOwnPropertyDescriptor() {
      throw new Error('proxy descriptor');
    },
    getPrototypeOf() {
      throw new Error('proxy prototype');
    },
  },
);

export const circular = (() => {
  const o: Record<string, unknown> = { inputTokens: 10, outputTokens: 5 };
  o.self = o;
  o.usage = o;
  return o;
})();

export const usage = fc.oneof(
  fc.record(
    {
      inputTokens: hostileCount,
      outputTokens: hostileCount,
      cacheReadTokens: hostileCount,
      cacheWriteTokens: hostileCount,
      cacheWrite1hTokens: hostileCount,
      reasoningTokens: hostileCount,
    },
    { requiredKeys: [] },
  ),
  fc.anything(),
  fc.constantFrom(explodingProxy, circular),
  fc.constant(null).map(() => throwingGetters({ outputTokens: 1 }, ['inputTokens'])),
);

export const call = fc.record(
  {
    provider: fc.oneof(hostileString, fc.constantFrom('acme', 'openai', 'anthropic'), fc.anything()),
    model: fc.oneof(hostileString, fc.constantFrom('acme-1', 'gpt-4o'), fc.anything()),
    responseModel: fc.oneof(hostileString, fc.anything()),
    agent: fc.oneof(hostileString, fc.anything()),
    operation: hostileString,
    apiOperation: hostileString,
    task: hostileString,
    dimensions: fc.oneof(fc.dictionary(hostileString, hostileString), fc.anything()),
    usage,
    usageMissingReason: fc.oneof(hostileString, fc.anything()),
    durationMs: hostileCount,
    outcome: fc.oneof(fc.constantFrom('success', 'error', 'aborted'), hostileString),
    errorType: fc.oneof(hostileString, fc.anything()),
    costUsd: hostileCount,
    serviceTier: hostileString,
    timestamp: fc.oneof(fc.date(), hostileNumber, fc.anything()),
    span: fc.oneof(fc.constant(null), fc.anything(), fc.constant(explodingProxy)),
  },
  { requiredKeys: [] },
);

export const anyCall = fc.oneof(
  { weight: 6, arbitrary: call },
  { weight: 1, arbitrary: fc.anything() },
  { weight: 1, arbitrary: fc.constantFrom(explodingProxy, circular, null, undefined, 42, 'call') },
  { weight: 1, arbitrary: call.map((c) => throwingGetters(c, ['usage', 'model'])) },
);

/** Every sample line's value is a finite number and the line has the exposition's shape. */
export function expectFiniteExposition(text: string): void {
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const value = line.slice(line.lastIndexOf(' ') + 1);
    expect(Number.isFinite(Number(value)), line.slice(0, 300)).toBe(true);
    expect(line, line.slice(0, 300)).toMatch(/^[a-z_]+(\{.*\})? \S+$/s);
  }
}
