/**
 * The contract between the module-patching machinery (`module-patcher.ts`) and each SDK's
 * instrumentation (openai/, anthropic/, gemini/): what to patch when the package loads, and how to
 * put it back — plus the two bookkeeping shapes every SDK uses: one prototype patch per loaded
 * module, and one instance patch per client.
 */
import type { InstrumentationName } from '../../config/options.js';
import type { TelemetrySource } from './call-sink.js';
import { safely } from './safely.js';

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

/**
 * An `SdkModulePatch` that patches a module's prototypes once per module instance — `keyOf` names
 * it (a prototype the exports lead to, shared by the ESM namespace and its `default`) — and
 * `unpatch` runs the undo `patchPrototypes` returned.
 */
export function prototypePatch(
  sdk: Pick<SdkModulePatch, 'name' | 'moduleName' | 'supportedVersions'>,
  keyOf: (exports: unknown) => object | undefined,
  patchPrototypes: (source: TelemetrySource, exports: unknown) => () => void,
): SdkModulePatch {
  const patched = new WeakMap<object, () => void>();
  return {
    ...sdk,
    patch(exports, source) {
      const key = keyOf(exports);
      if (key === undefined || patched.has(key)) return;
      patched.set(key, patchPrototypes(source, exports));
    },
    unpatch(exports) {
      const key = keyOf(exports);
      if (key === undefined) return;
      patched.get(key)?.();
      patched.delete(key);
    },
  };
}

/**
 * Instance patching, once per client: `wrap()` installs the wrappers and returns their undo, kept
 * on the client under `mark` (a `Symbol.for` key, so both builds of this package see it).
 */
export function instrumentOnce<T>(client: T, mark: symbol, wrap: () => () => void): T {
  const holder = client as unknown as Record<symbol, unknown>;
  if (holder[mark]) return client;
  Object.defineProperty(client, mark, { value: wrap(), configurable: true, enumerable: false });
  return client;
}

/** Undo `instrumentOnce(client, mark, …)`. */
export function uninstrument(client: unknown, mark: symbol): void {
  if (typeof client !== 'object' || client === null) return;
  const holder = client as Record<symbol, unknown>;
  const undo = holder[mark];
  if (typeof undo !== 'function') return;
  safely('uninstrumenting a client', undo as () => void);
  delete holder[mark];
}
