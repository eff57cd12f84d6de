/** The CLI's pure parts: exposition parsing, the top screen, durations, the workload plan, export windows. */
import { describe, expect, it } from 'vitest';
import { createColors } from '../../src/cli/colors.js';
import { parseDuration, parseTime, promDuration } from '../../src/cli/durations.js';
import { exportQueries, planExport } from '../../src/cli/export-plan.js';
import { parseExposition, sumBy, sumOf } from '../../src/cli/metrics-text.js';
import { budgetLevel, nextSort, renderTop, type TopSnapshot } from '../../src/cli/top-render.js';
import { AGENTS, planCall, UNPRICED_MODEL } from '../../src/demo/workload-plan.js';

describe('parseExposition', () => {
  it('reads names, escaped label values and special floats', () => {
    const samples = parseExposition(
      [
        '# HELP x_total A counter.',
        '# TYPE x_total counter',
        'x_total{a="q\\"uote",b="back\\\\slash",c="new\\nline"} 1.5',
        'x_total{a="2"} 2.5e-3',
        'y NaN',
        'z{le="+Inf"} +Inf 1700000000000',
      ].join('\n'),
    );
    expect(samples[0]).toEqual({
      name: 'x_total',
      labels: { a: 'q"uote', b: 'back\\slash', c: 'new\nline' },
      value: 1.5,
    });
    expect(sumOf(samples, 'x_total')).toBe(1.5025);
    expect(Number.isNaN(samples[2]!.value)).toBe(true);
    expect(samples[3]).toEqual({ name: 'z', labels: { le: '+Inf' }, value: Infinity });
    expect([...sumBy(samples, 'x_total', ['a']).values()].map((g) => [g.labels.a, g.value])).toEqual([
      ['q"uote', 1.5],
      ['2', 0.0025],
    ]);
  });

  it('names the line it cannot read', () => {
    expect(() => parseExposition('ok 1\n<html>')).toThrow('line 2 is not Prometheus exposition text: <html>');
  });
});

const snapshot: TopSnapshot = {
  source: 'http://127.0.0.1:9464/metrics',
  at: new Date('2025-05-01T12:00:00Z'),
  totalUsd: 10,
  totalScope: 'since the process started',
  usdPerHour: 2,
  rateScope: 'over the last 1m',
  requests: 100,
  errorRate: 0.1,
  errorScope: 'over the last 1m',
  unpricedRequests: 1,
  budgets: [
    { name: 'low', window: '1d', spentUsd: 1, limitUsd: 10 },
    { name: 'mid', window: '1d', spentUsd: 8, limitUsd: 10 },
    { name: 'high', window: '7d', spentUsd: 9.5, limitUsd: 10 },
  ],
  agents: [
    { name: 'a', costUsd: 2, requests: 60, errors: 0 },
    { name: 'b', costUsd: 8, requests: 40, errors: 10 },
  ],
  models: [],
};

describe('renderTop', () => {
  it('prints totals, the 24 h projection and budget states without escapes when colours are off', () => {
    const text = renderTop(snapshot, { colors: createColors(false) });
    expect(text).not.toContain('\u001b');
    expect(text).toMatch(/^Total spend\s+\$10\.0000 {2}since the process started$/m);
    expect(text).toMatch(/^Spend rate\s+\$2\.0000\/h {2}over the last 1m$/m);
    expect(text).toMatch(/^Projection\s+\$48\.0000\/day {2}24 h at the current rate$/m);
    expect(text).toMatch(/^Requests\s+100 {2}errors 10\.0% over the last 1m {2}unpriced 1$/m);
    expect(text).toMatch(/^ {2}low .*10\.0% {2}\$1\.0000 of \$10\.0000 {2}ok$/m);
    expect(text).toMatch(/^ {2}mid .*80\.0% .*OVER 80%$/m);
    expect(text).toMatch(/^ {2}high .*95\.0% .*OVER 95%$/m);
    expect(text).toContain('(no calls yet)');
  });

  it('colours budget bars green, yellow, red by the fraction used', () => {
    const text = renderTop(snapshot, { colors: createColors(true) });
    const line = (name: string) => text.split('\n').find((l) => l.startsWith(`  ${name} `))!;
    expect(line('low')).toContain('\u001b[32m');
    expect(line('mid')).toContain('\u001b[33m');
    expect(line('high')).toContain('\u001b[31m');
    expect([0.79, 0.8, 0.95].map(budgetLevel)).toEqual(['ok', 'warning', 'critical']);
  });

  it('sorts the tables by cost, requests or name', () => {
    const order = (sort: 'cost' | 'requests' | 'name') =>
      renderTop(snapshot, { colors: createColors(false), sort })
        .split('\n')
        .filter((l) => /^ {2}[ab] /.test(l))
        .map((l) => l.trim()[0]);
    expect(order('cost')).toEqual(['b', 'a']);
    expect(order('requests')).toEqual(['a', 'b']);
    expect(order('name')).toEqual(['a', 'b']);
    expect([nextSort('cost'), nextSort('requests'), nextSort('name')]).toEqual(['requests', 'name', 'cost']);
  });
});

describe('durations and times', () => {
  it('parses and prints PromQL-style durations', () => {
    expect(parseDuration('1h30m', '--x')).toBe(5_400_000);
    expect(parseDuration('250ms', '--x')).toBe(250);
    expect(parseDuration('2', '--x')).toBe(2000);
    expect(() => parseDuration('2 minutes', '--range')).toThrow(
      '--range must be a duration like 30s, 5m, 1h30m or 7d',
    );
    expect([
      promDuration(604_800_000),
      promDuration(86_400_000),
      promDuration(5_400_000),
      promDuration(1500),
    ]).toEqual(['1w', '1d', '90m', '1500ms']);
  });

  it('parses now, now-<dur>, dates and unix seconds', () => {
    const now = Date.parse('2025-05-02T00:00:00Z');
    expect(parseTime('now', '--to', now)).toBe(now / 1000);
    expect(parseTime('now-1d', '--to', now)).toBe(now / 1000 - 86_400);
    expect(parseTime('2025-05-01', '--to', now)).toBe(now / 1000 - 86_400);
    expect(parseTime('1746057600', '--to', now)).toBe(1746057600);
    expect(() => parseTime('yesterday', '--from')).toThrow('--from must be a time like now');
  });
});

describe('the workload plan', () => {
  it('is a function of (seed, seq)', () => {
    expect(planCall(3, 42)).toEqual(planCall(3, 42));
    expect(planCall(3, 42)).not.toEqual(planCall(4, 42));
  });

  it('visits every agent in its first calls, without faults', () => {
    const first = AGENTS.map((_, seq) => planCall(1, seq));
    expect(first.map((c) => c.agent)).toEqual([...AGENTS]);
    expect(first.every((c) => c.fault === undefined && c.abortAfterEvents === undefined)).toBe(true);
  });

  it('mixes providers, streaming, caching, reasoning, faults and an unpriced model', () => {
    const calls = Array.from({ length: 1000 }, (_, seq) => planCall(1, seq));
    const apis = new Set(calls.map((c) => c.api));
    expect(apis.size).toBe(5);
    expect(calls.filter((c) => c.model === UNPRICED_MODEL).map((c) => c.seq)).toEqual(
      Array.from({ length: 20 }, (_, i) => 7 + 50 * i),
    );
    const share = (f: (c: (typeof calls)[number]) => boolean) => calls.filter(f).length / calls.length;
    expect(share((c) => c.stream)).toBeGreaterThan(0.2);
    expect(share((c) => c.usage.cacheRead > 0)).toBeGreaterThan(0.2);
    expect(share((c) => c.usage.reasoning > 0)).toBeGreaterThan(0.1);
    expect(share((c) => c.fault === 'error-429')).toBeGreaterThan(0.01);
    expect(share((c) => c.fault === 'cut-mid-stream')).toBeGreaterThan(0);
    expect(share((c) => c.abortAfterEvents !== undefined)).toBeGreaterThan(0);
  });
});

describe('export windows and queries', () => {
  const now = Date.parse('2025-05-08T00:00:00Z');

  it('one window for --range, ending at --to', () => {
    const plan = planExport({ range: '7d', by: 'agent,team' }, now);
    expect(plan.windows).toEqual([{ from: now / 1000 - 7 * 86_400, to: now / 1000 }]);
    expect(plan.labels).toEqual(['gen_ai_agent_name', 'team']);
    expect(exportQueries(plan.labels, 7 * 86_400)).toEqual({
      cost: 'sum by (gen_ai_agent_name, team) (increase(llm_cost_usd_total[1w]))',
      tokens: 'sum by (gen_ai_agent_name, team) (increase(llm_tokens_total[1w]))',
      requests: 'sum by (gen_ai_agent_name, team) (increase(llm_requests_total[1w]))',
    });
  });

  it('--step windows end at --to; the first may be shorter', () => {
    const plan = planExport({ from: '2025-05-07T10:00:00Z', to: '2025-05-08T00:00:00Z', step: '6h' }, now);
    expect(plan.windows.map((w) => (w.to - w.from) / 3600)).toEqual([2, 6, 6]);
    expect(plan.windows.at(-1)!.to).toBe(now / 1000);
  });

  it('rejects contradictions up front', () => {
    expect(() => planExport({ range: '1d', from: 'now-2d' }, now)).toThrow(
      'give --range or --from, not both',
    );
    expect(() => planExport({ from: 'now', to: 'now-1h' }, now)).toThrow('--from must be before --to');
    expect(() => planExport({ by: 'agent,agent' }, now)).toThrow('--by names a dimension twice');
  });
});
