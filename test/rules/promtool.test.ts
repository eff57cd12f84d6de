import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { config } from '../../prometheus/src/config.js';
import { seconds } from '../../prometheus/src/promql.js';
import { alertingRuleGroups, alertNames, RULE_FILES } from '../../prometheus/src/rules.js';
import { FIXTURES_DIR, PROMETHEUS_DIR, RULES_DIR, RUNBOOK, run } from './support.js';

const fixtures = readdirSync(FIXTURES_DIR).filter((f) => f.endsWith('.test.yml'));
const alertRules = alertingRuleGroups(config).flatMap((g) => g.rules);

describe('promtool check', () => {
  it.each(Object.values(RULE_FILES))('accepts prometheus/rules/%s', (name) => {
    const result = run('promtool', ['check', 'rules', join(RULES_DIR, name)]);
    expect(result.status, result.output).toBe(0);
  });

  it('accepts prometheus/prometheus.yml and the rule files it loads', () => {
    const result = run('promtool', ['check', 'config', join(PROMETHEUS_DIR, 'prometheus.yml')]);
    expect(result.status, result.output).toBe(0);
    for (const name of Object.values(RULE_FILES)) expect(result.output).toContain(`rules/${name}`);
  });
});

describe('promtool test rules', () => {
  it('has fixtures', () => {
    expect(fixtures.length).toBeGreaterThan(0);
  });

  // promtool evaluates every group at every step: a file that checks tile-based figures (budget
  // windows, projection, spike) at a finer step would count each 5m tile several times.
  it.each([
    'budget-thresholds.test.yml',
    'budget-projection.test.yml',
    'spike.test.yml',
    'budget-tiles.test.yml',
  ])('%s steps at the tile interval', (file) => {
    const doc = parse(readFileSync(join(FIXTURES_DIR, file), 'utf8'));
    expect(doc.evaluation_interval).toBe(config.tile);
  });

  // Days of simulated samples take promtool seconds of CPU; be patient on a busy machine.
  it.each(fixtures)('test/fixtures/rules/%s passes', { timeout: 150_000 }, (file) => {
    const result = run('promtool', ['test', 'rules', join(FIXTURES_DIR, file)], { timeoutMs: 140_000 });
    expect(result.status, result.output).toBe(0);
    expect(result.stdout).toContain('SUCCESS');
  });
});

interface AlertTest {
  eval_time: string;
  alertname: string;
  exp_alerts?: { exp_labels?: Record<string, string>; exp_annotations?: Record<string, string> }[];
}

const DURATION = /^(\d+)([smhd])$/;
const minutes = (d: string) => {
  if (!DURATION.test(d)) throw new Error(`unexpected eval_time ${d}`);
  return seconds(d as `${number}m`);
};
const key = (labels: Record<string, string> = {}) => JSON.stringify(Object.entries(labels).sort());

/**
 * Every (alert, severity) the rules define needs a boundary pair in one test group: an expected
 * firing alert at t, and at t − evaluation_interval the same alert (same labels) not yet firing.
 */
function boundaryPairs(): Set<string> {
  const covered = new Set<string>();
  for (const file of fixtures) {
    const doc = parse(readFileSync(join(FIXTURES_DIR, file), 'utf8'));
    const step = minutes(doc.evaluation_interval ?? '1m');
    for (const group of doc.tests as { alert_rule_test?: AlertTest[] }[]) {
      const tests = group.alert_rule_test ?? [];
      for (const later of tests) {
        for (const firing of later.exp_alerts ?? []) {
          const before = tests.find(
            (t) =>
              t.alertname === later.alertname && minutes(t.eval_time) === minutes(later.eval_time) - step,
          );
          const stillQuiet =
            before && !(before.exp_alerts ?? []).some((a) => key(a.exp_labels) === key(firing.exp_labels));
          const annotated = Object.keys(firing.exp_annotations ?? {})
            .sort()
            .join();
          if (stillQuiet && annotated === 'dashboard_url,description,runbook_url,summary') {
            covered.add(`${later.alertname}/${firing.exp_labels?.severity}`);
          }
        }
      }
    }
  }
  return covered;
}

describe('every alert', () => {
  const covered = boundaryPairs();
  const runbook = readFileSync(RUNBOOK, 'utf8');

  it.each(alertRules.map((r) => [`${r.alert}/${r.labels.severity}`, r] as const))(
    '%s is tested on both sides of its for: with exact labels and annotations',
    (id) => {
      expect([...covered]).toContain(id);
    },
  );

  it.each(alertRules.map((r) => [r.alert, r] as const))(
    '%s has severity, summary, description, runbook section',
    (name, rule) => {
      expect(['critical', 'warning', 'info']).toContain(rule.labels.severity);
      expect(rule.annotations.summary.length).toBeGreaterThan(0);
      // The Watchdog says the same thing every time; every other description names what it saw.
      if (name !== config.watchdog.alert) expect(rule.annotations.description).toMatch(/\{\{/);
      expect(rule.annotations.runbook_url).toBe(`${config.runbookBaseUrl}#${name.toLowerCase()}`);
      expect(rule.annotations.dashboard_url).toMatch(
        new RegExp(`^${config.grafanaUrl}/d/llm-cost-[a-z]+\\?viewPanel=\\d+$`),
      );
      expect(runbook).toMatch(new RegExp(`^## ${name}$`, 'm'));
      expect(seconds(rule.for)).toBeGreaterThan(0);
    },
  );

  it('has exactly one runbook section each, in rule order', () => {
    const sections = [...runbook.matchAll(/^## (LLM\w+)$/gm)].map((m) => m[1]);
    expect(sections).toEqual(alertNames(config));
  });
});
