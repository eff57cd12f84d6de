import { describe, expect, it } from 'vitest';
import { overviewDashboard } from '../../grafana/src/overview.js';
import {
  ALL_SELECTED,
  dashboardQueries,
  EMPTY_WHEN_HEALTHY,
  filterVariableQueries,
  loadCommittedDashboards,
  queriesByDashboard,
  substituteVariables,
  variablesIn,
} from '../../grafana/src/queries.js';

describe('substituteVariables', () => {
  it('replaces bare, braced and formatted references like Grafana, with "All" defaults', () => {
    expect(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana variable syntax
      substituteVariables('rate(x{p=~"$provider",m=~"${model}",a=~"${agent:regex}"}[$__rate_interval])', {
        provider: 'openai',
      }),
    ).toBe('rate(x{p=~"openai",m=~".*",a=~".*"}[1m])');
  });

  it('uses the given range and rate window', () => {
    expect(
      substituteVariables('increase(x[$__range]) / rate(x[$__rate_interval])', {
        __range: '10m',
        __rate_interval: '30s',
      }),
    ).toBe('increase(x[10m]) / rate(x[30s])');
  });

  it('refuses a variable it does not know, naming it', () => {
    expect(() => substituteVariables('x{team=~"$team"}')).toThrow(/Unknown dashboard variable \$team/);
  });

  it('leaves no variable in any shipped query', () => {
    for (const q of dashboardQueries()) expect(substituteVariables(q.expr)).not.toContain('$');
  });

  it('defaults every filter to .* so series without the label still match', () => {
    expect(ALL_SELECTED).toMatchObject({
      job: '.*',
      provider: '.*',
      model: '.*',
      agent: '.*',
      operation: '.*',
    });
  });
});

describe('variablesIn', () => {
  it('lists each referenced variable once, in order', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana variable syntax
    expect(variablesIn('a{x=~"$provider",y=~"${provider}"}[$__range] + b[${__rate_interval}]')).toEqual([
      'provider',
      '__range',
      '__rate_interval',
    ]);
  });
});

describe('dashboardQueries', () => {
  const queries = dashboardQueries();

  it('lists every query of every panel of the committed dashboards', () => {
    const committed = loadCommittedDashboards();
    const targets = committed.flatMap((d) =>
      (d.panels ?? []).flatMap((p) => ('targets' in p ? ((p.targets ?? []) as unknown[]) : [])),
    );
    expect(queries).toHaveLength(targets.length);
    expect(queries.length).toBeGreaterThan(50);
  });

  it('says which query is instant, and which panels override the time range', () => {
    const month = queries.find((q) => q.panelTitle === 'Projected month-end spend');
    expect(month).toMatchObject({
      dashboardUid: 'llm-cost-overview',
      instant: true,
      timeFrom: 'now/M',
      refId: 'A',
    });
    expect(queries.find((q) => q.panelTitle === 'Spend by model')).toMatchObject({ instant: false });
    expect(queries.find((q) => q.panelTitle === 'Spend by model')?.timeFrom).toBeUndefined();
  });

  it('groups them by dashboard uid', () => {
    const grouped = queriesByDashboard();
    expect([...grouped.keys()]).toEqual([
      'llm-cost-overview',
      'llm-cost-tokens',
      'llm-cost-reliability',
      'llm-cost-agents',
    ]);
    for (const list of grouped.values()) expect(list.length).toBeGreaterThanOrEqual(8);
  });

  it('flags exactly the panels that are empty when all is well, and those panels exist', () => {
    const flagged = new Set(
      queries.filter((q) => q.emptyWhenHealthy).map((q) => `${q.dashboardUid}/${q.panelTitle}`),
    );
    expect([...flagged].sort()).toEqual([...EMPTY_WHEN_HEALTHY].sort());
  });

  it('reads the same queries from freshly built dashboards as from the committed JSON', () => {
    const fresh = dashboardQueries([overviewDashboard()]);
    expect(fresh).toEqual(queries.filter((q) => q.dashboardUid === 'llm-cost-overview'));
  });
});

describe('filterVariableQueries', () => {
  it('takes each label_values() query apart into label and match[] selector', () => {
    const [job, provider, , , operation] = filterVariableQueries(overviewDashboard());
    expect(job).toEqual({ name: 'job', label: 'job', match: 'llm_requests_total' });
    expect(provider).toEqual({
      name: 'provider',
      label: 'gen_ai_provider_name',
      match: 'llm_requests_total{job=~"$job"}',
    });
    expect(operation?.match).toBe(
      'llm_requests_total{job=~"$job",gen_ai_provider_name=~"$provider",gen_ai_request_model=~"$model",gen_ai_agent_name=~"$agent"}',
    );
  });
});
