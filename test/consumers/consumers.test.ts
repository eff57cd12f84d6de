/**
 * ESM and CommonJS apps, run with `node` against the built package (`dist/`), record their OpenAI
 * calls through the zero-code preload (`--import` / `--require llm-cost-otel/register`), through
 * explicit `register()` + `instrument()`, and through both at once (still one record per call).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider } from '../../src/demo/fake-provider/index.js';
import type { FakeProvider } from '../../src/demo/fake-provider/types.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const app = (name: string) => fileURLToPath(new URL(name, import.meta.url));

let fake: FakeProvider;
// dist/ is rebuilt from src/ before this file runs: the vitest project `package` (vitest.config.ts).
beforeAll(async () => {
  fake = await startFakeProvider();
});
afterAll(() => fake?.stop());

interface AppOutput {
  total: { requests: number; successes: number; costUsd: number; tokens: { input: number; output: number } };
  metrics: string;
}

async function runApp(file: string, mode: string, preload?: string[]): Promise<AppOutput> {
  const { stdout } = await run(process.execPath, [...(preload ?? []), app(file)], {
    cwd: root,
    env: {
      ...process.env,
      FAKE_URL: fake.openaiBaseURL,
      OPENAI_API_KEY: 'sk-consumer',
      MODE: mode,
      LLM_COST_PROMETHEUS_SERVER: 'false',
      LLM_COST_INSTRUMENTATIONS: '',
    },
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) as string) as AppOutput;
}

const CASES = [
  { file: 'esm-app.mjs', preload: ['--import', 'llm-cost-otel/register'] },
  { file: 'cjs-app.cjs', preload: ['--require', 'llm-cost-otel/register'] },
];

describe.each(CASES)('$file', ({ file, preload }) => {
  const expectFourCalls = (out: AppOutput) => {
    // chat JSON, chat stream, responses, embeddings
    expect(out.total).toMatchObject({ requests: 4, successes: 4 });
    expect(out.total.costUsd).toBeGreaterThan(0);
    expect(out.total.tokens.output).toBeGreaterThan(0);
    expect(out.metrics).toMatch(
      /^llm_requests_total\{gen_ai_provider_name="openai",gen_ai_request_model="gpt-4o",[^}]*llm_outcome="success"[^}]*\} 3$/m,
    );
    expect(out.metrics).toMatch(
      /^llm_requests_total\{gen_ai_provider_name="openai",gen_ai_request_model="text-embedding-3-small",[^}]*\} 1$/m,
    );
  };

  it('zero-code preload: measured with no code change', async () => {
    expectFourCalls(await runApp(file, 'auto', preload));
  });

  it('register({ instrumentations: true }) after the SDK was imported: still measured', async () => {
    expectFourCalls(await runApp(file, 'late'));
  });

  it('explicit register() + instrument(client)', async () => {
    expectFourCalls(await runApp(file, 'explicit'));
  });

  it('preload and instrument() together: still one record per call', async () => {
    const both = await runApp(file, 'both', preload);
    expectFourCalls(both);
    const explicit = await runApp(file, 'explicit');
    expect(both.total.costUsd).toBeCloseTo(explicit.total.costUsd, 12);
  });
});
