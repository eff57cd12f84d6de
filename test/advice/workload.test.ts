/** Rows of the observed workload built from synthetic query results. */
import { describe, expect, it } from 'vitest';
import { type PromSample, workloadQueries, workloadRows } from '../../src/advice/workload.js';

const s = (metric: Record<string, string>, value: number): PromSample => ({
  metric,
  text: String(value),
  value,
});
const m = (model: string, extra: Record<string, string> = {}) => ({
  gen_ai_provider_name: 'openai',
  gen_ai_request_model: model,
  gen_ai_agent_name: 'planner',
  ...extra,
});

describe('workload rows', () => {
  it('queries group by provider, model and the chosen labels', () => {
    expect(workloadQueries(['gen_ai_agent_name'], '7d').tokens).toBe(
      'sum by (gen_ai_provider_name, gen_ai_request_model, gen_ai_agent_name, llm_token_type) (increase(llm_tokens_total[7d]))',
    );
  });

  it('joins tokens by type, cost and calls; an unpriced model has no observed cost', () => {
    const rows = workloadRows(['gen_ai_agent_name'], {
      tokens: [
        s(m('gpt-4o', { llm_token_type: 'input' }), 1000),
        s(m('gpt-4o', { llm_token_type: 'output' }), 200),
        s(m('gpt-4o', { llm_token_type: 'cache_read' }), 50),
        s(m('acme-1', { llm_token_type: 'input' }), 10),
      ],
      cost: [s(m('gpt-4o'), 0.0045), s(m('acme-1'), 0)],
      requests: [s(m('gpt-4o'), 3), s(m('acme-1'), 2)],
      unpriced: [s({ gen_ai_provider_name: 'openai', gen_ai_request_model: 'acme-1' }, 2)],
    });
    expect(rows).toEqual([
      {
        provider: 'openai',
        model: 'gpt-4o',
        group: { gen_ai_agent_name: 'planner' },
        mix: { input: 1000, cache_read: 50, cache_write: 0, output: 200, reasoning: 0 },
        costUsd: 0.0045,
        requests: 3,
        unpricedRequests: 0,
      },
      {
        provider: 'openai',
        model: 'acme-1',
        group: { gen_ai_agent_name: 'planner' },
        mix: { input: 10, cache_read: 0, cache_write: 0, output: 0, reasoning: 0 },
        costUsd: null,
        requests: 2,
        unpricedRequests: 2,
      },
    ]);
  });

  it('drops rows with neither calls nor tokens in the range', () => {
    expect(
      workloadRows([], {
        tokens: [],
        cost: [s(m('gpt-4o'), 0)],
        requests: [s(m('gpt-4o'), 0)],
        unpriced: [],
      }),
    ).toEqual([]);
  });
});
