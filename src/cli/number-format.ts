/** Number formats for the CLI's tables: dollars, counts, percentages. */

// Built once: toLocaleString() builds a formatter per call (~1 s for 200,000 table rows).
const USD_2 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const USD_4 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 4, maximumFractionDigits: 4 });
const COUNT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** `$0.0123`, `$12.3456`, `$1,234.57`. */
export function formatUsd(value: number): string {
  if (!Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  const text = (abs >= 100 ? USD_2 : USD_4).format(abs);
  return `${value < 0 ? '-' : ''}$${text}`;
}

export function formatCount(value: number): string {
  return COUNT.format(Math.round(value));
}

export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}
