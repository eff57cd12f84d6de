/**
 * The apps under test/otel import the package as a consumer does (`import 'llm-cost-otel'`
 * resolves through package.json `exports` to dist/), so dist/ must be built from the current src/.
 * `npm test` builds first; a bare `vitest run test/otel` rebuilds here when any file under src/ is
 * newer than dist/. Test files run in parallel forks: one builds under a lock directory, the others
 * wait for it and re-check.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LOCK = join(ROOT, 'node_modules', '.cache', 'llm-cost-otel-dist.lock');
const OUTPUTS = ['dist/index.js', 'dist/index.cjs', 'dist/register-hook.js', 'dist/register-hook.cjs'];

function newestUnder(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestUnder(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Why dist/ cannot be used as it is, or undefined when every output is newer than all of src/. */
export function staleDist(): string | undefined {
  const source = Math.max(newestUnder(join(ROOT, 'src')), statSync(join(ROOT, 'package.json')).mtimeMs);
  for (const output of OUTPUTS) {
    let built: number;
    try {
      built = statSync(join(ROOT, output)).mtimeMs;
    } catch {
      return `${output} is missing`;
    }
    if (built < source) return `${output} is older than src/`;
  }
  return undefined;
}

function tryLock(): boolean {
  try {
    mkdirSync(LOCK, { recursive: false });
    return true;
  } catch {
    return false;
  }
}

/** Build dist/ unless it is fresh; safe when several test files call it at once. */
export async function ensureFreshDist(timeoutMs = 120_000): Promise<void> {
  mkdirSync(join(ROOT, 'node_modules', '.cache'), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  while (staleDist() !== undefined) {
    if (tryLock()) {
      try {
        // Re-check under the lock: another file may have just built it.
        if (staleDist() !== undefined) execFileSync('npx', ['tsup'], { cwd: ROOT, stdio: 'ignore' });
      } finally {
        rmSync(LOCK, { recursive: true, force: true });
      }
      break;
    }
    // A lock older than the deadline is a crashed build's: take it over.
    const lock = statSync(LOCK, { throwIfNoEntry: false });
    if (lock !== undefined && Date.now() - lock.mtimeMs > timeoutMs) {
      rmSync(LOCK, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error('timed out waiting for another test file to build dist/');
    await new Promise((r) => setTimeout(r, 200));
  }
  const stale = staleDist();
  if (stale !== undefined) throw new Error(`dist/ is not fresh after building: ${stale}`);
}
