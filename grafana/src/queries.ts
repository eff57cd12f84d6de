/**
 * Every panel query of the shipped dashboards, read from the committed JSON that Grafana loads, and
 * the variable substitution Grafana would do — so tests can run each query against a real Prometheus.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { FILTER_LABEL, FILTERS, type Filter } from './common.js';
import { DASHBOARDS, DASHBOARDS_DIR } from './dashboards.js';

export { DASHBOARDS_DIR };

export interface PanelQuery {
  dashboardUid: string;
  dashboardTitle: string;
  panelId: number;
  panelTitle: string;
  /** Grafana panel type: `stat`, `timeseries`, `table`, `bargauge`, `piechart`. */
  panelType: string;
  refId: string;
  /** PromQL with Grafana variables (`$provider`, `$__rate_interval`, …) as stored in the JSON. */
  expr: string;
  /** true: evaluated once at the end of the range (`/api/v1/query`); false: a range query. */
  instant: boolean;
  /** The panel's own time range, when it overrides the dashboard's: `now/d`, `7d`, `30d`, `now/M`. */
  timeFrom?: string;
  /**
   * true when no data is the healthy answer (no unpriced models, no usage missing, no errors), so
   * a workload without those faults legitimately returns an empty result.
   */
  emptyWhenHealthy: boolean;
}

/** Panels whose queries are empty while nothing is wrong, keyed `dashboardUid/panel title`. */
export const EMPTY_WHEN_HEALTHY: ReadonlySet<string> = new Set([
  'llm-cost-overview/Unpriced models',
  'llm-cost-reliability/Errors by type',
  'llm-cost-reliability/Usage missing by reason',
]);

/** The shipped dashboards as committed under `grafana/dashboards/` (what Grafana provisions). */
export function loadCommittedDashboards(dir: string = DASHBOARDS_DIR): dashboard.Dashboard[] {
  return DASHBOARDS.map(
    ({ file }) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as dashboard.Dashboard,
  );
}

interface JsonTarget {
  refId?: string;
  expr?: string;
  instant?: boolean;
}

/** Panels in layout order, including any nested in collapsed rows. */
export function allPanels(dash: dashboard.Dashboard): (dashboard.Panel | dashboard.RowPanel)[] {
  const out: (dashboard.Panel | dashboard.RowPanel)[] = [];
  for (const panel of dash.panels ?? []) {
    out.push(panel);
    if (panel.type === 'row') out.push(...((panel as dashboard.RowPanel).panels ?? []));
  }
  return out;
}

/** Every query of every panel, dashboard by dashboard, in layout order. */
export function dashboardQueries(
  dashboards: dashboard.Dashboard[] = loadCommittedDashboards(),
): PanelQuery[] {
  const queries: PanelQuery[] = [];
  for (const dash of dashboards) {
    for (const panel of allPanels(dash)) {
      if (panel.type === 'row') continue;
      const p = panel as dashboard.Panel;
      for (const target of (p.targets ?? []) as unknown as JsonTarget[]) {
        if (target.expr === undefined) continue;
        const query: PanelQuery = {
          dashboardUid: dash.uid ?? '',
          dashboardTitle: dash.title ?? '',
          panelId: p.id ?? 0,
          panelTitle: p.title ?? '',
          panelType: p.type,
          refId: target.refId ?? '',
          expr: target.expr,
          instant: target.instant === true,
          emptyWhenHealthy: EMPTY_WHEN_HEALTHY.has(`${dash.uid}/${p.title}`),
        };
        if (p.timeFrom) query.timeFrom = p.timeFrom;
        queries.push(query);
      }
    }
  }
  return queries;
}

/** The same list grouped by dashboard UID. */
export function queriesByDashboard(
  dashboards: dashboard.Dashboard[] = loadCommittedDashboards(),
): Map<string, PanelQuery[]> {
  const byUid = new Map<string, PanelQuery[]>();
  for (const query of dashboardQueries(dashboards)) {
    const list = byUid.get(query.dashboardUid) ?? [];
    list.push(query);
    byUid.set(query.dashboardUid, list);
  }
  return byUid;
}

/** Values for every variable a query may use: the filters plus Grafana's built-in intervals. */
export type VariableValues = Record<Filter | '__rate_interval' | '__range' | '__interval', string>;

/**
 * What Grafana substitutes with every filter on "All" (`.*`, which also matches a missing label),
 * a 1-minute rate window (four 15 s scrapes) and a 1-hour panel range.
 */
export const ALL_SELECTED: Readonly<VariableValues> = {
  job: '.*',
  provider: '.*',
  model: '.*',
  agent: '.*',
  operation: '.*',
  __rate_interval: '1m',
  __range: '1h',
  __interval: '15s',
};

const VARIABLE_REFERENCE = /\$(?:\{(\w+)(?::\w+)?\}|(\w+))/g;

/** Names of the variables an expression references (`$x`, `${x}` or `${x:format}`), in order, once each. */
export function variablesIn(expr: string): string[] {
  const names = [...expr.matchAll(VARIABLE_REFERENCE)].map((m) => (m[1] ?? m[2])!);
  return [...new Set(names)];
}

/**
 * Replaces Grafana variables in a panel query, e.g.
 * `substituteVariables(q.expr, { provider: 'openai', __range: '10m' })`; unspecified variables
 * take {@link ALL_SELECTED}. Throws on a variable it does not know, since Grafana would leave it
 * in the query and Prometheus would reject it.
 */
export function substituteVariables(expr: string, values: Partial<VariableValues> = {}): string {
  const merged: Record<string, string> = { ...ALL_SELECTED, ...values };
  return expr.replace(VARIABLE_REFERENCE, (whole, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare)!;
    const value = merged[name];
    if (value === undefined) {
      throw new Error(
        `Unknown dashboard variable ${whole} in query: ${expr} — known: ${Object.keys(merged).join(', ')}`,
      );
    }
    return value;
  });
}

export interface FilterVariableQuery {
  /** Variable name (`provider`, …). */
  name: Filter;
  /** The label whose values it lists. */
  label: string;
  /** Series selector the options come from, with earlier filters' variables still in it. */
  match: string;
}

/**
 * The filter variables' `label_values(selector, label)` queries, taken apart so a test can run them
 * as `GET /api/v1/label/<label>/values?match[]=<substituted selector>`.
 */
export function filterVariableQueries(dash: dashboard.Dashboard): FilterVariableQuery[] {
  const out: FilterVariableQuery[] = [];
  for (const variable of dash.templating?.list ?? []) {
    if (variable.type !== 'query' || !FILTERS.includes(variable.name as Filter)) continue;
    const query = typeof variable.query === 'string' ? variable.query : String(variable.query?.query ?? '');
    const parsed = /^label_values\((.+),\s*(\w+)\)$/.exec(query);
    if (!parsed) throw new Error(`Variable ${variable.name} has an unexpected query: ${query}`);
    const name = variable.name as Filter;
    if (parsed[2] !== FILTER_LABEL[name]) {
      throw new Error(`Variable ${name} lists ${parsed[2]}, expected ${FILTER_LABEL[name]}`);
    }
    out.push({ name, label: parsed[2], match: parsed[1]! });
  }
  return out;
}
