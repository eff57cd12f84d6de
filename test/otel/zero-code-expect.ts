/** What the zero-code apps (apps/zero-code-*) are run with and must show, on either OpenTelemetry line. */
import { expect } from 'vitest';

export interface ZeroCodeResult {
  refusal?: { name: string; isBudgetExceededError: boolean };
  metrics: string;
}

/** Env of a zero-code app: a guard on a tiny budget for the agent "capped"; our server on port 0. */
export function zeroCodeEnv(fakeOpenAIURL: string): Record<string, string> {
  return {
    FAKE_OPENAI_URL: fakeOpenAIURL,
    OTEL_SERVICE_NAME: 'zero-code-app',
    LLM_COST_METRICS_PORT: '0',
    LLM_COST_BUDGET_GUARD: 'true',
    LLM_COST_BUDGETS: JSON.stringify([
      { name: 'capped', limitUsd: 0.000001, window: '1d', match: { agent: 'capped' } },
    ]),
  };
}

/** What every zero-code app must show. */
export function expectAttributedAndRefused(out: ZeroCodeResult): void {
  const requests = out.metrics.split('\n').filter((l) => l.startsWith('llm_requests_total{'));
  const counted = requests.filter((l) => !l.endsWith(' 0'));
  expect(counted).toHaveLength(1);
  expect(counted[0]).toContain('gen_ai_agent_name="planner"');
  expect(counted[0]).toContain('gen_ai_operation_name="chat"');
  expect(counted[0]).toContain('llm_operation_name="plan"');
  expect(counted[0]).toContain('llm_outcome="success"');
  expect(counted[0]).toMatch(/ 1$/);
  // The defaults (service name as agent, API operation as app operation) never appear.
  expect(out.metrics).not.toContain('gen_ai_agent_name="zero-code-app"');
  expect(out.metrics).not.toContain('gen_ai_agent_name="unknown_service"');
  expect(out.refusal).toEqual({ name: 'BudgetExceededError', isBudgetExceededError: true });
}
