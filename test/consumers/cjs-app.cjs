// A tiny CommonJS app. MODE=auto: measured by `node --require llm-cost-otel/register` alone.
// MODE=explicit: register() + telemetry.instrument(client). MODE=both: the preload and instrument().
// MODE=late: register({ instrumentations: true }) after `openai` was required (above).
// Prints one JSON line: the summary totals and our /metrics text.
const { OpenAI } = require('openai');
const { getTelemetry, register } = require('llm-cost-otel');

async function main() {
  const mode = process.env.MODE ?? 'auto';
  const telemetry =
    mode === 'auto'
      ? getTelemetry()
      : register({ prometheus: false, ...(mode === 'late' ? { instrumentations: true } : {}) });
  await telemetry?.ready();
  let client = new OpenAI({
    baseURL: process.env.FAKE_URL,
    apiKey: process.env.OPENAI_API_KEY,
    maxRetries: 0,
  });
  if (mode === 'explicit' || mode === 'both') client = telemetry.instrument(client);

  const messages = [{ role: 'user', content: process.env.PROMPT ?? 'hello from cjs' }];
  await client.chat.completions.create({ model: 'gpt-4o', messages });
  for await (const _ of await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true })) {
    // drain
  }
  await client.responses.create({ model: 'gpt-4o', input: messages[0].content });
  await client.embeddings.create({ model: 'text-embedding-3-small', input: messages[0].content });

  console.log(JSON.stringify({ total: telemetry?.summary().total, metrics: telemetry?.metrics() ?? '' }));
  await telemetry?.shutdown();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
