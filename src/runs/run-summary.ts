/**
 * In-process run figures for `summary()`: success rate, cost per successful run, tokens and calls
 * per run, efficiency against the agent's baseline — over the process's lifetime or since a time.
 *
 * Bounded memory: lifetime sums per (agent, run dimensions) group (at most `MAX_GROUPS`, then one
 * overflow group), plus a ring of the newest `capacity` ended runs for windowed queries. A window
 * reaching back past the oldest run still in the ring is answered from the ring and flagged
 * `complete: false`.
 */
import { OVERFLOW_VALUE } from '../metrics/names.js';
import type { RunOutcome } from './types.js';

const MAX_GROUPS = 1000;
const OUTCOME_INDEX: Record<RunOutcome, number> = { success: 0, failure: 1, abandoned: 2 };

export interface RunSummaryQuery {
  /** Only runs that ended at or after this time (Date or epoch ms). */
  since?: Date | number;
  /** Rolling window: only runs that ended in the last `windowMs` ms. Ignored when `since` is set. */
  windowMs?: number;
}

export interface RunFigures {
  runs: number;
  successes: number;
  failures: number;
  abandoned: number;
  /** successes ÷ runs (0 when no runs). */
  successRate: number;
  /** USD of every run, failed and abandoned ones included. */
  costUsd: number;
  /** costUsd ÷ successes — what one successful task costs, failures paid for; null with no success. */
  costPerSuccessfulRunUsd: number | null;
  /** Mean tokens (all types) per run (0 when no runs). */
  tokensPerRun: number;
  /** Mean LLM calls per run (0 when no runs). */
  llmCallsPerRun: number;
  /** Mean run duration, ms (0 when no runs). */
  avgDurationMs: number;
  /** The agent's configured baseline (groups only). */
  baselineCostPerSuccessUsd?: number;
  /**
   * baselineCostPerSuccessUsd ÷ costPerSuccessfulRunUsd: 1 = at baseline, 2 = half the baseline's
   * cost per success, 0.5 = twice it. Null without a baseline or without a success.
   */
  efficiency: number | null;
}

export interface RunSummary {
  /** Top-level runs only (a sub-run's cost is already in its parent's). */
  total: RunFigures;
  /** Every run, by agent and allow-listed run dimension; highest cost first. */
  groups: Array<RunFigures & { key: Record<string, string> }>;
  /** Start of the window asked for (epoch ms), undefined for the lifetime. */
  since?: number;
  /** False when the window reaches past the runs the ring still holds (figures cover fewer runs). */
  complete: boolean;
}

/** Sums for one group. */
class Sums {
  readonly counts = [0, 0, 0];
  cost = 0;
  tokens = 0;
  calls = 0;
  durationMs = 0;
  add(outcome: number, cost: number, tokens: number, calls: number, durationMs: number): void {
    this.counts[outcome]! += 1;
    this.cost += cost;
    this.tokens += tokens;
    this.calls += calls;
    this.durationMs += durationMs;
  }
}

interface Group {
  key: Record<string, string>;
  agent: string;
  lifetime: Sums;
}

export interface EndedRun {
  endedAt: number;
  agent: string;
  dimensions: Readonly<Record<string, string>>;
  root: boolean;
  outcome: RunOutcome;
  costUsd: number;
  tokens: number;
  llmCalls: number;
  durationMs: number;
}

export class RunSummaryTable {
  private readonly groups = new Map<string, Group>();
  private overflowGroup?: Group;
  private readonly rootLifetime = new Sums();
  private readonly ring: Array<{ run: EndedRun; group: Group } | undefined>;
  private next = 0;
  private size = 0;
  /** End time of the newest run pushed out of the ring (-Infinity while none was). */
  private evictedUpTo = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly capacity: number,
    private readonly dimensionNames: readonly string[],
    private readonly baselines: Readonly<Record<string, number>>,
  ) {
    this.ring = new Array(capacity);
  }

  add(run: EndedRun): void {
    const group = this.groupOf(run);
    const o = OUTCOME_INDEX[run.outcome];
    group.lifetime.add(o, run.costUsd, run.tokens, run.llmCalls, run.durationMs);
    if (run.root) this.rootLifetime.add(o, run.costUsd, run.tokens, run.llmCalls, run.durationMs);
    const old = this.ring[this.next];
    if (old !== undefined) this.evictedUpTo = Math.max(this.evictedUpTo, old.run.endedAt);
    this.ring[this.next] = { run, group };
    this.next = (this.next + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  query(query: RunSummaryQuery = {}): RunSummary {
    const since =
      query.since !== undefined
        ? query.since instanceof Date
          ? query.since.getTime()
          : query.since
        : query.windowMs !== undefined
          ? Date.now() - query.windowMs
          : undefined;
    if (since === undefined || !Number.isFinite(since)) {
      const groups = [...this.allGroups()].map((g) => this.figures(g.lifetime, g));
      return { total: this.figures(this.rootLifetime), groups: sortByCost(groups), complete: true };
    }
    const root = new Sums();
    const windowed = new Map<Group, Sums>();
    for (const entry of this.ring) {
      if (entry === undefined || entry.run.endedAt < since) continue;
      const { run, group } = entry;
      const o = OUTCOME_INDEX[run.outcome];
      let sums = windowed.get(group);
      if (sums === undefined) {
        sums = new Sums();
        windowed.set(group, sums);
      }
      sums.add(o, run.costUsd, run.tokens, run.llmCalls, run.durationMs);
      if (run.root) root.add(o, run.costUsd, run.tokens, run.llmCalls, run.durationMs);
    }
    const groups = [...windowed].map(([g, sums]) => this.figures(sums, g));
    return {
      total: this.figures(root),
      groups: sortByCost(groups),
      since,
      complete: since > this.evictedUpTo,
    };
  }

  private *allGroups(): Iterable<Group> {
    yield* this.groups.values();
    if (this.overflowGroup !== undefined) yield this.overflowGroup;
  }

  private groupOf(run: EndedRun): Group {
    let id = run.agent;
    for (const d of this.dimensionNames) id += `\u0000${run.dimensions[d] ?? ''}`;
    const found = this.groups.get(id);
    if (found !== undefined) return found;
    if (this.groups.size >= MAX_GROUPS) {
      if (this.overflowGroup === undefined) {
        const key: Record<string, string> = { agent: OVERFLOW_VALUE };
        for (const d of this.dimensionNames) key[d] = OVERFLOW_VALUE;
        this.overflowGroup = { key, agent: OVERFLOW_VALUE, lifetime: new Sums() };
      }
      return this.overflowGroup;
    }
    const key: Record<string, string> = { agent: run.agent };
    for (const d of this.dimensionNames) key[d] = run.dimensions[d] ?? '';
    const group: Group = { key, agent: run.agent, lifetime: new Sums() };
    this.groups.set(id, group);
    return group;
  }

  private figures(sums: Sums): RunFigures;
  private figures(sums: Sums, group: Group): RunFigures & { key: Record<string, string> };
  private figures(sums: Sums, group?: Group): RunFigures & { key?: Record<string, string> } {
    const [successes, failures, abandoned] = sums.counts as [number, number, number];
    const runs = successes + failures + abandoned;
    const perSuccess = successes > 0 ? sums.cost / successes : null;
    const baseline = group === undefined ? undefined : this.baselines[group.agent];
    return {
      ...(group !== undefined ? { key: { ...group.key } } : {}),
      runs,
      successes,
      failures,
      abandoned,
      successRate: runs > 0 ? successes / runs : 0,
      costUsd: sums.cost,
      costPerSuccessfulRunUsd: perSuccess,
      tokensPerRun: runs > 0 ? sums.tokens / runs : 0,
      llmCallsPerRun: runs > 0 ? sums.calls / runs : 0,
      avgDurationMs: runs > 0 ? sums.durationMs / runs : 0,
      ...(baseline !== undefined ? { baselineCostPerSuccessUsd: baseline } : {}),
      efficiency:
        baseline !== undefined && perSuccess !== null && perSuccess > 0 ? baseline / perSuccess : null,
    };
  }
}

function sortByCost<T extends { costUsd: number }>(groups: T[]): T[] {
  return groups.sort((a, b) => b.costUsd - a.costUsd);
}
