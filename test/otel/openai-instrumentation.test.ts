/**
 * (f) Next to `@opentelemetry/instrumentation-openai` in NodeSDK: one OpenAI call is counted once
 * by us (llm_requests_total) and once in `gen_ai_client_token_usage` for input tokens across all
 * scopes (no double counting), and `promtool check metrics` accepts the app's page.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleSum } from '../support/exposition.js';
import type { RunningApp } from './app-process.js';
import { metricsPage, startNodeSdkApp } from './nodesdk-app.js';

let app: RunningApp<{ port: number }>;
let page: string;

beforeAll(async () => {
  app = await startNodeSdkApp('openai-instrumentation');
  page = await metricsPage(app.result.port);
}, 120_000);

afterAll(async () => {
  await app?.stop();
});

/** Sum of the samples of `name` whose label text matches `filter`, over every scope. */
const total = (name: string, filter?: RegExp): number => sampleSum(page, `${name}{`, filter);

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
