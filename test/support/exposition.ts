/** Reading a Prometheus text exposition in tests: sample values, sums, and promtool's lint. */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './processes.js';

/** The value of the one sample line starting with `series ` (a full name{labels} or a bare name). */
export function sampleValue(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** Sum of every sample whose line starts with `prefix` (and matches `filter`, when given). */
export function sampleSum(text: string, prefix: string, filter: RegExp = /./): number {
  return text
    .split('\n')
    .filter((l) => l.startsWith(prefix) && filter.test(l))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

/** promtool's verdict on an exposition: its lint output lines (empty when clean). */
export function promtoolCheck(text: string): string[] {
  const file = join(tempDir('promtool'), 'metrics.txt');
  writeFileSync(file, text);
  try {
    execFileSync('sh', ['-c', `promtool check metrics < "${file}"`], { encoding: 'utf8', stdio: 'pipe' });
    return [];
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return `${e.stdout ?? ''}${e.stderr ?? ''}`.split('\n').filter(Boolean);
  }
}
