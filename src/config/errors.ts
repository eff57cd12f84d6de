import { brand, isBranded } from '../shared-instance.js';

/** Bad configuration: thrown by `register()` before anything starts, naming the field and value. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(message: string) {
    super(message);
    brand(this, 'ConfigError');
  }

  /** True for configuration errors from any copy of the library (ESM and CommonJS builds). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isBranded(value, 'ConfigError');
  }
}

/** Render a bad value for a message: strings quoted, objects as JSON, never huge. */
export function show(value: unknown): string {
  let text: string;
  try {
    text =
      typeof value === 'string'
        ? JSON.stringify(value)
        : typeof value === 'object' && value !== null
          ? JSON.stringify(value)
          : String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
