/** `src/version.ts` is generated from package.json (`npm run generate`); everything reads it. */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { LIBRARY_VERSION } from '../../src/metrics/names.js';
import { INSTRUMENTATION_SCOPE } from '../../src/metrics/otel-producer.js';
import { SCOPE_VERSION } from '../../src/telemetry.js';
import { VERSION } from '../../src/version.js';

const root = new URL('../../', import.meta.url);
const { version } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { version: string };

describe('the library version', () => {
  it('src/version.ts says what package.json says (else: npm run generate)', async () => {
    expect(VERSION).toBe(version);
    // The generator's own check agrees byte for byte with the committed file.
    await expect(
      promisify(execFile)(process.execPath, ['scripts/generate-version.mjs', '--check'], { cwd: root }),
    ).resolves.toBeDefined();
  });

  it('build info, the OTel scopes and the span tracer all report it', () => {
    expect([LIBRARY_VERSION, INSTRUMENTATION_SCOPE.version, SCOPE_VERSION]).toEqual([
      version,
      version,
      version,
    ]);
  });
});
