#!/usr/bin/env node
// The programs the integration tests run (the vitest project `integration`; unit tests need none).
// `npm test` and `npm run test:integration` run this first: it installs what is missing where it
// can (root + apt-get, as in CI's .ci/run) and otherwise says exactly what is missing and how to
// get it. With `--check` it installs nothing: the integration project's global setup
// (test/support/global-setup.ts) uses that, so a bare `npx vitest run` fails with the same message.
import { execFileSync, spawnSync } from 'node:child_process';

const needed = [
  { bin: process.env.PROMETHEUS_BIN ?? 'prometheus', pkg: 'prometheus' },
  { bin: 'promtool', pkg: 'prometheus' },
  { bin: process.env.ALERTMANAGER_BIN ?? 'prometheus-alertmanager', pkg: 'prometheus-alertmanager' },
  { bin: 'amtool', pkg: 'prometheus-alertmanager' },
  { bin: process.env.REDIS_SERVER_BIN ?? 'redis-server', pkg: 'redis-server' },
  // The cost report is rendered in headless Chromium to check it draws (test/cli/report-live.test.ts).
  { bin: process.env.CHROMIUM_BIN ?? 'chromium', pkg: 'chromium' },
  // The live `top` view in a real terminal (test/cli/top-tmux.test.ts).
  { bin: 'tmux', pkg: 'tmux' },
  // `docker-compose config` validates docker-compose.yml without an engine (test/compose).
  { bin: 'docker-compose', pkg: 'docker-compose' },
];

const checkOnly = process.argv.includes('--check');
const has = (bin) => spawnSync('sh', ['-c', `command -v "${bin}"`], { stdio: 'ignore' }).status === 0;
let missing = needed.filter((n) => !has(n.bin));
if (missing.length === 0) process.exit(0);

const packages = () => [...new Set(missing.map((m) => m.pkg))];
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!checkOnly && isRoot && has('apt-get')) {
  console.error(`[llm-cost-otel] installing ${packages().join(' ')} (Debian packages) for the integration tests…`);
  try {
    execFileSync('apt-get', ['update'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages()], { stdio: 'inherit' });
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
    `Install them with: sudo apt-get install -y --no-install-recommends ${packages().join(' ')}`,
    'or point PROMETHEUS_BIN / ALERTMANAGER_BIN / REDIS_SERVER_BIN / CHROMIUM_BIN at binaries you already have.',
    'The unit tests need none of them: npm run test:unit',
    '',
  ].join('\n'),
);
process.exit(1);
