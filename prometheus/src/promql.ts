/**
 * Rule shapes, durations and the PromQL pieces the rules are built from. Recording-rule names are
 * in `record-names.ts`.
 */
import type { Duration, RulesConfig, Severity } from './config.js';

export interface RecordingRule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}

export interface AlertingRule {
  alert: string;
  expr: string;
  for: Duration;
  labels: { severity: Severity } & Record<string, string>;
  annotations: { summary: string; description: string; runbook_url: string; dashboard_url: string };
}

export interface RuleGroup<R = RecordingRule | AlertingRule> {
  name: string;
  /** Only for groups that must run at their own pace (pre-aggregation tiles). */
  interval?: Duration;
  rules: R[];
}

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 } as const;

export function seconds(duration: Duration): number {
  const match = /^(\d+(?:\.\d+)?)([smhdw])$/.exec(duration);
  if (!match) throw new Error(`Invalid duration: ${duration} (expected e.g. 30s, 5m, 1h, 7d)`);
  return Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS];
}

/** Whole seconds as a compound Prometheus duration: 86250 → `23h57m30s`. */
export function durationOf(totalSeconds: number): string {
  let left = Math.round(totalSeconds);
  let out = '';
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(left / size);
    if (n > 0) out += `${n}${unit}`;
    left -= n * size;
  }
  return out || '0s';
}

/** `metric{<configured selector>,<extra matchers>}`. */
export function select(cfg: RulesConfig, metric: string, ...matchers: string[]): string {
  const all = [cfg.selector, ...matchers].filter((m) => m.length > 0);
  return `${metric}{${all.join(',')}}`;
}

export const level = (labels: readonly string[]): string => labels.join('_');
export const by = (labels: readonly string[]): string => `by (${labels.join(', ')})`;
export const on = (labels: readonly string[]): string => `on (${labels.join(', ')})`;

/**
 * How much `counter` grew over `window`, per raw series, counting a series born inside the window
 * with its whole value — `increase()` cannot see a series' first sample, and for series that cannot
 * exist before their first event (a new error type, an unpriced model) that sample is the event.
 * A series is "born" only if its target was scraped one window earlier (a fresh Prometheus does not
 * count old totals) and the series was not seen in `firstSeenLookback` before the window.
 */
export function increaseWithFirstSeen(cfg: RulesConfig, counter: string, window: Duration): string {
  return `(${bornIn(cfg, counter, window)}) or increase(${counter}[${window}])`;
}

/**
 * How much `counter` grew over one tile, for tiles that are summed into longer windows. Tiles must
 * partition time: `increase()` sees only the samples inside its range, so growth between the last
 * sample of one tile and the first of the next fell into neither (a single $1.05 spend was lost
 * about scrape interval ÷ tile of the time). The difference of the counter's last value at the end
 * of the tile and at the end of the previous one covers every instant exactly once; a series born
 * in the tile counts whole, as above; only a tile with a counter reset falls back to `increase()`.
 */
export function tileIncrease(cfg: RulesConfig, counter: string, tile: Duration): string {
  return `(${bornIn(cfg, counter, tile)}) or ((${counter} - ${counter} offset ${tile}) >= 0) or increase(${counter}[${tile}])`;
}

function bornIn(cfg: RulesConfig, counter: string, window: Duration): string {
  return (
    `(${counter} unless present_over_time(${counter}[${cfg.firstSeenLookback}] offset ${window}))` +
    ` and on (job, instance) (${select(cfg, 'up')} offset ${window})`
  );
}

/**
 * Range that picks exactly `window ÷ tile` tiles whatever side of the range Prometheus closes
 * (2.x includes the left edge, 3.x does not): half a tile short of the window.
 */
export function tileRange(cfg: RulesConfig, window: Duration): string {
  return durationOf(seconds(window) - seconds(cfg.tile) / 2);
}
