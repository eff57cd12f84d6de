/**
 * Method wrapping for every SDK instrumentation (OpenAI, Anthropic, Google GenAI), by both ways in:
 * the explicit one (`instrument(client)`, own properties of one client's objects) and the automatic
 * one (module patch, the SDK classes' prototypes). Every wrapper we install carries the function
 * it replaced under a registry Symbol, so that
 * 1. a second wrap of the same slot is refused (idempotent);
 * 2. a wrapper always calls the SDK's own function, looking through our wrappers further up the
 *    prototype chain: an instance wrapped over a patched prototype records once, in either order;
 * 3. undo restores the original while ours is still installed, and otherwise turns ours into a
 *    pass-through (someone wrapped it after us; restoring would drop their wrapper).
 */
import { reportFailure } from './safely.js';

/** Symbol.for: the ESM and CommonJS builds of this package, if both load, see the same marks. */
const ORIGINAL = Symbol.for('llm-cost-otel.original');

// biome-ignore lint/suspicious/noExplicitAny: wrappers are generic over the SDK's method signatures
export type AnyFunction = (this: any, ...args: any[]) => any;

/** Builds the wrapper around the SDK's `original`; `isActive()` turns false once it is undone. */
export type WrapperFactory = (original: AnyFunction, isActive: () => boolean) => AnyFunction;

type Wrapped = AnyFunction & { [ORIGINAL]?: AnyFunction };

/** True when `fn` is one of our wrappers. */
export function isWrapped(fn: unknown): boolean {
  return typeof fn === 'function' && typeof (fn as Wrapped)[ORIGINAL] === 'function';
}

/** The SDK's own function under any number of our wrappers. */
export function originalOf(fn: AnyFunction): AnyFunction {
  let current: Wrapped = fn;
  while (typeof current[ORIGINAL] === 'function') current = current[ORIGINAL] as Wrapped;
  return current;
}

/**
 * Replace `target[name]` with `makeWrapper(original, isActive)`, `original` being the SDK's
 * function. The wrapper becomes an own property of `target` (non-enumerable unless the slot was
 * enumerable). Returns the undo, or undefined — changing nothing — when `target[name]` is not a
 * function (an SDK version without it) or `target` already holds one of our wrappers there.
 */
export function wrapMethod(
  target: object,
  name: string,
  makeWrapper: WrapperFactory,
): (() => void) | undefined {
  try {
    const slots = target as Record<string, unknown>;
    const current = slots[name];
    if (typeof current !== 'function') return undefined;
    const own = Object.getOwnPropertyDescriptor(target, name);
    if (own && isWrapped(own.value)) return undefined;
    const original = originalOf(current as AnyFunction);
    let active = true;
    const wrapper = makeWrapper(original, () => active) as Wrapped;
    Object.defineProperty(wrapper, ORIGINAL, { value: current, enumerable: false, configurable: true });
    Object.defineProperty(wrapper, 'name', { value: original.name, configurable: true });
    Object.defineProperty(wrapper, 'length', { value: original.length, configurable: true });
    Object.defineProperty(target, name, {
      value: wrapper,
      writable: true,
      configurable: true,
      enumerable: own?.enumerable ?? false,
    });
    return () => {
      active = false;
      if (slots[name] !== wrapper) return;
      if (own) Object.defineProperty(target, name, own);
      else delete slots[name];
    };
  } catch (error) {
    reportFailure(`wrapping ${name}`, error);
    return undefined;
  }
}

/** Runs every undo once, newest first. */
export function undoAll(undos: ReadonlyArray<(() => void) | undefined>): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    for (const undo of [...undos].reverse()) undo?.();
  };
}
