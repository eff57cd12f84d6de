/** Helpers shared by the fake provider tests. */

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** Iterates until the iterable throws; fails when it ends without throwing. */
export async function collectUntilError<T>(
  iterable: AsyncIterable<T>,
): Promise<{ items: T[]; error: unknown }> {
  const items: T[] = [];
  try {
    for await (const item of iterable) items.push(item);
  } catch (error) {
    return { items, error };
  }
  throw new Error(`expected the stream to fail, but it ended after ${items.length} items`);
}

/** A prompt of exactly `tokens` fake-provider tokens (4 characters each). */
export function promptOf(tokens: number): string {
  return 'abcd'.repeat(tokens);
}
