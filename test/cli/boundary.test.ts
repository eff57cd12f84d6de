/**
 * The CLI, the demo and the fake provider ship for `llm-cost` only: nothing the library's entry
 * points import (statically or with import()) reaches src/cli/ or src/demo/, so an app that
 * installs the library never loads them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');
/** `from 'x'`, `import 'x'`, `import('x')`: every way a module names another. */
const SPECIFIER = /\b(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g;
/(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;

/** Every file of src/ reachable from `entry` through relative imports. */
function reachable(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
      const spec = m[1]!;
      if (!spec.startsWith('.')) continue;
      const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
      const file2 = existsSync(target) ? target : join(target, 'index.ts');
      if (existsSync(file2)) visit(file2);
    }
  };
  visit(join(SRC, entry));
  return seen;
}

describe('the library does not reach the CLI or the demo', () => {
  it.each(['index.ts', 'register-hook.ts'])('%s', (entry) => {
    const files = [...reachable(entry)].map((f) => relative(SRC, f));
    expect(files.length).toBeGreaterThan(20);
    expect(files.filter((f) => f.startsWith('cli/') || f.startsWith('demo/'))).toEqual([]);
  });

  it('while the CLI reaches the demo and the fake provider (the walk finds them)', () => {
    const files = [...reachable('cli/bin.ts')].map((f) => relative(SRC, f));
    expect(files).toContain('demo/demo.ts');
    expect(files).toContain('demo/fake-provider/index.ts');
  });
});
