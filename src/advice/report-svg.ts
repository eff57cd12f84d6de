/**
 * Stacked bar charts as inline SVG, drawn from range-query results: no script, no fonts or images
 * fetched, so the report opens anywhere. One bar per step; the largest series get their own
 * colour, the rest are stacked as "other".
 */
import type { ChartData } from './report-model.js';

/** Series colours (colour-blind-safe Okabe–Ito order, then greys for "other"). */
export const PALETTE = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#56B4E9',
  '#D55E00',
  '#F0E442',
  '#000000',
];
export const OTHER_COLOUR = '#999999';

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface ChartLayout {
  width: number;
  height: number;
}

export interface DrawnSeries {
  name: string;
  colour: string;
}

/** The series the chart draws, in stacking order (largest total first), with their colours. */
export function chartSeries(data: ChartData): DrawnSeries[] {
  const names = data.totals.map((t) => t.labels[data.label] ?? '').filter((n) => n !== '');
  const own = names.slice(0, PALETTE.length - 1);
  const drawn = own.map((name, i) => ({ name, colour: PALETTE[i]! }));
  const known = new Set(own);
  if (data.series.some((s) => !known.has(s.metric[data.label] ?? '')))
    drawn.push({ name: 'other', colour: OTHER_COLOUR });
  return drawn;
}

function axisUsd(value: number): string {
  if (value === 0) return '$0';
  if (value >= 100) return `$${value.toFixed(0)}`;
  if (value >= 1) return `$${value.toFixed(2)}`;
  return `$${Number(value.toPrecision(2))}`;
}

function timeLabel(unix: number, stepSeconds: number): string {
  const iso = new Date(unix * 1000).toISOString();
  return stepSeconds >= 86_400
    ? iso.slice(5, 10)
    : stepSeconds >= 3600
      ? iso.slice(5, 13).replace('T', ' ') + 'h'
      : iso.slice(11, 19);
}

export function renderStackedBars(
  data: ChartData,
  layout: ChartLayout = { width: 1100, height: 240 },
): string {
  const { width, height } = layout;
  const left = 64;
  const bottom = 24;
  const top = 8;
  const plotW = width - left - 8;
  const plotH = height - top - bottom;
  const drawn = chartSeries(data);
  const colourOf = new Map(drawn.map((d) => [d.name, d.colour]));
  const times = [...new Set(data.series.flatMap((s) => s.points.map(([t]) => t)))].sort((a, b) => a - b);
  const stacks = times.map(() => new Map<string, number>());
  const index = new Map(times.map((t, i) => [t, i]));
  for (const s of data.series) {
    const raw = s.metric[data.label] ?? '';
    const name = colourOf.has(raw) ? raw : 'other';
    for (const [t, v] of s.points) {
      if (!Number.isFinite(v) || v <= 0) continue;
      const stack = stacks[index.get(t)!]!;
      stack.set(name, (stack.get(name) ?? 0) + v);
    }
  }
  const max = Math.max(0, ...stacks.map((m) => [...m.values()].reduce((a, b) => a + b, 0)));
  const parts: string[] = [
    `<svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(`spend per ${data.stepSeconds}s by ${data.label}`)}">`,
  ];
  const ticks = 4;
  for (let i = 0; i <= ticks; i++) {
    const y = top + plotH - (plotH * i) / ticks;
    parts.push(
      `<line x1="${left}" x2="${left + plotW}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#e3e3e3"/>`,
      `<text x="${left - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end" font-size="11" fill="#555">${escapeXml(axisUsd((max * i) / ticks))}</text>`,
    );
  }
  if (times.length === 0 || max === 0) {
    parts.push(
      `<text x="${left + plotW / 2}" y="${top + plotH / 2}" text-anchor="middle" font-size="13" fill="#777">no spend in this range</text>`,
    );
  }
  const slot = plotW / Math.max(1, times.length);
  const barW = Math.max(1, slot * 0.8);
  times.forEach((t, i) => {
    let y = top + plotH;
    for (const { name, colour } of drawn) {
      const v = stacks[i]!.get(name) ?? 0;
      if (v <= 0 || max === 0) continue;
      const h = (v / max) * plotH;
      y -= h;
      parts.push(
        `<rect x="${(left + i * slot + (slot - barW) / 2).toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" fill="${colour}"><title>${escapeXml(`${name} ${timeLabel(t, data.stepSeconds)}: $${v}`)}</title></rect>`,
      );
    }
  });
  const labelEvery = Math.max(1, Math.ceil(times.length / 7));
  times.forEach((t, i) => {
    if (i % labelEvery !== 0) return;
    parts.push(
      `<text x="${(left + i * slot + slot / 2).toFixed(1)}" y="${height - 6}" text-anchor="middle" font-size="11" fill="#555">${escapeXml(timeLabel(t, data.stepSeconds))}</text>`,
    );
  });
  parts.push(
    `<line x1="${left}" x2="${left + plotW}" y1="${top + plotH}" y2="${top + plotH}" stroke="#999"/>`,
    '</svg>',
  );
  return parts.join('');
}
