/**
 * `LLMCostInstrumentation`: the library as an OpenTelemetry JS instrumentation, for
 * `new NodeSDK({ instrumentations: [new LLMCostInstrumentation()] })` or
 * `registerInstrumentations()`. It patches `openai`, `@anthropic-ai/sdk` and `@google/genai`
 * through its module definitions, and reports every metric family through the Meter of the
 * MeterProvider it is handed (so the app's PrometheusExporter, OTLP reader, views and resource
 * apply, and the library opens no port) and spans through the TracerProvider it is handed.
 *
 * It configures the process-wide handle `register()` returns (one per process): a handle that
 * exists already (e.g. from `--import llm-cost-otel/register`) is reused, and configuration given
 * here is then ignored — said once on stderr.
 */
import type { TracerProvider } from '@opentelemetry/api';
import { InstrumentationBase, type InstrumentationConfig } from '@opentelemetry/instrumentation';
import { INSTRUMENTATION_NAMES, type InstrumentationName, type RegisterOptions } from '../config/options.js';
import { guarded } from '../diag.js';
import { getTelemetry, register } from '../register.js';
import { SCOPE_VERSION, TRACER_NAME } from '../telemetry.js';
import { MODULE_PATCHES } from './index.js';
import type { TelemetrySource } from './shared/call-sink.js';
import { ownFileURL, registerEsmLoader } from './shared/esm-loader.js';
import { moduleDefinition, patchPreloaded, warnUnsupportedVersions } from './shared/module-patcher.js';

/** `RegisterOptions` minus what the OpenTelemetry SDK provides, plus the instrumentation's switches. */
export interface LLMCostInstrumentationConfig
  extends InstrumentationConfig,
    Omit<RegisterOptions, 'instrumentations' | 'meterProvider' | 'tracerProvider'> {
  /** SDKs to patch: `openai`, `anthropic`, `google-genai`. Default all three. */
  sdks?: InstrumentationName[];
}

const ORIGIN = 'the MeterProvider handed to LLMCostInstrumentation';

export class LLMCostInstrumentation extends InstrumentationBase<LLMCostInstrumentationConfig> {
  // Declared, not initialised: the base constructor calls enable() before field initialisers run.
  declare private unpatchPreloaded: Array<() => void> | undefined;

  constructor(config: LLMCostInstrumentationConfig = {}) {
    super(TRACER_NAME, SCOPE_VERSION, config);
    const { enabled: _enabled, sdks: _sdks, ...options } = config;
    // Patching is this instrumentation's job (its module definitions), not the handle's.
    const telemetry = register({ ...options, instrumentations: false });
    telemetry.useMeter(this.meter, ORIGIN);
    // SDK modules imported by ESM code later are reached through import-in-the-middle's hook.
    registerEsmLoader(ownFileURL());
  }

  protected override init() {
    const wanted = this.getConfig().sdks ?? [...INSTRUMENTATION_NAMES];
    // `init()` runs inside the base constructor, before this class's fields exist: the source
    // reads the process-wide handle when a call happens.
    const source: TelemetrySource = () => getTelemetry();
    return MODULE_PATCHES.filter((sdk) => wanted.includes(sdk.name)).map((sdk) =>
      moduleDefinition(sdk, source),
    );
  }

  /** NodeSDK / `setMeterProvider()` handed us a (new) MeterProvider: report through its Meter. */
  protected override _updateMetricInstruments(): void {
    // Also called by the base constructor, before the handle exists: the constructor attaches then.
    getTelemetry()?.useMeter(this.meter, ORIGIN);
  }

  override setTracerProvider(tracerProvider: TracerProvider): void {
    super.setTracerProvider(tracerProvider);
    getTelemetry()?.useTracerProvider(tracerProvider);
  }

  override enable(): void {
    super.enable();
    // Modules `require`d before we were enabled are not seen by the require hook: patch them now.
    const wanted = this.getConfig().sdks ?? [...INSTRUMENTATION_NAMES];
    const source: TelemetrySource = () => getTelemetry();
    warnUnsupportedVersions(MODULE_PATCHES.filter((sdk) => wanted.includes(sdk.name)));
    for (const sdk of MODULE_PATCHES) {
      if (wanted.includes(sdk.name)) {
        const undo = patchPreloaded(sdk, source);
        if (undo) {
          this.unpatchPreloaded ??= [];
          this.unpatchPreloaded.push(undo);
        }
      }
    }
  }

  override disable(): void {
    super.disable();
    for (const undo of (this.unpatchPreloaded ?? []).splice(0)) guarded('unpatching', undo);
  }
}
