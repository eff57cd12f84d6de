/**
 * `dashboard_url` of each alert: the shipped Grafana panel that shows what the alert looks at,
 * found by title in the dashboards as code (so a renamed panel fails generation, not a click).
 */
import { DASHBOARDS, type ShippedDashboard } from '../../grafana/src/dashboards.js';
import { allPanels } from '../../grafana/src/queries.js';
import type { RulesConfig } from './config.js';

let built: ReturnType<ShippedDashboard['build']>[] | undefined;

export function dashboardUrl(cfg: RulesConfig, alert: string): string {
  const ref = cfg.panels[alert];
  if (!ref) throw new Error(`No dashboard panel configured for alert ${alert}: add it to config.panels`);
  built ??= DASHBOARDS.map((d) => d.build());
  const found = built.find((d) => d.uid === ref.uid);
  if (!found) throw new Error(`Alert ${alert}: no dashboard with uid ${ref.uid}`);
  const panel = allPanels(found).find((p) => p.title === ref.panel);
  if (panel?.id === undefined)
    throw new Error(`Alert ${alert}: dashboard ${ref.uid} has no panel "${ref.panel}"`);
  return `${cfg.grafanaUrl}/d/${ref.uid}?viewPanel=${panel.id}`;
}
