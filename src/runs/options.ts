/**
 * `register({ runs })`: agent-run options — the abandonment timeout, the allow-listed run
 * dimensions, per-agent baselines — and their up-front validation.
 */
import { ConfigError } from '../config/errors.js';
import { fail, integerIn } from '../config/option-checks.js';
import { errorMessage } from '../util/error-message.js';

export interface AgentBaseline {
  /**
   * What one successful run of this agent should cost, USD (total run cost ÷ successful runs).
   * Exported as `llm_agent_baseline_cost_per_success_usd`; the efficiency alert compares with it.
   */
  baselineCostPerSuccessUsd: number;
}

export interface RunsOptions {
  /**
   * A run not ended after this long is closed as `abandoned` (its timer never keeps the process
   * alive). Default 14,400,000 ms (4 h); env `LLM_COST_RUN_TIMEOUT_MS`.
   */
  timeoutMs?: number;
  /**
   * Run options promoted to labels of the run families (allow-list), e.g. `['variant']` to compare
   * two configurations of one agent. Default none; env `LLM_COST_RUN_DIMENSIONS` (comma-separated).
   */
  dimensions?: string[];
  /**
   * Baselines by agent name, e.g. `{ coder: { baselineCostPerSuccessUsd: 0.3 } }`. Default none;
   * env `LLM_COST_RUN_BASELINES` (the same object as JSON).
   */
  baselines?: Record<string, AgentBaseline>;
  /**
   * Runs open at once; past it the oldest open run is closed as `abandoned` (said once on stderr).
   * Default 10,000.
   */
  maxOpenRuns?: number;
  /** Ended runs kept for `summary({ since })` (the newest win). Default 10,000. */
  summaryCapacity?: number;
}

export interface ResolvedRunsOptions {
  timeoutMs: number;
  dimensions: string[];
  baselines: Record<string, number>;
  maxOpenRuns: number;
  summaryCapacity: number;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const RESERVED = new Set(['agent', 'task', 'operation', 'outcome', 'job', 'instance', 'le']);

export function resolveRuns(value: RunsOptions | undefined, env: NodeJS.ProcessEnv): ResolvedRunsOptions {
  const o = value ?? {};
  if (o === null || typeof o !== 'object') fail('runs', 'must be an object', o);
  const timeoutMs = integerIn(
    o.timeoutMs !== undefined ? 'runs.timeoutMs' : 'env LLM_COST_RUN_TIMEOUT_MS',
    o.timeoutMs ?? (env.LLM_COST_RUN_TIMEOUT_MS || 14_400_000),
    1,
    7 * 86_400_000,
  );
  const dimsField = o.dimensions !== undefined ? 'runs.dimensions' : 'env LLM_COST_RUN_DIMENSIONS';
  const rawDims =
    o.dimensions ??
    (env.LLM_COST_RUN_DIMENSIONS
      ? env.LLM_COST_RUN_DIMENSIONS.split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : []);
  if (!Array.isArray(rawDims)) fail(dimsField, 'must be an array of label names', rawDims);
  const dimensions = rawDims.map((d, i) => {
    if (typeof d !== 'string' || !LABEL_NAME.test(d) || d.startsWith('__')) {
      fail(`${dimsField}[${i}]`, 'must be a Prometheus label name like "variant"', d);
    }
    if (RESERVED.has(d) || d.startsWith('gen_ai_') || d.startsWith('llm_')) {
      fail(`${dimsField}[${i}]`, 'is reserved (built-in label); pick another name', d);
    }
    return d;
  });
  if (new Set(dimensions).size !== dimensions.length) fail(dimsField, 'must not repeat a name', dimensions);

  let rawBaselines: unknown = o.baselines;
  let where = 'runs.baselines';
  if (rawBaselines === undefined && env.LLM_COST_RUN_BASELINES) {
    where = 'env LLM_COST_RUN_BASELINES';
    try {
      rawBaselines = JSON.parse(env.LLM_COST_RUN_BASELINES);
    } catch (error) {
      throw new ConfigError(`llm-cost-otel: ${where} is not valid JSON: ${errorMessage(error)}`);
    }
  }
  const baselines: Record<string, number> = {};
  if (rawBaselines !== undefined) {
    if (rawBaselines === null || typeof rawBaselines !== 'object' || Array.isArray(rawBaselines)) {
      fail(where, 'must be an object of agent name → { baselineCostPerSuccessUsd }', rawBaselines);
    }
    for (const [agent, b] of Object.entries(rawBaselines as Record<string, unknown>)) {
      const usd = (b as AgentBaseline | null)?.baselineCostPerSuccessUsd;
      if (agent === '' || typeof usd !== 'number' || !Number.isFinite(usd) || usd <= 0) {
        fail(`${where}.${agent || '""'}.baselineCostPerSuccessUsd`, 'must be a positive number of USD', usd);
      }
      baselines[agent] = usd;
    }
  }
  const maxOpenRuns = integerIn('runs.maxOpenRuns', o.maxOpenRuns ?? 10_000, 1, 1_000_000);
  const summaryCapacity = integerIn('runs.summaryCapacity', o.summaryCapacity ?? 10_000, 1, 1_000_000);
  return { timeoutMs, dimensions, baselines, maxOpenRuns, summaryCapacity };
}
