/**
 * (g) Zero-code entry, one module instance: `node --import llm-cost-otel/register` (ESM app),
 * `node --require llm-cost-otel/register` (CommonJS app) and an ESM app with a CommonJS helper
 * attribute their calls through `withLLMContext` (the agent and operation they set, not the
 * defaults), and a budget-guard refusal is `instanceof BudgetExceededError` in the app.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider } from '../../src/demo/fake-provider/index.js';
import type { FakeProvider } from '../../src/demo/fake-provider/types.js';
import { appPath, ourLines, startApp } from './app-process.js';
import { ensureFreshDist } from './dist.js';
import { expectAttributedAndRefused, type ZeroCodeResult, zeroCodeEnv } from './zero-code-expect.js';

const CASES = [
  { app: 'zero-code-esm.mjs', nodeArgs: ['--import', 'llm-cost-otel/register'] },
  { app: 'zero-code-cjs.cjs', nodeArgs: ['--require', 'llm-cost-otel/register'] },
  { app: 'zero-code-esm-cjs-helper.mjs', nodeArgs: ['--import', 'llm-cost-otel/register'] },
];

let fake: FakeProvider;

beforeAll(async () => {
  await ensureFreshDist();
  fake = await startFakeProvider();
}, 120_000);

afterAll(() => fake?.stop());

describe.each(CASES)('$app with $nodeArgs', ({ app, nodeArgs }) => {
  it('attributes through withLLMContext and refuses with an instanceof BudgetExceededError', async () => {
    const before = fake.requests.length;
    const run = await startApp<ZeroCodeResult>(appPath(app), {
      nodeArgs,
      env: zeroCodeEnv(fake.openaiBaseURL),
    });
    expect(await run.stop()).toBe(0);
    expectAttributedAndRefused(run.result);
    // The refused call never reached the provider.
    expect(fake.requests.length - before).toBe(1);
    expect(ourLines(run.stderr())).toEqual([]);
  });
});
