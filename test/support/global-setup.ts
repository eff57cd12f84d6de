/** Fails the run early, with one clear message, when the real binaries the suite needs are missing. */
import { spawnSync } from 'node:child_process';

export default function setup(): void {
  const bins = [
    process.env.PROMETHEUS_BIN ?? 'prometheus',
    'promtool',
    process.env.ALERTMANAGER_BIN ?? 'prometheus-alertmanager',
    'amtool',
  ];
  const missing = bins.filter((bin) => spawnSync('sh', ['-c', `command -v "${bin}"`]).status !== 0);
  if (missing.length > 0) {
    throw new Error(
      `missing programs for the integration tests: ${missing.join(', ')} — run \`node scripts/check-test-deps.mjs\` or install the Debian packages prometheus and prometheus-alertmanager`,
    );
  }
}
