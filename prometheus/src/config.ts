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
  /** Fraction of the window's limit spent (fleet-wide) at which the alert starts pending. */
  ratio: number;
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
  /** Range used for error, usage-missing and latency rates. Raise it for very low-traffic apps. */
  ratioWindow: Duration;
  budget: {
    /** Must list every window the library accepts; a window missing here has no budget alerts. */
    windows: readonly BudgetWindow[];
    /**
     * Spend-vs-limit tiers. They mirror the library's default `thresholds: [0.8, 0.95, 1]`.
     * Change a ratio when your team wants earlier or later notice; keep `for:` short, because
     * spend in a window only falls when old spend leaves the window.
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
    /** Trailing average the recent rate is compared with (besides the same hour one day earlier). */
    baselineWindow: Duration;
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
    severity: Severity;
    for: Duration;
  };
  errors: {
    alert: string;
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
    severity: Severity;
    for: Duration;
  };
  targets: {
    downAlert: string;
    absentAlert: string;
    /**
     * A job counts as "ours" when it exported this metric within `presenceLookback`. After that much
     * downtime the down alert resolves on its own; raise it if targets may stay down longer unnoticed.
     */
    presenceMetric: string;
    presenceLookback: Duration;
    severity: Severity;
    downFor: Duration;
    /**
     * Counters appear on the first request after a restart, so an idle, freshly restarted app looks
     * like it lost its metrics; this `for:` is how long that may last before anyone is told.
     */
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
}

export const config: RulesConfig = {
  selector: 'job=~".+"',
  runbookBaseUrl: 'https://github.com/llm-cost-otel/llm-cost-otel/blob/main/docs/runbook.md',
  ratioWindow: '5m',
  budget: {
    windows: ['1h', '1d', '7d', '30d'],
    tiers: [
      { alert: 'LLMBudgetWarning', ratio: 0.8, severity: 'warning', for: '5m' },
      // Paging at 95% leaves time to act (raise the limit, stop a runaway agent) before in-process
      // guards start refusing calls; LLMBudgetCritical then inhibits it in Alertmanager.
      { alert: 'LLMBudgetNearlyExhausted', ratio: 0.95, severity: 'critical', for: '2m' },
      { alert: 'LLMBudgetCritical', ratio: 1, severity: 'critical', for: '2m' },
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
    factor: 3,
    floorUsdPerHour: 1,
    severity: 'warning',
    for: '15m',
  },
  unpriced: { alert: 'LLMUnpricedModel', window: '1h', severity: 'warning', for: '5m' },
  usageMissing: { alert: 'LLMUsageMissing', ratio: 0.05, severity: 'warning', for: '15m' },
  errors: {
    alert: 'LLMProviderErrorRatioHigh',
    tiers: [
      { ratio: 0.05, severity: 'warning', for: '15m' },
      { ratio: 0.5, severity: 'critical', for: '5m' },
    ],
  },
  latency: {
    alert: 'LLMRequestLatencyHigh',
    quantile: 0.95,
    thresholdSeconds: 60,
    severity: 'warning',
    for: '15m',
  },
  targets: {
    downAlert: 'LLMMetricsTargetDown',
    absentAlert: 'LLMMetricsAbsent',
    presenceMetric: METRIC.requests,
    presenceLookback: '1d',
    severity: 'warning',
    downFor: '5m',
    absentFor: '1h',
  },
  priceCatalog: { alert: 'LLMPriceCatalogStale', maxAgeDays: 60, severity: 'warning', for: '1h' },
};
