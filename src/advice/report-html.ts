/**
 * The report as one self-contained HTML file: inline CSS, inline SVG, no script, no external
 * reference of any kind. Every number is a `<span class="fig">` carrying the id of the query it
 * came from, its labels and Prometheus's exact value, listed in the Queries section at the end.
 */
import { LABEL } from '../metrics/names.js';
import { count, isoMinute, percent, signedUsd, usd } from './format.js';
import type { Figure } from './query-book.js';
import type { ChartData, ReportData } from './report-model.js';
import { chartSeries, escapeXml as esc, renderStackedBars } from './report-svg.js';
import type { Recommendation } from './rules/types.js';

type Format = 'usd' | 'signed-usd' | 'count' | 'percent' | 'per1k';

const FORMAT: Record<Format, (v: number) => string> = {
  usd,
  'signed-usd': signedUsd,
  count,
  percent,
  per1k: (v) => `$${v.toFixed(6)}`,
};

export function fig(f: Figure, format: Format): string {
  const attrs = `class="fig${f.text === null ? ' nodata' : ''}" data-q="${f.q}" data-fmt="${format}" data-labels="${esc(JSON.stringify(f.labels))}"`;
  if (f.text === null) return `<span ${attrs}>no data</span>`;
  return `<span ${attrs} data-v="${esc(f.text)}">${esc(FORMAT[format](f.value))}</span>`;
}

const q = (id: number) => `<a class="q" href="#q${id}">Q${id}</a>`;

function table(head: string[], rows: string[][], empty: string): string {
  if (rows.length === 0) return `<p class="empty">${esc(empty)}</p>`;
  return `<table><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

function chartSection(title: string, data: ChartData): string {
  const colours = new Map(chartSeries(data).map((s) => [s.name, s.colour]));
  const legend = data.totals
    .map((t) => {
      const name = t.labels[data.label] ?? '';
      const colour = colours.get(name) ?? colours.get('other') ?? '#999';
      return `<li><i style="background:${colour}"></i>${esc(name || '(none)')} ${fig(t, 'usd')}</li>`;
    })
    .join('');
  return `<section><h2>${esc(title)}</h2><p class="src">bars: ${q(data.q)} per ${data.stepSeconds}s · totals: ${
    data.totals[0] ? q(data.totals[0].q) : 'no data'
  }</p><div class="chart">${renderStackedBars(data)}</div><ul class="legend">${legend}</ul></section>`;
}

function modelName(f: Figure): string {
  return esc(`${f.labels[LABEL.provider] ?? ''} ${f.labels[LABEL.model] ?? ''}`.trim());
}

function recommendation(r: Recommendation): string {
  const saving =
    r.monthlySavingUsd === null
      ? `<span class="saving muted">${r.status === 'needs-data' ? 'needs data' : 'saving not estimated'}</span>`
      : `<span class="saving">≈ ${esc(usd(r.monthlySavingUsd))} / month</span>`;
  const evidence = r.evidence
    .map(
      (e) =>
        `<div class="evidence"><code>${esc(e.query)}</code><ul>${e.numbers
          .map((n) => `<li>${esc(n.what)}: <b>${esc(n.value)}</b></li>`)
          .join('')}</ul></div>`,
    )
    .join('');
  return `<div class="rec"><h3>${esc(r.title)} ${saving}</h3><p>${esc(r.why)}</p>${evidence}<ol>${r.todo
    .map((t) => `<li>${esc(t)}</li>`)
    .join('')}</ol></div>`;
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d1d1f;background:#f5f6f8;margin:0;padding:24px}
main{max-width:1140px;margin:0 auto}
h1{font-size:24px;margin:0 0 4px}h2{font-size:17px;margin:0 0 8px}h3{font-size:15px;margin:0 0 6px}
.sub{color:#555;margin:0 0 16px}
section{background:#fff;border:1px solid #e1e4e8;border-radius:8px;padding:16px;margin:0 0 16px}
.kpis{display:flex;gap:12px;flex-wrap:wrap}.kpi{box-sizing:border-box;flex:1;min-width:150px;background:#fff;border:1px solid #e1e4e8;border-radius:8px;padding:12px 16px}
.kpi .l{color:#555;font-size:12px;text-transform:uppercase;letter-spacing:.04em}.kpi .v{font-size:20px;font-weight:600;white-space:nowrap}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eee}th{font-weight:600;color:#444;font-size:12px}
td .fig{font-variant-numeric:tabular-nums}.nodata{color:#999}
.legend{list-style:none;padding:0;margin:8px 0 0;display:flex;flex-wrap:wrap;gap:6px 18px}.legend i{display:inline-block;width:10px;height:10px;margin-right:6px;border-radius:2px}
.src{color:#777;font-size:12px;margin:0 0 6px}.q{color:#0366d6;text-decoration:none;font-size:11px}
.bar{background:#eee;border-radius:3px;height:8px;width:160px}.bar b{display:block;height:8px;border-radius:3px;background:#0072B2}.bar b.hot{background:#D55E00}
.rec{border-left:4px solid #009E73;padding:4px 12px;margin:0 0 12px}.saving{float:right;color:#009E73}.muted{color:#999}
.evidence code,.queries code{font:12px ui-monospace,Menlo,Consolas,monospace;background:#f3f3f3;padding:2px 4px;border-radius:3px;word-break:break-all}
.empty{color:#777}.queries li{margin:0 0 4px}
`;

export function renderReportHtml(data: ReportData): string {
  const kpi = (label: string, body: string) =>
    `<div class="kpi"><div class="l">${esc(label)}</div><div class="v">${body}</div></div>`;
  const budgets = table(
    ['budget', 'window', `spent ${data.budgets[0] ? q(data.budgets[0].spent.q) : ''}`, 'limit', 'used', ''],
    data.budgets.map((b) => [
      esc(b.name),
      esc(b.window),
      fig(b.spent, 'usd'),
      fig(b.limit, 'usd'),
      fig(b.used, 'percent'),
      `<div class="bar"><b class="${b.used.value >= 0.8 ? 'hot' : ''}" style="width:${Math.min(100, b.used.value * 100).toFixed(1)}%"></b></div>`,
    ]),
    'No budgets are exported (llm_budget_limit_usd is absent).',
  );
  const movers = table(
    ['agent', 'model', 'this range', 'previous range', 'change'],
    data.movers.map((m) => [
      esc(m.agent),
      esc(m.model),
      fig(m.current, 'usd'),
      fig(m.previous, 'usd'),
      fig(m.change, 'signed-usd'),
    ]),
    'No change against the previous range.',
  );
  const perModel = (list: Figure[], format: 'usd' | 'count' | 'per1k', head: string, empty: string) =>
    table(
      ['model', `${head} ${list[0] ? q(list[0].q) : ''}`],
      list.map((f) => [modelName(f), fig(f, format)]),
      empty,
    );
  const failed = table(
    ['model', 'outcome', `calls ${data.failed[0] ? q(data.failed[0].q) : ''}`],
    data.failed.map((f) => [modelName(f), esc(f.labels[LABEL.outcome] ?? ''), fig(f, 'count')]),
    'No failed or aborted calls.',
  );
  const recs = data.recommendations.length
    ? data.recommendations.map(recommendation).join('')
    : '<p class="empty">No recommendation: no rule found anything to change in this range.</p>';
  const skipped = data.skipped.length
    ? `<p class="src">Not checked: ${data.skipped.map((x) => `${esc(x.rule)} — ${x.status === 'needs-data' ? 'needs data: ' : ''}${esc(x.message)}`).join('; ')}</p>`
    : '';
  const queries = data.queries
    .map(
      (x) =>
        `<li id="q${x.id}"><b>Q${x.id}</b> ${esc(x.title)} (${x.kind}): <code>${esc(x.expr)}</code></li>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>LLM cost report · ${esc(isoMinute(data.from))} → ${esc(isoMinute(data.at))} UTC</title><style>${CSS}</style></head>
<body><main data-at="${data.at}">
<h1>LLM cost report</h1>
<p class="sub">${esc(isoMinute(data.from))} → ${esc(isoMinute(data.at))} UTC (range ${esc(data.range)}, compared with the ${esc(data.range)} before) · every number is the result of the query it cites, evaluated at ${esc(new Date(data.at * 1000).toISOString())}</p>
<div class="kpis">${kpi('spend', `${fig(data.total, 'usd')} ${q(data.total.q)}`)}${kpi('previous range', `${fig(data.previousTotal, 'usd')} ${q(data.previousTotal.q)}`)}${kpi('change', `${fig(data.change, 'signed-usd')} ${q(data.change.q)}`)}${kpi('calls', `${fig(data.requests, 'count')} ${q(data.requests.q)}`)}${kpi('tokens', `${fig(data.tokens, 'count')} ${q(data.tokens.q)}`)}${kpi('saved by caching', `${fig(data.cacheSavingsTotal, 'usd')} ${q(data.cacheSavingsTotal.q)}`)}</div>
<br>
${chartSection('Spend over time by agent', data.spendByAgent)}
${chartSection('Spend over time by model', data.spendByModel)}
<section><h2>Budgets used</h2>${budgets}</section>
<section><h2>Top movers against the previous range ${data.movers[0] ? q(data.movers[0].change.q) : ''}</h2>${movers}</section>
<section><h2>Cost per 1K tokens by model</h2>${perModel(data.costPer1k, 'per1k', 'USD per 1K tokens', 'No priced tokens in this range.')}</section>
<section><h2>Cache savings</h2>${perModel(data.cacheSavings, 'usd', 'saved vs the base input price', 'No cache reads saved anything in this range.')}</section>
<section><h2>Unpriced and failed calls</h2>
<h3>Calls with no known price — their cost is in no total</h3>${perModel(data.unpriced, 'count', 'calls', 'Every call was priced.')}
<h3>Failed and aborted calls</h3>${failed}
<h3>Spend on aborted calls, estimated (aborted calls × the model's average cost per call; errors are not billed)</h3>${perModel(data.failedCost, 'usd', 'USD', 'No aborted calls of a priced model.')}
</section>
<section><h2>Recommendations</h2>${recs}${skipped}</section>
<section class="queries"><h2>Queries</h2><p class="src">Instant queries evaluated at ${data.at} (unix seconds); range queries from ${data.from} to ${data.at}.</p><ol style="list-style:none;padding:0">${queries}</ol></section>
</main></body></html>
`;
}
