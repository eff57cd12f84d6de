/**
 * Method wrapping shared by the explicit (`instrument(client)`) and the automatic (module patch)
 * ways in. Every wrapper we install carries the function it replaced under a registry Symbol, so
 * that (1) a second wrap of the same method is refused, (2) an instance wrapper placed over a
 * patched prototype calls the *unpatched* original — one record per call whichever way came first —
 * and (3) `unwrapMethod` restores exactly what was there.
 */
import { logger } from '../../diag.js';
import { errorMessage } from '../../util/error-message.js';

/** Symbol.for: the ESM and CommonJS builds of this package, if both load, see the same marks. */
const ORIGINAL = Symbol.for('llm-cost-otel.original');

// biome-ignore lint/suspicious/noExplicitAny: wrappers are generic over the SDK's method signatures
export type AnyFunction = (this: any, ...args: any[]) => any;

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
 * Replace `target[name]` with `makeWrapper(original)`, where `original` is the SDK's function (our
 * own wrappers further up the prototype chain are looked through). Returns false, changing
 * nothing, when the method is missing or `target` already has our wrapper as an own property.
 * The wrapper becomes an own property of `target` (non-enumerable if the original slot was).
 */
export function wrapMethod(
  target: object,
  name: string,
  makeWrapper: (original: AnyFunction) => AnyFunction,
): boolean {
  try {
    const current = (target as Record<string, unknown>)[name];
    if (typeof current !== 'function') return false;
    const own = Object.getOwnPropertyDescriptor(target, name);
    if (own && isWrapped(own.value)) return false;
    const original = originalOf(current as AnyFunction);
    const wrapper = makeWrapper(original) as Wrapped;
    Object.defineProperty(wrapper, ORIGINAL, { value: current, enumerable: false, configurable: true });
    Object.defineProperty(wrapper, 'name', { value: original.name, configurable: true });
    Object.defineProperty(wrapper, 'length', { value: original.length, configurable: true });
    Object.defineProperty(target, name, {
      value: wrapper,
      writable: true,
      configurable: true,
      enumerable: own ? own.enumerable : false,
    });
    return true;
  } catch (error) {
    logger.error(`wrapping ${name} failed: ${errorMessage(error)}`);
    return false;
  }
}

/**
 * Undo `wrapMethod`: restore what our own-property wrapper replaced. When the replaced function came
 * from the prototype chain, the own property is deleted instead (so the chain shows through again).
 */
export function unwrapMethod(target: object, name: string): boolean {
  const own = Object.getOwnPropertyDescriptor(target, name);
  if (!own || !isWrapped(own.value)) return false;
  const replaced = (own.value as Wrapped)[ORIGINAL] as AnyFunction;
  const inherited = (Object.getPrototypeOf(target) as Record<string, unknown> | null)?.[name];
  if (inherited === replaced) {
    delete (target as Record<string, unknown>)[name];
  } else {
    Object.defineProperty(target, name, { ...own, value: replaced });
  }
  return true;
}
