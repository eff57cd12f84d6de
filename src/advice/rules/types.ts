/** What a recommendation rule says: the finding, its evidence, its saving, and what to do. */

export interface Evidence {
  /** The PromQL query the numbers come from. */
  query: string;
  /** Numbers read from its result, each with what it is. */
  numbers: Array<{ what: string; value: string }>;
}

export interface Recommendation {
  /** Rule id, e.g. `prompt-caching-unused`. */
  rule: string;
  /** One line: what to change, where. */
  title: string;
  /** The series the finding is about (provider, model, agent, operation). */
  subject: Record<string, string>;
  /**
   * Estimated saving over 30 days at the observed rate, USD; null when the rule cannot put a
   * figure on it (then `status` says why).
   */
  monthlySavingUsd: number | null;
  /** Why the rule fired, with the figures. */
  why: string;
  evidence: Evidence[];
  /** Runbook-style steps. */
  todo: string[];
  /** `needs-data`: the rule could not run because a metric it needs is absent. */
  status?: 'ok' | 'needs-data';
}
