// Zero-code CommonJS app: run as `node --require llm-cost-otel/register zero-code-cjs.cjs`. Same
// calls and output as zero-code-esm.mjs, through the package's CommonJS build.
const { BudgetExceededError, getTelemetry, withLLMContext } = require('llm-cost-otel');
const { OpenAI } = require('openai');

const client = new OpenAI({ baseURL: process.env.FAKE_OPENAI_URL, apiKey: 'sk-zero-code', maxRetries: 0 });
const chat = () =>
  client.chat.completions.create(
    { model: 'gpt-4o', max_tokens: 100, messages: [{ role: 'user', content: 'hello' }] },
    { headers: { 'x-fake-usage': JSON.stringify({ input: 1000, output: 200 }) } },
  );

async function main() {
  await withLLMContext({ agent: 'planner', operation: 'plan' }, chat);
  let refusal;
  try {
    await withLLMContext({ agent: 'capped', operation: 'spend' }, chat);
  } catch (error) {
    refusal = { name: error?.name, isBudgetExceededError: error instanceof BudgetExceededError };
  }
  console.log(JSON.stringify({ refusal, metrics: getTelemetry()?.metrics() ?? '' }));
  await getTelemetry()?.shutdown();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
