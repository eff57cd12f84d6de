// Zero-code ESM app: run as `node --import llm-cost-otel/register zero-code-esm.mjs`. It imports the
// package's ESM build for attribution and the error class, the way the README shows. Prints one JSON
// line: our exposition text and what the budget guard's refusal looked like.
import { BudgetExceededError, getTelemetry, withLLMContext } from 'llm-cost-otel';
import OpenAI from 'openai';

const client = new OpenAI({ baseURL: process.env.FAKE_OPENAI_URL, apiKey: 'sk-zero-code', maxRetries: 0 });
const chat = () =>
  client.chat.completions.create(
    { model: 'gpt-4o', max_tokens: 100, messages: [{ role: 'user', content: 'hello' }] },
    { headers: { 'x-fake-usage': JSON.stringify({ input: 1000, output: 200 }) } },
  );

await withLLMContext({ agent: 'planner', operation: 'plan' }, chat);
let refusal;
try {
  await withLLMContext({ agent: 'capped', operation: 'spend' }, chat);
} catch (error) {
  refusal = { name: error?.name, isBudgetExceededError: error instanceof BudgetExceededError };
}
console.log(JSON.stringify({ refusal, metrics: getTelemetry()?.metrics() ?? '' }));
await getTelemetry()?.shutdown();
