/**
 * Alerting rules. Each has `severity`, `summary`, a templated `description` (money as `$%.2f`,
 * looked up from the recording rules with `query`), a `runbook_url` into docs/runbook.md, and `for:`.
 */
import { LABEL, METRIC } from '../../src/metrics/names.js';
import type { BudgetWindow, Duration, RulesConfig, Severity } from './config.js';
import { dashboardUrl } from './dashboard-links.js';
import { type AlertingRule, by, increaseWithFirstSeen, on, type RuleGroup, select } from './promql.js';
import { budgetLabels, budgetWindowLabels, LEVEL, type RecordNames, recordNames } from './record-names.js';
import { burnWindows } from './recording.js';

const label = (name: string): string => `{{ $labels.${name} }}`;
const BUDGET = label(LABEL.budgetName);
const WINDOW = label(LABEL.budgetWindow);

/**
 * A Go-template pipeline that queries `name{label="<this alert's value>",…,<fixed>}<suffix>`;
 * `nameArgs` fill `%s` verbs in the name (e.g. the window suffix), label values are quoted with `%q`.
 */
function lookup(
  name: string,
  labels: readonly string[],
  { nameArgs = [], fixed = [], suffix = '' }: { nameArgs?: string[]; fixed?: string[]; suffix?: string } = {},
): string {
  const matchers = [...labels.map((l) => `${l}=%q`), ...fixed].join(',');
  const args = [...nameArgs, ...labels.map((l) => `$labels.${l}`)].join(' ');
  return `printf \`${name}{${matchers}}${suffix}\` ${args}`;
}

const money = (pipeline: string): string =>
  `{{ with ${pipeline} | query }}{{ . | first | value | printf "$%.2f" }}{{ end }}`;

const percent = (ratio: number): string => `${Number((ratio * 100).toFixed(2))}%`;
const usd = (amount: number): string => `$${amount.toFixed(2)}`;

/** Template lookups of a budget's figures, for the alert's own budget labels. */
function budgetTemplates(cfg: RulesConfig, RECORD: RecordNames) {
  const budget = budgetLabels(cfg);
  return {
    limit: money(lookup(RECORD.budgetLimit, budgetWindowLabels(cfg))),
    limitOf: (window: BudgetWindow): string =>
      money(lookup(RECORD.budgetLimit, budget, { fixed: [`${LABEL.budgetWindow}="${window}"`] })),
    spendPerHour: (rateWindow: Duration): string =>
      money(lookup(RECORD.budgetRate(rateWindow), budget, { suffix: ' * 3600' })),
    /** The spend record's name carries the window, so the template fills it in from the alert's label. */
    spent: money(
      lookup(RECORD.budgetIncrease('%s' as Duration), budget, {
        nameArgs: [`$labels.${LABEL.budgetWindow}`],
      }),
    ),
    usage: `{{ with ${lookup(RECORD.budgetUsage, budgetWindowLabels(cfg))} | query }}{{ . | first | value | humanizePercentage }}{{ end }}`,
    who: budget
      .filter((l) => l !== LABEL.budgetName)
      .map((l) => `${l} ${label(l)}`)
      .join(', '),
  };
}

interface AlertSpec {
  alert: string;
  severity: Severity;
  for: Duration;
  expr: string;
  summary: string;
  description: string;
  labels?: Record<string, string>;
}

function alert(cfg: RulesConfig, spec: AlertSpec): AlertingRule {
  return {
    alert: spec.alert,
    expr: spec.expr,
    for: spec.for,
    labels: { severity: spec.severity, ...spec.labels },
    annotations: {
      summary: spec.summary,
      description: spec.description,
      runbook_url: `${cfg.runbookBaseUrl}#${spec.alert.toLowerCase()}`,
      dashboard_url: dashboardUrl(cfg, spec.alert),
    },
  };
}

/** Which of a budget's thresholds a tier takes, in words. */
function range(from: number, next: number | undefined): string {
  if (next === undefined) return `from ${percent(from)}`;
  return from <= 0 ? `below ${percent(next)}` : `from ${percent(from)} to under ${percent(next)}`;
}

function budgetAlerts(cfg: RulesConfig): RuleGroup<AlertingRule> {
  const RECORD = recordNames(cfg);
  const t = budgetTemplates(cfg, RECORD);
  const tiers = [...cfg.budget.tiers].sort((a, b) => a.from - b.from);
  const tierAlerts = tiers.map((tier, i) => {
    const next = tiers[i + 1]?.from;
    const atLimit = tier.from >= 1;
    const expr = atLimit
      ? `${RECORD.budgetUsage} >= 1`
      : `${RECORD.budgetThresholdReached} >= ${tier.from}${next === undefined ? '' : ` < ${next}`}`;
    const passed = atLimit ? 'has used up' : 'has passed its {{ $value | humanizePercentage }} threshold of';
    return alert(cfg, {
      ...tier,
      expr,
      summary: `LLM budget ${BUDGET} ${passed} its ${WINDOW} limit.`,
      description:
        `Budget ${BUDGET} (${t.who}) spent ${t.spent} of its ${t.limit} limit over the last ${WINDOW}: ${t.usage} ` +
        `across all instances (${atLimit ? 'pages at 100%' : `alerts at the budget's own thresholds ${range(tier.from, next)}`}).`,
    });
  });

  const burns = cfg.budget.burn.map((b) =>
    alert(cfg, {
      ...b,
      expr: `${RECORD.budgetBurnRate(b.longWindow)} > ${b.factor}\nand\n${RECORD.budgetBurnRate(b.shortWindow)} > ${b.factor}`,
      summary: `LLM budget ${BUDGET} is spending over ${b.factor}× the pace its ${WINDOW} limit allows.`,
      description:
        `Budget ${BUDGET} (${t.who}) spent ${t.spendPerHour(b.longWindow)}/h over the last ${b.longWindow}: ` +
        `{{ $value | printf "%.1f" }}× the pace that would use its whole ${t.limit} limit over ${WINDOW} ` +
        `(alerts above ${b.factor}× over both ${b.longWindow} and ${b.shortWindow}; ` +
        `covers ${burnWindows(cfg, b.longWindow, b.factor).join(', ')} budgets).`,
    }),
  );

  const p = cfg.budget.projection;
  const projection = alert(cfg, {
    ...p,
    expr: `${RECORD.budgetProjected(p.window)}\n  > ${on(budgetLabels(cfg))}\n${RECORD.budgetLimit}{${LABEL.budgetWindow}="${p.window}"}`,
    summary: `LLM budget ${BUDGET} is on track to overrun its ${p.window} limit.`,
    description:
      `At the last ${p.lookback}'s pace, budget ${BUDGET} (${t.who}) would spend ` +
      `{{ $value | printf "$%.2f" }} over a full ${p.window} window, above its ${t.limitOf(p.window)} limit; ` +
      `${money(lookup(RECORD.budgetIncrease(p.window), budgetLabels(cfg)))} spent in the last ${p.window}.`,
    labels: { [LABEL.budgetWindow]: p.window },
  });
  return { name: 'llm-cost.budget.alerts', rules: [...tierAlerts, ...burns, projection] };
}

function spendAlerts(cfg: RulesConfig): RuleGroup<AlertingRule> {
  const RECORD = recordNames(cfg);
  const s = cfg.spike;
  const rate = RECORD.costRate(s.by, s.window);
  const baseline = RECORD.costRateBaseline(s.by, s.window);
  const who = s.by.map((l) => `${l}="${label(l)}"`).join(', ');
  const spike = alert(cfg, {
    ...s,
    expr: `${rate} * 3600 > ${s.floorUsdPerHour}\nand\n${rate} > ${s.factor} * ${baseline}`,
    summary: `LLM spend of ${who} jumped over ${s.factor}× its usual rate.`,
    description:
      `Spend of ${who} was {{ $value | printf "$%.2f" }}/h over the last ${s.window}, over ${s.factor}× its baseline of ` +
      `${money(lookup(baseline, s.by, { suffix: ' * 3600' }))}/h (the largest of the same hour ${s.seasons.join(' and ')} ago and the ${s.baselineWindow} average). ` +
      `Spend under ${usd(s.floorUsdPerHour)}/h never alerts.`,
  });

  const u = cfg.unpriced;
  const unpriced = select(cfg, METRIC.unpricedRequests);
  const unpricedAlert = alert(cfg, {
    ...u,
    // The first unpriced call is the one that creates the series: counted by first-seen logic.
    expr: `sum ${by(LEVEL.PROVIDER_MODEL)} (\n  ${increaseWithFirstSeen(cfg, unpriced, u.window)}\n) > 0`,
    summary: `LLM calls to an unpriced model: their cost is not counted.`,
    description:
      `{{ $value | printf "%.0f" }} request(s) to ${label(LABEL.provider)} model ${label(LABEL.model)} in the last ${u.window} ` +
      `had no price, so their cost is missing from spend, budgets and these alerts.`,
  });
  return { name: 'llm-cost.spend.alerts', rules: [spike, unpricedAlert] };
}

function reliabilityAlerts(cfg: RulesConfig): RuleGroup<AlertingRule> {
  const RECORD = recordNames(cfg);
  const w = cfg.ratioWindow;
  const m = cfg.usageMissing;
  const providerModel = `${label(LABEL.provider)} model ${label(LABEL.model)}`;
  const enough = (record: string, labels: readonly string[], min: number) =>
    `\nand ${on(labels)}\n${record} >= ${min}`;
  const usageMissing = alert(cfg, {
    ...m,
    expr: `${RECORD.usageMissingRatio(w)} > ${m.ratio}${enough(RECORD.modelRequestIncrease(w), LEVEL.PROVIDER_MODEL, m.minRequests)}`,
    summary: `LLM responses without token usage: their cost is not counted.`,
    description:
      `{{ $value | humanizePercentage }} of requests to ${providerModel} over the last ${w} reported no token usage, ` +
      `so their cost is missing (alerts above ${percent(m.ratio)} from ${m.minRequests} requests).`,
  });
  const e = cfg.errors;
  const errors = e.tiers.map((tier) =>
    alert(cfg, {
      ...tier,
      alert: e.alert,
      expr: `${RECORD.errorRatio(w)} > ${tier.ratio}${enough(RECORD.requestIncrease(w), LEVEL.PROVIDER, e.minRequests)}`,
      summary: `LLM provider ${label(LABEL.provider)} is failing over ${percent(tier.ratio)} of requests.`,
      description:
        `{{ $value | humanizePercentage }} of requests to ${label(LABEL.provider)} failed over the last ${w} ` +
        `(${tier.severity} above ${percent(tier.ratio)} from ${e.minRequests} requests).`,
    }),
  );
  const l = cfg.latency;
  const q = `p${Math.round(l.quantile * 100)}`;
  const latency = alert(cfg, {
    ...l,
    expr: `${RECORD.latencyQuantile}{quantile="${l.quantile}"} > ${l.thresholdSeconds}${enough(RECORD.successIncrease(w), LEVEL.PROVIDER_MODEL, l.minRequests)}`,
    summary: `LLM ${q} latency of ${providerModel} is over ${l.thresholdSeconds}s.`,
    description: `The ${q} latency of successful requests to ${providerModel} over the last ${w} is {{ $value | humanizeDuration }} (alerts above ${l.thresholdSeconds}s from ${l.minRequests} requests).`,
  });
  return { name: 'llm-cost.reliability.alerts', rules: [usageMissing, ...errors, latency] };
}

function instrumentationAlerts(cfg: RulesConfig): RuleGroup<AlertingRule> {
  const t = cfg.targets;
  const target = ['job', 'instance'];
  // Per target, not per job: a redis exporter down in a shared `kubernetes-pods` job is not ours.
  const present = `group ${by(target)} (present_over_time(${select(cfg, t.presenceMetric)}[${t.presenceLookback}]))`;
  const down = alert(cfg, {
    alert: t.downAlert,
    severity: t.severity,
    for: t.downFor,
    expr: `${select(cfg, 'up')} == 0\nand ${on(target)}\n${present}`,
    summary: `LLM cost metrics target {{ $labels.instance }} is down.`,
    description:
      `Prometheus has failed to scrape {{ $labels.instance }} (job {{ $labels.job }}) for ${t.downFor}; it exported ` +
      `${t.presenceMetric} in the last ${t.presenceLookback}. Its LLM spend is invisible to budget alerts until scrapes succeed.`,
  });
  const absent = alert(cfg, {
    alert: t.absentAlert,
    severity: t.severity,
    for: t.absentFor,
    expr: `(\n  ${present}\n  unless ${on(target)}\n  ${select(cfg, t.presenceMetric)}\n)\nand ${on(target)}\n${select(cfg, 'up')} == 1`,
    summary: `LLM cost metrics are gone from {{ $labels.instance }}.`,
    description:
      `{{ $labels.instance }} (job {{ $labels.job }}) exported ${t.presenceMetric} in the last ${t.presenceLookback} and is still scraped, ` +
      `but has not exposed it for ${t.absentFor}: the instrumentation is gone and its LLM spend is not counted.`,
  });
  const wd = cfg.watchdog;
  const watchdog = alert(cfg, {
    ...wd,
    expr: 'vector(1)',
    summary: 'Always firing: proves the LLM cost alerting pipeline works.',
    description:
      'This alert always fires. Alertmanager sends it to a heartbeat receiver; if the heartbeat stops, ' +
      'Prometheus, its rules or Alertmanager are broken and no LLM cost alert would reach anyone.',
  });
  return { name: 'llm-cost.instrumentation.alerts', rules: [down, absent, watchdog] };
}

/** The price catalog in use is older than `maxAgeDays`: costs may be computed from old prices. */
function pricingAlerts(cfg: RulesConfig): RuleGroup<AlertingRule> {
  const c = cfg.priceCatalog;
  const stale = alert(cfg, {
    ...c,
    expr: `(time() - ${select(cfg, METRIC.priceCatalogTimestamp)}) / 86400 > ${c.maxAgeDays}`,
    summary: `LLM price catalog of {{ $labels.instance }} is over ${c.maxAgeDays} days old.`,
    description:
      `{{ $labels.instance }} (job {{ $labels.job }}) prices LLM calls with catalog data that is {{ $value | printf "%.0f" }} days old ` +
      `(alerts above ${c.maxAgeDays}): new models may be unpriced or approximate and changed prices missed.`,
  });
  return { name: 'llm-cost.pricing.alerts', rules: [stale] };
}

export function alertingRuleGroups(cfg: RulesConfig): RuleGroup<AlertingRule>[] {
  return [
    budgetAlerts(cfg),
    spendAlerts(cfg),
    reliabilityAlerts(cfg),
    instrumentationAlerts(cfg),
    pricingAlerts(cfg),
  ];
}

/** Every distinct alert name, in file order (the runbook has one section per name). */
export function alertNames(cfg: RulesConfig): string[] {
  return [...new Set(alertingRuleGroups(cfg).flatMap((g) => g.rules.map((r) => r.alert)))];
}
