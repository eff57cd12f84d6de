// An app that already runs OpenTelemetry: NodeSDK with a PrometheusExporter, its own counter, and
// llm-cost-otel set up the way SETUP says:
//   instrumentation     NodeSDK({ instrumentations: [new LLMCostInstrumentation()] })
//   register-before     register(), our /metrics opens, then sdk.start() (a later tick)
//   register-same-tick  register(); sdk.start(); in one synchronous run
//   register-after      sdk.start(), then register()
//   register-alone      register() with no OpenTelemetry SDK at all
//   register-instrumentations  registerInstrumentations({ meterProvider }) with a MeterProvider
//                       that is not the global one (only the instrumentation can find it)
//   openai-instrumentation  OpenAIInstrumentation next to LLMCostInstrumentation (one OpenAI call)
//   view                LLMCostInstrumentation and a View dropping gen_ai.agent.name from llm.cost.usd
//                       (two OpenAI calls that differ only in the agent)
// Prints { port, ownUrl, ownUrlNow }: the app's exporter port (none for register-alone), the URL of
// the library's own /metrics while it was open (undefined when it never opened), and its URL now.
import { metrics } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { createDenyListAttributesProcessor, MeterProvider } from '@opentelemetry/sdk-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { getTelemetry, LLMCostInstrumentation, register, withLLMContext } from 'llm-cost-otel';
import { answers, anthropicMessage, main, openaiChat, ready, serveExporter, until } from './common.mjs';

main(async () => {
  const setup = process.env.SETUP;
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const sdkOptions = { metricReaders: [exporter], serviceName: 'otel-app' };
  let ownUrl;
  let sdk;
  let meterProvider;
  const startSdk = (extra = {}) => {
    sdk = new NodeSDK({ ...sdkOptions, ...extra });
    sdk.start();
  };

  if (setup === 'instrumentation') {
    startSdk({ instrumentations: [new LLMCostInstrumentation()] });
  } else if (setup === 'view') {
    startSdk({
      instrumentations: [new LLMCostInstrumentation()],
      views: [
        {
          instrumentName: 'llm.cost.usd',
          attributesProcessors: [createDenyListAttributesProcessor(['gen_ai.agent.name'])],
        },
      ],
    });
  } else if (setup === 'openai-instrumentation') {
    const { OpenAIInstrumentation } = await import('@opentelemetry/instrumentation-openai');
    startSdk({ instrumentations: [new OpenAIInstrumentation(), new LLMCostInstrumentation()] });
  } else if (setup === 'register-before') {
    const telemetry = register();
    ownUrl = await telemetry.metricsUrl();
    if (ownUrl === undefined) throw new Error('register() alone opened no /metrics');
    startSdk();
    // The library looks for a MeterProvider registered later every 2 s, then closes its endpoint.
    await until(async () => !(await answers(ownUrl)), 'the library to close its own /metrics');
  } else if (setup === 'register-same-tick') {
    const telemetry = register();
    startSdk();
    ownUrl = await telemetry.metricsUrl();
  } else if (setup === 'register-after') {
    startSdk();
    ownUrl = await register().metricsUrl();
  } else if (setup === 'register-instrumentations') {
    meterProvider = new MeterProvider({ readers: [exporter] });
    registerInstrumentations({ instrumentations: [new LLMCostInstrumentation()], meterProvider });
  } else if (setup === 'register-alone') {
    ownUrl = await register().metricsUrl();
  } else {
    throw new Error(`unknown SETUP ${setup}`);
  }

  const appJobs = (meterProvider ?? metrics)
    .getMeter('otel-app')
    .createCounter('app_jobs', { description: "The app's own work" });
  appJobs.add(3, { queue: 'default' });

  if (setup === 'openai-instrumentation') {
    await openaiChat();
  } else if (setup === 'view') {
    // Two series that differ only in the agent: the View must add them up.
    await withLLMContext({ agent: 'planner', operation: 'plan' }, () => openaiChat());
    await withLLMContext({ agent: 'reviewer', operation: 'plan' }, () => openaiChat());
  } else {
    await withLLMContext({ agent: 'planner', operation: 'plan' }, () => openaiChat());
    await withLLMContext({ agent: 'coder', operation: 'code' }, () => anthropicMessage());
  }

  const server = sdk || meterProvider ? await serveExporter(exporter) : undefined;
  const ownUrlNow = await getTelemetry()?.metricsUrl();
  await ready({ port: server?.port, ownUrl, ownUrlNow }, async () => {
    await server?.close();
    await sdk?.shutdown();
    await meterProvider?.shutdown();
  });
});
