/**
 * Attribution scopes: who (agent) is doing what (operation, task) when an LLM call happens.
 * Nestable; the inner scope's fields win. Kept in our own AsyncLocalStorage so attribution works
 * whether or not the app set up an OTel context manager.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { shared } from './shared-instance.js';

export interface LLMContext {
  agent?: string;
  operation?: string;
  /** Task / correlation id: on spans only, never a metric label. */
  task?: string;
  /** Extra dimensions (e.g. `team`); only allow-listed ones become metric labels. */
  [dimension: string]: string | undefined;
}

// One store for the ESM and CommonJS copies of the library (see shared-instance.ts).
const storage = shared('context', () => new AsyncLocalStorage<Readonly<LLMContext>>());

/**
 * Run `fn` with attribution for every LLM call inside it, sync or async.
 *
 * @example
 * await withLLMContext({ agent: 'planner', operation: 'plan', task: 'T-42' }, () => runPlanner());
 */
export function withLLMContext<T>(context: LLMContext, fn: () => T): T {
  const outer = storage.getStore();
  const merged: LLMContext = outer === undefined ? { ...context } : { ...outer };
  if (outer !== undefined) {
    for (const key of Object.keys(context)) {
      const value = context[key];
      if (value !== undefined) merged[key] = value;
    }
  }
  return storage.run(Object.freeze(merged), fn);
}

/** The attribution in effect here, or undefined outside any scope. */
export function getLLMContext(): Readonly<LLMContext> | undefined {
  return storage.getStore();
}
