// Which optional packages loading the library and `register()` pulls in, and which only load at
// first use. Prints one JSON line: the packages seen after register(), and after the first use of
// each optional part (MODE=otlp: OTLP export to OTLP_URL; MODE=yaml: a YAML prices file).
import { createRequire, register as registerHooks } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

const { port1, port2 } = new MessageChannel();
const imported = new Set();
port1.on('message', (url) => imported.add(url));
port1.unref();
registerHooks('./module-log-hooks.mjs', import.meta.url, { data: { port: port2 }, transferList: [port2] });

const require = createRequire(import.meta.url);
const PACKAGES = ['@opentelemetry/exporter-metrics-otlp-http', 'yaml'];
// An `import` is seen by the hooks, a `require` lands in require.cache.
const loaded = () =>
  PACKAGES.filter(
    (name) =>
      [...imported].some((url) => url.includes(`/node_modules/${name}/`)) ||
      Object.keys(require.cache).some((path) => path.includes(`/node_modules/${name}/`)),
  );

const { register } = await import('llm-cost-otel');
const mode = process.env.MODE;
const telemetry = register({
  prometheus: false,
  meterProvider: false,
  ...(mode === 'otlp' ? { otlp: { url: process.env.OTLP_URL, intervalMs: 600_000 } } : {}),
  prices:
    mode === 'yaml'
      ? { file: process.env.PRICES_FILE }
      : { overrides: [{ provider: 'acme', model: 'acme-1', inputPerMTok: 1, outputPerMTok: 4 }] },
});
// Recorded before anything lazily loaded has arrived: must still be exported.
const recorded = telemetry.record({
  provider: 'acme',
  model: 'acme-1',
  usage: { inputTokens: 1000, outputTokens: 0 },
});
const afterRegister = loaded();
await telemetry.ready();
const afterStart = loaded();
await telemetry.shutdown();
console.log(JSON.stringify({ afterRegister, afterStart, costUsd: recorded?.costUsd ?? null }));
