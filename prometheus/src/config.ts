/**
 * The one place to tune the shipped Prometheus rules (kubernetes-mixin style). Every field says
 * when to change it. After editing, run `npx tsx prometheus/src/generate.ts` and commit the YAML;
 * `test/rules/generated.test.ts` fails while the committed files are stale, and the promtool tests
 * under `test/fixtures/rules/` pin the thresholds and `for:` durations below.
 */

import { LABEL, METRIC } from '../../src/metrics/names.js';

/** Prometheus duration literal (`30s`, `5m`, `1h`, `7d`). */
export type Duration = `${number}${'s' | 'm' | 'h' | 'd' | 'w'}`;

/** critical = page someone now; warning = work queue, look today; info = context only. */
export type Severity = 'critical' | 'warning' | 'info';

/** The budget windows the library exports in `llm_budget_limit_usd{llm_budget_window}`. */
export type BudgetWindow = '1h' | '1d' | '7d' | '30d';

export interface BudgetTier {
  alert: string;
  /**
   * The tier takes the thresholds a budget declares (`llm_budget_threshold_ratio`) from this
   * fraction of the limit up to the next tier's `from`; it fires at the highest one spend has passed.
   * The tier from 1 fires when spend reaches the limit, whatever thresholds the budget declares.
   */
  from: number;
  severity: Severity;
  for: Duration;
}

export interface BurnRateAlert {
  alert: string;
  /** Both windows must burn faster than `factor`; the short one makes the alert resolve quickly. */
  longWindow: Duration;
  shortWindow: Duration;
  /** Multiple of the spend rate that would use exactly the window's limit over the whole window. */
  factor: number;
  severity: Severity;
  for: Duration;
}

/** Where an alert's `dashboard_url` points: a dashboard UID and the title of the panel that shows it. */
export interface PanelRef {
  uid: string;
  panel: string;
}

export interface RulesConfig {
  /**
   * Label matchers added to every selector of our metrics (and of `up`). The default matches any
   * job, so the rules work fleet-wide with no edits. Narrow it (e.g. `job=~"llm-.*"`) when one
   * Prometheus scrapes several unrelated teams that each load their own copy of these rules, or
   * add `cluster="prod"` when staging and production share a Prometheus.
   */
  selector: string;
  /** Where the `runbook_url` annotations point; change it when you host the runbook yourself. */
  runbookBaseUrl: string;
  /** Grafana's external URL, for the `dashboard_url` annotations (`<url>/d/<uid>?viewPanel=<id>`). */
  grafanaUrl: string;
  /**
   * Pre-aggregation: spend is summed into tiles (`tileIncrease`) of this width by a group evaluated at this
   * interval, and every 1d/7d/30d figure (budgets, dashboards) is a `sum_over_time` of tiles — a
   * handful of series per budget/agent instead of every raw counter. Spend shows up in windowed
   * figures up to one tile late. promtool tests of tile-based rules must use this as their
   * `evaluation_interval` (promtool evaluates every group at every step).
   */
  tile: Duration;
  /**
   * A counter series that appears inside a window counts with its whole value (its first event is
   * invisible to `increase()`) — when its target was already scraped one window earlier (so a fresh
   * Prometheus does not count old totals) and the series was not seen within this lookback before
   * (so a series that returns after a scrape gap is not counted twice). Raise it if targets may be
   * unreachable for longer; it costs one scan of this range per raw series per evaluation.
   */
  firstSeenLookback: Duration;
  /** Range used for error, usage-missing and latency rates. Raise it for very low-traffic apps. */
  ratioWindow: Duration;
  budget: {
    /** Must list every window the library accepts; a window missing here has no budget alerts. */
    windows: readonly BudgetWindow[];
    /**
     * Labels that, with `llm_budget_name`, identify one budget: two apps (jobs) with a budget of the
     * same name are two budgets, each against its own limit. Add `cluster`, `namespace`, … when the
     * same job runs in several of them against separate limits; drop `job` only when several jobs
     * really share one fleet-wide limit.
     */
    identity: readonly string[];
    /**
     * Limits and thresholds are read as their last value over this range, so a budget stays known
     * (and its alert keeps firing) while its target is down or restarting. A removed budget is
     * forgotten after it.
     */
    limitLookback: Duration;
    /**
     * Alert tiers over each budget's own thresholds (library default `[0.8, 0.95, 1]`). Keep `for:`
     * short: spend in a window only falls when old spend leaves the window.
     */
    tiers: readonly BudgetTier[];
    /**
     * Multi-window burn-rate alerts (Google SRE workbook, chapter 5). A rule only covers budget
     * windows where `factor × longWindow` is under the whole window — for a 1h budget, "1h at 14.4×"
     * would mean the limit is already 14 times gone, so the threshold tiers cover 1h budgets.
     * Lower a factor to hear earlier about slower leaks; raise it if the alert fires on normal
     * bursts (batch jobs).
     */
    burn: readonly BurnRateAlert[];
    projection: {
      alert: string;
      /**
       * Spend rate the projection extrapolates. One day averages out the daily cycle; use `7d` when
       * weekends differ a lot from weekdays.
       */
      lookback: Duration;
      /** Budgets of this window are projected (a full window at the lookback's pace vs the limit). */
      window: BudgetWindow;
      severity: Severity;
      /** Long on purpose: a projection is a trend, and a short burst should not flip it. */
      for: Duration;
    };
  };
  spike: {
    alert: string;
    /**
     * Level the spike is detected at. The agent is where runaway loops show up; use
     * `[LABEL.provider, LABEL.model]` to watch models instead (names change with it).
     */
    by: readonly string[];
    /** Recent spend rate compared with the baseline. Shorter reacts faster and flaps more. */
    window: Duration;
    /** Trailing average the recent rate is compared with. */
    baselineWindow: Duration;
    /**
     * The same hour this long ago is also a baseline: `1d` for daily shape, `1w` so a Monday
     * morning is compared with last Monday morning, not with Sunday.
     */
    seasons: readonly Duration[];
    /** Recent rate must exceed this multiple of the baseline. Raise it for bursty workloads. */
    factor: number;
    /**
     * USD per hour under which nothing is a spike, however large the ratio: a $0.02/h agent going to
     * $0.20/h is not worth anyone's time. Raise it with your spend.
     */
    floorUsdPerHour: number;
    severity: Severity;
    for: Duration;
  };
  unpriced: {
    alert: string;
    /** An unpriced request in this range keeps the alert active; the alert resolves after it. */
    window: Duration;
    severity: Severity;
    for: Duration;
  };
  usageMissing: {
    alert: string;
    /** Fraction of requests without usage (so without cost) that is worth a look. */
    ratio: number;
    /** Fewer requests than this in `ratioWindow` never alert: 1 of 2 is not a trend. */
    minRequests: number;
    severity: Severity;
    for: Duration;
  };
  errors: {
    alert: string;
    /**
     * Fewer requests than this to a provider in `ratioWindow` never alert: 4 failures at 0.5
     * calls/min are not "the provider is down". Lower it for low-traffic apps, with a longer window.
     */
    minRequests: number;
    /** Provider error ratio tiers (same alert name; Alertmanager inhibits the warning by the critical). */
    tiers: readonly { ratio: number; severity: Severity; for: Duration }[];
  };
  latency: {
    alert: string;
    quantile: number;
    /**
     * Long reasoning calls and big generations legitimately take minutes; set this above the p95 of
     * your slowest model, or narrow the selector to interactive traffic.
     */
    thresholdSeconds: number;
    /** Fewer successful requests than this in `ratioWindow` never alert (a p95 of three calls). */
    minRequests: number;
    severity: Severity;
    for: Duration;
  };
  targets: {
    downAlert: string;
    absentAlert: string;
    /**
     * A target counts as "ours" when it exported this metric within `presenceLookback`. The library
     * exports `llm_cost_build_info` from its start, so an idle app is not "absent". After that much
     * downtime the down alert resolves on its own; raise it if targets may stay down longer unnoticed.
     */
    presenceMetric: string;
    presenceLookback: Duration;
    severity: Severity;
    downFor: Duration;
    absentFor: Duration;
  };
  /** Price catalog freshness (issue 13). */
  priceCatalog: {
    alert: string;
    /**
     * Age of the catalog data (`llm_price_catalog_timestamp_seconds`) past which prices are
     * probably out of date. Providers change prices monthly; lower it if you refresh daily
     * (`prices.refresh`), raise it if you knowingly pin a catalog file.
     */
    maxAgeDays: number;
    severity: Severity;
    /** A restart briefly serves bundled data before the cache or refresh replaces it. */
    for: Duration;
  };
  /**
   * Always firing: proves the whole path Prometheus → Alertmanager → receiver works. Alertmanager
   * routes it to a heartbeat (dead man's switch) receiver, never to people.
   */
  watchdog: { alert: string; severity: Severity; for: Duration };
  /** The panel each alert links to in `dashboard_url`. */
  panels: Record<string, PanelRef>;
}

export const config: RulesConfig = {
  selector: 'job=~".+"',
  runbookBaseUrl: 'https://github.com/llm-cost-otel/llm-cost-otel/blob/main/docs/runbook.md',
  grafanaUrl: 'http://localhost:3000',
  tile: '5m',
  firstSeenLookback: '1h',
  ratioWindow: '5m',
  budget: {
    windows: ['1h', '1d', '7d', '30d'],
    identity: ['job'],
    limitLookback: '1d',
    tiers: [
      { alert: 'LLMBudgetWarning', from: 0, severity: 'warning', for: '5m' },
      // Paging at 95% leaves time to act (raise the limit, stop a runaway agent) before in-process
      // guards start refusing calls; LLMBudgetCritical then inhibits it in Alertmanager.
      { alert: 'LLMBudgetNearlyExhausted', from: 0.95, severity: 'critical', for: '2m' },
      { alert: 'LLMBudgetCritical', from: 1, severity: 'critical', for: '2m' },
    ],
    burn: [
      // 14.4× for 1h spends 2% of a 30d limit (60% of a 1d limit) in one hour.
      {
        alert: 'LLMBudgetBurnFast',
        longWindow: '1h',
        shortWindow: '5m',
        factor: 14.4,
        severity: 'critical',
        for: '2m',
      },
      // 6× for 6h spends 5% of a 30d limit (21% of a 7d limit) in six hours.
      {
        alert: 'LLMBudgetBurnSlow',
        longWindow: '6h',
        shortWindow: '30m',
        factor: 6,
        severity: 'warning',
        for: '15m',
      },
    ],
    projection: {
      alert: 'LLMBudgetProjectedOverrun',
      lookback: '1d',
      window: '30d',
      severity: 'warning',
      for: '1h',
    },
  },
  spike: {
    alert: 'LLMSpendSpike',
    by: [LABEL.agent],
    window: '1h',
    baselineWindow: '7d',
    seasons: ['1d', '1w'],
    factor: 3,
    floorUsdPerHour: 1,
    severity: 'warning',
    for: '15m',
  },
  unpriced: { alert: 'LLMUnpricedModel', window: '1h', severity: 'warning', for: '5m' },
  usageMissing: { alert: 'LLMUsageMissing', ratio: 0.05, minRequests: 10, severity: 'warning', for: '15m' },
  errors: {
    alert: 'LLMProviderErrorRatioHigh',
    minRequests: 10,
    tiers: [
      { ratio: 0.05, severity: 'warning', for: '15m' },
      { ratio: 0.5, severity: 'critical', for: '5m' },
    ],
  },
  latency: {
    alert: 'LLMRequestLatencyHigh',
    quantile: 0.95,
    thresholdSeconds: 60,
    minRequests: 10,
    severity: 'warning',
    for: '15m',
  },
  targets: {
    downAlert: 'LLMMetricsTargetDown',
    absentAlert: 'LLMMetricsAbsent',
    presenceMetric: METRIC.buildInfo,
    presenceLookback: '1d',
    severity: 'warning',
    downFor: '5m',
    absentFor: '10m',
  },
  watchdog: { alert: 'LLMWatchdog', severity: 'info', for: '1m' },
  panels: {
    LLMBudgetWarning: { uid: 'llm-cost-overview', panel: 'Budget usage' },
    LLMBudgetNearlyExhausted: { uid: 'llm-cost-overview', panel: 'Budget usage' },
    LLMBudgetCritical: { uid: 'llm-cost-overview', panel: 'Budget usage' },
    LLMBudgetBurnFast: { uid: 'llm-cost-overview', panel: 'Spend rate' },
    LLMBudgetBurnSlow: { uid: 'llm-cost-overview', panel: 'Spend rate' },
    LLMBudgetProjectedOverrun: { uid: 'llm-cost-overview', panel: 'Budgets: spent vs limit' },
    LLMSpendSpike: { uid: 'llm-cost-overview', panel: 'Spend by agent' },
    LLMUnpricedModel: { uid: 'llm-cost-overview', panel: 'Unpriced models' },
    LLMUsageMissing: { uid: 'llm-cost-reliability', panel: 'Usage missing by reason' },
    LLMProviderErrorRatioHigh: { uid: 'llm-cost-reliability', panel: 'Error ratio by provider' },
    LLMRequestLatencyHigh: { uid: 'llm-cost-reliability', panel: 'Latency p95 by model' },
    LLMMetricsTargetDown: { uid: 'llm-cost-reliability', panel: 'Request rate by provider and outcome' },
    LLMMetricsAbsent: { uid: 'llm-cost-reliability', panel: 'Request rate by provider and outcome' },
    LLMWatchdog: { uid: 'llm-cost-overview', panel: 'Spend rate' },
    LLMPriceCatalogStale: { uid: 'llm-cost-overview', panel: 'Unpriced models' },
    LLMAgentCostPerSuccessOverBaseline: {
      uid: 'llm-cost-agents',
      panel: 'Spend per successful run vs baseline',
    },
    LLMAgentEfficiencyRegression: { uid: 'llm-cost-agents', panel: 'Spend per successful run vs baseline' },
  },
  priceCatalog: { alert: 'LLMPriceCatalogStale', maxAgeDays: 60, severity: 'warning', for: '1h' },
};
