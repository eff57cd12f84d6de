/**
 * (f) Next to `@opentelemetry/instrumentation-openai` in NodeSDK: one OpenAI call is counted once
 * by us (llm_requests_total) and once in `gen_ai_client_token_usage` for input tokens across all
 * scopes (no double counting), and `promtool check metrics` accepts the app's page.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider } from '../../src/demo/fake-provider/index.js';
import type { FakeProvider } from '../../src/demo/fake-provider/types.js';
import { appPath, type RunningApp, startApp } from './app-process.js';
import { ensureFreshDist } from './dist.js';

let fake: FakeProvider;
let app: RunningApp<{ port: number }>;
let page: string;

beforeAll(async () => {
  await ensureFreshDist();
  fake = await startFakeProvider();
  app = await startApp(appPath('nodesdk-app.mjs'), {
    env: {
      SETUP: 'openai-instrumentation',
      FAKE_OPENAI_URL: fake.openaiBaseURL,
      FAKE_ANTHROPIC_URL: fake.anthropicBaseURL,
    },
  });
  page = await (await fetch(`http://127.0.0.1:${app.result.port}/metrics`)).text();
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await fake?.stop();
});

/** Sum of the samples of `name` whose label text matches `filter`, over every scope. */
function total(name: string, filter: RegExp = /./): number {
  return page
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) && filter.test(line))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

describe('LLMCostInstrumentation next to @opentelemetry/instrumentation-openai', () => {
  it('counts the one call once in llm_requests_total', () => {
    expect(total('llm_requests_total')).toBe(1);
    expect(total('llm_requests_total', /llm_outcome="success"/)).toBe(1);
  });

  it('gen_ai_client_token_usage counts the input tokens of the call once across scopes', () => {
    const scopes = page
      .split('\n')
      .filter(
        (l) => l.startsWith('gen_ai_client_token_usage_count{') && l.includes('gen_ai_token_type="input"'),
      )
      .map((l) => /otel_scope_name="([^"]*)"/.exec(l)?.[1]);
    expect(scopes).toEqual(['@opentelemetry/instrumentation-openai']);
    expect(total('gen_ai_client_token_usage_count', /gen_ai_token_type="input"/)).toBe(1);
    // The fake provider reported 1000 input tokens (apps/common.mjs).
    expect(total('gen_ai_client_token_usage_sum', /gen_ai_token_type="input"/)).toBe(1000);
  });

  it('promtool check metrics accepts the page', () => {
    const check = spawnSync('promtool', ['check', 'metrics'], { input: page, encoding: 'utf8' });
    expect(`${check.stdout}${check.stderr}`).toBe('');
    expect(check.status).toBe(0);
  });
});
