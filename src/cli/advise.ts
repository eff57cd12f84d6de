/**
 * `llm-cost advise`: explained, data-backed recommendations from Prometheus, ranked by the
 * estimated monthly saving, each with its query, numbers and what to do.
 */

import { type Advice, adviseOptions, runRules } from '../advice/advise.js';
import { usd } from '../advice/format.js';
import { QueryBook } from '../advice/query-book.js';
import { type CliIo, type Command, processIo, str } from './command.js';
import { parseDuration, parseTime, promDuration } from './durations.js';
import { PromRangeClient } from './prom-range.js';
import { formatFlag, PROMETHEUS_READ_OPTIONS, prometheusTarget } from './prometheus-flags.js';
import { AUTH_HELP, type AuthFlags } from './request-auth.js';
import { safeLines } from './terminal-text.js';

export interface AdviseFlags extends AuthFlags {
  /** Deadline of each request to Prometheus, answer included (default 15s). */
  timeout?: string;
  prometheus?: string;
  range?: string;
  at?: string;
  format?: string;
  'non-interactive'?: string;
}

export const ADVISE_HELP = `llm-cost advise — what to change to spend less, with the evidence

Usage:
  llm-cost advise --prometheus <url> [--range 7d] [--non-interactive <operations>]
                  [--at <t>] [--format text|json]

Rules (each a pure function of PromQL results; thresholds in src/advice/rules/):
  prompt-caching-unused     ≥ 20 calls averaging ≥ 4,096 prompt tokens, < 5% read from cache,
                            on a model with a cached-input price
  frontier-short-outputs    a model with output ≥ $10/MTok writing < 300 output tokens per call:
                            the mix repriced on the provider's cheaper models
  failed-call-spend         aborted calls × the model's average cost per call (errors before
                            generation are not billed: counted beside it)
  batch-eligible            spend of operations you declare non-interactive, at half price
                            through the provider's batch API
  long-context-tier-margin  calls just over a long-context threshold (needs the tier-crossing
                            counter llm_tier_crossing_requests_total; says "needs data" without it)
  run-cost-rise             an agent's cost per successful run up ≥ 20% on the range before
                            (needs llm_agent_runs_total; says "needs data" without it)
Savings are per 30 days at the rate observed over --range.

Options:
  --prometheus <url>        Prometheus base URL (required)
  --range <dur>             the window (default 7d)
  --non-interactive <ops>   app operations (llm_operation_name) that need no immediate answer
  --at <t>                  end of the window (default now)
  --format <f>              text (default) or json


${AUTH_HELP}

Examples:
  llm-cost advise --prometheus http://127.0.0.1:9090 --range 7d
  llm-cost advise --prometheus http://127.0.0.1:9090 --range 30d --non-interactive nightly_summary
`;

export function renderAdvice(advice: Advice, range: string): string {
  const out: string[] = [];
  if (advice.recommendations.length === 0)
    out.push(`No recommendation: no rule found anything to change over ${range}.`);
  advice.recommendations.forEach((r, i) => {
    const saving =
      r.monthlySavingUsd === null ? 'saving not estimated' : `≈ ${usd(r.monthlySavingUsd)}/month`;
    out.push(`${i + 1}. ${r.title} — ${saving}  [${r.rule}]`, `   ${r.why}`);
    for (const e of r.evidence) {
      out.push(`   evidence: ${e.query}`);
      for (const n of e.numbers) out.push(`     ${n.what}: ${n.value}`);
    }
    out.push('   what to do:', ...r.todo.map((t, j) => `     ${String.fromCharCode(97 + j)}) ${t}`), '');
  });
  for (const s of advice.skipped) {
    out.push(`not checked: ${s.rule} — ${s.status === 'needs-data' ? 'needs data: ' : ''}${s.message}`);
  }
  return `${out.join('\n')}\n`;
}

export async function runAdvise(flags: AdviseFlags, io: CliIo = processIo()): Promise<number> {
  const { endpoint, timeoutMs } = prometheusTarget('advise', flags, io.env);
  const format = formatFlag(flags.format, ['text', 'json']);
  const rangeMs = parseDuration(flags.range ?? '7d', '--range');
  const at = Math.floor(parseTime(flags.at ?? 'now', '--at'));
  const range = promDuration(rangeMs);
  const book = new QueryBook(new PromRangeClient(endpoint, { timeoutMs }), at);
  const advice = await runRules(book, adviseOptions(range, rangeMs / 1000, flags['non-interactive']));
  io.stdout.write(
    format === 'json'
      ? `${JSON.stringify({ at, range, ...advice }, null, 2)}\n`
      : safeLines(renderAdvice(advice, range)),
  );
  return 0;
}

export const adviseCommand: Command = {
  help: ADVISE_HELP,
  options: {
    ...PROMETHEUS_READ_OPTIONS,
    'non-interactive': str,
  },
  run: (values, _positionals, io) => runAdvise(values as AdviseFlags, io),
};
