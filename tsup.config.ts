import { existsSync } from 'node:fs';
import { defineConfig } from 'tsup';

// One bundle per format; entries share its chunks (ESM), so `llm-cost-otel/pricing` and the root
// entry use one catalog and one price book state. CommonJS has no chunks: each entry is whole.
const library = {
  entry: { index: 'src/index.ts', pricing: 'src/entry-pricing.ts', 'register-hook': 'src/register-hook.ts' },
  dts: true,
  sourcemap: true,
  target: 'node20',
} as const;

export default defineConfig([
  { ...library, format: ['esm'], splitting: true, clean: true },
  { ...library, format: ['cjs'], splitting: false },
  ...(existsSync('src/cli/bin.ts')
    ? [
        {
          entry: { 'cli/bin': 'src/cli/bin.ts' },
          format: ['esm' as const],
          sourcemap: true,
          target: 'node20',
          banner: { js: '#!/usr/bin/env node' },
        },
      ]
    : []),
]);
