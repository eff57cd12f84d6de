/**
 * Checks of text options: a non-empty string, and a list of extra label names (`dimensions`) from
 * an option or an env comma list. (The number/flag checks are `option-checks.ts`.)
 */
import { fail } from './option-checks.js';

/** A string with something in it. */
export function nonEmptyString(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') fail(field, 'must be a non-empty string', value);
  return value;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * A list of extra label names (`dimensions`, `runs.dimensions`): the option's array, else the
 * comma-separated env text; each a Prometheus label name, not built in, not repeated.
 */
export function labelNameList(
  field: string,
  value: unknown,
  envText: string | undefined,
  reserved: ReadonlySet<string>,
  example: string,
): string[] {
  const raw =
    value ??
    (envText
      ? envText
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : []);
  if (!Array.isArray(raw)) fail(field, 'must be an array of label names', raw);
  const names = raw.map((d, i) => {
    if (typeof d !== 'string' || !LABEL_NAME.test(d) || d.startsWith('__')) {
      fail(`${field}[${i}]`, `must be a Prometheus label name like "${example}"`, d);
    }
    if (reserved.has(d) || d.startsWith('gen_ai_') || d.startsWith('llm_')) {
      fail(`${field}[${i}]`, 'is reserved (built-in label); pick another name', d);
    }
    return d;
  });
  if (new Set(names).size !== names.length) fail(field, 'must not repeat a name', names);
  return names;
}
