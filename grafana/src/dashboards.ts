/** The dashboards this repo ships, and the exact JSON committed for each under `grafana/dashboards/`. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { agentsDashboard } from './agents.js';
import { overviewDashboard } from './overview.js';
import { reliabilityDashboard } from './reliability.js';
import { tokensDashboard } from './tokens.js';

/** `grafana/dashboards/`: the directory the provisioning file points Grafana at. */
export const DASHBOARDS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'dashboards');

export interface ShippedDashboard {
  /** File name in `grafana/dashboards/`. */
  file: string;
  build: () => dashboard.Dashboard;
}

export const DASHBOARDS: readonly ShippedDashboard[] = [
  { file: 'llm-cost-overview.json', build: overviewDashboard },
  { file: 'llm-cost-tokens.json', build: tokensDashboard },
  { file: 'llm-cost-reliability.json', build: reliabilityDashboard },
  { file: 'llm-cost-agents.json', build: agentsDashboard },
];

/** The committed form: two-space JSON with a trailing newline, so diffs stay readable. */
export const renderDashboard = (dash: dashboard.Dashboard): string => `${JSON.stringify(dash, null, 2)}\n`;
