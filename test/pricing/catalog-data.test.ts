import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLED_CATALOG, catalogInfo } from '../../src/pricing/catalog-data.js';

describe('the bundled catalog date', () => {
  it('belongs to the installed @pydantic/genai-prices version (update BUNDLED_CATALOG with the package)', () => {
    const pkg = JSON.parse(
      readFileSync(
        resolve(import.meta.dirname, '../../node_modules/@pydantic/genai-prices/package.json'),
        'utf8',
      ),
    ) as { version: string };
    expect(pkg.version).toBe(BUNDLED_CATALOG.version);
  });

  it('is what catalogInfo() reports while no newer data is installed', () => {
    expect(catalogInfo()).toEqual({ source: 'bundled', date: '2026-09-23' });
  });
});
