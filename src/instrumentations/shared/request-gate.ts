/**
 * Budget refusals the SDK's way, for Stainless-generated SDKs (openai 4–6, @anthropic-ai/sdk):
 * the caller gets the SDK's own `APIPromise` (so `await`, `.then(ok, onRejected)`,
 * `.withResponse()` and the SDK's helpers behave as for any SDK error), and nothing is sent.
 *
 * How: every request method ends in `client.request(optionsPromise)`, which builds the
 * APIPromise around `makeRequest()`, whose first step is `await optionsPromise`. While the
 * original method runs (synchronously, so no other call can see it) we shadow `request` on that
 * one client to chain the options behind `gate`: a rejected gate rejects the APIPromise with the
 * gate's error before any byte is sent; a pending gate (a shared-store round trip) holds the
 * request until the guard has answered.
 */

interface ClientLike {
  request?: (options: unknown, ...rest: unknown[]) => unknown;
}

/**
 * Call `original` on `resource` with its request gated on `gate`. Returns undefined (and calls
 * nothing) when the resource has no Stainless client to gate; the caller then falls back.
 */
export function callGated(
  resource: unknown,
  original: (...args: unknown[]) => unknown,
  args: unknown[],
  gate: Promise<unknown>,
): { result: unknown } | undefined {
  const client = (resource as { _client?: ClientLike } | undefined)?._client;
  const request = client?.request;
  if (client === undefined || typeof request !== 'function') return undefined;
  const hadOwn = Object.hasOwn(client, 'request');
  const restore = () => {
    if (hadOwn) client.request = request;
    else delete client.request;
  };
  client.request = function gatedRequest(this: unknown, options: unknown, ...rest: unknown[]) {
    restore();
    return request.call(
      this,
      gate.then(() => options),
      ...rest,
    );
  };
  try {
    return { result: original.apply(resource, args) };
  } finally {
    restore();
  }
}

/** A refusal as the SDK would fail: its own APIPromise, rejected, nothing sent; else a rejected Promise. */
export function refuseLikeSdk(
  resource: unknown,
  original: (...args: unknown[]) => unknown,
  args: unknown[],
  error: unknown,
): unknown {
  const gate = Promise.reject(error);
  // Handled here: the SDK chains on it, and an unread refusal must not crash the process.
  gate.catch(() => {});
  try {
    const gated = callGated(resource, original, args, gate);
    if (gated !== undefined) return gated.result;
  } catch {
    // The SDK threw synchronously on these arguments: fall back to a plain rejection.
  }
  return gate;
}
