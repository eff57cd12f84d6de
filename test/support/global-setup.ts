/**
 * Global setup of the `integration` project only: fails the run early, with one clear message,
 * when a program the integration tests run is missing. The list and the message live in
 * scripts/check-test-deps.mjs (also the `npm test` pre-step), run here in its install-nothing mode.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const SCRIPT = resolve(import.meta.dirname, '../../scripts/check-test-deps.mjs');

export default function setup(): void {
  const check = spawnSync(process.execPath, [SCRIPT, '--check'], { encoding: 'utf8' });
  if (check.status !== 0) {
    throw new Error(
      check.stderr.trim() || `${SCRIPT} --check failed (${check.error?.message ?? check.status})`,
    );
  }
}
