#!/usr/bin/env node
// Runs before `npm test`: the integration tests need real Prometheus, Alertmanager and Redis binaries.
// In CI (.ci/run) they are installed from Debian packages; elsewhere we install them where we
// can (root + apt-get) and otherwise say exactly what is missing and how to get it.
import { execFileSync, spawnSync } from 'node:child_process';

const needed = [
  { bin: process.env.PROMETHEUS_BIN ?? 'prometheus', pkg: 'prometheus' },
  { bin: 'promtool', pkg: 'prometheus' },
  { bin: process.env.ALERTMANAGER_BIN ?? 'prometheus-alertmanager', pkg: 'prometheus-alertmanager' },
  { bin: 'amtool', pkg: 'prometheus-alertmanager' },
  { bin: process.env.REDIS_SERVER_BIN ?? 'redis-server', pkg: 'redis-server' },
  // The cost report is rendered in headless Chromium to check it draws (test/cli/report-live.test.ts).
  { bin: process.env.CHROMIUM_BIN ?? 'chromium', pkg: 'chromium' },
];

const has = (bin) => spawnSync('sh', ['-c', `command -v "${bin}"`], { stdio: 'ignore' }).status === 0;
let missing = needed.filter((n) => !has(n.bin));
if (missing.length === 0) process.exit(0);

const pkgs = [...new Set(missing.map((m) => m.pkg))];
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (isRoot && has('apt-get')) {
  console.error(`[llm-cost-otel] installing ${pkgs.join(' ')} (Debian packages) for the integration tests…`);
  try {
    execFileSync('apt-get', ['update'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...pkgs], { stdio: 'inherit' });
  } catch {
    // reported below
  }
  missing = needed.filter((n) => !has(n.bin));
  if (missing.length === 0) process.exit(0);
}

console.error(
  [
    '',
    '[llm-cost-otel] The integration tests need these programs, which are not on PATH:',
    ...missing.map((m) => `  - ${m.bin} (Debian package: ${m.pkg})`),
    '',
    `Install them with: sudo apt-get install -y --no-install-recommends ${pkgs.join(' ')}`,
    'or point PROMETHEUS_BIN / ALERTMANAGER_BIN / REDIS_SERVER_BIN at binaries you already have.',
    '',
  ].join('\n'),
);
process.exit(1);
