// Writes src/version.ts from package.json's version (run by `npm run generate`; a test fails when
// the committed file is stale). `--check` exits 1 instead of writing when it would change.
import { readFileSync, writeFileSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const { version } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
const target = new URL('src/version.ts', root);
const content = `// Generated from package.json by \`npm run generate\` (scripts/generate-version.mjs): do not edit.
/** The version of llm-cost-otel: build info, instrumentation scopes, \`llm-cost --version\`. */
export const VERSION = '${version}';
`;
let current = '';
try {
  current = readFileSync(target, 'utf8');
} catch {
  // Not generated yet.
}
if (current === content) process.exit(0);
if (process.argv.includes('--check')) {
  console.error(`src/version.ts is stale (package.json says ${version}): run npm run generate`);
  process.exit(1);
}
writeFileSync(target, content);
console.log('wrote src/version.ts');
