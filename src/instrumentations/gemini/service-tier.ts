/** The Gemini service tier of a call: reported in `usageMetadata.serviceTier`, else as requested. */
export function serviceTierOf(usageMetadata: unknown, params: unknown): string | undefined {
  const reported = (usageMetadata as { serviceTier?: unknown } | undefined)?.serviceTier;
  const requested = (params as { config?: { serviceTier?: unknown } } | undefined)?.config?.serviceTier;
  for (const tier of [reported, requested]) {
    if (typeof tier === 'string' && tier !== '' && tier !== 'unspecified') return tier;
  }
  return undefined;
}
