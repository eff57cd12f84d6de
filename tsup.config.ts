import { existsSync } from 'node:fs';
import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: { index: 'src/index.ts', 'register-hook': 'src/register-hook.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    splitting: false,
  },
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
