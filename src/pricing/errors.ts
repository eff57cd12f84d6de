import { ConfigError } from '../config/errors.js';

/**
 * Thrown for bad price configuration (overrides from code or a file), always at load time so a
 * typo fails the deploy rather than silently mispricing calls. The message names the file, the
 * entry, the field and the bad value.
 */
export class PriceConfigError extends ConfigError {
  override readonly name = 'PriceConfigError';
}
