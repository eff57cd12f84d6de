/** The report's figures as Markdown, for a chat message or a pull request: same queries, same numbers. */
import { LABEL } from '../metrics/names.js';
import { count, isoMinute, percent, signedUsd, usd } from './format.js';
import type { Figure } from './query-book.js';
import type { ReportData } from './report-model.js';

const v = (f: Figure, format: (n: number) => string) => (f.text === null ? 'no data' : format(f.value));
const cell = (text: string) => text.replace(/\|/g, '\\|');
const model = (f: Figure) => cell(`${f.labels[LABEL.provider] ?? ''} ${f.labels[LABEL.model] ?? ''}`.trim());

function table(head: string[], rows: string[][], empty: string): string[] {
  if (rows.length === 0) return [`_${empty}_`, ''];
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
  ];
}

export function renderReportMarkdown(data: ReportData): string {
  const q = (f: Figure | undefined) => (f ? ` [Q${f.q}]` : '');
  const out: string[] = [
    `# LLM cost report, ${isoMinute(data.from)} → ${isoMinute(data.at)} UTC`,
    '',
    `Range ${data.range}, compared with the ${data.range} before. Every number is the result of the query it cites (list at the end), evaluated at ${new Date(data.at * 1000).toISOString()}.`,
    '',
    `- **Spend:** ${v(data.total, usd)}${q(data.total)} (previous range ${v(data.previousTotal, usd)}${q(data.previousTotal)}, change ${v(data.change, signedUsd)}${q(data.change)})`,
    `- **Calls:** ${v(data.requests, count)}${q(data.requests)} · **tokens:** ${v(data.tokens, count)}${q(data.tokens)} · **saved by caching:** ${v(data.cacheSavingsTotal, usd)}${q(data.cacheSavingsTotal)}`,
    '',
  ];
  for (const [title, chart] of [
    ['agent', data.spendByAgent],
    ['model', data.spendByModel],
  ] as const) {
    out.push(`## Spend by ${title}${q(chart.totals[0])}`, '');
    out.push(
      ...table(
        [title, 'spend'],
        chart.totals.map((t) => [cell(t.labels[chart.label] ?? ''), v(t, usd)]),
        'No spend.',
      ),
    );
  }
  out.push(`## Budgets used${q(data.budgets[0]?.used)}`, '');
  out.push(
    ...table(
      ['budget', 'window', 'spent', 'limit', 'used'],
      data.budgets.map((b) => [cell(b.name), b.window, v(b.spent, usd), v(b.limit, usd), v(b.used, percent)]),
      'No budgets are exported.',
    ),
  );
  out.push(`## Top movers${q(data.movers[0]?.change)}`, '');
  out.push(
    ...table(
      ['agent', 'model', 'this range', 'previous', 'change'],
      data.movers.map((m) => [
        cell(m.agent),
        cell(m.model),
        v(m.current, usd),
        v(m.previous, usd),
        v(m.change, signedUsd),
      ]),
      'No change against the previous range.',
    ),
  );
  const perModel = (
    title: string,
    list: Figure[],
    head: string,
    format: (n: number) => string,
    empty: string,
  ) => {
    out.push(`## ${title}${q(list[0])}`, '');
    out.push(
      ...table(
        ['model', head],
        list.map((f) => [model(f), v(f, format)]),
        empty,
      ),
    );
  };
  perModel(
    'Cost per 1K tokens',
    data.costPer1k,
    'USD / 1K tokens',
    (n) => `$${n.toFixed(6)}`,
    'No priced tokens.',
  );
  perModel('Cache savings', data.cacheSavings, 'saved', usd, 'No cache savings.');
  perModel('Unpriced calls (in no total)', data.unpriced, 'calls', count, 'Every call was priced.');
  out.push(`## Failed and aborted calls${q(data.failed[0])}`, '');
  out.push(
    ...table(
      ['model', 'outcome', 'calls'],
      data.failed.map((f) => [model(f), f.labels[LABEL.outcome] ?? '', v(f, count)]),
      'No failed calls.',
    ),
  );
  perModel(
    'Spend on aborted calls, estimated (aborted calls × average cost per call)',
    data.failedCost,
    'USD',
    usd,
    'None.',
  );
  out.push('## Recommendations', '');
  if (data.recommendations.length === 0) out.push('_No rule found anything to change in this range._', '');
  for (const r of data.recommendations) {
    const saving =
      r.monthlySavingUsd === null
        ? r.status === 'needs-data'
          ? 'needs data'
          : 'saving not estimated'
        : `≈ ${usd(r.monthlySavingUsd)} / month`;
    out.push(`### ${r.title} (${saving})`, '', r.why, '');
    for (const e of r.evidence) {
      out.push(`\`${e.query}\``, '', ...e.numbers.map((n) => `- ${n.what}: **${n.value}**`), '');
    }
    out.push(...r.todo.map((t, i) => `${i + 1}. ${t}`), '');
  }
  for (const x of data.skipped) {
    out.push(`- _not checked: ${x.rule} — ${x.status === 'needs-data' ? 'needs data: ' : ''}${x.message}_`);
  }
  if (data.skipped.length > 0) out.push('');
  out.push('## Queries', '', `Instant queries at ${data.at} (unix seconds).`, '');
  for (const x of data.queries) out.push(`- **Q${x.id}** ${x.title} (${x.kind}): \`${x.expr}\``);
  return `${out.join('\n')}\n`;
}
