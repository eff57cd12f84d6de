/**
 * The message of a thrown value, whatever was thrown (an `Error`, a string, an object). Never
 * throws itself: a hostile value (a throwing `message` getter or `toString`) gives a fixed text.
 */
export function errorMessage(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'an unprintable error';
  }
}
