/**
 * Just enough PromQL reading for the dashboard tests: which metric names, label names and range
 * windows an expression uses. Not a parser; it relies on the expressions being well formed, which
 * the Prometheus integration test checks for real.
 */

const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'inf',
  'nan',
]);
const GROUPING = /\b(by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g;
const STRING = /"(?:[^"\\]|\\.)*"/g;
const IDENTIFIER = /[a-zA-Z_:][a-zA-Z0-9_:]*/g;

const withoutStrings = (expr: string): string => expr.replace(STRING, '""');
/** Also blanks Grafana variables (`offset $__range`) and duration literals (`offset 5m`). */
const withoutLiterals = (expr: string): string =>
  withoutStrings(expr)
    .replace(/\$\w+/g, ' ')
    .replace(/\b\d+(?:ms|[smhdwy])(?:\d+(?:ms|[smhdwy]))*\b/g, ' ');

/** Metric names used in selectors, bare (`up`) or with matchers (`llm_tokens_total{…}`). */
export function metricNames(expr: string): string[] {
  const names = new Set<string>();
  const s = withoutLiterals(expr);
  for (const m of s.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{/g)) names.add(m[1]!);
  const stripped = s
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(GROUPING, ' ');
  for (const m of stripped.matchAll(IDENTIFIER)) {
    const word = m[0];
    const after = stripped.slice((m.index ?? 0) + word.length).trimStart();
    if (KEYWORDS.has(word.toLowerCase()) || after.startsWith('(')) continue;
    if (/^\d/.test(word)) continue;
    names.add(word);
  }
  return [...names];
}

/** Label names in matchers and in by/on/without/ignoring/group_* lists. */
export function labelNames(expr: string): string[] {
  const names = new Set<string>();
  const s = withoutStrings(expr);
  for (const block of s.matchAll(/\{([^}]*)\}/g)) {
    for (const m of block[1]!.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)/g)) names.add(m[1]!);
  }
  for (const group of s.matchAll(GROUPING)) {
    for (const label of group[2]!.split(',').map((l) => l.trim())) if (label) names.add(label);
  }
  return [...names];
}

/** Range windows, e.g. `$__rate_interval`, `$__range`, `1h`. */
export function rangeWindows(expr: string): string[] {
  return [...withoutStrings(expr).matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]!.trim());
}

/** Each `metric{matchers}` selector with its matcher text. */
export function selectors(expr: string): { metric: string; matchers: string }[] {
  return [...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{((?:[^}"]|"(?:[^"\\]|\\.)*")*)\}/g)].map((m) => ({
    metric: m[1]!,
    matchers: m[2]!,
  }));
}

/** Labels in a legend format: `{{gen_ai_request_model}}` → `gen_ai_request_model`. */
export function legendLabels(legend: string): string[] {
  return [...legend.matchAll(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g)].map((m) => m[1]!);
}
