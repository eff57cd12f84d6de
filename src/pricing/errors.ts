import { ConfigError } from '../config/errors.js';
import { brand, isBranded } from '../shared-instance.js';

/**
 * Thrown for bad price configuration (overrides from code or a file), always at load time so a
 * typo fails the deploy rather than silently mispricing calls. The message names the file, the
 * entry, the field and the bad value.
 */
export class PriceConfigError extends ConfigError {
  override readonly name = 'PriceConfigError';
  constructor(message: string) {
    super(message);
    brand(this, 'PriceConfigError');
  }

  /**
   * Its own brand: the inherited check would call every ConfigError a PriceConfigError. Branded,
   * so it holds across the ESM and CommonJS copies (and the root and `./pricing` entries).
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isBranded(value, 'PriceConfigError');
  }
}
