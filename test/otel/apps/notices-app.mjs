// An app with no diag logger, for the one-line stderr notices. CASE:
//   lost-port       register() while another process holds our port (LLM_COST_METRICS_PORT)
//   register-twice  register(), then register() twice more with options
//   preloaded       nothing: whatever `--import llm-cost-otel/register` did is all
// Prints { url, started }: our /metrics URL (undefined when none) and whether a handle exists.
import { getTelemetry, register } from 'llm-cost-otel';

const which = process.env.CASE;
let url;
if (which === 'lost-port') {
  url = await register().metricsUrl();
} else if (which === 'register-twice') {
  register({ prometheus: false });
  register({ defaultAgent: 'second' });
  register({ serviceName: 'third' });
} else if (which !== 'preloaded') {
  throw new Error(`unknown CASE ${which}`);
}
console.log(JSON.stringify({ url, started: getTelemetry() !== undefined }));
await getTelemetry()?.shutdown();
