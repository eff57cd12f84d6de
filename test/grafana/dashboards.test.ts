import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  DATASOURCE_VARIABLE,
  FILTER_LABEL,
  FILTERS,
  filtersFor,
  type MetricName,
  PROMETHEUS_DATASOURCE_UID,
} from '../../grafana/src/common.js';
import { DASHBOARDS, renderDashboard } from '../../grafana/src/dashboards.js';
import {
  allPanels,
  DASHBOARDS_DIR,
  dashboardQueries,
  loadCommittedDashboards,
} from '../../grafana/src/queries.js';
import { config } from '../../prometheus/src/config.js';
import { tileRange } from '../../prometheus/src/promql.js';
import { LABEL, METRIC } from '../../src/metrics/names.js';
import { labelNames, legendLabels, metricNames, rangeWindows, selectors } from './promql.js';

const REPO = join(DASHBOARDS_DIR, '..', '..');
const committed = loadCommittedDashboards();

interface Target {
  refId?: string;
  expr?: string;
  legendFormat?: string;
  datasource?: { type?: string; uid?: string };
}
type Panel = Omit<dashboard.Panel, 'targets'> & { targets?: Target[] };

const panelsOf = (dash: dashboard.Dashboard): Panel[] =>
  allPanels(dash).filter((p) => p.type !== 'row') as unknown as Panel[];
const everyPanel = committed.flatMap((dash) => panelsOf(dash).map((panel) => ({ dash, panel })));
const HISTOGRAM_SUFFIXES = ['_bucket', '_sum', '_count'];
const HISTOGRAMS: string[] = [
  METRIC.requestCostUsd,
  METRIC.requestDurationSeconds,
  METRIC.agentRunCostUsd,
  METRIC.agentRunDurationSeconds,
  METRIC.agentRunLlmCalls,
];
/** The shipped recording rules: name → expression (several rules may record one name). */
const RECORDED = new Map<string, string>();
for (const group of (
  parse(readFileSync(join(REPO, 'prometheus', 'rules', 'llm-cost-recording.yml'), 'utf8')) as {
    groups: { rules: { record: string; expr: string }[] }[];
  }
).groups)
  for (const r of group.rules) RECORDED.set(r.record, `${RECORDED.get(r.record) ?? ''} ${r.expr}`);
const KNOWN_METRICS = new Set<string>([
  ...Object.values(METRIC),
  ...HISTOGRAMS.flatMap((h) => HISTOGRAM_SUFFIXES.map((s) => h + s)),
  ...RECORDED.keys(),
  // First-seen counting asks whether a series' target was scraped before the range.
  'up',
]);
/** The families a query reads, through the recording rules it uses; `up` is not a family. */
function familiesRead(expr: string, seen = new Set<string>()): string[] {
  return metricNames(expr).flatMap((name) => {
    if (name === 'up' || seen.has(name)) return [];
    seen.add(name);
    const recorded = RECORDED.get(name);
    return recorded === undefined ? [familyOf(name)] : familiesRead(recorded, seen);
  });
}
const KNOWN_LABELS = new Set<string>([...Object.values(LABEL), 'job', 'instance', 'le']);
const GRAFANA_BUILTINS = new Set(['__rate_interval', '__range', '__interval']);
const familyOf = (name: string): string =>
  HISTOGRAMS.find((h) => HISTOGRAM_SUFFIXES.some((s) => name === h + s)) ?? name;
const MONEY_METRICS = new Set<string>([
  METRIC.costUsd,
  METRIC.budgetSpendUsd,
  METRIC.budgetLimitUsd,
  METRIC.cacheSavingsUsd,
  METRIC.requestCostUsd,
]);

describe('committed dashboard JSON', () => {
  it.each(DASHBOARDS.map((d) => [d.file, d] as const))(
    '%s is exactly what grafana/src generates',
    (file, d) => {
      const onDisk = readFileSync(join(DASHBOARDS_DIR, file), 'utf8');
      // On failure: run `npx tsx grafana/src/generate.ts` and commit grafana/dashboards/.
      expect(onDisk, `${file} is stale: run npx tsx grafana/src/generate.ts`).toBe(
        renderDashboard(d.build()),
      );
    },
  );

  it('holds no dashboard files that grafana/src does not generate (Grafana would load them too)', () => {
    const files = readdirSync(DASHBOARDS_DIR).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(DASHBOARDS.map((d) => d.file).sort());
  });
});

describe('dashboard identity', () => {
  it('keeps the stable UIDs links and bookmarks rely on, one per dashboard', () => {
    expect(committed.map((d) => d.uid)).toEqual([
      'llm-cost-overview',
      'llm-cost-tokens',
      'llm-cost-reliability',
      'llm-cost-agents',
    ]);
  });

  it.each(committed.map((d) => [d.uid, d] as const))(
    '%s is tagged llm-cost, titled and described',
    (_, dash) => {
      expect(dash.tags).toContain('llm-cost');
      expect(dash.title).toMatch(/^LLM Cost — \S/);
      expect(dash.description?.length).toBeGreaterThan(20);
    },
  );
});

describe('panel layout', () => {
  it.each(committed.map((d) => [d.uid, d] as const))(
    '%s: panel ids are unique positive integers',
    (_, dash) => {
      const ids = allPanels(dash).map((p) => p.id);
      for (const id of ids) expect(Number.isInteger(id) && (id ?? 0) > 0, `panel id ${id}`).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
    },
  );

  it.each(committed.map((d) => [d.uid, d] as const))(
    '%s: panels fit the 24-column grid without overlapping',
    (_, dash) => {
      const boxes = allPanels(dash).map((p) => ({ title: p.title, ...p.gridPos! }));
      for (const b of boxes) expect(b.x + b.w, b.title).toBeLessThanOrEqual(24);
      for (const [i, a] of boxes.entries()) {
        for (const b of boxes.slice(i + 1)) {
          const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
          expect(overlap, `${a.title} overlaps ${b.title}`).toBe(false);
        }
      }
    },
  );

  it('gives every panel a title, a newcomer-sized description and at least one query', () => {
    for (const { dash, panel } of everyPanel) {
      const where = `${dash.uid}/${panel.title}`;
      expect(panel.title, where).toBeTruthy();
      expect(panel.description?.length ?? 0, `${where} description`).toBeGreaterThanOrEqual(40);
      expect(panel.targets?.length ?? 0, `${where} targets`).toBeGreaterThan(0);
    }
  });

  it('gives every query of a panel its own refId', () => {
    for (const { dash, panel } of everyPanel) {
      const refIds = (panel.targets ?? []).map((t) => t.refId);
      expect(refIds.every(Boolean), `${dash.uid}/${panel.title}`).toBe(true);
      expect(new Set(refIds).size, `${dash.uid}/${panel.title}`).toBe(refIds.length);
    }
  });
});

describe('datasource', () => {
  const provisioned = parse(
    readFileSync(join(REPO, 'grafana/provisioning/datasources/llm-cost.yaml'), 'utf8'),
  ) as {
    datasources: { uid: string; type: string }[];
  };

  it('defaults the datasource variable to the provisioned Prometheus', () => {
    const prometheus = provisioned.datasources.find((d) => d.type === 'prometheus');
    expect(prometheus?.uid).toBe(PROMETHEUS_DATASOURCE_UID);
    for (const dash of committed) {
      const variable = dash.templating?.list?.find((v) => v.name === DATASOURCE_VARIABLE);
      expect(variable?.type, dash.uid).toBe('datasource');
      expect(variable?.query, dash.uid).toBe('prometheus');
      expect(variable?.current?.value, dash.uid).toBe(PROMETHEUS_DATASOURCE_UID);
    }
  });

  it('sends every panel, query and filter variable through the datasource variable', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana variable syntax
    const ref = { type: 'prometheus', uid: '${datasource}' };
    for (const { dash, panel } of everyPanel) {
      expect(panel.datasource, `${dash.uid}/${panel.title}`).toEqual(ref);
      for (const target of panel.targets ?? [])
        expect(target.datasource, `${dash.uid}/${panel.title}`).toEqual(ref);
    }
    for (const dash of committed) {
      for (const v of dash.templating?.list ?? [])
        if (v.type === 'query') expect(v.datasource, v.name).toEqual(ref);
    }
  });
});

describe('variables', () => {
  it('defines every variable a query uses', () => {
    for (const dash of committed) {
      const defined = new Set((dash.templating?.list ?? []).map((v) => v.name));
      const queries = dashboardQueries([dash]).map((q) => q.expr);
      const variableQueries = (dash.templating?.list ?? []).map((v) => String(v.query ?? ''));
      for (const expr of [...queries, ...variableQueries]) {
        for (const m of expr.matchAll(/\$(?:\{(\w+)(?::\w+)?\}|(\w+))/g)) {
          const name = (m[1] ?? m[2])!;
          expect(defined.has(name) || GRAFANA_BUILTINS.has(name), `${dash.uid}: $${name} in ${expr}`).toBe(
            true,
          );
        }
      }
    }
  });

  it('offers job, provider, model, agent and operation filters that cascade in that order', () => {
    for (const dash of committed) {
      const filters = (dash.templating?.list ?? []).filter((v) => v.type === 'query');
      expect(filters.map((v) => v.name)).toEqual([...FILTERS]);
      filters.forEach((v, i) => {
        const earlier = FILTERS.slice(0, i).map((f) => `${FILTER_LABEL[f]}=~"$${f}"`);
        const selector = earlier.length === 0 ? METRIC.requests : `${METRIC.requests}{${earlier.join(',')}}`;
        expect(v.query, `${dash.uid}/${v.name}`).toBe(
          `label_values(${selector}, ${FILTER_LABEL[FILTERS[i]!]})`,
        );
        expect(v.multi && v.includeAll, v.name).toBe(true);
        // ".*" rather than ".+": All must also match series where the label is absent.
        expect(v.allValue, v.name).toBe('.*');
      });
    }
  });

  it('filters every selector by each filter its metric family carries', () => {
    for (const q of dashboardQueries(committed)) {
      for (const s of selectors(q.expr)) {
        // `up` and recorded series carry the labels of what they read: job at least, every filter
        // for the spend tile (whose labels are exactly the filters).
        const filters = RECORDED.has(s.metric)
          ? s.metric.includes(LABEL.agent)
            ? FILTERS
            : (['job'] as const)
          : s.metric === 'up'
            ? (['job'] as const)
            : // The usage-missing ratio's denominator follows the numerator's filters (no agent/operation).
              q.panelTitle === 'Usage missing' && s.metric === METRIC.requests
              ? filtersFor(METRIC.usageMissing)
              : filtersFor(familyOf(s.metric) as MetricName);
        for (const filter of filters) {
          expect(s.matchers, `${q.dashboardUid}/${q.panelTitle}: ${s.metric}`).toContain(
            `${FILTER_LABEL[filter]}=~"$${filter}"`,
          );
        }
      }
    }
  });
});

describe('queries speak the metric contract', () => {
  const queries = dashboardQueries(committed);

  it('only uses metric names from METRIC (a renamed metric fails here)', () => {
    for (const q of queries) {
      for (const name of metricNames(q.expr)) {
        expect(KNOWN_METRICS.has(name), `${q.dashboardUid}/${q.panelTitle}: unknown metric ${name}`).toBe(
          true,
        );
      }
    }
  });

  it('only uses label names from LABEL, plus job, instance and le, in queries and legends', () => {
    for (const q of queries) {
      for (const name of labelNames(q.expr)) {
        expect(KNOWN_LABELS.has(name), `${q.dashboardUid}/${q.panelTitle}: unknown label ${name}`).toBe(true);
      }
    }
    for (const { dash, panel } of everyPanel) {
      for (const t of panel.targets ?? []) {
        for (const name of legendLabels(t.legendFormat ?? '')) {
          expect(KNOWN_LABELS.has(name), `${dash.uid}/${panel.title}: legend label ${name}`).toBe(true);
        }
      }
    }
  });

  it('shows every family the library exports for dashboards', () => {
    const used = new Set(queries.flatMap((q) => familiesRead(q.expr)));
    const notOnDashboards = new Set<string>([
      METRIC.seriesOverflow,
      METRIC.genAiTokenUsage,
      METRIC.genAiOperationDuration,
      // Pricing-quality signal (issue 13): alerted/inspected via `llm-cost price`; panel to follow.
      METRIC.priceApproximateRequests,
      METRIC.priceCatalogTimestamp,
      // Flags of bad provider data (per-call usage past maxPlausibleTokens, a response model priced
      // differently from the request): rare by nature, read on /metrics and on the spans.
      METRIC.implausibleUsage,
      METRIC.modelMismatch,
      // Read by `llm-cost advise` (prompts just over a long-context tier), not charted.
      METRIC.tierCrossingRequests,
      // An info metric for the target-down/absent alerts, not a figure to chart.
      METRIC.buildInfo,
    ]);
    const expected = Object.values(METRIC).filter((m) => !notOnDashboards.has(m));
    expect(expected.filter((m) => !used.has(m))).toEqual([]);
  });

  it('rates over $__rate_interval and totals over $__range; fixed windows only for first-seen, tiles, budgets', () => {
    // The first-seen lookback (1h) and one tile (the fallback before the first tile exists) may
    // appear anywhere; whole tile windows only in the rolling spend, budget and projection panels.
    const anywhere = new Set<string>(['$__rate_interval', '$__range', config.firstSeenLookback, config.tile]);
    const tileWindows = new Set(['1h', '7d', '30d'].map((w) => tileRange(config, w as '1h')));
    for (const q of queries) {
      for (const w of rangeWindows(q.expr)) {
        if (anywhere.has(w)) continue;
        expect(tileWindows.has(w), `${q.panelTitle}: [${w}]`).toBe(true);
        expect(q.panelTitle).toMatch(/^(Budget|Projected month-end spend|Spend, last)/);
      }
    }
    const rates = queries.flatMap((q) => [...q.expr.matchAll(/\brate\([^[]*\[([^\]]+)\]/g)].map((m) => m[1]));
    expect(rates.filter((w) => w === '$__rate_interval').length).toBeGreaterThan(20);
  });
});

describe('units', () => {
  const unitOf = (p: Panel): string | undefined => p.fieldConfig?.defaults?.unit;
  const decimalsOf = (p: Panel): number | undefined => p.fieldConfig?.defaults?.decimals;
  const metricsOf = (p: Panel): string[] => (p.targets ?? []).flatMap((t) => familiesRead(t.expr ?? ''));
  const divides = (p: Panel): boolean => (p.targets ?? []).some((t) => (t.expr ?? '').includes(' / '));

  it('shows amounts of money in US dollars, with 2 to 6 decimals', () => {
    const money = everyPanel.filter(
      ({ panel }) =>
        panel.type !== 'table' && !divides(panel) && metricsOf(panel).every((m) => MONEY_METRICS.has(m)),
    );
    // The month-end projection divides (a rate per hour), so it is not counted here.
    expect(money.length).toBeGreaterThanOrEqual(11);
    for (const { dash, panel } of money)
      expect(unitOf(panel), `${dash.uid}/${panel.title}`).toBe('currencyUSD');
    for (const { dash, panel } of everyPanel.filter(({ panel }) => unitOf(panel) === 'currencyUSD')) {
      const decimals = decimalsOf(panel);
      expect(decimals !== undefined && decimals >= 2 && decimals <= 6, `${dash.uid}/${panel.title}`).toBe(
        true,
      );
    }
  });

  it('shows unit costs (per 1K tokens, per request) in US dollars', () => {
    const unitCosts = everyPanel.filter(({ panel }) => /^Cost (per|of)/.test(panel.title ?? ''));
    expect(unitCosts.map(({ panel }) => panel.title)).toEqual([
      'Cost per 1K tokens',
      'Cost per successful request',
      'Cost of a single request (p50 / p95 / p99)',
    ]);
    for (const { panel } of unitCosts) expect(unitOf(panel), panel.title).toBe('currencyUSD');
  });

  it('shows token counts as short numbers (1.2K, 3.4 Mil)', () => {
    const tokens = everyPanel.filter(
      ({ panel }) =>
        panel.type !== 'table' && !divides(panel) && metricsOf(panel).every((m) => m === METRIC.tokens),
    );
    expect(tokens.length).toBeGreaterThanOrEqual(5);
    for (const { dash, panel } of tokens) expect(unitOf(panel), `${dash.uid}/${panel.title}`).toBe('short');
  });

  it('shows ratios and shares as percentages', () => {
    const ratios = everyPanel.filter(({ panel }) =>
      /ratio\b|^Budget usage$|^Usage missing$/i.test(panel.title ?? ''),
    );
    const percent = ratios.filter(({ panel }) => panel.title !== 'Input / output ratio');
    expect(percent.length).toBeGreaterThanOrEqual(7);
    for (const { dash, panel } of percent)
      expect(unitOf(panel), `${dash.uid}/${panel.title}`).toBe('percentunit');
  });

  it('gives money and token table columns their units', () => {
    const columnUnits: Record<string, string> = {
      Spend: 'currencyUSD',
      Spent: 'currencyUSD',
      Limit: 'currencyUSD',
      Tokens: 'short',
      Used: 'percentunit',
    };
    for (const { dash, panel } of everyPanel.filter(({ panel }) => panel.type === 'table')) {
      const overrides = panel.fieldConfig?.overrides ?? [];
      for (const o of overrides) {
        const column = String(o.matcher.options);
        const unit = o.properties.find((p) => p.id === 'unit')?.value;
        if (column in columnUnits)
          expect(unit, `${dash.uid}/${panel.title}: ${column}`).toBe(columnUnits[column]);
      }
      expect(overrides.length, `${dash.uid}/${panel.title}`).toBeGreaterThan(0);
    }
  });
});
