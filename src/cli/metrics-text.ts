/**
 * Reads a Prometheus text exposition (what `/metrics` serves) into samples, and sums them by
 * label: enough for `llm-cost top --metrics` to work without a Prometheus server.
 */
import { CliError } from './errors.js';
import { safeText } from './terminal-text.js';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
/** Sticky: matched at `lastIndex`, so a line with many labels is not re-sliced per label. */
const LABEL_START = /([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"/y;

function unescapeLabel(raw: string): string {
  return raw.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

/** Parse one sample line; throws with the line when it is not valid exposition text. */
function parseLine(line: string, lineNo: number): Sample {
  const fail = (): never => {
    throw new CliError(`line ${lineNo} is not Prometheus exposition text: ${safeText(line.slice(0, 120))}`);
  };
  const nameMatch = NAME.exec(line);
  if (!nameMatch) return fail();
  const name = nameMatch[0];
  let i = name.length;
  // No prototype: a label named `__proto__` or `constructor` is just a label.
  const labels: Record<string, string> = Object.create(null);
  if (line[i] === '{') {
    i++;
    while (true) {
      while (line[i] === ' ' || line[i] === ',') i++;
      if (line[i] === '}') {
        i++;
        break;
      }
      LABEL_START.lastIndex = i;
      const labelMatch = LABEL_START.exec(line);
      if (!labelMatch) return fail();
      i += labelMatch[0].length;
      let value = '';
      let closed = false;
      while (i < line.length) {
        const c = line[i]!;
        if (c === '\\') {
          value += c + (line[i + 1] ?? '');
          i += 2;
          continue;
        }
        i++;
        if (c === '"') {
          closed = true;
          break;
        }
        value += c;
      }
      if (!closed) return fail();
      labels[labelMatch[1]!] = unescapeLabel(value);
    }
  }
  const rest = line.slice(i).trim().split(/\s+/);
  const raw = rest[0];
  if (raw === undefined || raw === '') return fail();
  const value = raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw);
  if (Number.isNaN(value) && raw !== 'NaN') return fail();
  return { name, labels, value };
}

export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    samples.push(parseLine(line, n + 1));
  }
  return samples;
}

/** Sum of every sample named `name` (optionally only those whose labels match `where`). */
export function sumOf(samples: readonly Sample[], name: string, where: Record<string, string> = {}): number {
  let total = 0;
  for (const s of samples) if (s.name === name && matches(s, where)) total += s.value;
  return total;
}

/**
 * Sums of `name` grouped by the values of `labels` (missing labels count as ""), keyed by the
 * values joined with U+0000.
 */
export function sumBy(
  samples: readonly Sample[],
  name: string,
  labels: readonly string[],
  where: Record<string, string> = {},
): Map<string, { labels: Record<string, string>; value: number }> {
  const groups = new Map<string, { labels: Record<string, string>; value: number }>();
  for (const s of samples) {
    if (s.name !== name || !matches(s, where)) continue;
    const values = labels.map((l) => s.labels[l] ?? '');
    const key = values.join('\u0000');
    const group = groups.get(key);
    if (group) group.value += s.value;
    else
      groups.set(key, { labels: Object.fromEntries(labels.map((l, i) => [l, values[i]!])), value: s.value });
  }
  return groups;
}

function matches(sample: Sample, where: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(where)) if ((sample.labels[k] ?? '') !== v) return false;
  return true;
}
