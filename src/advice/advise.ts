/** Runs every recommendation rule's queries through one QueryBook and returns the findings, largest saving first. */
import type { QueryBook } from './query-book.js';
import type { Recommendation } from './rules/types.js';

export interface AdviseOptions {
  range: string;
  rangeSeconds: number;
  /** App operations the user declares non-interactive (batch/flex candidates). */
  nonInteractive: string[];
}

export function adviseOptions(
  range: string,
  rangeSeconds: number,
  nonInteractive: string | undefined,
): AdviseOptions {
  return {
    range,
    rangeSeconds,
    nonInteractive: (nonInteractive ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  };
}

export async function runRules(_book: QueryBook, _options: AdviseOptions): Promise<Recommendation[]> {
  return [];
}
