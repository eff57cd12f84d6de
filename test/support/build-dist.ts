/**
 * Global setup of the `package` project (tests of the built package as a consumer sees it:
 * test/otel, test/consumers, test/runs/esm-cjs): rebuild dist/ from the current src/ once, before
 * any of those files starts — never test a stale dist/ left by an earlier build or another branch,
 * and never rebuild while another file's app is loading it (tsup empties dist/ first).
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

export default function setup(): void {
  const build = spawnSync('npx', ['tsup'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) {
    throw new Error(
      `building dist/ (npx tsup) failed (${build.error?.message ?? `exit ${build.status}`}):\n${build.stdout}${build.stderr}`,
    );
  }
}
