/**
 * Mutation test of the shipped rules (scripts/mutate-rules.mjs): every plausible breakage listed
 * in scripts/rule-mutations.json — a window, divisor, threshold, aggregation or guard changed —
 * must make the promtool tests under test/fixtures/rules/ fail.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './support.js';

interface Mutation {
  id: string;
  description: string;
  file: 'recording' | 'alerts';
  fixtures: string[];
}

const SCRIPT = join(ROOT, 'scripts', 'mutate-rules.mjs');
const mutations = JSON.parse(
  readFileSync(join(ROOT, 'scripts', 'rule-mutations.json'), 'utf8'),
) as Mutation[];
let verdicts = new Map<string, string>();
let output = '';

beforeAll(async () => {
  output = await new Promise<string>((resolve) => {
    const child = spawn(process.execPath, [SCRIPT], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (d: Buffer) => {
      text += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      text += d.toString();
    });
    child.on('close', () => resolve(text));
  });
  verdicts = new Map(
    [...output.matchAll(/^(killed|SURVIVED)\s+([\w-]+):/gm)].map((m) => [m[2]!, m[1]!] as const),
  );
}, 600_000);

describe('mutations of the generated rules', () => {
  it('lists at least 20, each with a description and the test files meant to catch it', () => {
    expect(mutations.length).toBeGreaterThanOrEqual(20);
    expect(new Set(mutations.map((m) => m.id)).size).toBe(mutations.length);
    for (const m of mutations) {
      expect(m.description.length).toBeGreaterThan(0);
      expect(m.fixtures.length).toBeGreaterThan(0);
    }
  });

  it.each(mutations.map((m) => [m.id, m] as const))('%s is caught by the promtool tests', (id) => {
    expect(verdicts.get(id), output).toBe('killed');
  });
});
