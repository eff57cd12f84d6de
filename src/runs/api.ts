/**
 * `withAgentRun` / `startAgentRun` on the registered telemetry. Before `register()` (or after
 * shutdown) the code still runs, with its attribution scope, and that the run was not measured is
 * said once.
 */
import { notice } from '../diag.js';
import { getTelemetry } from '../register.js';
import { detachedRun } from './detached.js';
import type { AgentRun, AgentRunOptions } from './types.js';

function unmeasured(options: AgentRunOptions): AgentRun {
  notice(
    'run-before-register',
    'withAgentRun/startAgentRun was called before register() (or after shutdown()): the run is not measured. Call register() first.',
  );
  return detachedRun(options);
}

/**
 * Run `fn` as one agent run (a task). Its result marks success, a thrown error failure (the same
 * error is rethrown); `run.succeed()` / `run.fail(reason)` decide explicitly. Every LLM call inside
 * is attributed to the innermost run and to `options.agent`; runs nest (sub-agents), and a run's
 * totals include its sub-runs'.
 *
 * @example
 * const patch = await withAgentRun({ agent: 'coder', task: 'T-42', variant: 'b' }, async (run) => {
 *   const answer = await openai.chat.completions.create({ ... });
 *   if (!testsPass(answer)) run.fail('tests_failed');
 *   return answer;
 * });
 */
export function withAgentRun<T>(options: AgentRunOptions, fn: (run: AgentRun) => T | Promise<T>): Promise<T> {
  const telemetry = getTelemetry();
  if (telemetry !== undefined) return telemetry.withAgentRun(options, fn);
  const run = unmeasured(options);
  return Promise.resolve().then(() => run.run(() => fn(run)));
}

/**
 * Start a run for callback-style frameworks: end it with `run.end({ outcome })` (or
 * `run.succeed()` / `run.fail(reason)`); run code inside it with `run.run(fn)`. A run never ended
 * is closed as `abandoned` after `runs.timeoutMs`.
 */
export function startAgentRun(options: AgentRunOptions): AgentRun {
  const telemetry = getTelemetry();
  return telemetry !== undefined ? telemetry.startAgentRun(options) : unmeasured(options);
}
