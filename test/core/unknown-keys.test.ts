/**
 * A typo in configuration is an error naming the key and the closest valid one — never silently
 * ignored (`register({ budgetsGuard: true })` used to leave the guard off without a word).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { closestKey, editDistance } from '../../src/config/known-keys.js';
import { REGISTER_OPTION_KEYS } from '../../src/config/option-keys.js';
import type { RegisterOptions } from '../../src/config/options.js';
import { resolveOptions } from '../../src/config/resolve.js';
import { LLMCostSpanProcessor } from '../../src/instrumentations/span-processor/index.js';
import { llmCostMiddleware } from '../../src/instrumentations/vercel-ai/index.js';
import { loadPriceOverrides } from '../../src/pricing/overrides.js';

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

const resolve = (options: unknown) => resolveOptions(options as RegisterOptions, {});

describe('editDistance / closestKey', () => {
  it('counts insertions, deletions and substitutions, ignoring case', () => {
    expect(editDistance('budgetsGuard', 'budgetGuard')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('MaxSeries', 'maxSeries')).toBe(0);
  });

  it('picks the nearest valid key', () => {
    expect(closestKey('budgetsGuard', REGISTER_OPTION_KEYS)).toBe('budgetGuard');
    expect(closestKey('promethus', REGISTER_OPTION_KEYS)).toBe('prometheus');
    expect(closestKey('maxseries', REGISTER_OPTION_KEYS)).toBe('maxSeries');
  });
});

describe('register() options', () => {
  it('rejects budgetsGuard, naming budgetGuard', () => {
    const error = errorOf(() => resolve({ budgetsGuard: true }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(
      /^llm-cost-otel: register\(\) options has unknown key "budgetsGuard"; did you mean "budgetGuard"\? \(valid keys: serviceName, /,
    );
  });

  it.each([
    [{ prometheus: { prot: 9465 } }, 'option prometheus has unknown key "prot"; did you mean "port"?'],
    [
      { prometheus: { auth: { bearer: 'x' } } },
      'option prometheus.auth has unknown key "bearer"; did you mean "bearerToken"?',
    ],
    [
      { prometheus: { auth: { basic: { user: 'a', password: 'b' } } } },
      'option prometheus.auth.basic has unknown key "user"; did you mean "username"?',
    ],
    [{ otlp: { interval: 1000 } }, 'option otlp has unknown key "interval"; did you mean "intervalMs"?'],
    [{ cluster: { rol: 'worker' } }, 'option cluster has unknown key "rol"; did you mean "role"?'],
    [{ prices: { files: 'p.json' } }, 'option prices has unknown key "files"; did you mean "file"?'],
  ])('rejects a typo in a nested object: %j', (options, message) => {
    const error = errorOf(() => resolve(options));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain(message);
  });

  it('escapes a hostile key and bounds its length in the message', () => {
    const error = errorOf(() => resolve({ [`\u001b]0;pwned\u0007${'x'.repeat(10_000)}`]: 1 }));
    expect(error.message).toContain('"\\u001b]0;pwned\\u0007xxx');
    expect(error.message).not.toContain('\u001b');
    expect(error.message.length).toBeLessThan(600);
  });

  it('still accepts every documented key', () => {
    const options = resolve({
      serviceName: 's',
      budgetGuard: true,
      openaiStreamUsageHosts: ['llm.internal:8000'],
      prometheus: { server: false, auth: { basic: { username: 'u', password: 'p' } } },
      cluster: { role: 'standalone' },
    });
    expect(options.budgetGuard).toBe(true);
    expect(options.openaiStreamUsageHosts).toEqual(['llm.internal:8000']);
  });
});

describe('budgets and override files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'llm-cost-keys-'));

  it('a budget with limitUSD (in code) names limitUsd', () => {
    const error = errorOf(() => resolve({ budgets: [{ name: 'b', limitUSD: 5, window: '1d' }] }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('budgets[0] has unknown key "limitUSD"; did you mean "limitUsd"?');
  });

  it('a budgets YAML file with "treshold" names thresholds and the file', () => {
    const file = join(dir, 'budgets.yaml');
    writeFileSync(file, '- name: b\n  limitUsd: 5\n  window: 1d\n  tresholds: [0.5]\n');
    const error = errorOf(() => resolve({ budgets: file }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain(`${file}[0] has unknown key "tresholds"; did you mean "thresholds"?`);
  });

  it('LLM_COST_BUDGETS JSON with a typo is rejected the same way', () => {
    const error = errorOf(() =>
      resolveOptions({}, { LLM_COST_BUDGETS: '[{"name":"b","limitUsd":5,"window":"1d","mach":{}}]' }),
    );
    expect(error.message).toContain('LLM_COST_BUDGETS[0] has unknown key "mach"; did you mean "match"?');
  });

  it('a price override file with "outputPerMtoken" names outputPerMTok (a ConfigError)', () => {
    const file = join(dir, 'prices.json');
    writeFileSync(file, '[{"provider":"p","model":"m","inputPerMTok":1,"outputPerMtoken":2}]');
    const error = errorOf(() => loadPriceOverrides(file));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.name).toBe('PriceConfigError');
    expect(error.message).toContain('unknown field "outputPerMtoken"; did you mean "outputPerMTok"?');
  });
});

describe('the span processor and the AI SDK middleware', () => {
  it('LLMCostSpanProcessor rejects maxTrackedSpan, naming maxTrackedSpans', () => {
    const error = errorOf(() => new LLMCostSpanProcessor(undefined, { maxTrackedSpan: 5 } as never));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('has unknown key "maxTrackedSpan"; did you mean "maxTrackedSpans"?');
  });

  it('llmCostMiddleware rejects agnet, naming agent', () => {
    const error = errorOf(() => llmCostMiddleware(undefined, { agnet: 'planner' } as never));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('has unknown key "agnet"; did you mean "agent"?');
  });
});
