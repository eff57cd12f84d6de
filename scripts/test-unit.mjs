#!/usr/bin/env node
// `npm run test:unit`: the vitest project `unit` with a PATH that holds only node, npm and npx
// (symlinks in a temp dir), so every run shows the unit tests need no Prometheus, Alertmanager,
// redis, chromium, tmux or shell — a test that does fails here and belongs in `integration`
// (vitest.config.ts). Extra arguments go to vitest, e.g. `npm run test:unit -- test/core`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const bin = mkdtempSync(join(tmpdir(), 'llm-cost-unit-path-'));
const nodeDir = dirname(process.execPath);
symlinkSync(process.execPath, join(bin, 'node'));
for (const tool of ['npm', 'npx']) {
  if (existsSync(join(nodeDir, tool))) symlinkSync(join(nodeDir, tool), join(bin, tool));
}

const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
const run = spawnSync(process.execPath, [vitest, 'run', '--project', 'unit', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, PATH: bin },
});
rmSync(bin, { recursive: true, force: true });
if (run.error) throw run.error;
process.exit(run.status ?? 1);
