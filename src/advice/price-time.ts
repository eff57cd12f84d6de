/** The time prices are looked up at: the caller's `at` (a Date or epoch ms), or now. */
export const priceTimeMs = (at: Date | number | undefined): number =>
  at === undefined ? Date.now() : typeof at === 'number' ? at : at.getTime();
