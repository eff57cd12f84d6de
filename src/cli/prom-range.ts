/**
 * Range queries (`/api/v1/query_range`) next to the CLI's instant-query client, for the report's
 * charts: the same URL handling and one-line errors.
 */
import type { RangeSeries } from '../advice/query-book.js';
import { CliError, unreachable } from './errors.js';
import { PromClient } from './prom-api.js';

export class PromRangeClient extends PromClient {
  async queryRange(expr: string, start: number, end: number, stepSeconds: number): Promise<RangeSeries[]> {
    const body = new URLSearchParams({
      query: expr,
      start: start.toFixed(3),
      end: end.toFixed(3),
      step: String(stepSeconds),
    });
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}/api/v1/query_range`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      throw unreachable('Prometheus', this.baseUrl, error);
    }
    let parsed: { status?: string; error?: string; data?: { resultType?: string; result?: unknown } };
    try {
      parsed = (await res.json()) as typeof parsed;
    } catch {
      throw new CliError(
        `${this.baseUrl} did not answer like a Prometheus server (HTTP ${res.status} from /api/v1/query_range)`,
      );
    }
    if (parsed.status !== 'success') {
      throw new CliError(`Prometheus rejected the query ${expr}: ${parsed.error ?? `HTTP ${res.status}`}`);
    }
    const result = parsed.data?.result;
    if (parsed.data?.resultType !== 'matrix' || !Array.isArray(result)) {
      throw new CliError(
        `Prometheus answered ${expr} with a ${parsed.data?.resultType} result; expected a matrix`,
      );
    }
    return (result as Array<{ metric: Record<string, string>; values: Array<[number, string]> }>).map(
      (r) => ({
        metric: r.metric,
        points: r.values.map(([t, v]) => [t, Number(v)] as [number, number]),
      }),
    );
  }
}
