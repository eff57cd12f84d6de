/**
 * Automatic instrumentation: patch SDK modules when the app loads them, through the OpenTelemetry
 * instrumentation machinery — require-in-the-middle for CommonJS, import-in-the-middle for ESM
 * (which needs its loader hook registered before the app's imports, see `esm-loader.ts`).
 *
 * A module that was `require`d before we were enabled is patched directly from `require.cache`.
 * An ESM module imported before the loader hook was registered is reached by importing it again
 * (the same module instance) and patching its classes' prototypes, which the app's bindings
 * share (`patchImportedEsm`).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { InstrumentationBase, InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { guarded, notice } from '../../diag.js';
import { errorMessage } from '../../util/error-message.js';
import { VERSION } from '../../version.js';
import type { TelemetrySource } from './call-sink.js';
import type { SdkModulePatch } from './sdk-patch.js';

/**
 * One InstrumentationBase per SDK, so each shows up under its own name in OTel diagnostics. A class
 * per call: the base constructor calls `init()` before subclass fields exist, so `init` reads the
 * SDK from the closure.
 */
function sdkInstrumentation(sdk: SdkModulePatch, source: TelemetrySource): InstrumentationBase {
  class SdkInstrumentation extends InstrumentationBase {
    protected override init() {
      return [moduleDefinition(sdk, source)];
    }
  }
  return new SdkInstrumentation(`llm-cost-otel/${sdk.name}`, VERSION, { enabled: false });
}

/** The CommonJS exports of `moduleName` if the app already required it (resolved from its cwd). */
function preloadedExports(moduleName: string): unknown {
  const appRequire = createRequire(join(process.cwd(), 'index.js'));
  let resolved: string;
  try {
    resolved = appRequire.resolve(moduleName);
  } catch {
    return undefined;
  }
  const cached = appRequire.cache[resolved];
  return cached?.loaded ? cached.exports : undefined;
}

/**
 * The version of `moduleName` the app would load, or undefined when it is not installed (or its
 * package.json cannot be read).
 */
export function installedVersion(moduleName: string): string | undefined {
  let dir: string;
  try {
    dir = dirname(createRequire(join(process.cwd(), 'index.js')).resolve(moduleName));
  } catch {
    return undefined;
  }
  for (let i = 0; i < 8; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (pkg.name === moduleName && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // no package.json here: keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

/** `version` satisfies every comparator of `range` (our ranges: `>=4.19.0 <7`). */
export function satisfiesRange(version: string, range: string): boolean {
  const parse = (v: string) =>
    v
      .replace(/^v/, '')
      .split(/[.+-]/)
      .slice(0, 3)
      .map((n) => Number(n) || 0);
  const compare = (a: number[], b: number[]) => {
    for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
    return 0;
  };
  const v = parse(version);
  return range
    .trim()
    .split(/\s+/)
    .every((comparator) => {
      const m = /^(>=|<=|>|<|=)?(.+)$/.exec(comparator);
      if (!m) return true;
      const c = compare(v, parse(m[2]!));
      switch (m[1]) {
        case '>=':
          return c >= 0;
        case '<=':
          return c <= 0;
        case '>':
          return c > 0;
        case '<':
          return c < 0;
        default:
          return c === 0;
      }
    });
}

/** Say once, where a person sees it, when an installed SDK is a version we do not patch. */
export function warnUnsupportedVersions(sdks: readonly SdkModulePatch[]): void {
  for (const sdk of sdks) {
    const version = installedVersion(sdk.moduleName);
    if (version === undefined) continue;
    if (!sdk.supportedVersions.some((range) => satisfiesRange(version, range))) {
      notice(
        `unsupported:${sdk.moduleName}@${version}`,
        `${sdk.moduleName} ${version} is installed, but llm-cost-otel instruments ${sdk.supportedVersions.join(' or ')}: its calls are not measured. Use a supported version, or report each call with telemetry.record().`,
      );
    }
  }
}

/** The OTel module definition that patches `sdk` on load (require hook and import-in-the-middle). */
export function moduleDefinition(
  sdk: SdkModulePatch,
  source: TelemetrySource,
): InstrumentationNodeModuleDefinition {
  return new InstrumentationNodeModuleDefinition(
    sdk.moduleName,
    sdk.supportedVersions,
    (exports: unknown) => {
      guarded(`patching ${sdk.moduleName}`, () => sdk.patch(exports, source));
      return exports;
    },
    (exports: unknown) => {
      guarded(`unpatching ${sdk.moduleName}`, () => sdk.unpatch(exports));
    },
  );
}

/** Patch `sdk` if the app already `require`d it; returns the undo, or undefined when not loaded. */
export function patchPreloaded(sdk: SdkModulePatch, source: TelemetrySource): (() => void) | undefined {
  const preloaded = preloadedExports(sdk.moduleName);
  if (preloaded === undefined) return undefined;
  sdk.patch(preloaded, source);
  return () => sdk.unpatch(preloaded);
}

/**
 * Patch SDK modules an ESM app imported before we were enabled: `import()` returns the module
 * instance the app holds, and patching is idempotent, so a module the loader hook already patched
 * is left as it is. Only for installed SDKs (an SDK the app does not have is not loaded). Resolves
 * to the names of the SDKs it patched here.
 */
export async function patchImportedEsm(
  sdks: readonly SdkModulePatch[],
  source: TelemetrySource,
  onUndo: (undo: () => void) => void,
): Promise<string[]> {
  const appRequire = createRequire(join(process.cwd(), 'index.js'));
  const patched: string[] = [];
  for (const sdk of sdks) {
    try {
      appRequire.resolve(sdk.moduleName);
    } catch {
      continue;
    }
    try {
      const namespace: unknown = await import(sdk.moduleName);
      sdk.patch(namespace, source);
      onUndo(() => sdk.unpatch(namespace));
      patched.push(sdk.name);
    } catch (error) {
      notice(
        `unpatched:${sdk.name}`,
        `the ${sdk.moduleName} SDK could not be instrumented (${errorMessage(error)}): its calls are not measured. Start the app with node --import llm-cost-otel/register, or wrap the client with telemetry.instrument(client).`,
      );
    }
  }
  return patched;
}

/** Start patching `sdks` on load; returns the function that restores every original. */
export function enableModulePatches(sdks: readonly SdkModulePatch[], source: TelemetrySource): () => void {
  warnUnsupportedVersions(sdks);
  const undo: Array<() => void> = [];
  for (const sdk of sdks) {
    guarded(`enabling the ${sdk.name} instrumentation`, () => {
      const instrumentation = sdkInstrumentation(sdk, source);
      instrumentation.enable();
      undo.push(() => instrumentation.disable());
      const undoPreloaded = patchPreloaded(sdk, source);
      if (undoPreloaded) undo.push(undoPreloaded);
    });
  }
  return () => {
    for (const step of undo.splice(0).reverse()) guarded('disabling an instrumentation', step);
  };
}
