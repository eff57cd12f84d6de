/** Public shapes of agent runs: options, the run handle, what an ended run reports. */
import type { TokenType } from '../types.js';

/** How a run ended. `abandoned`: nobody ended it before `runs.timeoutMs` (or too many were open). */
export type RunOutcome = 'success' | 'failure' | 'abandoned';

export interface AgentRunOptions {
  /** The agent doing the work (`gen_ai.agent.name`); also the agent of every LLM call inside. */
  agent: string;
  /** Task / correlation id: on the run's span and in events, never a metric label. */
  task?: string;
  /** The app operation for LLM calls inside (`llm_operation_name`), as in `withLLMContext`. */
  operation?: string;
  /**
   * Further dimensions, passed on to the LLM calls inside like `withLLMContext`'s. Names listed
   * in `runs.dimensions` (e.g. `variant`) are also labels of the run families.
   */
  [dimension: string]: string | undefined;
}

/** Sums over a run's LLM calls, its sub-runs' calls included. */
export interface RunTotals {
  /** USD of the priced calls. */
  costUsd: number;
  /** Tokens by disjoint billing bucket, and their total. */
  tokens: Record<TokenType, number> & { total: number };
  llmCalls: number;
  /** Calls that failed or were aborted (their tokens and cost, if any, are included above). */
  failedCalls: number;
  /** Calls with usage but no price: no cost added for them. */
  unpricedCalls: number;
}

/** What an ended run reports to `onRunEnd` listeners. */
export interface AgentRunEnd {
  id: string;
  agent: string;
  task?: string;
  /** The enclosing run's id, for a sub-run. */
  parentId?: string;
  /** The run's allow-listed dimension values (`runs.dimensions`). */
  dimensions: Readonly<Record<string, string>>;
  outcome: RunOutcome;
  /** `run.fail(reason)`, the thrown error's name, or why it was abandoned. */
  reason?: string;
  startedAt: number;
  durationMs: number;
  totals: RunTotals;
}

export type RunListener = (run: AgentRunEnd) => void;

/** The handle a run's code gets. Never throws. */
export interface AgentRun {
  readonly id: string;
  readonly agent: string;
  readonly task?: string;
  readonly parent?: AgentRun;
  readonly ended: boolean;
  /** Totals so far (a copy). */
  readonly totals: RunTotals;
  /**
   * Mark the run successful. In `withAgentRun` the run still ends when the function settles, and
   * this wins over a thrown error; on a `startAgentRun` run it ends the run now.
   */
  succeed(): void;
  /**
   * Mark the run failed (`reason`: a short, low-cardinality word; it goes on the span, never on a
   * label). In `withAgentRun` this wins over the function's result; on a `startAgentRun` run it
   * ends the run now.
   */
  fail(reason?: string): void;
  /** End the run (default outcome `success`). Later calls do nothing. */
  end(result?: { outcome?: 'success' | 'failure'; reason?: string }): void;
  /** Run `fn` inside this run: its LLM calls and nested runs are attributed to it. */
  run<T>(fn: () => T): T;
}
