import { readFileSync } from 'node:fs';

/** A recorded provider payload from `test/fixtures/usage/`. */
export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/usage/${name}.json`, import.meta.url), 'utf8')) as T;
}

/** The usage object of a recorded response. */
export function usageOf(name: string, key = 'usage'): unknown {
  return fixture(name)[key];
}
