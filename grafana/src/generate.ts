/**
 * Writes every shipped dashboard to `grafana/dashboards/<file>.json`, which Grafana loads through
 * `grafana/provisioning/dashboards/llm-cost.yaml`. Run `npx tsx grafana/src/generate.ts` after
 * changing a dashboard and commit the JSON; a test fails when the two disagree.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DASHBOARDS, DASHBOARDS_DIR, renderDashboard } from './dashboards.js';

mkdirSync(DASHBOARDS_DIR, { recursive: true });
for (const { file, build } of DASHBOARDS) {
  const path = join(DASHBOARDS_DIR, file);
  writeFileSync(path, renderDashboard(build()));
  console.log(`wrote ${path}`);
}
