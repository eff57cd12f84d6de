/** Durations (`30s`, `2m`, `1h30m`, `7d`) and times (`now`, `now-1h`, RFC 3339, unix seconds) on the command line. */
import { usageError } from './errors.js';

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/** `1h30m` → 5 400 000. A bare number is seconds. Throws a usage error naming `flag`. */
export function parseDuration(text: string, flag: string): number {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== trimmed) {
    throw usageError(`${flag} must be a duration like 30s, 5m, 1h30m or 7d, got "${text}"`);
  }
  const ms = parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_MS[p[2]!]!, 0);
  return Math.round(ms);
}

/** Milliseconds as a PromQL range: the largest unit that divides it (`7d`, `90m`, `45s`). */
export function promDuration(ms: number): string {
  const whole = Math.max(1, Math.round(ms));
  for (const unit of ['w', 'd', 'h', 'm', 's'] as const) {
    const size = UNIT_MS[unit]!;
    if (whole % size === 0) return `${whole / size}${unit}`;
  }
  return `${whole}ms`;
}

/** A short human duration: `2h 5m`, `45s`. */
export function humanDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** `now`, `now-2h`, `2025-05-01`, `2025-05-01T12:00:00Z` or unix seconds → unix seconds. */
export function parseTime(text: string, flag: string, nowMs = Date.now()): number {
  const trimmed = text.trim();
  if (trimmed === 'now') return nowMs / 1000;
  const relative = /^now-(.+)$/.exec(trimmed);
  if (relative) return (nowMs - parseDuration(relative[1]!, flag)) / 1000;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(trimmed)) {
    const ms = Date.parse(trimmed);
    if (!Number.isNaN(ms)) return ms / 1000;
  }
  throw usageError(
    `${flag} must be a time like now, now-1h, 2025-05-01, 2025-05-01T12:00:00Z or unix seconds, got "${text}"`,
  );
}
