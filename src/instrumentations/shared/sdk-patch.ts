/**
 * The contract between the module-patching machinery (`module-patcher.ts`) and each SDK's
 * instrumentation (openai/, anthropic/, gemini/): what to patch when the package loads, and how to
 * put it back.
 */
import type { InstrumentationName } from '../../config/options.js';
import type { LLMTelemetry } from '../../telemetry.js';

/** Where a wrapper gets its telemetry when a call happens (undefined: measure nothing, pass through). */
export type TelemetrySource = () => LLMTelemetry | undefined;

export interface SdkModulePatch {
  /** The name users enable it by (`instrumentations: ['openai']`). */
  name: InstrumentationName;
  /** The package name as apps `require`/`import` it, e.g. `openai`, `@anthropic-ai/sdk`. */
  moduleName: string;
  /** Semver ranges of the package we patch (others are left alone). */
  supportedVersions: string[];
  /**
   * Patch the loaded module. `exports` is the CommonJS exports object or the ESM namespace (as
   * import-in-the-middle hands it over). Patches prototypes in place; returns nothing.
   */
  patch(exports: unknown, source: TelemetrySource): void;
  /** Restore what `patch` changed. */
  unpatch(exports: unknown): void;
}
