/**
 * Alerting rules. Each has `severity`, `summary`, a templated `description` (money as `$%.2f`,
 * looked up from the recording rules with `query`), a `runbook_url` into docs/runbook.md, and `for:`.
 */
import { LABEL, METRIC } from '../../src/metrics/names.js';
import type { BudgetWindow, Duration, RulesConfig, Severity } from './config.js';
import { type AlertingRule, by, LEVEL, RECORD, type RuleGroup, select } from './promql.js';
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

const budgetLimit = money(lookup(RECORD.budgetLimit, LEVEL.BUDGET_WINDOW));
const budgetLimitOf = (window: BudgetWindow): string =>
  money(lookup(RECORD.budgetLimit, LEVEL.BUDGET, { fixed: [`${LABEL.budgetWindow}="${window}"`] }));
const budgetSpendPerHour = (rateWindow: Duration): string =>
  money(lookup(RECORD.budgetRate(rateWindow), LEVEL.BUDGET, { suffix: ' * 3600' }));
/** The spend record's name carries the window, so the template fills it in from the alert's label. */
const budgetSpent = money(
  lookup(RECORD.budgetIncrease('%s' as Duration), LEVEL.BUDGET, {
    nameArgs: [`$labels.${LABEL.budgetWindow}`],
  }),
);

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
    },
  };
}

function budgetAlerts(cfg: RulesConfig): RuleGroup<AlertingRule> {
  const tiers = cfg.budget.tiers.map((tier) => {
    const passed = tier.ratio >= 1 ? 'has used up' : `has used over ${percent(tier.ratio)} of`;
    return alert(cfg, {
      ...tier,
      expr: `${RECORD.budgetUsage} >= ${tier.ratio}`,
      summary: `LLM budget ${BUDGET} ${passed} its ${WINDOW} limit.`,
      description:
        `Budget ${BUDGET} spent ${budgetSpent} of its ${budgetLimit} limit over the last ${WINDOW}, ` +
        `{{ $value | humanizePercentage }} across all instances (alerts at ${percent(tier.ratio)}).`,
    });
  });

  const burns = cfg.budget.burn.map((b) =>
    alert(cfg, {
      ...b,
      expr: `${RECORD.budgetBurnRate(b.longWindow)} > ${b.factor}\nand\n${RECORD.budgetBurnRate(b.shortWindow)} > ${b.factor}`,
      summary: `LLM budget ${BUDGET} is spending over ${b.factor}× the pace its ${WINDOW} limit allows.`,
      description:
        `Budget ${BUDGET} spent ${budgetSpendPerHour(b.longWindow)}/h over the last ${b.longWindow}: ` +
        `{{ $value | printf "%.1f" }}× the pace that would use its whole ${budgetLimit} limit over ${WINDOW} ` +
        `(alerts above ${b.factor}× over both ${b.longWindow} and ${b.shortWindow}; ` +
        `covers ${burnWindows(cfg, b.longWindow, b.factor).join(', ')} budgets).`,
    }),
  );

  const p = cfg.budget.projection;
  const projection = alert(cfg, {
    ...p,
    expr: `${RECORD.budgetProjected(p.window)}\n  > on (${LABEL.budgetName})\n${RECORD.budgetLimit}{${LABEL.budgetWindow}="${p.window}"}`,
    summary: `LLM budget ${BUDGET} is on track to overrun its ${p.window} limit.`,
    description:
      `At the last ${p.lookback}'s pace (${budgetSpendPerHour(p.lookback)}/h), budget ${BUDGET} would spend ` +
      `{{ $value | printf "$%.2f" }} over a full ${p.window} window, above its ${budgetLimitOf(p.window)} limit; ` +
      `${money(lookup(RECORD.budgetIncrease(p.window), LEVEL.BUDGET))} spent in the last ${p.window}.`,
    labels: { [LABEL.budgetWindow]: p.window },
  });
  return { name: 'llm-cost.budget.alerts', rules: [...tiers, ...burns, projection] };
}

function spendAlerts(cfg: RulesConfig): RuleGroup<AlertingRule> {
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
      `${money(lookup(baseline, s.by, { suffix: ' * 3600' }))}/h (the larger of the same hour yesterday and the ${s.baselineWindow} average). ` +
      `Spend under ${usd(s.floorUsdPerHour)}/h never alerts.`,
  });

  const u = cfg.unpriced;
  const unpriced = select(cfg, METRIC.unpricedRequests);
  const unpricedAlert = alert(cfg, {
    ...u,
    // A series born in the window counts with its whole value: increase() cannot see a counter's
    // first increment, and the first unpriced call is exactly the one that creates the series.
    expr: `sum ${by(LEVEL.PROVIDER_MODEL)} (\n  (${unpriced} unless ${unpriced} offset ${u.window})\n  or\n  increase(${unpriced}[${u.window}])\n) > 0`,
    summary: `LLM calls to an unpriced model: their cost is not counted.`,
    description:
      `{{ $value | printf "%.0f" }} request(s) to ${label(LABEL.provider)} model ${label(LABEL.model)} in the last ${u.window} ` +
      `had no price, so their cost is missing from spend, budgets and these alerts.`,
  });
  return { name: 'llm-cost.spend.alerts', rules: [spike, unpricedAlert] };
}

function reliabilityAlerts(cfg: RulesConfig): RuleGroup<AlertingRule> {
  const w = cfg.ratioWindow;
  const m = cfg.usageMissing;
  const providerModel = `${label(LABEL.provider)} model ${label(LABEL.model)}`;
  const usageMissing = alert(cfg, {
    ...m,
    expr: `${RECORD.usageMissingRatio(w)} > ${m.ratio}`,
    summary: `LLM responses without token usage: their cost is not counted.`,
    description:
      `{{ $value | humanizePercentage }} of requests to ${providerModel} over the last ${w} reported no token usage, ` +
      `so their cost is missing (alerts above ${percent(m.ratio)}).`,
  });
  const errors = cfg.errors.tiers.map((tier) =>
    alert(cfg, {
      ...tier,
      alert: cfg.errors.alert,
      expr: `${RECORD.errorRatio(w)} > ${tier.ratio}`,
      summary: `LLM provider ${label(LABEL.provider)} is failing over ${percent(tier.ratio)} of requests.`,
      description:
        `{{ $value | humanizePercentage }} of requests to ${label(LABEL.provider)} failed over the last ${w} ` +
        `(${tier.severity} above ${percent(tier.ratio)}).`,
    }),
  );
  const l = cfg.latency;
  const q = `p${Math.round(l.quantile * 100)}`;
  const latency = alert(cfg, {
    ...l,
    expr: `${RECORD.latencyQuantile}{quantile="${l.quantile}"} > ${l.thresholdSeconds}`,
    summary: `LLM ${q} latency of ${providerModel} is over ${l.thresholdSeconds}s.`,
    description: `The ${q} latency of ${providerModel} over the last ${w} is {{ $value | humanizeDuration }} (alerts above ${l.thresholdSeconds}s).`,
  });
  return { name: 'llm-cost.reliability.alerts', rules: [usageMissing, ...errors, latency] };
}

function instrumentationAlerts(cfg: RulesConfig): RuleGroup<AlertingRule> {
  const t = cfg.targets;
  const present = `group by (job) (present_over_time(${select(cfg, t.presenceMetric)}[${t.presenceLookback}]))`;
  const down = alert(cfg, {
    alert: t.downAlert,
    severity: t.severity,
    for: t.downFor,
    expr: `${select(cfg, 'up')} == 0\nand on (job)\n${present}`,
    summary: `LLM cost metrics target {{ $labels.instance }} is down.`,
    description:
      `Prometheus has failed to scrape {{ $labels.instance }} (job {{ $labels.job }}) for ${t.downFor}; the job exported ` +
      `${t.presenceMetric} in the last ${t.presenceLookback}. Its LLM spend is invisible to budget alerts until scrapes succeed.`,
  });
  const absent = alert(cfg, {
    alert: t.absentAlert,
    severity: t.severity,
    for: t.absentFor,
    expr: `(\n  ${present}\n  unless on (job)\n  group by (job) (${select(cfg, t.presenceMetric)})\n)\nand on (job)\ngroup by (job) (${select(cfg, 'up')} == 1)`,
    summary: `LLM cost metrics are gone from job {{ $labels.job }}.`,
    description:
      `Job {{ $labels.job }} exported ${t.presenceMetric} in the last ${t.presenceLookback} and is still scraped, ` +
      `but no target of it has exposed the metric for ${t.absentFor}: LLM spend from it is not counted.`,
  });
  return { name: 'llm-cost.instrumentation.alerts', rules: [down, absent] };
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
