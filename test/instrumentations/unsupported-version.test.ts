/** An installed SDK version we do not patch is said once on stderr, not left silent. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  installedVersion,
  satisfiesRange,
  warnUnsupportedVersions,
} from '../../src/instrumentations/shared/module-patcher.js';
import type { SdkModulePatch } from '../../src/instrumentations/shared/sdk-patch.js';

afterEach(() => vi.restoreAllMocks());

describe('SDK versions', () => {
  it('reads the installed version the app would load', () => {
    expect(installedVersion('openai')).toMatch(/^6\./);
    expect(installedVersion('no-such-package-llm-cost')).toBeUndefined();
  });

  it.each([
    ['6.49.0', '>=4.19.0 <7', true],
    ['4.19.0', '>=4.19.0 <7', true],
    ['4.18.9', '>=4.19.0 <7', false],
    ['7.0.0', '>=4.19.0 <7', false],
    ['7.0.0-beta.1', '>=4.19.0 <7', false],
    ['1.12.0', '>=0.30.0 <2', true],
  ])('%s in %s: %s', (version, range, expected) => {
    expect(satisfiesRange(version, range)).toBe(expected);
  });

  it('an installed version outside the patched range is said once on stderr', () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const sdk = { name: 'openai', moduleName: 'openai', supportedVersions: ['>=7.0.0 <8'] } as SdkModulePatch;
    warnUnsupportedVersions([sdk]);
    warnUnsupportedVersions([sdk]);
    const lines = stderr.mock.calls.map((c) => String(c[0]));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\[llm-cost-otel\] openai 6\.\d+\.\d+ is installed, but llm-cost-otel instruments >=7\.0\.0 <8: its calls are not measured\./,
    );
  });
});
