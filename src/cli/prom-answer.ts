/**
 * The answer of Prometheus's `/api/v1/query`, checked field by field: a server that answers
 * `metric: null`, leaves out `value` or sends a number where text belongs gets a one-line error
 * naming the field (`data.result[3].metric`), never a TypeError from deep inside the CLI. Plain
 * loops: 200,000 rows cost memory and time in proportion, never stack.
 */
import { CliError } from './errors.js';
import { safeText } from './terminal-text.js';

export interface VectorSample {
  /** Label values (own properties only: no `__proto__` or `constructor` surprises). */
  metric: Record<string, string>;
  /** The value exactly as Prometheus wrote it. */
  text: string;
  value: number;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return `the text "${safeText(value.slice(0, 40))}${value.length > 40 ? '…' : ''}"`;
  return `a ${typeof value}`;
}

/** A sample value: Prometheus writes numbers as text (`"1.5"`, `"NaN"`, `"+Inf"`). */
function numberOf(text: string): number | undefined {
  if (text === 'NaN') return Number.NaN;
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}

/** How a malformed field is reported: one line naming it, what it was and what was expected. */
export type Malformed = (field: string, value: unknown, expected: string) => never;

/**
 * The part every Prometheus API answer shares: JSON, `status: "success"` (else Prometheus's error,
 * escaped), a `data` object. Returns `data` and the reporter for the rest of the answer.
 */
export function answerData(
  body: string,
  status: number,
  expr: string,
  base: string,
  path: string,
): { data: { resultType?: unknown; result?: unknown }; malformed: Malformed } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new CliError(
      `${base} did not answer like a Prometheus server (HTTP ${status} from ${path}, not JSON)`,
    );
  }
  const malformed: Malformed = (field, value, expected) => {
    throw new CliError(
      `Prometheus answered the query ${expr} with a malformed result: ${field} is ${describe(value)} (expected ${expected})`,
    );
  };
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return malformed('the answer', parsed, 'a JSON object');
  }
  const answer = parsed as { status?: unknown; error?: unknown; data?: unknown };
  if (answer.status !== 'success') {
    const reason =
      typeof answer.error === 'string' && answer.error !== ''
        ? safeText(answer.error.slice(0, 300))
        : `HTTP ${status}`;
    throw new CliError(`Prometheus rejected the query ${expr}: ${reason}`);
  }
  const data = answer.data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return malformed('data', data, 'an object');
  }
  return { data: data as { resultType?: unknown; result?: unknown }, malformed };
}

/** Parse an `/api/v1/query` answer; `base` (redacted) and `expr` name it in messages. */
export function parseQueryAnswer(body: string, status: number, expr: string, base: string): VectorSample[] {
  const { data, malformed } = answerData(body, status, expr, base, '/api/v1/query');
  const { resultType, result } = data as { resultType?: unknown; result?: unknown };
  if (resultType === 'scalar') {
    if (!Array.isArray(result) || result.length !== 2)
      return malformed('data.result', result, '[time, "value"]');
    return [sampleOf(Object.create(null), result[1], 'data.result[1]', malformed)];
  }
  if (resultType !== 'vector') {
    throw new CliError(
      `Prometheus answered ${expr} with a ${safeText(String(resultType).slice(0, 40))} result; expected a vector`,
    );
  }
  if (!Array.isArray(result)) return malformed('data.result', result, 'a list of samples');
  const samples: VectorSample[] = new Array(result.length);
  for (let i = 0; i < result.length; i++) {
    const at = `data.result[${i}]`;
    const row = result[i] as unknown;
    if (row === null || typeof row !== 'object' || Array.isArray(row)) malformed(at, row, 'an object');
    const { metric, value } = row as { metric?: unknown; value?: unknown };
    if (metric === null || typeof metric !== 'object' || Array.isArray(metric)) {
      malformed(`${at}.metric`, metric, 'an object of label values');
    }
    const labels: Record<string, string> = Object.create(null);
    for (const [name, labelValue] of Object.entries(metric as object)) {
      if (typeof labelValue !== 'string')
        malformed(`${at}.metric.${safeText(name.slice(0, 60))}`, labelValue, 'a string');
      labels[name] = labelValue as string;
    }
    if (!Array.isArray(value) || value.length !== 2) malformed(`${at}.value`, value, '[time, "value"]');
    samples[i] = sampleOf(labels, (value as unknown[])[1], `${at}.value[1]`, malformed);
  }
  return samples;
}

function sampleOf(
  metric: Record<string, string>,
  raw: unknown,
  field: string,
  malformed: (field: string, value: unknown, expected: string) => never,
): VectorSample {
  if (typeof raw !== 'string') return malformed(field, raw, 'a number as text');
  const value = numberOf(raw);
  if (value === undefined) return malformed(field, raw, 'a number as text');
  return { metric, text: raw, value };
}
