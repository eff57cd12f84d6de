/** The report's rendering on its own: SVG bar geometry, empty data, and figures without a sample. */
import { describe, expect, it } from 'vitest';
import { type PromSource, QueryBook } from '../../src/advice/query-book.js';
import { fig, renderReportHtml } from '../../src/advice/report-html.js';
import { renderReportMarkdown } from '../../src/advice/report-md.js';
import { collectReport } from '../../src/advice/report-model.js';
import { renderStackedBars } from '../../src/advice/report-svg.js';

const empty: PromSource = { query: async () => [], queryRange: async () => [] };

describe('stacked bars', () => {
  it('stack each step’s series, scaled to the tallest stack', () => {
    // Plot height 240 − 8 − 24 = 208. Step 0: a 1 + b 1 = 2 (the maximum); step 10: a 2.
    const svg = renderStackedBars({
      q: 1,
      stepSeconds: 10,
      label: 'agent',
      series: [
        {
          metric: { agent: 'a' },
          points: [
            [0, 1],
            [10, 2],
          ],
        },
        { metric: { agent: 'b' }, points: [[0, 1]] },
      ],
      totals: [
        { q: 2, labels: { agent: 'a' }, text: '3', value: 3 },
        { q: 2, labels: { agent: 'b' }, text: '1', value: 1 },
      ],
    });
    const heights = [...svg.matchAll(/<rect [^>]*height="([\d.]+)" fill="(#[0-9A-F]+)"/g)].map((m) => [
      m[1],
      m[2],
    ]);
    expect(heights).toEqual([
      ['104.0', '#0072B2'], // a at step 0: 1/2 of 208
      ['104.0', '#E69F00'], // b at step 0
      ['208.0', '#0072B2'], // a at step 10: 2/2
    ]);
    expect(svg).not.toMatch(/https?:/);
  });

  it('say so when there is nothing to draw', () => {
    const svg = renderStackedBars({ q: 1, stepSeconds: 10, label: 'agent', series: [], totals: [] });
    expect(svg).toContain('no spend in this range');
    expect(svg).not.toContain('<rect');
  });
});

describe('a report with no data', () => {
  it('says "no data" where a query returned nothing, and nothing undefined', async () => {
    const data = await collectReport(new QueryBook(empty, 1_700_000_000), {
      range: '7d',
      rangeSeconds: 604_800,
    });
    const html = renderReportHtml(data);
    expect(html).toContain(
      '<span class="fig nodata" data-q="1" data-fmt="usd" data-labels="{}">no data</span>',
    );
    expect(html).toContain('No budgets are exported');
    expect(html).not.toMatch(/NaN|undefined|https?:/);
    const md = renderReportMarkdown(data);
    expect(md).toContain('**Spend:** no data [Q1]');
    expect(md).not.toMatch(/NaN|undefined/);
  });

  it('a figure keeps Prometheus’s text and the sample’s labels', () => {
    expect(fig({ q: 7, labels: { m: 'a"b' }, text: '0.123456789', value: 0.123456789 }, 'usd')).toBe(
      '<span class="fig" data-q="7" data-fmt="usd" data-labels="{&#34;m&#34;:&#34;a\\&#34;b&#34;}" data-v="0.123456789">$0.1235</span>',
    );
  });
});
