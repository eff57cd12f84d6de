#!/usr/bin/env node
/**
 * Mutation test of the shipped alert rules: applies each plausible breakage listed in
 * scripts/rule-mutations.json (a wrong window, divisor, threshold, aggregation or guard) to a copy
 * of the generated rule files and runs the promtool tests under test/fixtures/rules/ against it.
 * Every mutation must make at least one of its listed test files fail ("killed"); a mutation the
 * tests do not notice ("survived") means the tests pin timing, not logic.
 *
 *   node scripts/mutate-rules.mjs            # all mutations; exit 1 if any survives
 *   node scripts/mutate-rules.mjs burn-1d-divisor spike-no-floor
 *
 * A mutation whose `find` text no longer occurs in the rules is an error too: the list must follow
 * the rules when they change.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const RULES = join(ROOT, 'prometheus', 'rules');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'rules');
const FILES = { recording: 'llm-cost-recording.yml', alerts: 'llm-cost-alerts.yml' };
export const MUTATIONS_FILE = join(ROOT, 'scripts', 'rule-mutations.json');

/** The rule files' text with one mutation applied; throws when its `find` text is gone. */
export function mutate(mutation) {
  const files = Object.fromEntries(
    Object.entries(FILES).map(([key, name]) => [key, readFileSync(join(RULES, name), 'utf8')]),
  );
  const text = files[mutation.file];
  if (text === undefined) throw new Error(`${mutation.id}: unknown file "${mutation.file}"`);
  if (!text.includes(mutation.find)) {
    throw new Error(`${mutation.id}: "${mutation.find}" not found in ${FILES[mutation.file]}: update the list`);
  }
  files[mutation.file] = mutation.all
    ? text.split(mutation.find).join(mutation.replace)
    : text.replace(mutation.find, mutation.replace);
  return files;
}

function promtool(args, cwd) {
  return new Promise((resolve) => {
    const child = spawn('promtool', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (status) => resolve({ status, output }));
  });
}

/** Runs one mutation in its own temp tree (same relative layout as the repo). */
export async function runMutation(mutation) {
  const dir = mkdtempSync(join(tmpdir(), 'llm-cost-mutation-'));
  try {
    const files = mutate(mutation);
    mkdirSync(join(dir, 'prometheus', 'rules'), { recursive: true });
    for (const [key, name] of Object.entries(FILES)) writeFileSync(join(dir, 'prometheus', 'rules', name), files[key]);
    const fixtures = join(dir, 'test', 'fixtures', 'rules');
    mkdirSync(fixtures, { recursive: true });
    for (const f of mutation.fixtures) cpSync(join(FIXTURES, f), join(fixtures, f));
    const { status, output } = await promtool(['test', 'rules', ...mutation.fixtures], fixtures);
    // promtool exits 1 for a failed test and also for a rule file it cannot load: both kill.
    return { id: mutation.id, killed: status !== 0, output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function loadMutations(ids = []) {
  const all = JSON.parse(readFileSync(MUTATIONS_FILE, 'utf8'));
  return ids.length === 0 ? all : all.filter((m) => ids.includes(m.id));
}

/** All mutations, `concurrency` at a time; resolves with one result per mutation, in list order. */
export async function runMutations(mutations, concurrency = 2) {
  const results = new Array(mutations.length);
  let next = 0;
  const worker = async () => {
    while (next < mutations.length) {
      const i = next++;
      results[i] = await runMutation(mutations[i]);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const mutations = loadMutations(process.argv.slice(2));
  const results = await runMutations(mutations);
  for (const [i, r] of results.entries()) {
    console.log(`${r.killed ? 'killed  ' : 'SURVIVED'} ${r.id}: ${mutations[i].description}`);
  }
  const survived = results.filter((r) => !r.killed);
  console.log(`${results.length - survived.length}/${results.length} mutations killed`);
  process.exit(survived.length === 0 ? 0 : 1);
}
