/**
 * Fuzz (fast-check) over the CLI's parsers of network data — `/metrics` text and Prometheus's
 * `/api/v1/query` JSON — and what it renders from them: whatever arrives, the only exception is
 * the CLI's own one-line `CliError` (no TypeError, no RangeError), and nothing printed carries a
 * raw control character.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createColors } from '../../src/cli/colors.js';
import { CliError } from '../../src/cli/errors.js';
import { parseExposition, sumBy } from '../../src/cli/metrics-text.js';
import { parseQueryAnswer } from '../../src/cli/prom-answer.js';
import { csvTextCell, safeText } from '../../src/cli/terminal-text.js';
import { renderTop } from '../../src/cli/top-render.js';
import { MetricsSource } from '../../src/cli/top-sources.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding raw control characters is the test
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Runs `fn`; an exception must be a CliError whose message is one line. */
function onlyCliErrors<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    expect(safeText(error.message).includes('\n')).toBe(false);
    return undefined;
  }
}

/** Text that looks like exposition often enough to reach deep into the parser. */
const labelName = fc.constantFrom(
  'gen_ai_agent_name',
  'gen_ai_provider_name',
  'llm_outcome',
  '__proto__',
  'constructor',
  'x',
);
const hostileString = fc.oneof(
  fc.string({ unit: 'grapheme-composite' }),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('\u001b]0;t\u0007', '\u009b2J', '"', '\\', '\\"', '\n', '=1+1', '@x', '\u202e'),
);
const sampleLine = fc
  .tuple(
    fc.constantFrom('llm_cost_usd_total', 'llm_requests_total', 'llm_budget_limit_usd', 'x'),
    fc.array(fc.tuple(labelName, hostileString), { maxLength: 4 }),
    fc.oneof(fc.double().map(String), fc.constantFrom('NaN', '+Inf', '-Inf', '1e308', '', 'abc', '0x1')),
  )
  .map(
    ([name, labels, value]) =>
      `${name}{${labels.map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',')}} ${value}`,
  );
const metricsText = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc
    .array(fc.oneof(sampleLine, fc.string(), fc.constant('# HELP x y')), { maxLength: 30 })
    .map((l) => l.join('\n')),
);

describe('/metrics text', () => {
  it('parses or throws a one-line CliError; top renders what parses without raw control characters', async () => {
    await fc.assert(
      fc.asyncProperty(metricsText, async (text) => {
        const samples = onlyCliErrors(() => parseExposition(text));
        if (samples) sumBy(samples, 'llm_cost_usd_total', ['gen_ai_agent_name', 'constructor']);
        const source = new MetricsSource('http://127.0.0.1:1/metrics', async () => text);
        let snapshot: Awaited<ReturnType<MetricsSource['snapshot']>> | undefined;
        try {
          snapshot = await source.snapshot();
        } catch (error) {
          if (!(error instanceof CliError)) throw error;
        }
        if (snapshot) {
          const screen = renderTop(snapshot, { colors: createColors(false), sort: 'cost', width: 100 });
          expect(screen).not.toMatch(RAW_CONTROL);
        }
      }),
      { numRuns: 300 },
    );
  });
});

/** JSON of every shape, and answers shaped like Prometheus's with hostile parts. */
const anyJson = fc.jsonValue();
const promLike = fc.record(
  {
    status: fc.oneof(fc.constant('success'), fc.constant('error'), anyJson),
    error: fc.oneof(hostileString, anyJson),
    data: fc.oneof(
      anyJson,
      fc.record(
        {
          resultType: fc.oneof(fc.constantFrom('vector', 'scalar', 'matrix'), anyJson),
          result: fc.oneof(
            anyJson,
            fc.array(
              fc.record(
                {
                  metric: fc.oneof(fc.dictionary(labelName, fc.oneof(hostileString, anyJson)), anyJson),
                  value: fc.oneof(
                    fc.tuple(fc.double(), fc.oneof(hostileString, fc.double().map(String), anyJson)),
                    anyJson,
                  ),
                },
                { requiredKeys: [] },
              ),
              { maxLength: 5 },
            ),
          ),
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: [] },
);

describe('Prometheus /api/v1/query JSON', () => {
  it('parses to numbers with string labels, or throws a one-line CliError', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          promLike.map((v) => JSON.stringify(v)),
          fc.string({ unit: 'binary' }),
        ),
        fc.integer(),
        (body, status) => {
          const samples = onlyCliErrors(() => parseQueryAnswer(body, status, 'sum(x)', 'http://p:9090'));
          for (const s of samples ?? []) {
            expect(typeof s.value).toBe('number');
            for (const v of Object.values(s.metric)) expect(typeof v).toBe('string');
            expect(csvTextCell(s.metric.gen_ai_agent_name ?? '')).not.toMatch(RAW_CONTROL);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
