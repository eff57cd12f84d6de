/** The run handle given when nothing is measured, so the app's code runs the same either way. */
import { type LLMContext, withLLMContext } from '../context.js';
import type { AgentRun, AgentRunOptions } from './types.js';

/** A run that measures nothing: our own failure, or no telemetry registered. */
export function detachedRun(options: AgentRunOptions): AgentRun {
  const agent = typeof options?.agent === 'string' ? options.agent : '';
  const scope: LLMContext = {};
  if (options !== null && typeof options === 'object') {
    for (const [k, v] of Object.entries(options)) if (typeof v === 'string') scope[k] = v;
  }
  let ended = false;
  return {
    id: '',
    agent,
    task: options?.task,
    parent: undefined,
    get ended() {
      return ended;
    },
    totals: {
      costUsd: 0,
      tokens: { input: 0, cache_read: 0, cache_write: 0, output: 0, reasoning: 0, total: 0 },
      llmCalls: 0,
      failedCalls: 0,
      unpricedCalls: 0,
    },
    succeed: () => {
      ended = true;
    },
    fail: () => {
      ended = true;
    },
    end: () => {
      ended = true;
    },
    run: <T>(fn: () => T): T => withLLMContext(scope, fn),
  };
}
