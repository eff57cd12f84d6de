// Module-resolution hooks (run in Node's loader thread): every URL an `import` resolves is sent to
// the app's thread, so a test can tell which packages the library loaded and when.
let port;
export function initialize(data) {
  port = data.port;
}
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  port.postMessage(resolved.url);
  return resolved;
}
