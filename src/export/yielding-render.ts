/**
 * The exposition rendered in slices that give the event loop back between them, so a large page
 * (a label flood up to the series caps: tens of MB) never blocks the app's own requests for the
 * whole rendering — only for one slice (`SLICE_CHARS` of text, whole series; docs/performance.md
 * states the measured block per slice). Slices are measured in text, not series: one histogram
 * series is ~30 lines, one counter series one line.
 *
 * Counters keep moving between slices; each series is rendered whole within a slice (a
 * histogram's buckets, sum and count agree), which is all Prometheus needs from one scrape.
 * Rendering stops as soon as the page passes `maxBytes`: a flood never builds the full string.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { familyHeader, serializeSeries } from '../metrics/exposition.js';
import type { MetricFamily } from '../metrics/family.js';

/** Text rendered between two yields (UTF-16 code units): 256 Ki ≈ 1–3 ms of work (bench/scrape.ts). */
export const SLICE_CHARS = 256 * 1024;

/** The page passed the configured limit; nothing was served. */
export class PageTooLargeError extends Error {
  override name = 'PageTooLargeError';
  constructor(
    readonly limitBytes: number,
    readonly seriesSoFar?: number,
  ) {
    const where = seriesSoFar === undefined ? '' : ` after ${seriesSoFar} series`;
    super(
      `the /metrics page passed its limit of ${limitBytes} bytes${where}: too many label combinations (see llm_series_overflow_total; lower maxSeries, drop high-cardinality dimensions) or raise prometheus.maxPageBytes / LLM_COST_METRICS_MAX_PAGE_BYTES`,
    );
  }
}

export interface RenderLimits {
  /** Stop and throw `PageTooLargeError` beyond this many bytes. */
  maxBytes?: number;
  /** Text per slice, UTF-16 code units (tests use small slices). Default `SLICE_CHARS`. */
  sliceChars?: number;
}

/** Statistics of the last rendering, for tests and the bench. */
export interface RenderStats {
  slices: number;
  series: number;
}

/**
 * Render `families` as UTF-8 chunks of about `sliceChars` each, yielding to the event loop after
 * each chunk. Chunks, not one string: joining and encoding a 40 MB page at once would itself
 * block the loop for tens of milliseconds.
 */
export async function renderYielding(
  families: readonly MetricFamily[],
  limits: RenderLimits = {},
  stats?: RenderStats,
): Promise<Buffer[]> {
  const maxBytes = limits.maxBytes ?? Number.POSITIVE_INFINITY;
  const sliceChars = limits.sliceChars ?? SLICE_CHARS;
  const chunks: Buffer[] = [];
  let bytes = 0;
  let slice = '';
  let series = 0;
  const flush = () => {
    const chunk = Buffer.from(slice, 'utf8');
    slice = '';
    bytes += chunk.length;
    if (bytes > maxBytes) throw new PageTooLargeError(maxBytes, series);
    chunks.push(chunk);
  };
  for (const family of families) {
    slice += familyHeader(family);
    for (const s of family.series.values()) {
      slice += serializeSeries(family, s);
      series++;
      if (slice.length >= sliceChars) {
        flush();
        await nextTurn();
      }
    }
  }
  if (slice !== '') flush();
  if (stats) {
    stats.slices = chunks.length;
    stats.series = series;
  }
  return chunks;
}
