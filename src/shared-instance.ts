/**
 * One module instance in behaviour, whatever Node loads: the ESM build (`import`, `--import
 * llm-cost-otel/register`) and the CommonJS build (`require`, `--require`) are two module records,
 * so every piece of process-wide state — the attribution store, the registered handle, the error
 * classes users test with `instanceof` — is kept once, on `globalThis`, under a `Symbol.for` key,
 * and whichever copy loads first creates it.
 */
const STORE = Symbol.for('llm-cost-otel.shared@1');
type Holder = { [STORE]?: Map<string, unknown> };

export function shared<T>(name: string, create: () => T): T {
  const holder = globalThis as Holder;
  holder[STORE] ??= new Map();
  const map = holder[STORE];
  if (!map.has(name)) map.set(name, create());
  return map.get(name) as T;
}

/** Set by `llm-cost-otel/register` (`--import`/`--require`): we run before any app code. */
export function markPreloaded(): void {
  shared('preloaded', () => ({ value: false })).value = true;
}

export function isPreloaded(): boolean {
  return shared<{ value: boolean }>('preloaded', () => ({ value: false })).value;
}

/**
 * `instanceof` for our error classes across module copies: each error carries a process-wide
 * brand, and the class's `Symbol.hasInstance` checks it (so an error thrown by the CommonJS copy
 * is an `instanceof` the class the app imported from the ESM one).
 */
export function brand(error: object, name: string): void {
  Object.defineProperty(error, Symbol.for(`llm-cost-otel.${name}`), { value: true });
}

export function isBranded(value: unknown, name: string): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[Symbol.for(`llm-cost-otel.${name}`)] === true
  );
}
