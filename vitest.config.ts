import { defineConfig } from 'vitest/config';

/**
 * Three projects. `unit`: runs inside the test process only — in-memory readers, loopback servers
 * it starts itself (the fake provider, the exporter's endpoint) — no child process, no `dist/`, no
 * program from PATH; `npm run test:unit` runs it with PATH holding only node/npm/npx to prove it.
 * `integration`: everything that starts a real program (Prometheus, Alertmanager, promtool,
 * amtool, redis-server, chromium, tmux, docker-compose, sh) or spawns the CLI or an app process.
 * `package`: the built package (dist/) run as a consumer runs it — rebuilt once at the start of
 * every run that includes one of these files. A file goes into `integration` or `package` by name,
 * so a new file is `unit` until it needs more — and then the binary-less unit run fails and says so.
 */
const INTEGRATION = [
  // Real Prometheus / Alertmanager / promtool / amtool / the shipped shell scripts.
  'test/rules/**/*.test.ts',
  'test/integration/**/*.test.ts',
  'test/load/**/*.test.ts',
  'test/cluster/cluster.test.ts',
  'test/core/exposition.test.ts',
  // Runs scripts/generate-version.mjs in a node process.
  'test/core/version.test.ts',
  'test/hardening/alertmanager-outage.test.ts',
  'test/hardening/faults.test.ts',
  'test/hardening/hostile-input.test.ts',
  'test/hardening/hostile-parsing.test.ts',
  'test/runs/cli.test.ts',
  // redis-server, docker-compose.
  'test/budgets/redis-store.test.ts',
  'test/compose/**/*.test.ts',
  // The CLI as a process (tsx), chromium and tmux included; the CLI's pure parsers stay unit.
  'test/cli/advice-commands.test.ts',
  'test/cli/processes.test.ts',
  'test/cli/demo-stack.test.ts',
  'test/cli/demo.test.ts',
  'test/cli/errors.test.ts',
  'test/cli/hostile.test.ts',
  'test/cli/price.test.ts',
  'test/cli/prices.test.ts',
  'test/cli/prometheus.test.ts',
  'test/cli/report-live.test.ts',
  'test/cli/top-tmux.test.ts',
  // App processes.
  'test/fake-provider/server.test.ts',
  'test/hardening/cardinality.test.ts',
  // mkfifo and ln for the special-file cases.
  'test/pricing/override-limits.test.ts',
];

/** Tests of the built package (dist/) as a consumer runs it; their project rebuilds dist/ first. */
const PACKAGE = ['test/otel/**/*.test.ts', 'test/consumers/**/*.test.ts', 'test/runs/esm-cjs.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    setupFiles: ['test/support/fast-check-seed.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['**/node_modules/**', ...INTEGRATION, ...PACKAGE],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: INTEGRATION,
          exclude: ['**/node_modules/**'],
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'package',
          include: PACKAGE,
          exclude: ['**/node_modules/**'],
          globalSetup: ['test/support/global-setup.ts', 'test/support/build-dist.ts'],
        },
      },
    ],
  },
});
