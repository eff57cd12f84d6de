// Zero-code ESM app whose attribution goes through a CommonJS helper (attribution-helper.cjs):
// run as `node --import llm-cost-otel/register zero-code-esm-cjs-helper.mjs`.
import { BudgetExceededError, getTelemetry } from 'llm-cost-otel';
import OpenAI from 'openai';
import helper from './attribution-helper.cjs';

const client = new OpenAI({ baseURL: process.env.FAKE_OPENAI_URL, apiKey: 'sk-zero-code', maxRetries: 0 });
const chat = () =>
  client.chat.completions.create(
    { model: 'gpt-4o', max_tokens: 100, messages: [{ role: 'user', content: 'hello' }] },
    { headers: { 'x-fake-usage': JSON.stringify({ input: 1000, output: 200 }) } },
  );

await helper.runAs('planner', 'plan', chat);
let refusal;
try {
  await helper.runAs('capped', 'spend', chat);
} catch (error) {
  refusal = {
    name: error?.name,
    isBudgetExceededError: error instanceof BudgetExceededError && helper.isBudgetExceeded(error),
  };
}
console.log(JSON.stringify({ refusal, metrics: getTelemetry()?.metrics() ?? '' }));
await getTelemetry()?.shutdown();
