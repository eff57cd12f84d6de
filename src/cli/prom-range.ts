/**
 * Range queries (`/api/v1/query_range`) next to the CLI's instant-query client, for the report's
 * charts: the same URL handling and one-line errors.
 */
import type { RangeSeries } from '../advice/query-book.js';
import { CliError } from './errors.js';
import { answerData } from './prom-answer.js';
import { PromClient } from './prom-api.js';
import { safeText } from './terminal-text.js';

export class PromRangeClient extends PromClient {
  async queryRange(expr: string, start: number, end: number, stepSeconds: number): Promise<RangeSeries[]> {
    const answer = await this.post('/api/v1/query_range', {
      query: expr,
      start: start.toFixed(3),
      end: end.toFixed(3),
      step: String(stepSeconds),
    });
    return parseRangeAnswer(answer.text, answer.status, expr, this.baseUrl);
  }
}

/**
 * A `query_range` answer, checked field by field: anything malformed is a one-line error naming
 * the field, Prometheus's own error text is escaped, and no recursion or spread depends on size.
 */
export function parseRangeAnswer(body: string, status: number, expr: string, base: string): RangeSeries[] {
  const { data, malformed } = answerData(body, status, expr, base, '/api/v1/query_range');
  if (data.resultType !== 'matrix') {
    throw new CliError(
      `Prometheus answered ${expr} with a ${safeText(String(data.resultType).slice(0, 40))} result; expected a matrix`,
    );
  }
  if (!Array.isArray(data.result)) return malformed('data.result', data.result, 'a list of series');
  const out: RangeSeries[] = new Array(data.result.length);
  for (let i = 0; i < data.result.length; i++) {
    const item = data.result[i] as { metric?: unknown; values?: unknown } | null;
    const at = `data.result[${i}]`;
    if (item === null || typeof item !== 'object') return malformed(at, item, 'an object');
    const metric = item.metric;
    if (metric === null || typeof metric !== 'object' || Array.isArray(metric)) {
      return malformed(`${at}.metric`, metric, 'an object of label values');
    }
    const labels: Record<string, string> = Object.create(null);
    for (const [k, v] of Object.entries(metric)) {
      if (typeof v !== 'string') return malformed(`${at}.metric.${safeText(k.slice(0, 60))}`, v, 'a string');
      labels[k] = v;
    }
    if (!Array.isArray(item.values))
      return malformed(`${at}.values`, item.values, 'a list of [time, "value"] pairs');
    const points: [number, number][] = new Array(item.values.length);
    for (let j = 0; j < item.values.length; j++) {
      const pair = item.values[j] as unknown;
      if (!Array.isArray(pair) || typeof pair[0] !== 'number' || typeof pair[1] !== 'string') {
        return malformed(`${at}.values[${j}]`, pair, 'a [time, "value"] pair');
      }
      points[j] = [pair[0], Number(pair[1])];
    }
    out[i] = { metric: labels, points };
  }
  return out;
}
