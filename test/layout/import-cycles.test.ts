/**
 * No import cycle in src/, type-level included: every `import`, `import type`, `export … from` and
 * dynamic `import()` of a relative path counts, because a type-only cycle still ties the modules'
 * designs together (a change to one needs the other in view). Imports are read with
 * `ts.preProcessFile`, the compiler's own scanner, so comments and strings cannot fool it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

/** The src/ files `file` imports (relative specifiers; `.js` written for `.ts`, as Node ESM wants). */
function importsOf(file: string, text: string, known: ReadonlySet<string>): string[] {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  const out: string[] = [];
  for (const { fileName } of importedFiles) {
    if (!fileName.startsWith('.')) continue;
    const base = resolve(dirname(file), fileName);
    const candidates = [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')];
    const hit = candidates.find((c) => known.has(c));
    if (hit !== undefined) out.push(hit);
  }
  return out;
}

/** Every elementary cycle's strongly connected component (Tarjan), as lists of files. */
function cyclesOf(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next++;
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node)!, index.get(to)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      const selfLoop = (graph.get(node) ?? []).includes(node);
      if (component.length > 1 || selfLoop) components.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return components;
}

/** One shortest cycle through `start` inside `members`, for a readable report. */
function cycleThrough(
  start: string,
  graph: ReadonlyMap<string, readonly string[]>,
  members: Set<string>,
): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const to of graph.get(node) ?? []) {
      if (!members.has(to)) continue;
      if (to === start) {
        const path = [node];
        for (let at = node; at !== start; ) {
          at = previous.get(at)!;
          path.unshift(at);
        }
        return [...path, start];
      }
      if (!previous.has(to)) {
        previous.set(to, node);
        queue.push(to);
      }
    }
  }
  return [start];
}

describe('import cycles in src/', () => {
  it('finds a type-only cycle and an export-from cycle (the detector works)', () => {
    const known = new Set(['/x/a.ts', '/x/b.ts', '/x/c.ts']);
    const graph = new Map([
      ['/x/a.ts', importsOf('/x/a.ts', "import type { B } from './b.js';", known)],
      ['/x/b.ts', importsOf('/x/b.ts', "export { C } from './c.js';", known)],
      ['/x/c.ts', importsOf('/x/c.ts', "// import './b.js'\nimport { type A } from './a.js';", known)],
    ]);
    expect(cyclesOf(graph)).toEqual([['/x/a.ts', '/x/b.ts', '/x/c.ts']]);
    graph.set('/x/c.ts', importsOf('/x/c.ts', 'const s = "import \'./a.js\'";', known));
    expect(cyclesOf(graph)).toEqual([]);
  });

  const files = sourceFiles(SRC);
  const known = new Set(files);
  const graph = new Map(files.map((f) => [f, importsOf(f, readFileSync(f, 'utf8'), known)] as const));
  const names = (list: string[]) => list.map((f) => relative(SRC, f)).join(' -> ');
  const cycles = cyclesOf(graph).map((component) => cycleThrough(component[0]!, graph, new Set(component)));

  it('has none, type-level included', () => {
    expect(cycles.map(names)).toEqual([]);
  });
});
