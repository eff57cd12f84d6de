/** Writes the committed rule files: `npx tsx prometheus/src/generate.ts`. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderRuleFiles } from './rules.js';

export const RULES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'rules');

mkdirSync(RULES_DIR, { recursive: true });
for (const [name, content] of Object.entries(renderRuleFiles())) {
  const path = join(RULES_DIR, name);
  writeFileSync(path, content);
  console.log(`wrote ${relative(process.cwd(), path)}`);
}
