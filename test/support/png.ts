/**
 * The first bytes of a PNG (signature + IHDR chunk) of a given size: all a token estimator reads
 * to price an image, so tests need no real picture.
 */
export function pngBase64(width: number, height: number): string {
  const b = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
  b.writeUInt32BE(13, 8);
  b.write('IHDR', 12, 'ascii');
  b.writeUInt32BE(width, 16);
  b.writeUInt32BE(height, 20);
  return b.toString('base64');
}

/** The same PNG header as a `data:` URL, the way chat APIs take inline images. */
export const pngDataUrl = (width: number, height: number): string =>
  `data:image/png;base64,${pngBase64(width, height)}`;
