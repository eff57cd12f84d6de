export { startAgentRun, withAgentRun } from './api.js';
export type { AgentBaseline, RunsOptions } from './options.js';
export type { RunFigures, RunSummary, RunSummaryQuery } from './run-summary.js';
export type { AgentRun, AgentRunEnd, AgentRunOptions, RunListener, RunOutcome, RunTotals } from './types.js';
