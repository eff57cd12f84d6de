/**
 * `llm-cost report`: the cost report as one self-contained HTML file (or Markdown), every number
 * the result of a PromQL query the report lists.
 */

import { writeFileSync } from 'node:fs';
import { adviseOptions, runRules } from '../advice/advise.js';
import { usd } from '../advice/format.js';
import { QueryBook } from '../advice/query-book.js';
import { renderReportHtml } from '../advice/report-html.js';
import { renderReportMarkdown } from '../advice/report-md.js';
import { collectReport } from '../advice/report-model.js';
import { errorMessage } from '../util/error-message.js';
import { type CliIo, type Command, processIo, str } from './command.js';
import { parseDuration, parseTime, promDuration } from './durations.js';
import { CliError, usageError } from './errors.js';
import { PromRangeClient } from './prom-range.js';
import { formatFlag, PROMETHEUS_READ_OPTIONS, prometheusTarget } from './prometheus-flags.js';
import { AUTH_HELP, type AuthFlags } from './request-auth.js';
import { safeLines } from './terminal-text.js';

export interface ReportFlags extends AuthFlags {
  /** Deadline of each request to Prometheus, answer included (default 15s). */
  timeout?: string;
  prometheus?: string;
  range?: string;
  at?: string;
  out?: string;
  format?: string;
  'non-interactive'?: string;
  bars?: string;
}

export const REPORT_HELP = `llm-cost report — a cost report people can look at, from Prometheus

Usage:
  llm-cost report --prometheus <url> [--range 7d] [--out report.html] [--format html|md]
                  [--at <t>] [--bars 28] [--non-interactive <operations>]

One self-contained HTML file (inline CSS and SVG charts, no script, nothing fetched when it is
opened): spend and its change against the previous range, spend over time by agent and by
model, budgets used, top movers, cost per 1K tokens by model, cache savings, unpriced and failed
calls, and the recommendations of llm-cost advise with their savings. Every number is the result
of a PromQL query the report lists at its end (instant queries at one evaluation time, --at).
--format md writes the same figures as Markdown, for a chat or a pull request.

Options:
  --prometheus <url>   Prometheus base URL (required)
  --range <dur>        the window (default 7d); compared with the same window before it
  --at <t>             end of the window (default now)
  --out <file>         where to write (default: standard output)
  --format <f>         html (default) or md
  --bars <n>           bars per chart (default 28); each bar is increase() over range/n, which
                       needs at least two scrapes inside it
  --non-interactive <ops>  app operations that need no immediate answer (batch candidates;
                       see llm-cost advise --help)


${AUTH_HELP}

Examples:
  llm-cost report --prometheus http://127.0.0.1:9090 --range 7d --out report.html
  llm-cost report --prometheus http://127.0.0.1:9090 --range 7d --format md > report.md
`;

export async function runReport(flags: ReportFlags, io: CliIo = processIo()): Promise<number> {
  const { endpoint, timeoutMs } = prometheusTarget('report', flags, io.env);
  const format = formatFlag(flags.format, ['html', 'md']);
  const rangeMs = parseDuration(flags.range ?? '7d', '--range');
  if (rangeMs < 10_000) throw usageError('--range must be at least 10s');
  // Whole seconds: the evaluation time the report prints is the one its queries ran at.
  const at = Math.floor(parseTime(flags.at ?? 'now', '--at'));
  const client = new PromRangeClient(endpoint, { timeoutMs });
  const book = new QueryBook(client, at);
  const range = promDuration(rangeMs);
  const bars = flags.bars === undefined ? 28 : Number(flags.bars);
  if (!Number.isInteger(bars) || bars < 1 || bars > 500)
    throw usageError(`--bars must be a whole number from 1 to 500, got "${flags.bars}"`);
  const advice = await runRules(book, adviseOptions(range, rangeMs / 1000, flags['non-interactive']));
  const data = await collectReport(book, { range, rangeSeconds: rangeMs / 1000, buckets: bars }, advice);
  const text = format === 'html' ? renderReportHtml(data) : renderReportMarkdown(data);
  if (flags.out === undefined) {
    io.stdout.write(format === 'html' ? text : safeLines(text));
    return 0;
  }
  try {
    writeFileSync(flags.out, text);
  } catch (error) {
    throw new CliError(`cannot write ${flags.out}: ${errorMessage(error)}`);
  }
  io.stderr.write(
    `wrote ${flags.out}: spend ${data.total.text === null ? 'no data' : usd(data.total.value)} over ${range}, ${data.queries.length} queries, ${advice.recommendations.length} recommendations\n`,
  );
  return 0;
}

export const reportCommand: Command = {
  help: REPORT_HELP,
  options: {
    ...PROMETHEUS_READ_OPTIONS,
    out: str,
    'non-interactive': str,
    bars: str,
  },
  run: (values, _positionals, io) => runReport(values as ReportFlags, io),
};
